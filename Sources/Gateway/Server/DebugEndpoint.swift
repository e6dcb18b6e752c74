import Logging
import NIOCore
import NIOHTTP1

/// `debug_endpoint`: `/__debug/*` for any method logs the request it received (at debug level) and answers
/// `{"message":"pong"}`, as Lura's gin `DebugHandler` — a backend stand-in for trying a configuration out.
struct DebugEndpoint: Sendable {
    /// The path prefix Lura reserves; no endpoint may use it (see `ConfigurationReader.checkRoutes`).
    static let prefix = "/__debug"

    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Logs `request` (reading its body, up to `EchoEndpoint.maxBodyBytes`) and answers pong.
    func respond(to request: GatewayRequest) -> EventLoopFuture<GatewayResponse> {
        let logger = logger
        return request.body.collect(max: EchoEndpoint.maxBodyBytes, on: request.eventLoop).map { body in
            // Lura logs each part on its own line under "[ENDPOINT: /__debug/*]"; built only when debug is on.
            if logger.logLevel <= .debug {
                let prefix = "[ENDPOINT: /__debug/*]"
                logger.debug("\(prefix) Method: \(request.method.rawValue)")
                logger.debug("\(prefix) URL: \(request.uri)")
                logger.debug("\(prefix) Query: \(request.query)")
                logger.debug("\(prefix) Headers: \(request.headers.map { "\($0.name): \($0.value)" })")
                logger.debug("\(prefix) Body: \(body.buffer.map { String(buffer: $0) } ?? "")")
            }
            return .make(status: .ok, contentType: "application/json; charset=utf-8", text: #"{"message":"pong"}"#)
        }.recover { _ in .make(status: .payloadTooLarge) }
    }
}
