import Yams

/// Reads YAML (the same structure as the JSON file) into `ConfigValue` through Yams' node tree.
///
/// Plain scalars are typed by the YAML 1.2 core schema, as Go's YAML v3 does: only `true`/`false` are booleans
/// (`yes`, `on`… stay strings), `~`/`null`/empty are null, decimal, `0x` and `0o` integers, and floats including
/// `.inf`/`.nan`. Quoted and block scalars are strings. Merge keys (`<<: *defaults`) are applied. Anchors and aliases
/// work, but the expanded tree is capped (see `minimumValueBudget`) so that a "billion laughs" file fails instead of
/// exhausting memory. libyaml caps nesting at 1000 levels and this reader at `maximumDepth`.
enum YAMLConfigurationParser {
    /// The deepest nesting accepted, as for JSON.
    static let maximumDepth = JSONConfigurationParser.maximumDepth
    /// The fewest values an expanded document may hold before aliases count as a bomb; larger files get one value
    /// per byte, which no document reaches without aliases (every value takes at least a byte to write).
    static let minimumValueBudget = 100_000

    /// Parses one YAML document.
    static func parse(_ text: String) throws(ConfigurationSyntaxError) -> ConfigValue {
        let root: Node?
        do {
            let parser = try Parser(yaml: text, resolver: .basic)
            root = try parser.singleRoot()
        } catch let error as YamlError {
            throw syntaxError(from: error, text: text)
        } catch {
            throw ConfigurationSyntaxError(message: String(describing: error), line: 1, column: 1)
        }
        guard let root else {
            throw ConfigurationSyntaxError(message: "the file is empty; expected a YAML mapping", line: 1, column: 1)
        }
        let allowed = max(minimumValueBudget, text.utf8.count)
        var budget = allowed
        return try convert(root, depth: 1, budget: &budget, allowed: allowed)
    }

    private static func convert(
        _ node: Node,
        depth: Int,
        budget: inout Int,
        allowed: Int
    ) throws(ConfigurationSyntaxError) -> ConfigValue {
        budget -= 1
        guard budget >= 0 else {
            throw failure("the document expands to more than \(allowed) values (aliases?)", at: node.mark)
        }
        switch node {
        case .scalar(let scalar):
            return try scalarValue(scalar)
        case .alias(let alias):
            throw failure("unresolved alias \(String(describing: alias.anchor))", at: alias.mark)
        case .sequence(let sequence):
            guard depth <= maximumDepth else {
                throw failure("nesting deeper than \(maximumDepth) levels is not accepted", at: sequence.mark)
            }
            var array: [ConfigValue] = []
            array.reserveCapacity(sequence.count)
            for element in sequence {
                array.append(try convert(element, depth: depth + 1, budget: &budget, allowed: allowed))
            }
            return .array(array)
        case .mapping(let mapping):
            guard depth <= maximumDepth else {
                throw failure("nesting deeper than \(maximumDepth) levels is not accepted", at: mapping.mark)
            }
            var object = ConfigObject()
            var merged: [ConfigObject] = []
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    throw failure("mapping keys must be strings", at: keyNode.mark)
                }
                let key = keyScalar.string
                let value = try convert(valueNode, depth: depth + 1, budget: &budget, allowed: allowed)
                if key == "<<", keyScalar.style == .plain {
                    merged += try mergeSources(value, at: keyNode.mark)
                } else if key != "@comment" {
                    // Yams has rejected duplicate keys already.
                    object[key] = value
                }
            }
            // Explicit keys win over merged ones, and earlier merge sources over later ones (YAML merge rules).
            for source in merged {
                for (key, value) in source { object.insertNew(key, value) }
            }
            return .object(object)
        }
    }

    private static func mergeSources(
        _ value: ConfigValue,
        at mark: Mark?
    ) throws(ConfigurationSyntaxError) -> [ConfigObject] {
        switch value {
        case .object(let object):
            return [object]
        case .array(let array):
            var sources: [ConfigObject] = []
            for element in array {
                guard case .object(let object) = element else {
                    throw failure("a merge key '<<' takes a mapping or a list of mappings", at: mark)
                }
                sources.append(object)
            }
            return sources
        default:
            throw failure("a merge key '<<' takes a mapping or a list of mappings", at: mark)
        }
    }

    private static func scalarValue(_ scalar: Node.Scalar) throws(ConfigurationSyntaxError) -> ConfigValue {
        let tag = scalar.tag.description
        let text = scalar.string
        switch tag {
        case "":
            // No tag: plain scalars get typed, quoted and block scalars are strings.
            return scalar.style == .plain ? coreSchemaValue(text) : .string(text)
        case "tag:yaml.org,2002:int":
            guard let integer = coreInteger(text) else {
                throw failure("!!int \(ConfigValue.quoted(text)) is not an integer", at: scalar.mark)
            }
            return integer
        case "tag:yaml.org,2002:float":
            if let number = coreInteger(text) ?? coreFloat(text) { return .double(number.doubleValue ?? 0) }
            throw failure("!!float \(ConfigValue.quoted(text)) is not a number", at: scalar.mark)
        case "tag:yaml.org,2002:bool":
            guard case .bool(let bool) = coreSchemaValue(text) else {
                throw failure("!!bool \(ConfigValue.quoted(text)) is not true or false", at: scalar.mark)
            }
            return .bool(bool)
        case "tag:yaml.org,2002:null":
            return .null
        default:
            return .string(text)
        }
    }

    /// Types a plain scalar by the YAML 1.2 core schema.
    static func coreSchemaValue(_ text: String) -> ConfigValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: return coreInteger(text) ?? coreFloat(text) ?? .string(text)
        }
    }

    private static func coreInteger(_ text: String) -> ConfigValue? {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        var radix = 10
        if digits.hasPrefix("0x") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if digits.hasPrefix("0o") {
            radix = 8
            digits = digits.dropFirst(2)
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        if radix == 10, !digits.allSatisfy(\.isNumber) { return nil }
        guard let magnitude = UInt64(digits, radix: radix) else {
            // Decimal integers too large for Int become doubles, as in JSON; others are not numbers.
            return radix == 10 ? Double(text).map(ConfigValue.double) : nil
        }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return .integer(Int.min) }
            return magnitude <= UInt64(Int.max) ? .integer(-Int(magnitude)) : .double(-Double(magnitude))
        }
        return magnitude <= UInt64(Int.max) ? .integer(Int(magnitude)) : .double(Double(magnitude))
    }

    private static func coreFloat(_ text: String) -> ConfigValue? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var bytes = Substring(text).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let whole = bytes.prefix(while: isDigit)
        bytes = bytes.dropFirst(whole.count)
        var fractionDigits = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            let fraction = bytes.prefix(while: isDigit)
            fractionDigits = fraction.count
            bytes = bytes.dropFirst(fraction.count)
        }
        guard whole.count + fractionDigits > 0 else { return nil }
        if let exponent = bytes.first, exponent == UInt8(ascii: "e") || exponent == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                bytes = bytes.dropFirst()
            }
            let exponentDigits = bytes.prefix(while: isDigit)
            guard !exponentDigits.isEmpty else { return nil }
            bytes = bytes.dropFirst(exponentDigits.count)
        }
        guard bytes.isEmpty, let double = Double(text) else { return nil }
        return .double(double)
    }

    private static func failure(_ message: String, at mark: Mark?) -> ConfigurationSyntaxError {
        ConfigurationSyntaxError(message: message, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private static func syntaxError(from error: YamlError, text: String) -> ConfigurationSyntaxError {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let message = context.map { "\(problem) (\($0.text) at line \($0.mark.line))" } ?? problem
            return failure(message, at: mark)
        case .reader(let problem, let offset, _, _):
            let position = ConfigurationSyntaxError.position(of: offset ?? 0, in: Array(text.utf8))
            return ConfigurationSyntaxError(message: problem, line: position.line, column: position.column)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map(ConfigValue.quoted).joined(separator: ", ")
            return failure("duplicate key \(keys) in the same mapping", at: context.mark)
        default:
            return ConfigurationSyntaxError(message: String(describing: error), line: 1, column: 1)
        }
    }
}
