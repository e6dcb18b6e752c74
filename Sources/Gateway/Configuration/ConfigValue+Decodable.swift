extension ConfigValue: Decodable {
    /// Takes any value as it is, so a configuration struct can keep a subtree raw (`var options: ConfigValue`).
    ///
    /// `ConfigValueDecoder` hands over its value directly (key order kept); other decoders are asked type by type.
    public init(from decoder: any Decoder) throws {
        if let value = (decoder as? ConfigValueDecoding)?.value {
            self = value
            return
        }
        if let object = try? decoder.container(keyedBy: ConfigNameKey.self) {
            var members = ConfigObject()
            for key in object.allKeys { members[key.stringValue] = try object.decode(ConfigValue.self, forKey: key) }
            self = .object(members)
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var elements: [ConfigValue] = []
            while !array.isAtEnd { elements.append(try array.decode(ConfigValue.self)) }
            self = .array(elements)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let bool = try? single.decode(Bool.self) {
            self = .bool(bool)
        } else if let integer = try? single.decode(Int.self) {
            self = .integer(integer)
        } else if let double = try? single.decode(Double.self) {
            self = .double(double)
        } else {
            self = .string(try single.decode(String.self))
        }
    }
}
