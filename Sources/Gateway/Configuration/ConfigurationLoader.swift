// Public only because the initializer's default argument reads `ProcessInfo.processInfo.environment`.
public import Foundation

/// Reads a KrakenD `"version": 3` file (JSON or YAML) into a validated `ServiceConfiguration`, once, at start-up.
///
/// ```swift
/// let loader = ConfigurationLoader(knownNamespaces: ["qos/circuit-breaker", "qos/ratelimit/router"])
/// let service = try loader.load(path: "portico.json")
/// for warning in service.warnings { logger.warning("\(warning)") }
/// ```
///
/// Every problem in the file is reported in one `ConfigurationError`, one per line with its JSON path. Warnings
/// (unknown keys, KrakenD keys Portico lacks, unknown `extra_config` namespaces) never fail a load;
/// `portico check --strict` fails on `service.warnings.filter(\.isUnknownNamespace)`.
public struct ConfigurationLoader: Sendable {
    /// Largest file accepted; a config file is kilobytes, and this stops a load of `/dev/zero` from eating memory.
    public static let maximumFileBytes = 32 << 20

    /// `extra_config` namespaces some stage handles; any other draws an `isUnknownNamespace` warning.
    public var knownNamespaces: Set<String>
    /// Checks run on namespaces at load time (their namespaces count as known).
    public var validators: [String: NamespaceValidator]
    /// Variables consulted for `PORTICO_<KEY>` / `KRAKEND_<KEY>` overrides.
    public var environment: [String: String]

    /// A loader; `environment` is injected so tests (and embedders) choose what overrides apply.
    public init(
        knownNamespaces: Set<String>,
        validators: [String: NamespaceValidator] = [:],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.knownNamespaces = knownNamespaces
        self.validators = validators
        self.environment = environment
    }

    /// Reads and validates the file at `path`; the format comes from the extension (else it is sniffed).
    public func load(path: String) throws(ConfigurationError) -> ServiceConfiguration {
        let text = try Self.readFile(path)
        return try load(text: text, fileName: path)
    }

    /// Reads and validates `text`, naming `fileName` in problems (its extension picks the format).
    public func load(text: String, fileName: String) throws(ConfigurationError) -> ServiceConfiguration {
        let format = ConfigurationFormat.detect(fileName: fileName, text: text)
        let root = try format.parse(text, fileName: fileName)
        return try load(value: root, fileName: fileName)
    }

    /// Validates an already parsed file.
    public func load(value: ConfigValue, fileName: String) throws(ConfigurationError) -> ServiceConfiguration {
        let reader = ConfigurationReader(file: fileName, knownNamespaces: knownNamespaces, validators: validators)
        var root = value
        if case .object(var object) = value {
            EnvironmentOverrides.apply(to: &object, environment: environment, reader: reader)
            root = .object(object)
        }
        let service = reader.readService(root)
        guard reader.problems.isEmpty, var service else {
            throw ConfigurationError(problems: reader.problems, warnings: reader.warnings)
        }
        service.warnings = reader.warnings
        service.fileName = fileName
        return service
    }

    private static func readFile(_ path: String) throws(ConfigurationError) -> String {
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: maximumFileBytes + 1) ?? Data()
        } catch {
            throw ConfigurationError(
                file: path,
                path: "",
                message: "cannot read the file: \(error.localizedDescription)"
            )
        }
        guard data.count <= maximumFileBytes else {
            throw ConfigurationError(
                file: path,
                path: "",
                message: "the file is larger than \(maximumFileBytes >> 20) MiB; expected a configuration file"
            )
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(file: path, path: "", message: "the file is not valid UTF-8 text")
        }
        return text
    }
}
