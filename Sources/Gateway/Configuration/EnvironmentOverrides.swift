/// KrakenD's reserved environment variables: `KRAKEND_<KEY>` replaces a top-level string, number or boolean.
///
/// As in KrakenD, a variable only overrides a key the file already has (e.g. `KRAKEND_PORT=9000` needs a `port` in
/// the file), and only at the top level. Portico also reads `PORTICO_<KEY>`, which wins over `KRAKEND_<KEY>`.
/// `version` is never overridden. Values are typed after the key's value in the file: an integer key needs an
/// integer, a boolean key `true`/`false` (or Go's `1`, `t`, `TRUE`, `0`, `f`, `FALSE`, …).
enum EnvironmentOverrides {
    /// Prefixes in order of precedence.
    static let prefixes = ["PORTICO_", "KRAKEND_"]

    /// Applies the overrides to `root` and tells which variable set which key.
    static func apply(
        to root: inout ConfigObject,
        environment: [String: String],
        reader: ConfigurationReader
    ) {
        for (key, value) in root where key != "version" {
            let name = key.uppercased()
            guard let variable = prefixes.lazy.map({ $0 + name }).first(where: { environment[$0] != nil }),
                let text = environment[variable]
            else { continue }
            reader.environmentSources[key] = variable
            switch value {
            case .string:
                root[key] = .string(text)
            case .integer:
                guard let integer = Int(text) else {
                    reader.mismatch(key, expected: "an integer", got: .string(text))
                    continue
                }
                root[key] = .integer(integer)
            case .double:
                guard let double = Double(text), double.isFinite else {
                    reader.mismatch(key, expected: "a number", got: .string(text))
                    continue
                }
                root[key] = .double(double)
            case .bool:
                guard let bool = goBool(text) else {
                    reader.mismatch(key, expected: "a boolean", got: .string(text))
                    continue
                }
                root[key] = .bool(bool)
            case .null, .array, .object:
                // Not a scalar: KrakenD does not override these either.
                reader.environmentSources[key] = nil
            }
        }
    }

    /// Go's `strconv.ParseBool`.
    static func goBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }
}
