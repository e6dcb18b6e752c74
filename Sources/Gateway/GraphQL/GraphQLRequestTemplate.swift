import NIOCore

/// A `backend/graphql` configuration compiled once: renders the GraphQL request for one call.
///
/// Query operations without placeholders render their body once at start-up and reuse it (no allocation per
/// call). Otherwise a call builds the variables object (one `JSONObject` copy) and one output buffer.
struct GraphQLRequestTemplate: Sendable {
    let configuration: GraphQLConfiguration
    /// Top-level variables written `"{param}"`: the variable's key and the route parameter's name.
    let placeholders: [(variable: String, parameter: String)]
    /// The body of a query operation without placeholders, rendered once.
    private let fixedBody: ByteBuffer?

    init(_ configuration: GraphQLConfiguration) {
        self.configuration = configuration
        var placeholders: [(variable: String, parameter: String)] = []
        for (key, value) in configuration.variables {
            // Lura's rule: a string whose first byte is `{` and last is `}` names a parameter; nested values never do.
            guard case .string(let text) = value, text.utf8.count > 2, text.utf8.first == UInt8(ascii: "{"),
                text.utf8.last == UInt8(ascii: "}")
            else { continue }
            placeholders.append((key, String(text.dropFirst().dropLast())))
        }
        self.placeholders = placeholders
        if configuration.type == .query, placeholders.isEmpty {
            self.fixedBody = Self.renderBody(
                query: configuration.query,
                operationName: configuration.operationName,
                variables: configuration.variables
            )
        } else {
            self.fixedBody = nil
        }
    }

    /// The variables for one call.
    ///
    /// - Parameters:
    ///   - parameters: the route's parameters (raw, percent-decoded here).
    ///   - body: the client's body; read for mutations only.
    /// - Throws: `GraphQLRequestError` when a mutation's body is not a JSON object.
    func variables(
        parameters: [(name: String, value: Substring)],
        body: ByteBuffer?
    ) throws(GraphQLRequestError) -> JSONObject {
        var configured = configuration.variables
        for placeholder in placeholders {
            // A parameter the route lacks is an empty string, as Lura reads a missing map key.
            let raw = parameters.first { $0.name == placeholder.parameter }?.value ?? ""
            configured[placeholder.variable] = .string(Self.percentDecoded(raw))
        }
        guard configuration.type == .mutation else { return configured }
        // Lura fails the call on an empty body (a JSON syntax error); Portico reads it as no client variables.
        guard let body, body.readableBytes > 0 else { return configured }
        let parsed: JSONValue
        do {
            parsed = try JSONValue(parsing: body)
        } catch {
            throw GraphQLRequestError(reason: "the request body is not valid JSON (\(error))")
        }
        guard case .object(var variables) = parsed else {
            throw GraphQLRequestError(reason: "the request body must be a JSON object of GraphQL variables")
        }
        // The client's variables win; the configured ones fill the gaps (KrakenD: "the user variables take
        // preference"). Lura sends mutation placeholders unreplaced; Portico fills them, as KrakenD's docs describe.
        for (key, value) in configured where variables[key] == nil {
            variables[key] = value
        }
        return variables
    }

    /// The JSON body `{"query","operationName","variables"}` for `POST`; operationName and variables are left out
    /// when empty (Go's `omitempty`).
    func body(
        parameters: [(name: String, value: Substring)],
        body: ByteBuffer?
    ) throws(GraphQLRequestError)
        -> ByteBuffer
    {
        if let fixedBody { return fixedBody }
        let variables = try variables(parameters: parameters, body: body)
        return Self.renderBody(
            query: configuration.query,
            operationName: configuration.operationName,
            variables: variables
        )
    }

    /// The query string (`operationName`, `query`, `variables`, sorted by name as Go's `url.Values.Encode` writes
    /// them) for `GET`, without a leading `?`.
    func queryString(
        parameters: [(name: String, value: Substring)],
        body: ByteBuffer?
    ) throws(GraphQLRequestError)
        -> String
    {
        let variables = try variables(parameters: parameters, body: body)
        var output = ""
        if let operationName = configuration.operationName {
            output += "operationName=" + RoutePath.queryEscape(operationName) + "&"
        }
        output += "query=" + RoutePath.queryEscape(configuration.query)
        if !variables.isEmpty {
            output += "&variables=" + RoutePath.queryEscape(JSONValue.object(variables).jsonText)
        }
        return output
    }

    static func renderBody(query: String, operationName: String?, variables: JSONObject) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: query.utf8.count + 64)
        buffer.writeStaticString("{\"query\":")
        JSONValue.writeString(query, into: &buffer)
        if let operationName {
            buffer.writeStaticString(",\"operationName\":")
            JSONValue.writeString(operationName, into: &buffer)
        }
        if !variables.isEmpty {
            buffer.writeStaticString(",\"variables\":")
            JSONValue.object(variables).write(into: &buffer)
        }
        buffer.writeInteger(UInt8(ascii: "}"))
        return buffer
    }

    /// `%XX` sequences decoded (a malformed one is kept as written); the route's raw value otherwise.
    static func percentDecoded(_ raw: Substring) -> String {
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return String(raw) }
        var bytes: [UInt8] = []
        var iterator = Array(raw.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = JSONStringUnescaper.hexValue(iterator[iterator.startIndex]),
                let low = JSONStringUnescaper.hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
