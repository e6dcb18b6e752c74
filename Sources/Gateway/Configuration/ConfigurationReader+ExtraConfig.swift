extension ConfigurationReader {
    /// Where an `extra_config` sits; only the service level has namespaces the loader reads itself.
    enum ExtraConfigLevel {
        case service
        case endpoint
        case backend

        var handledByLoader: Set<String> {
            self == .service ? [ExtraConfigNamespace.router, ExtraConfigNamespace.porticoHTTP] : []
        }
    }

    /// Reads `parent.extra_config`: aliases become short names, validators run, unknown namespaces warn.
    func readExtraConfig(_ parent: ConfigObject, at parentPath: String, level: ExtraConfigLevel) -> ExtraConfig {
        let path = ConfigurationPath.member(parentPath, "extra_config")
        var extraConfig = ExtraConfig(path: path, file: file)
        guard let object = object(parent, "extra_config", at: parentPath) else { return extraConfig }

        var writtenAs: [String: String] = [:]
        for (written, value) in object where !ConfigurationKeys.isAnnotation(written) {
            let namespace = ExtraConfigNamespace.canonicalName(written)
            let namespacePath = ConfigurationPath.namespace(path, written)
            if let first = writtenAs[namespace] {
                problem(
                    namespacePath,
                    "\(ConfigValue.quoted(namespace)) is configured twice, as \(ConfigValue.quoted(first)) and as "
                        + "\(ConfigValue.quoted(written)); expected one of them"
                )
                continue
            }
            writtenAs[namespace] = written
            extraConfig.entries.append((namespace, value))

            if let validator = validators[namespace] {
                do {
                    try validator.validate(value, ConfigValueDecoder(file: file, basePath: namespacePath))
                } catch {
                    problems(error)
                }
            } else if !knownNamespaces.contains(namespace), !level.handledByLoader.contains(namespace) {
                var message = "unknown namespace; no Portico stage handles it, so it is ignored"
                if namespace != written { message += " (KrakenD's \(ConfigValue.quoted(namespace)))" }
                warn(namespacePath, message, isUnknownNamespace: true)
            }
        }
        return extraConfig
    }
}
