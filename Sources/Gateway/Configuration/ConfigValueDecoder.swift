/// Decodes plain `Decodable` configuration structs from a `ConfigValue`, with KrakenD's strictness on types.
///
/// Feature modules (rate limit, circuit breaker, auth) declare their `extra_config` namespace as a `Decodable`
/// struct; the gateway decodes it with this decoder and gets errors that carry the full JSON path:
///
/// ```swift
/// let decoder = ConfigValueDecoder(file: "portico.json", basePath: #"endpoints[3].extra_config["qos/circuit-breaker"]"#)
/// let breaker = try decoder.decode(CircuitBreakerConfiguration.self, from: value)
/// // portico.json: endpoints[3].extra_config["qos/circuit-breaker"].max_errors: expected an integer, got "five"
/// ```
///
/// Rules: integers accept `5` (and `5.0`) but not `"5"` or `5.5`; floating-point numbers accept integers; booleans
/// only `true`/`false`; strings only strings. `Duration` reads Go duration strings (`"1s"`, `"250ms"`; not numbers,
/// not negative). `ConfigValue` takes the raw subtree. A `String`-backed `CaseIterable` enum that rejects a value gets an error
/// listing its cases. Missing optional keys and `null` decode as `nil`; unknown keys are ignored, as KrakenD
/// does.
public struct ConfigValueDecoder: Sendable {
    /// The file named in problems.
    public var file: String
    /// The JSON path of the value being decoded, e.g. `endpoints[0].extra_config["qos/ratelimit/router"]`.
    public var basePath: String
    /// Passed to `Decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// A decoder whose problems name `file` and start their paths at `basePath`.
    public init(file: String = "", basePath: String = "", userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.file = file
        self.basePath = basePath
        self.userInfo = userInfo
    }

    /// Decodes `type` from `value`; a failure becomes one `ConfigurationProblem` naming the exact path.
    public func decode<T: Decodable>(_ type: T.Type = T.self, from value: ConfigValue) throws(ConfigurationError) -> T {
        do {
            return try ConfigValueDecoding(value: value, codingPath: [], userInfo: userInfo).unbox(value, as: type)
        } catch let error as DecodingError {
            throw ConfigurationError(problems: [problem(for: error)])
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw configurationError(from: error)
        }
    }

    /// A feature module's own error (thrown from `init(from:)` or a `validate()`), as a problem under `basePath`.
    ///
    /// Feature errors start their message with the key they are about (`"max_rate: must be above 0"`); such a
    /// leading key path (`a.b[0].c: `) moves into the problem's path, so the line reads
    /// `portico.json: endpoints[0].extra_config["qos/ratelimit/router"].max_rate: must be above 0`.
    public func configurationError(from error: any Error) -> ConfigurationError {
        if let error = error as? ConfigurationError { return error }
        if let error = error as? DecodingError { return ConfigurationError(problems: [problem(for: error)]) }
        let message = String(describing: error)
        if let separator = message.range(of: ": "), Self.isRelativePath(message[..<separator.lowerBound]) {
            let key = message[..<separator.lowerBound]
            let path = basePath.isEmpty ? String(key) : basePath + (key.hasPrefix("[") ? "" : ".") + key
            return ConfigurationError(file: file, path: path, message: String(message[separator.upperBound...]))
        }
        return ConfigurationError(file: file, path: basePath, message: message)
    }

    /// `key`, `a.b`, `list[0].name`: the key paths feature messages start with.
    private static func isRelativePath(_ text: Substring) -> Bool {
        var expectingName = true
        var inIndex = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "_":
                guard !inIndex else { return false }
                expectingName = false
            case "0"..."9", "-":
                guard inIndex || !expectingName else { return false }
            case ".":
                guard !inIndex, !expectingName else { return false }
                expectingName = true
            case "[":
                guard !inIndex else { return false }
                inIndex = true
            case "]":
                guard inIndex else { return false }
                inIndex = false
                expectingName = false
            default:
                return false
            }
        }
        return !text.isEmpty && !expectingName && !inIndex
    }

    private func problem(for error: DecodingError) -> ConfigurationProblem {
        switch error {
        case .keyNotFound(let key, let context):
            return ConfigurationProblem(
                file: file,
                path: ConfigurationPath.appending(context.codingPath + [key], to: basePath),
                message: "required key is missing"
            )
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return ConfigurationProblem(
                file: file,
                path: ConfigurationPath.appending(context.codingPath, to: basePath),
                message: context.debugDescription
            )
        @unknown default:
            return ConfigurationProblem(file: file, path: basePath, message: String(describing: error))
        }
    }
}
