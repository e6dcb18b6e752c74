/// Reads the `proxy` and `backend/http` namespaces at start-up, collecting every problem with its JSON path.
///
/// Wrong types and values are problems (start-up fails); unknown keys are warnings (KrakenD ignores them).
struct ProxyNamespaceReader {
    let file: String
    private(set) var problems: [ConfigurationProblem] = []
    private(set) var warnings: [String] = []

    init(file: String) {
        self.file = file
    }

    /// Records a problem at `path`.
    mutating func problem(_ path: String, _ message: String) {
        problems.append(ConfigurationProblem(file: file, path: path, message: message))
    }

    /// Records a warning at `path`.
    mutating func warn(_ path: String, _ message: String) {
        warnings.append("\(file): \(path): \(message)")
    }

    /// The namespace's object, or nil (with a problem) when it is not an object.
    mutating func object(_ value: ConfigValue, at path: String) -> ConfigObject? {
        guard case .object(let object) = value else {
            problem(path, "expected an object, got \(value.renderedForMessage())")
            return nil
        }
        return object
    }

    /// Warns once per key of `object` not in `known`.
    mutating func warnUnknownKeys(_ object: ConfigObject, known: Set<String>, at path: String) {
        for (key, _) in object where !known.contains(key) {
            warn(ConfigurationPath.member(path, key), "unknown key, ignored")
        }
    }

    mutating func bool(_ object: ConfigObject, _ key: String, at path: String) -> Bool? {
        guard let value = object[key], value != .null else { return nil }
        guard case .bool(let bool) = value else {
            problem(ConfigurationPath.member(path, key), "expected true or false, got \(value.renderedForMessage())")
            return nil
        }
        return bool
    }

    mutating func string(_ object: ConfigObject, _ key: String, at path: String) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard case .string(let string) = value else {
            problem(ConfigurationPath.member(path, key), "expected a string, got \(value.renderedForMessage())")
            return nil
        }
        return string
    }

    mutating func duration(_ object: ConfigObject, _ key: String, at path: String) -> Duration? {
        guard let text = string(object, key, at: path) else { return nil }
        guard let duration = GoDuration.parse(text), duration > .zero else {
            problem(
                ConfigurationPath.member(path, key),
                "expected a positive duration like \"2s\", got \(ConfigValue.quoted(text))"
            )
            return nil
        }
        return duration
    }

    mutating func strings(_ object: ConfigObject, _ key: String, at path: String) -> [String]? {
        guard let value = object[key], value != .null else { return nil }
        let keyPath = ConfigurationPath.member(path, key)
        guard case .array(let elements) = value else {
            problem(keyPath, "expected an array of strings, got \(value.renderedForMessage())")
            return nil
        }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let string) = element else {
                problem(
                    ConfigurationPath.element(keyPath, index),
                    "expected a string, got \(element.renderedForMessage())"
                )
                continue
            }
            result.append(string)
        }
        return result
    }

    /// The error to throw when any problem was found.
    var error: ConfigurationError? {
        problems.isEmpty ? nil : ConfigurationError(problems: problems)
    }
}
