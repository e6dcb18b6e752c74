import ArgumentParser
import Gateway
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The `portico` command: run a gateway, check a configuration, print the version.
@main
struct Portico: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "portico",
        abstract: "An API gateway that runs KrakenD version 3 configuration files.",
        subcommands: [Run.self, Check.self, Version.self]
    )
}

/// Options shared by the subcommands that read a configuration file.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: [.short, .customLong("config")], help: "The KrakenD v3 configuration file (JSON or YAML).")
    var config: String

    /// Loads and validates the file with every stage Portico knows.
    func load(extensions: GatewayExtensions) throws -> ServiceConfiguration {
        try ConfigurationLoader(knownNamespaces: extensions.knownNamespaces).load(path: config)
    }
}

extension Portico {
    /// `portico run -c FILE [--port N]`: serve until SIGTERM or SIGINT, then shut down gracefully.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the gateway.")

        @OptionGroup var options: ConfigurationOptions

        @Option(name: .shortAndLong, help: "Listen on this port instead of the file's `port`.")
        var port: Int?

        @Option(help: "Event loops (threads) to serve on; default: one per core.")
        var eventLoops: Int?

        @Option(
            help: "Log level: trace, debug, info, notice, warning, error, critical (default: info, or debug with -d)."
        )
        var logLevel: String?

        @Flag(name: .shortAndLong, help: "Turn on the /__debug/ endpoint, as `krakend run -d`.")
        var debug = false

        @Option(help: "Seconds in-flight requests may take once shutdown begins.")
        var shutdownTimeout: Int = 10

        func run() async throws {
            guard let level = Logger.Level(rawValue: logLevel ?? (debug ? "debug" : "info")) else {
                throw ValidationError(
                    "--log-level: expected one of trace, debug, info, notice, warning, error, critical"
                )
            }
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardOutput(label: label)
                handler.logLevel = level
                return handler
            }
            let logger = Logger(label: "portico")
            let extensions = GatewayExtensions.standard
            var configuration: ServiceConfiguration
            do {
                configuration = try options.load(extensions: extensions)
            } catch {
                logger.critical("invalid configuration:\n\(error)")
                throw ExitCode.failure
            }
            for warning in configuration.warnings {
                logger.warning("\(options.config): \(warning)")
            }
            if let port { configuration.port = port }
            if debug { configuration.debugEndpoint = true }
            let group = MultiThreadedEventLoopGroup(numberOfThreads: eventLoops ?? System.coreCount)
            let gateway: Gateway
            do {
                gateway = try Gateway(
                    configuration: configuration,
                    extensions: extensions,
                    eventLoopGroup: group,
                    logger: logger,
                    shutdownTimeout: .seconds(shutdownTimeout)
                )
            } catch {
                logger.critical("invalid configuration:\n\(error)")
                throw ExitCode.failure
            }
            let services = ServiceGroup(
                configuration: .init(
                    services: [.init(service: gateway)],
                    gracefulShutdownSignals: [.sigterm, .sigint],
                    logger: logger
                )
            )
            try await services.run()
            try await group.shutdownGracefully()
        }
    }

    /// `portico check -c FILE [--strict]`: exit 0 when valid, 1 when not, listing every problem.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a configuration file.")

        @OptionGroup var options: ConfigurationOptions

        @Flag(help: "Also fail on extra_config namespaces Portico does not know.")
        var strict = false

        func run() async throws {
            let extensions = GatewayExtensions.standard
            let configuration: ServiceConfiguration
            do {
                configuration = try options.load(extensions: extensions)
                // Building the pipelines validates what stages and routes check (namespaces, conflicts).
                _ = try Gateway(configuration: configuration, extensions: extensions)
            } catch {
                print("\(options.config): invalid\n\(error)")
                throw ExitCode.failure
            }
            for warning in configuration.warnings {
                print("warning: \(warning)")
            }
            let unknown = configuration.warnings.filter(\.isUnknownNamespace)
            if strict && !unknown.isEmpty {
                print("\(options.config): invalid (--strict): \(unknown.count) unknown namespace(s)")
                throw ExitCode.failure
            }
            print("\(options.config): valid (\(configuration.endpoints.count) endpoints)")
        }
    }

    /// `portico version`.
    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the version.")

        func run() {
            print("portico \(PorticoVersion.current)")
        }
    }
}
