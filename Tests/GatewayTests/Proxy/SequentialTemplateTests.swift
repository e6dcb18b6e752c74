import NIOCore
import Testing

@testable import Gateway

@Suite("Sequential URL templates")
struct SequentialTemplateTests {
    private static let userResponse = ByteBuffer(
        string: #"{"id":7,"name":"Ada Lovelace","score":1.50,"vip":false,"tags":["a","b c"],"none":null,"#
            + #""account":{"number":"x/1"},"empty":[]}"#
    )

    @Test(arguments: [
        ("/accounts/{resp0_id}", "/accounts/7"),
        ("/accounts/{resp0_name}", "/accounts/Ada%20Lovelace"),
        ("/accounts/{resp0_score}", "/accounts/1.50"),
        ("/accounts/{resp0_vip}", "/accounts/false"),
        ("/accounts/{resp0_tags}", "/accounts/a,b%20c"),
        ("/accounts/{resp0_none}", "/accounts/%3Cnil%3E"),
        ("/accounts/{resp0_account.number}", "/accounts/x/1"),
        ("/accounts/{resp0_empty}", "/accounts/"),
        ("/accounts/{resp0_missing}", "/accounts/%7B%7B.Resp0_missing%7D%7D"),
        ("/accounts/{resp0_account}", "/accounts/%7B%7B.Resp0_account%7D%7D"),
        ("/users/{id}/accounts/{resp0_id}?q={resp0_vip}", "/users/3/accounts/7?q=false"),
    ])
    func rendersResponseValues(pattern: String, expected: String) throws {
        let template = try URLTemplate(pattern, routeParameters: ["id"], sequentialIndex: 1)
        #expect(template.readsResponses)
        let uri = template.render(
            parameters: [(name: "id", value: "3")],
            query: "",
            responses: [Self.userResponse]
        )
        #expect(uri == expected)
    }

    @Test func laterBackendsCannotBeReferenced() {
        #expect(throws: URLTemplateError.self) {
            try URLTemplate("/a/{resp1_id}", routeParameters: [], sequentialIndex: 1)
        }
        #expect(throws: URLTemplateError.self) {
            try URLTemplate("/a/{resp0_id}", routeParameters: [], sequentialIndex: 0)
        }
    }

    @Test func nonSequentialEndpointsKeepThePlaceholderLiteral() throws {
        let template = try URLTemplate("/a/{resp0_id}", routeParameters: [], sequentialIndex: nil)
        #expect(!template.readsResponses)
        #expect(template.render(parameters: [], query: "") == "/a/%7B%7B.Resp0_id%7D%7D")
    }

    @Test(arguments: [
        ("resp0_id", false, 0, "id"),
        ("resp12_user.id", false, 12, "user.id"),
        ("resp3", true, 3, ""),
    ])
    func parsesReferences(name: String, allowWhole: Bool, backend: Int, field: String) throws {
        let reference = try #require(URLTemplate.responseReference(name, allowWhole: allowWhole))
        #expect(reference.backend == backend)
        #expect(reference.field == field)
    }

    @Test(arguments: ["resp", "resp_id", "respx_id", "resp0_", "resp3", "user"])
    func rejectsNonReferences(name: String) {
        #expect(URLTemplate.responseReference(name, allowWhole: false) == nil)
    }
}
