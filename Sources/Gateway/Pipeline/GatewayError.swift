public import NIOHTTP1

/// Why a request failed, carrying its HTTP meaning to the edge; internals stay in the log.
public enum GatewayError: Error, Sendable, CustomStringConvertible {
    /// A backend answered with a status other than 200/201 (or broke the protocol).
    case backendStatus(Int, backend: String)
    /// A backend could not be reached or the connection broke.
    case backendUnreachable(String, backend: String)
    /// A backend body was not valid for its encoding (e.g. invalid JSON).
    case invalidBackendBody(String, backend: String)
    /// A backend body exceeded `portico/http.max_backend_response_bytes`.
    case backendResponseTooLarge(limit: Int, backend: String)
    /// The endpoint `timeout` elapsed.
    case timeout(String)
    /// The backend is deliberately not called right now (open breaker, rate limit).
    case unavailable(String, backend: String)

    public var description: String {
        switch self {
        case .backendStatus(let status, let backend): "backend \(backend) answered with status \(status)"
        case .backendUnreachable(let reason, let backend): "backend \(backend) unreachable: \(reason)"
        case .invalidBackendBody(let reason, let backend): "backend \(backend) sent an invalid body: \(reason)"
        case .backendResponseTooLarge(let limit, let backend):
            "backend \(backend) response exceeded \(limit) bytes"
        case .timeout(let what): "timeout: \(what)"
        case .unavailable(let reason, let backend): "backend \(backend) unavailable: \(reason)"
        }
    }

    /// The status this error answers with when it is the request's only outcome.
    public func status(mode: StatusCodeMode) -> HTTPResponseStatus {
        // KrakenD answers 500 for every proxy failure; Portico's precise mode tells the causes apart.
        guard mode == .precise else { return .internalServerError }
        switch self {
        case .timeout: return .gatewayTimeout
        case .unavailable: return .serviceUnavailable
        case .backendStatus, .backendUnreachable, .invalidBackendBody, .backendResponseTooLarge: return .badGateway
        }
    }
}
