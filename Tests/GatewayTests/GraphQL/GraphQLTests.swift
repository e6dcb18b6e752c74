import NIOCore
import Testing

@testable import Gateway

@Suite("GraphQL backend")
struct GraphQLTests {
    static let path = "endpoints[0].backend[0].extra_config[\"backend/graphql\"]"

    func configuration(_ value: ConfigValue, files: [String: String] = [:]) throws -> GraphQLConfiguration {
        try GraphQLConfiguration.read(value, at: Self.path, file: "conf/portico.json") { file in
            guard let text = files[file] else { throw TestFileMissing(path: file) }
            return text
        }
    }

    func problems(_ value: ConfigValue, files: [String: String] = [:]) -> [String] {
        do {
            _ = try configuration(value, files: files)
            return []
        } catch {
            return ((error as? ConfigurationError)?.problems ?? []).map { "\($0.path): \($0.message)" }
        }
    }

    static let userQuery = "query user($id: ID!) { user(id: $id) { id name } }"

    @Test("a query with a placeholder renders query, operationName and the route parameter, decoded")
    func queryBody() throws {
        let template = GraphQLRequestTemplate(
            try configuration([
                "type": "query", "query": .string(Self.userQuery), "operationName": "user",
                "variables": ["id": "{user_id}", "drafts": false, "filter": ["tag": "{not_a_placeholder}"]],
            ])
        )
        let body = try template.body(parameters: [("user_id", "ada%20lovelace")], body: nil)
        #expect(
            String(buffer: body)
                == #"{"query":"query user($id: ID!) { user(id: $id) { id name } }","operationName":"user","#
                + #""variables":{"id":"ada lovelace","drafts":false,"filter":{"tag":"{not_a_placeholder}"}}}"#
        )
    }

    @Test("a missing route parameter is an empty string, as in Lura")
    func missingParameter() throws {
        let template = GraphQLRequestTemplate(
            try configuration(["type": "query", "query": "{ me { id } }", "variables": ["id": "{user_id}"]])
        )
        let variables = try template.variables(parameters: [], body: nil)
        #expect(variables["id"] == .string(""))
    }

    @Test("a query without variables or operationName leaves them out (Go's omitempty), rendered once")
    func fixedBody() throws {
        let template = GraphQLRequestTemplate(try configuration(["type": "QUERY", "query": "{ me { id } }"]))
        let first = try template.body(parameters: [("id", "1")], body: ByteBuffer(string: #"{"ignored":1}"#))
        #expect(String(buffer: first) == #"{"query":"{ me { id } }"}"#)
    }

    @Test("strings are escaped: quotes, backslashes, newlines, control bytes and <>& as Go writes them")
    func escaping() throws {
        let query = "{ find(name: \"a\\\\b\") {\n\tname <x> & y } }"
        let template = GraphQLRequestTemplate(
            try configuration(["type": "query", "query": .string(query), "variables": ["raw": "{raw}"]])
        )
        let body = try template.body(parameters: [("raw", "quote%22and%01")], body: nil)
        #expect(
            String(buffer: body)
                == #"{"query":"{ find(name: \"a\\\\b\") {\n\tname \u003cx\u003e \u0026 y } }","#
                + #""variables":{"raw":"quote\"and\u0001"}}"#
        )
    }

    @Test("a mutation takes the client's variables and fills the gaps from the configuration")
    func mutationMerge() throws {
        let template = GraphQLRequestTemplate(
            try configuration([
                "type": "mutation", "query": "mutation add($user: ID!, $plan: String) { add }",
                "variables": ["user": "{user_id}", "plan": "free", "source": "gateway"],
            ])
        )
        let variables = try template.variables(
            parameters: [("user_id", "42")],
            body: ByteBuffer(string: #"{"plan":"pro","seats":3}"#)
        )
        #expect(Array(variables.keys) == ["plan", "seats", "user", "source"])
        #expect(variables["plan"] == .string("pro"))
        #expect(variables["seats"] == .number("3"))
        #expect(variables["user"] == .string("42"))
        #expect(variables["source"] == .string("gateway"))
        // No body: the configured variables alone.
        #expect(try template.variables(parameters: [("user_id", "42")], body: nil)["plan"] == .string("free"))
    }

    @Test("a mutation body that is not a JSON object fails the call", arguments: ["[1,2]", "{\"a\":", "42"])
    func mutationBadBody(body: String) throws {
        let template = GraphQLRequestTemplate(try configuration(["type": "mutation", "query": "mutation { x }"]))
        #expect(throws: GraphQLRequestError.self) {
            _ = try template.variables(parameters: [], body: ByteBuffer(string: body))
        }
    }

    @Test("GET sends operationName, query and variables in the query string, escaped as url.QueryEscape")
    func getQueryString() throws {
        let template = GraphQLRequestTemplate(
            try configuration([
                "type": "query", "method": "get", "query": "{ user(id: $id) { name } }", "operationName": "user",
                "variables": ["id": "{id}"],
            ])
        )
        let query = try template.queryString(parameters: [("id", "7")], body: nil)
        #expect(
            query
                == "operationName=user&query=%7B+user%28id%3A+%24id%29+%7B+name+%7D+%7D"
                + "&variables=%7B%22id%22%3A%227%22%7D"
        )
    }

    @Test("query_path is read from the working directory, else next to the configuration file")
    func queryPath() throws {
        let fromCWD = try configuration(
            ["type": "query", "query_path": "queries/user.graphql"],
            files: ["queries/user.graphql": "{ cwd }"]
        )
        #expect(fromCWD.query == "{ cwd }")
        let beside = try configuration(
            ["type": "query", "query_path": "queries/user.graphql"],
            files: ["conf/queries/user.graphql": "{ beside }"]
        )
        #expect(beside.query == "{ beside }")
    }

    @Test(
        "invalid configurations name the path",
        arguments: [
            (
                ["query": "{ a }"],
                #"\#(path).type: required key is missing; expected "query" or "mutation""#
            ),
            (
                ["type": "subscription", "query": "{ a }"],
                #"\#(path).type: expected "query" or "mutation", got "subscription""#
            ),
            (
                ["type": "query"],
                #"\#(path): expected "query" (an inline document) or "query_path" (a file), got neither"#
            ),
            (
                ["type": "query", "query": "{ a }", "query_path": "a.graphql"],
                #"\#(path): expected either "query" or "query_path", got both"#
            ),
            (
                ["type": "query", "query": "{ a }", "method": "PUT"],
                #"\#(path).method: expected "POST" or "GET", got "PUT""#
            ),
            (
                ["type": "query", "query": "{ a }", "variables": [1]],
                #"\#(path).variables: expected an object, got [1]"#
            ),
            (["type": "query", "query": 5], #"\#(path).query: expected a string, got 5"#),
            (["type": "query", "query": "   "], #"\#(path).query: the query is empty"#),
        ] as [(ConfigValue, String)]
    )
    func invalid(value: ConfigValue, expected: String) {
        #expect(problems(value).contains(expected), "\(problems(value))")
    }

    @Test("an unreadable query_path is a start-up error naming the key")
    func unreadableFile() {
        let found = problems(["type": "query", "query_path": "missing.graphql"])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix(#"\#(Self.path).query_path: cannot read "missing.graphql""#) == true)
    }
}

private struct TestFileMissing: Error {
    var path: String
}
