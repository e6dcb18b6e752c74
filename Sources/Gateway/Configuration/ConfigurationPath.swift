/// Builds the JSON paths that messages print, e.g. `endpoints[3].backend[0].extra_config["qos/circuit-breaker"]`.
enum ConfigurationPath {
    /// `parent.key`, or `parent["key"]` when the key is not a plain name (`a-z`, `0-9`, `_`, `-`, not starting with a
    /// digit or `-`).
    static func member(_ parent: String, _ key: String) -> String {
        guard isPlainName(key) else { return parent + "[" + ConfigValue.quoted(key) + "]" }
        return parent.isEmpty ? key : parent + "." + key
    }

    /// `parent[index]`.
    static func element(_ parent: String, _ index: Int) -> String {
        "\(parent)[\(index)]"
    }

    /// `parent["namespace"]`: namespaces are always bracketed, even plain ones such as `router`.
    static func namespace(_ parent: String, _ namespace: String) -> String {
        parent + "[" + ConfigValue.quoted(namespace) + "]"
    }

    /// Appends a decoder's coding path to `base`.
    static func appending(_ codingPath: [any CodingKey], to base: String) -> String {
        var path = base
        for key in codingPath {
            if let index = key.intValue, key.stringValue == "Index \(index)" || key.stringValue == String(index) {
                path = element(path, index)
            } else {
                path = member(path, key.stringValue)
            }
        }
        return path
    }

    private static func isPlainName(_ key: String) -> Bool {
        guard let first = key.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return key.utf8.allSatisfy { byte in
            isLetter(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-")
        }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
}
