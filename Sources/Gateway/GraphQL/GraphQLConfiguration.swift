import Foundation
import NIOHTTP1

/// `backend/graphql`: the backend is a GraphQL server; the REST call becomes a GraphQL request (Lura's
/// `proxy/graphql.go` and `transport/http/client/graphql`).
///
/// ```json
/// "extra_config": {
///   "backend/graphql": {
///     "type": "query",
///     "query": "query user($id: ID!) { user(id: $id) { id name } }",
///     "variables": { "id": "{id}", "includeDrafts": false },
///     "operationName": "user",
///     "method": "POST"
///   }
/// }
/// ```
///
/// - `type` (required): `query` or `mutation` (case-insensitive, as Lura lower-cases it).
/// - `query` or `query_path` (exactly one): the inline document, or a file read once at start-up. A relative
///   `query_path` is read from the working directory, as KrakenD does; when no such file exists there, Portico also
///   tries the configuration file's directory.
/// - `variables` (default `{}`): sent as the GraphQL `variables`. A top-level string value written `"{name}"` is
///   replaced by the endpoint's route parameter `name` (percent-decoded; an empty string when the route lacks it,
///   as in Lura). Nested values are sent as written.
/// - `operationName` (default none): sent when not empty.
/// - `method` (default `POST`): `POST` sends `{"query","operationName","variables"}` as a JSON body; `GET` sends
///   them as query-string parameters. Lura turns any other value into `POST`; Portico rejects it.
///
/// For a `mutation`, the client's JSON body (an object) supplies the variables and the configured ones fill the
/// keys it lacks (the client wins on collisions, as KrakenD documents).
struct GraphQLConfiguration: Sendable, Equatable {
    /// The namespace string, as in KrakenD.
    static let namespace = "backend/graphql"
    /// Every key the namespace reads.
    static let knownKeys: Set<String> = ["type", "query", "query_path", "variables", "operationName", "method"]

    /// The GraphQL operation type.
    enum OperationType: String, Sendable, Equatable {
        /// `query`: variables come from the configuration and the route parameters.
        case query
        /// `mutation`: variables come from the client's JSON body, then the configuration.
        case mutation
    }

    /// `type`.
    var type: OperationType
    /// The GraphQL document (`query`, or the contents of `query_path`).
    var query: String
    /// `variables`, in file order.
    var variables: JSONObject
    /// `operationName`; nil when absent or empty.
    var operationName: String?
    /// `method`: `POST` (JSON body) or `GET` (query string).
    var method: HTTPMethod

    /// Reads and validates the namespace's value; every problem names its JSON path.
    ///
    /// - Parameters:
    ///   - value: the namespace's value as written.
    ///   - path: its JSON path, e.g. `endpoints[0].backend[0].extra_config["backend/graphql"]`.
    ///   - file: the configuration file, for messages and to resolve a relative `query_path`.
    ///   - readFile: reads a file's text (injected by tests).
    static func read(
        _ value: ConfigValue,
        at path: String,
        file: String,
        readFile: (String) throws -> String = { try String(contentsOfFile: $0, encoding: .utf8) }
    ) throws(ConfigurationError) -> GraphQLConfiguration {
        var problems: [ConfigurationProblem] = []
        func problem(_ at: String, _ message: String) {
            problems.append(ConfigurationProblem(file: file, path: at, message: message))
        }
        guard case .object(let object) = value else {
            throw ConfigurationError(
                file: file,
                path: path,
                message: "expected an object, got \(value.renderedForMessage())"
            )
        }
        for key in object.keys where !knownKeys.contains(key) {
            problem(
                ConfigurationPath.member(path, key),
                "unknown key (known: \(knownKeys.sorted().joined(separator: ", ")))"
            )
        }

        var type = OperationType.query
        let typePath = ConfigurationPath.member(path, "type")
        switch object["type"] {
        case .string(let text):
            if let parsed = OperationType(rawValue: text.lowercased()) {
                type = parsed
            } else {
                problem(typePath, "expected \"query\" or \"mutation\", got \(ConfigValue.quoted(text))")
            }
        case nil, .null:
            problem(typePath, "required key is missing; expected \"query\" or \"mutation\"")
        case let other?:
            problem(typePath, "expected \"query\" or \"mutation\", got \(other.renderedForMessage())")
        }

        var query = ""
        let inline = stringMember(object, "query", at: path, problem: problem)
        let queryPath = stringMember(object, "query_path", at: path, problem: problem)
        switch (inline, queryPath) {
        case (let inline?, nil):
            query = inline
        case (nil, let queryFile?):
            do {
                query = try readQuery(queryFile, configurationFile: fileDirectory(file), readFile)
            } catch {
                problem(
                    ConfigurationPath.member(path, "query_path"),
                    "cannot read \(ConfigValue.quoted(queryFile)): \(error)"
                )
            }
        case (.some, .some):
            problem(path, "expected either \"query\" or \"query_path\", got both")
        case (nil, nil):
            if object["query"] == nil && object["query_path"] == nil {
                problem(path, "expected \"query\" (an inline document) or \"query_path\" (a file), got neither")
            }
        }
        if inline != nil || queryPath != nil, query.allSatisfy(\.isWhitespace), problems.isEmpty {
            problem(ConfigurationPath.member(path, queryPath == nil ? "query" : "query_path"), "the query is empty")
        }

        var variables = JSONObject()
        switch object["variables"] {
        case nil, .null: break
        case .object(let members): variables = JSONObject(members.map { (key: $0.key, value: JSONValue($0.value)) })
        case let other?:
            problem(
                ConfigurationPath.member(path, "variables"),
                "expected an object, got \(other.renderedForMessage())"
            )
        }

        let operationName = stringMember(object, "operationName", at: path, problem: problem)

        var method = HTTPMethod.POST
        if let text = stringMember(object, "method", at: path, problem: problem) {
            switch text.uppercased() {
            case "POST": method = .POST
            case "GET": method = .GET
            default:
                problem(
                    ConfigurationPath.member(path, "method"),
                    "expected \"POST\" or \"GET\", got \(ConfigValue.quoted(text))"
                )
            }
        }

        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        return GraphQLConfiguration(
            type: type,
            query: query,
            variables: variables,
            operationName: operationName.flatMap { $0.isEmpty ? nil : $0 },
            method: method
        )
    }

    /// A string member, or nil when absent (a problem when it is not a string).
    private static func stringMember(
        _ object: ConfigObject,
        _ key: String,
        at path: String,
        problem: (String, String) -> Void
    ) -> String? {
        switch object[key] {
        case nil, .null: return nil
        case .string(let text): return text
        case let other?:
            problem(ConfigurationPath.member(path, key), "expected a string, got \(other.renderedForMessage())")
            return nil
        }
    }

    /// Reads `path` as KrakenD does (relative to the working directory), falling back to the configuration file's
    /// directory for a relative path that does not exist in the working directory.
    private static func readQuery(
        _ path: String,
        configurationFile directory: String,
        _ readFile: (String) throws -> String
    ) throws -> String {
        do {
            return try readFile(path)
        } catch {
            guard !path.hasPrefix("/"), !directory.isEmpty else { throw error }
            let alternative = directory + "/" + path
            guard let text = try? readFile(alternative) else { throw error }
            return text
        }
    }

    /// The directory part of a file path; empty for a bare file name.
    private static func fileDirectory(_ file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "" }
        return String(file[..<slash])
    }
}
