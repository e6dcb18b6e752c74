/// Turns a parsed file into a `ServiceConfiguration`, collecting every problem and warning on the way.
///
/// Each typed read returns nil both when a key is absent and when its value is wrong; in the latter case a problem
/// is recorded and reading goes on with the default, so one run reports everything. A `null` value counts as absent,
/// as it does for KrakenD (Go's zero value). Start-up code only: it allocates freely.
final class ConfigurationReader {
    let file: String
    let knownNamespaces: Set<String>
    let validators: [String: NamespaceValidator]
    /// Root keys whose value came from an environment variable, with the variable's name, for messages.
    var environmentSources: [String: String] = [:]
    /// True when the service's `host` had a problem: backends then skip "no host", which would only repeat it.
    var serviceHostsHaveProblems = false
    private(set) var problems: [ConfigurationProblem] = []
    private(set) var warnings: [ConfigurationWarning] = []

    init(file: String, knownNamespaces: Set<String>, validators: [String: NamespaceValidator]) {
        self.file = file
        self.knownNamespaces = knownNamespaces
        self.validators = validators
    }

    // MARK: - Findings

    func problem(_ path: String, _ message: String) {
        var message = message
        if let variable = environmentSources[path] { message += " (from environment variable \(variable))" }
        problems.append(ConfigurationProblem(file: file, path: path, message: message))
    }

    func problems(_ error: ConfigurationError) {
        problems += error.problems
    }

    /// Records "expected …, got …".
    func mismatch(_ path: String, expected: String, got value: ConfigValue) {
        problem(path, "expected \(expected), got \(value.renderedForMessage())")
    }

    func warn(_ path: String, _ message: String, isUnknownNamespace: Bool = false) {
        warnings.append(ConfigurationWarning(path: path, message: message, isUnknownNamespace: isUnknownNamespace))
    }

    /// Warns about keys this level does not read: KrakenD keys Portico lacks, and unknown keys (typos, mostly).
    func checkKeys(
        _ object: ConfigObject,
        at path: String,
        known: Set<String>,
        notSupported: [String: String] = [:]
    ) {
        for (key, value) in object where !known.contains(key) && !ConfigurationKeys.isAnnotation(key) {
            let keyPath = ConfigurationPath.member(path, key)
            if let message = notSupported[key] {
                // `"debug_endpoint": false` asks for nothing Portico lacks; only a value that does something is news.
                if !isInert(value) { warn(keyPath, message) }
            } else {
                var message = "unknown key; ignored (as KrakenD does)"
                if let suggestion = ConfigurationKeys.suggestion(for: key, among: known.union(notSupported.keys)) {
                    message += "; did you mean \(ConfigValue.quoted(suggestion))?"
                }
                warn(keyPath, message)
            }
        }
    }

    private func isInert(_ value: ConfigValue) -> Bool {
        switch value {
        case .null, .bool(false): return true
        case .array(let array): return array.isEmpty
        case .object(let object): return object.isEmpty
        default: return false
        }
    }

    // MARK: - Typed reads

    func value(_ object: ConfigObject, _ key: String) -> ConfigValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    func string(_ object: ConfigObject, _ key: String, at parent: String) -> String? {
        guard let value = value(object, key) else { return nil }
        guard case .string(let string) = value else {
            mismatch(ConfigurationPath.member(parent, key), expected: "a string", got: value)
            return nil
        }
        return string
    }

    func bool(_ object: ConfigObject, _ key: String, at parent: String) -> Bool? {
        guard let value = value(object, key) else { return nil }
        guard case .bool(let bool) = value else {
            mismatch(ConfigurationPath.member(parent, key), expected: "a boolean", got: value)
            return nil
        }
        return bool
    }

    /// An integer within `range`; `expected` describes the range for the message.
    func integer(
        _ object: ConfigObject,
        _ key: String,
        at parent: String,
        in range: ClosedRange<Int>,
        expected: String
    ) -> Int? {
        guard let value = value(object, key) else { return nil }
        guard let integer = value.integerValue, range.contains(integer) else {
            mismatch(ConfigurationPath.member(parent, key), expected: expected, got: value)
            return nil
        }
        return integer
    }

    /// A Go duration string (`"2s"`), never negative; `positive` also rejects zero.
    func duration(_ object: ConfigObject, _ key: String, at parent: String, positive: Bool = false) -> Duration? {
        guard let value = value(object, key) else { return nil }
        guard case .string(let text) = value, let nanoseconds = GoDuration.nanoseconds(text), nanoseconds >= 0,
            !positive || nanoseconds > 0
        else {
            let expected = positive ? "a positive duration like \"2s\"" : "a duration like \"2s\""
            mismatch(ConfigurationPath.member(parent, key), expected: expected, got: value)
            return nil
        }
        return .nanoseconds(nanoseconds)
    }

    func object(_ object: ConfigObject, _ key: String, at parent: String) -> ConfigObject? {
        guard let value = value(object, key) else { return nil }
        guard case .object(let member) = value else {
            mismatch(ConfigurationPath.member(parent, key), expected: "an object", got: value)
            return nil
        }
        return member
    }

    func array(_ object: ConfigObject, _ key: String, at parent: String) -> [ConfigValue]? {
        guard let value = value(object, key) else { return nil }
        guard case .array(let array) = value else {
            mismatch(ConfigurationPath.member(parent, key), expected: "an array", got: value)
            return nil
        }
        return array
    }

    /// An array of strings; wrong elements are reported one by one and left out.
    func stringArray(_ object: ConfigObject, _ key: String, at parent: String) -> [String]? {
        let path = ConfigurationPath.member(parent, key)
        guard let value = value(object, key) else { return nil }
        guard case .array(let array) = value else {
            mismatch(path, expected: "an array of strings", got: value)
            return nil
        }
        var strings: [String] = []
        for (index, element) in array.enumerated() {
            guard case .string(let string) = element else {
                mismatch(ConfigurationPath.element(path, index), expected: "a string", got: element)
                continue
            }
            strings.append(string)
        }
        return strings
    }

    /// A string that must be one of `supported`; `notSupportedYet` are values KrakenD knows and Portico lacks.
    func choice<T>(
        _ object: ConfigObject,
        _ key: String,
        at parent: String,
        supported: KeyValuePairs<String, T>,
        notSupportedYet: Set<String> = []
    ) -> T? {
        guard let value = value(object, key) else { return nil }
        let names = supported.map { ConfigValue.quoted($0.key) }
        let expected = names.count == 1 ? names[0] : "one of " + names.joined(separator: ", ")
        let path = ConfigurationPath.member(parent, key)
        guard case .string(let string) = value else {
            mismatch(path, expected: expected, got: value)
            return nil
        }
        if let match = supported.first(where: { $0.key == string }) { return match.value }
        if notSupportedYet.contains(string) {
            problem(path, "expected \(expected), got \(ConfigValue.quoted(string)) (not supported yet)")
        } else {
            mismatch(path, expected: expected, got: value)
        }
        return nil
    }
}
