import NIOCore
import NIOHTTP1

/// The `backend/graphql` stage: rewrites the backend request into a GraphQL request (Lura's
/// `NewGraphQLMiddleware`), innermost in the backend chain so guards (limiter, breaker) see the call unchanged.
///
/// `POST`: the body becomes `{"query","operationName","variables"}` with `Content-Type: application/json`.
/// `GET`: the body is dropped and `operationName`, `query`, `variables` are appended to the URL's query string.
/// A mutation reads the client's body first (collected up to `portico/http.max_body_bytes`). Per call it allocates
/// the variables copy and the body buffer (or the query string), except for a query without placeholders sent by
/// `POST`, whose body was rendered at start-up.
struct GraphQLMiddleware: BackendMiddleware {
    let template: GraphQLRequestTemplate
    /// The most client body bytes a mutation reads.
    let maxBodyBytes: Int

    /// Builds the stage from its context; configuration problems (and an unreadable `query_path`) name the path.
    static func make(_ context: StageContext) throws -> GraphQLMiddleware? {
        let configuration = try GraphQLConfiguration.read(
            context.value,
            at: context.path,
            file: context.service.fileName
        )
        if let backend = context.backend, backend.encoding == .noop {
            // KrakenD documents the namespace as incompatible with no-op; the rewrite still happens, say so once.
            context.logger.warning(
                "\(context.path): the backend's encoding is \"no-op\"; the GraphQL answer is passed through as is"
            )
        }
        return GraphQLMiddleware(
            template: GraphQLRequestTemplate(configuration),
            maxBodyBytes: context.service.http.maxBodyBytes
        )
    }

    func handle(_ request: BackendRequest, next: @escaping BackendHandler) -> EventLoopFuture<BackendResponse> {
        guard template.configuration.type == .mutation else {
            // A query ignores the client's body; a stream nobody reads is released now.
            request.body.discard()
            return rewritten(request, clientBody: nil, next: next)
        }
        let eventLoop = request.eventLoop
        return request.body.collect(max: maxBodyBytes, on: eventLoop).flatMap { body in
            self.rewritten(request, clientBody: body.buffer, next: next)
        }
    }

    private func rewritten(
        _ request: BackendRequest,
        clientBody: ByteBuffer?,
        next: @escaping BackendHandler
    ) -> EventLoopFuture<BackendResponse> {
        var request = request
        do {
            try rewrite(&request, clientBody: clientBody)
        } catch {
            return request.eventLoop.makeFailedFuture(error)
        }
        return next(request)
    }

    /// Applies the GraphQL rendering to `request` (method, body or query string, body headers).
    func rewrite(_ request: inout BackendRequest, clientBody: ByteBuffer?) throws(GraphQLRequestError) {
        let configuration = template.configuration
        switch configuration.method {
        case .GET:
            let query = try template.queryString(parameters: request.parameters, body: clientBody)
            request.uri += (request.uri.contains("?") ? "&" : "?") + query
            request.body = .none
            request.headers.remove(name: "Content-Length")
            request.headers.remove(name: "Content-Type")
        default:
            request.body = .buffered(try template.body(parameters: request.parameters, body: clientBody))
            request.headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            // The transport frames the new body itself.
            request.headers.remove(name: "Content-Length")
            request.headers.remove(name: "Transfer-Encoding")
        }
        request.method = configuration.method
    }
}
