public import Gateway
public import NIOCore
import NIOHTTP1

/// An example Portico extension: adds fixed headers to backend requests and to responses.
///
/// It lives in its own module and uses only `Gateway`'s public API — exactly what a user's own Swift package
/// does to add a feature without forking Portico. Configure it on an endpoint:
///
/// ```json
/// "extra_config": {
///   "example/header-injection": {
///     "request_headers": { "X-Tenant": "acme" },
///     "response_headers": { "X-Served-By": "portico" }
///   }
/// }
/// ```
/// Both keys default to no headers.
public struct HeaderInjectionConfiguration: Decodable, Sendable, Equatable {
    /// The namespace this extension reads.
    public static let namespace = "example/header-injection"
    /// Headers added to every backend request of the endpoint (default none).
    public var requestHeaders: [String: String]
    /// Headers added to the endpoint's responses (default none).
    public var responseHeaders: [String: String]

    enum CodingKeys: String, CodingKey {
        case requestHeaders = "request_headers"
        case responseHeaders = "response_headers"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requestHeaders = try container.decodeIfPresent([String: String].self, forKey: .requestHeaders) ?? [:]
        responseHeaders = try container.decodeIfPresent([String: String].self, forKey: .responseHeaders) ?? [:]
    }
}

/// The endpoint stage that injects the configured headers.
public struct HeaderInjectionMiddleware: EndpointMiddleware {
    let requestHeaders: [(String, String)]
    let responseHeaders: [(String, String)]

    /// Builds the stage from its decoded configuration (headers sorted by name for a stable order).
    public init(configuration: HeaderInjectionConfiguration) {
        requestHeaders = configuration.requestHeaders.sorted { $0.key < $1.key }
        responseHeaders = configuration.responseHeaders.sorted { $0.key < $1.key }
    }

    public func handle(_ request: GatewayRequest, next: @escaping EndpointHandler) -> EventLoopFuture<GatewayResponse> {
        var request = request
        for (name, value) in requestHeaders { request.backendHeaders.replaceOrAdd(name: name, value: value) }
        for (name, value) in responseHeaders { request.responseHeaders.replaceOrAdd(name: name, value: value) }
        return next(request)
    }
}

extension GatewayExtensions {
    /// Registers the header-injection example stage.
    public mutating func registerHeaderInjection() {
        registerEndpointStage(namespace: HeaderInjectionConfiguration.namespace) { context in
            HeaderInjectionMiddleware(configuration: try context.decode(HeaderInjectionConfiguration.self))
        }
    }
}
