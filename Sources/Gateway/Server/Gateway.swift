public import Logging
public import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
public import ServiceLifecycle
import Synchronization

/// A running Portico gateway: the configuration compiled into pipelines, served on SwiftNIO.
///
/// Use it as a ServiceLifecycle `Service` (`run()` serves until graceful shutdown, then stops accepting,
/// lets in-flight requests finish within `shutdownTimeout`, and returns), or drive it with `start()` / `stop()`
/// in tests.
public final class Gateway: Service, Sendable {
    /// The configuration being served.
    public let configuration: ServiceConfiguration
    private let group: any EventLoopGroup
    private let router: GatewayRouter
    private let transport: BackendTransport
    /// Shared objects and startup/background/shutdown work registered by stages.
    public let resources: GatewayResources
    private let logger: Logger
    private let shutdownTimeout: Duration
    private let state = Mutex<RunState>(.idle)

    private enum RunState {
        case idle
        case running(any Channel, ServerQuiescingHelper, [Task<Void, Never>])
        case stopped
    }

    /// Compiles `configuration` into pipelines; every problem is reported at once, by JSON path.
    /// - Parameters:
    ///   - configuration: a loaded configuration (see `ConfigurationLoader`).
    ///   - extensions: the stage registry (default: Portico's built-in features).
    ///   - eventLoopGroup: the loops to serve on; backend connections live on the same loops.
    ///   - shutdownTimeout: how long in-flight requests may take once shutdown begins.
    public init(
        configuration: ServiceConfiguration,
        extensions: GatewayExtensions = .standard,
        eventLoopGroup: (any EventLoopGroup)? = nil,
        logger: Logger = Logger(label: "portico"),
        shutdownTimeout: Duration = .seconds(10)
    ) throws(ConfigurationError) {
        self.configuration = configuration
        self.group = eventLoopGroup ?? MultiThreadedEventLoopGroup.singleton
        self.logger = logger
        self.shutdownTimeout = shutdownTimeout
        var loops: [any EventLoop] = []
        for loop in self.group.makeIterator() { loops.append(loop) }
        self.transport = BackendTransport(eventLoops: loops, options: configuration.http)
        self.resources = GatewayResources(eventLoopGroup: self.group)
        let endpoints = try PipelineBuilder(
            service: configuration,
            extensions: extensions,
            transport: transport,
            resources: resources,
            logger: logger
        ).build()
        self.router = try GatewayRouter(
            endpoints: endpoints,
            router: configuration.router,
            strippedHeaders: resources.strippedHeaders,
            file: configuration.fileName,
            cors: configuration.cors,
            debugEndpoint: configuration.debugEndpoint,
            echoEndpoint: configuration.echoEndpoint,
            logger: logger
        )
    }

    /// Binds the listening socket; returns the bound port (useful with port 0).
    @discardableResult
    public func start(host: String? = nil, port: Int? = nil) async throws -> Int {
        for task in resources.startupTasks { try await task() }
        let quiesce = ServerQuiescingHelper(group: group)
        var accessLog: Logger? = nil
        if !configuration.router.disableAccessLog {
            var log = Logger(label: "portico.access")
            log.logLevel = logger.logLevel
            accessLog = log
        }
        var handlerSettings = GatewayHTTPHandler.Settings(
            router: router,
            maxHeaderBytes: configuration.server.maxHeaderBytes,
            maxBodyBytes: configuration.http.maxBodyBytes,
            readTimeout: configuration.server.readTimeout?.timeAmount,
            accessLog: accessLog
        )
        handlerSettings.readHeaderTimeout = configuration.server.readHeaderTimeout?.timeAmount
        handlerSettings.skipLogPaths = Set(configuration.router.loggerSkipPaths.map { $0[...] })
        handlerSettings.writeTimeout = configuration.server.writeTimeout?.timeAmount
        let settings = handlerSettings
        let idleTimeout = (configuration.server.idleTimeout ?? .seconds(60)).timeAmount
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiesce.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(IdleStateHandler(readTimeout: idleTimeout))
                    // Request clocks (read_header_timeout / read_timeout) start at a request's first byte.
                    if settings.needsRequestStart { try sync.addHandler(RequestStartHandler()) }
                    try sync.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: false)
                    try sync.addHandler(GatewayHTTPHandler(settings: settings))
                }
            }
            .bind(host: host ?? configuration.listenAddress, port: port ?? configuration.port)
            .get()
        let background = resources.backgroundTasks.map { task in Task { await task.body() } }
        state.withLock { $0 = .running(channel, quiesce, background) }
        let bound = channel.localAddress?.port ?? port ?? configuration.port
        logger.info("Portico listening", metadata: ["address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        return bound
    }

    /// Stops accepting, lets in-flight requests finish (bounded by `shutdownTimeout`), closes backend pools.
    public func stop() async {
        let running: (any Channel, ServerQuiescingHelper, [Task<Void, Never>])? = state.withLock { state in
            defer { state = .stopped }
            if case .running(let channel, let quiesce, let tasks) = state { return (channel, quiesce, tasks) }
            return nil
        }
        guard let (channel, quiesce, background) = running else { return }
        let loop = channel.eventLoop
        let quiesced = loop.makePromise(of: Void.self)
        let done = loop.makePromise(of: Void.self)
        let completed = Atomic<Bool>(false)
        let complete: @Sendable () -> Void = {
            if completed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged {
                done.succeed()
            }
        }
        quiesced.futureResult.whenComplete { _ in complete() }
        quiesce.initiateShutdown(promise: quiesced)
        // In-flight requests that overrun the bound are not waited for: the process exits anyway.
        let timeout = loop.scheduleTask(in: shutdownTimeout.timeAmount) { complete() }
        try? await done.futureResult.get()
        timeout.cancel()
        for task in background { task.cancel() }
        // Awaited, not just cancelled: a task mid-way (a DNS refresh) must not touch the event loops after the
        // owner shuts them down. Each is bounded (cancelled sleeps return at once; lookups have timeouts).
        for task in background { await task.value }
        await transport.shutdown()
        for task in resources.shutdownTasks { await task() }
        logger.info("Portico stopped")
    }

    /// Serves until graceful shutdown is requested, then stops as `stop()` does.
    public func run() async throws {
        try await start()
        try? await gracefulShutdown()
        await stop()
    }
}
