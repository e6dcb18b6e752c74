import Gateway
import Testing

/// One backend configuration, one body, the exact expected body.
struct ManipulationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var target: String? = nil
    var allow: [String] = []
    var deny: [String] = []
    var mapping: [(from: String, to: String)] = []
    var group: String? = nil
    var isCollection = false
    var input: String
    var expected: String

    var testDescription: String { self.name }

    var manipulation: ResponseManipulation {
        ResponseManipulation(
            target: self.target,
            allow: self.allow,
            deny: self.deny,
            mapping: self.mapping,
            group: self.group,
            isCollection: self.isCollection
        )
    }
}

@Suite("ResponseManipulation")
struct ResponseManipulationTests {
    static let user = #"{"id":1,"name":"Ada","address":{"city":"Paris","zip":"75001"}}"#
    static let order = #"{"order":{"customer":{"email":"ada@example.com","phone":"+44"},"total":30},"status":"paid"}"#

    static let identityCases: [ManipulationCase] = [
        ManipulationCase(
            name: "identity copies the object's bytes, whitespace inside included",
            input: " \n{\"name\": \"Ada\" , \"scores\":[1, 2.50]}\t",
            expected: "{\"name\": \"Ada\" , \"scores\":[1, 2.50]}"
        ),
        ManipulationCase(
            name: "identity collapses a repeated top-level key, last value wins",
            input: #"{"id":1,"name":"Ada","id":2}"#,
            expected: #"{"id":2,"name":"Ada"}"#
        ),
        ManipulationCase(
            name: "identity treats escaped and plain spellings of a key as one key",
            input: #"{"id":1,"\u0069d":2}"#,
            expected: #"{"\u0069d":2}"#
        ),
        ManipulationCase(name: "identity keeps an empty object", input: "{ }", expected: "{ }"),
    ]

    static let collectionAndTargetCases: [ManipulationCase] = [
        ManipulationCase(
            name: "is_collection wraps the array",
            isCollection: true,
            input: #" [1,{"id":2}] "#,
            expected: #"{"collection":[1,{"id":2}]}"#
        ),
        ManipulationCase(
            name: "target extracts an object",
            target: "data",
            input: #"{"data":{"id":1,"name":"Ada"},"meta":2}"#,
            expected: #"{"id":1,"name":"Ada"}"#
        ),
        ManipulationCase(
            name: "target follows a dot path",
            target: "data.user",
            input: #"{"data":{"user":{"id":7},"page":1}}"#,
            expected: #"{"id":7}"#
        ),
        ManipulationCase(
            name: "missing target gives an empty object",
            target: "data",
            input: #"{"meta":2}"#,
            expected: "{}"
        ),
        ManipulationCase(
            name: "target that is not an object gives an empty object",
            target: "data",
            input: #"{"data":[1,2]}"#,
            expected: "{}"
        ),
        ManipulationCase(
            name: "target path through a non-object gives an empty object",
            target: "data.user",
            input: #"{"data":5}"#,
            expected: "{}"
        ),
        ManipulationCase(
            name: "target inside a copied value takes the last of repeated keys",
            target: "data.user",
            input: #"{"data":{"user":{"id":1},"user":{"id":2}}}"#,
            expected: #"{"id":2}"#
        ),
        ManipulationCase(
            name: "target collection of an is_collection backend is an array, so empty",
            target: "collection",
            isCollection: true,
            input: "[1]",
            expected: "{}"
        ),
        ManipulationCase(
            name: "empty target string means no target",
            target: "",
            group: "",
            input: #"{"id":1}"#,
            expected: #"{"id":1}"#
        ),
    ]

    static let filterCases: [ManipulationCase] = [
        ManipulationCase(
            name: "allow keeps listed members in source order",
            allow: ["name", "id"],
            input: Self.user,
            expected: #"{"id":1,"name":"Ada"}"#
        ),
        ManipulationCase(
            name: "allow with a nested path keeps only that member of the parent",
            allow: ["address.city"],
            input: Self.user,
            expected: #"{"address":{"city":"Paris"}}"#
        ),
        ManipulationCase(
            name: "allow drops a parent whose nested allowed members are absent",
            allow: ["address.country"],
            input: Self.user,
            expected: "{}"
        ),
        ManipulationCase(
            name: "allow drops a nested path's parent that is not an object",
            allow: ["address.city"],
            input: #"{"address":"Main Street"}"#,
            expected: "{}"
        ),
        ManipulationCase(
            name: "allow of a parent covers a nested path listed after it",
            allow: ["address", "address.city"],
            input: Self.user,
            expected: #"{"address":{"city":"Paris","zip":"75001"}}"#
        ),
        ManipulationCase(
            name: "allow of a parent covers a nested path listed before it",
            allow: ["address.city", "address"],
            input: Self.user,
            expected: #"{"address":{"city":"Paris","zip":"75001"}}"#
        ),
        ManipulationCase(
            name: "allow three levels deep",
            allow: ["order.customer.email"],
            input: Self.order,
            expected: #"{"order":{"customer":{"email":"ada@example.com"}}}"#
        ),
        ManipulationCase(
            name: "allow does not enter arrays",
            allow: ["items.id"],
            input: #"{"items":[{"id":1}]}"#,
            expected: "{}"
        ),
        ManipulationCase(
            name: "allow wins over deny",
            allow: ["id"],
            deny: ["id"],
            input: Self.user,
            expected: #"{"id":1}"#
        ),
        ManipulationCase(
            name: "allow matching nothing gives an empty object",
            allow: ["missing"],
            input: Self.user,
            expected: "{}"
        ),
        ManipulationCase(
            name: "allow matches escaped keys and copies them as written",
            allow: ["id", "café"],
            input: #"{"\u0069d":1,"name":"Ada","caf\u00e9":3}"#,
            expected: #"{"\u0069d":1,"caf\u00e9":3}"#
        ),
        ManipulationCase(
            name: "deny removes listed members",
            deny: ["name", "missing"],
            input: Self.user,
            expected: #"{"id":1,"address":{"city":"Paris","zip":"75001"}}"#
        ),
        ManipulationCase(
            name: "deny with a nested path",
            deny: ["address.zip"],
            input: Self.user,
            expected: #"{"id":1,"name":"Ada","address":{"city":"Paris"}}"#
        ),
        ManipulationCase(
            name: "deny leaves an emptied parent as an empty object",
            deny: ["address.zip"],
            input: #"{"address":{"zip":"1"}}"#,
            expected: #"{"address":{}}"#
        ),
        ManipulationCase(
            name: "deny ignores a nested path through a non-object",
            deny: ["address.zip"],
            input: #"{"address":"Main Street"}"#,
            expected: #"{"address":"Main Street"}"#
        ),
        ManipulationCase(
            name: "deny three levels deep",
            deny: ["order.customer.email"],
            input: Self.order,
            expected: #"{"order":{"customer":{"phone":"+44"},"total":30},"status":"paid"}"#
        ),
        ManipulationCase(
            name: "deny of a parent covers a nested path, in either order",
            deny: ["order.customer", "order"],
            input: Self.order,
            expected: #"{"status":"paid"}"#
        ),
        ManipulationCase(
            name: "deny de-duplicates nested keys it rebuilds, last wins",
            deny: ["address.zip"],
            input: #"{"address":{"city":"Paris","zip":"75001","city":"Lyon"}}"#,
            expected: #"{"address":{"city":"Lyon"}}"#
        ),
    ]

    static let mappingAndGroupCases: [ManipulationCase] = [
        ManipulationCase(
            name: "mapping renames in place",
            mapping: [("id", "user_id")],
            input: #"{"id":1,"name":"Ada"}"#,
            expected: #"{"user_id":1,"name":"Ada"}"#
        ),
        ManipulationCase(
            name: "mapping of a missing key is not an error",
            mapping: [("missing", "other")],
            input: #"{"id":1}"#,
            expected: #"{"id":1}"#
        ),
        ManipulationCase(
            name: "mapping cuts the new name at its first dot",
            mapping: [("id", "user.id")],
            input: #"{"id":1}"#,
            expected: #"{"user":1}"#
        ),
        ManipulationCase(
            name: "mapping source is a literal top-level key, dots included",
            mapping: [("user.id", "uid")],
            input: #"{"user.id":1,"user":{"id":2}}"#,
            expected: #"{"uid":1,"user":{"id":2}}"#
        ),
        ManipulationCase(
            name: "mapping onto an existing key: the renamed value wins",
            mapping: [("id", "user_id")],
            input: #"{"id":1,"user_id":2}"#,
            expected: #"{"user_id":1}"#
        ),
        ManipulationCase(
            name: "mapping onto an existing earlier key: the renamed value still wins",
            mapping: [("id", "user_id")],
            input: #"{"user_id":2,"id":1}"#,
            expected: #"{"user_id":1}"#
        ),
        ManipulationCase(
            name: "two mappings onto one name: the later mapping wins",
            mapping: [("id", "key"), ("uuid", "key")],
            input: #"{"id":1,"uuid":2}"#,
            expected: #"{"key":2}"#
        ),
        ManipulationCase(
            name: "two mappings onto one name, other order",
            mapping: [("uuid", "key"), ("id", "key")],
            input: #"{"id":1,"uuid":2}"#,
            expected: #"{"key":1}"#
        ),
        ManipulationCase(
            name: "mappings are simultaneous, so a swap swaps",
            mapping: [("first", "last"), ("last", "first")],
            input: #"{"first":"Ada","last":"Lovelace"}"#,
            expected: #"{"last":"Ada","first":"Lovelace"}"#
        ),
        ManipulationCase(
            name: "mapping writes a new name as an escaped JSON string",
            mapping: [("id", "say \"hi\"\n")],
            input: #"{"id":1}"#,
            expected: #"{"say \"hi\"\n":1}"#
        ),
        ManipulationCase(
            name: "group wraps the object",
            group: "user",
            input: #"{"id":1}"#,
            expected: #"{"user":{"id":1}}"#
        ),
        ManipulationCase(
            name: "group wraps an emptied object",
            allow: ["missing"],
            group: "user",
            input: #"{"id":1}"#,
            expected: #"{"user":{}}"#
        ),
        ManipulationCase(
            name: "group wraps a collection",
            group: "items",
            isCollection: true,
            input: "[1]",
            expected: #"{"items":{"collection":[1]}}"#
        ),
    ]

    static let combinedCases: [ManipulationCase] = [
        ManipulationCase(
            name: "target, then allow, then mapping, then group",
            target: "data",
            allow: ["id", "address.city"],
            mapping: [("id", "user_id")],
            group: "user",
            input: #"{"data":{"id":1,"secret":"s","address":{"city":"P","zip":"Z"}},"meta":{}}"#,
            expected: #"{"user":{"user_id":1,"address":{"city":"P"}}}"#
        ),
        ManipulationCase(
            name: "allow paths are relative to the target",
            target: "data",
            allow: ["data.id"],
            input: #"{"data":{"id":1}}"#,
            expected: "{}"
        ),
        ManipulationCase(
            name: "allow sees the names before mapping",
            allow: ["user_id"],
            mapping: [("id", "user_id")],
            input: #"{"id":1}"#,
            expected: "{}"
        ),
        ManipulationCase(
            name: "mapping renames what allow kept",
            allow: ["id"],
            mapping: [("id", "uid")],
            input: #"{"id":1,"name":"Ada"}"#,
            expected: #"{"uid":1}"#
        ),
        ManipulationCase(
            name: "is_collection, then allow collection",
            allow: ["collection"],
            isCollection: true,
            input: "[1,2]",
            expected: #"{"collection":[1,2]}"#
        ),
        ManipulationCase(
            name: "is_collection, then deny collection",
            deny: ["collection"],
            isCollection: true,
            input: "[1,2]",
            expected: "{}"
        ),
        ManipulationCase(
            name: "is_collection, then mapping collection",
            mapping: [("collection", "items")],
            isCollection: true,
            input: "[]",
            expected: #"{"items":[]}"#
        ),
        ManipulationCase(
            name: "deny, mapping and group",
            deny: ["address"],
            mapping: [("name", "full_name")],
            group: "profile",
            input: Self.user,
            expected: #"{"profile":{"id":1,"full_name":"Ada"}}"#
        ),
    ]

    @Test(
        "manipulates as Lura does",
        arguments: identityCases + collectionAndTargetCases + filterCases + mappingAndGroupCases + combinedCases
    )
    func manipulates(_ testCase: ManipulationCase) throws {
        let output = try Engine.apply(testCase.manipulation, testCase.input)
        #expect(output == testCase.expected)
        let parsed = try #require(ReferenceJSONParser.parseReportingDuplicates(Array(output.utf8)))
        #expect(!parsed.duplicateKeys)
    }

    static let failures: [(name: String, isCollection: Bool, input: String, error: JSONError)] = [
        ("array without is_collection", false, "[1]", .notAnObject(found: .array)),
        ("string without is_collection", false, #""text""#, .notAnObject(found: .string)),
        ("null without is_collection", false, "null", .notAnObject(found: .null)),
        ("object with is_collection", true, "{}", .notAnArray(found: .object)),
        ("number with is_collection", true, "3", .notAnArray(found: .number)),
        ("invalid JSON", false, #"{"id":}"#, .invalidJSON(offset: 6, reason: .unexpectedByte)),
        ("trailing garbage", false, "{} x", .invalidJSON(offset: 3, reason: .trailingData)),
        ("empty body", false, "", .invalidJSON(offset: 0, reason: .unexpectedEnd)),
    ]

    @Test("rejects bodies that are not the expected kind", arguments: failures)
    func rejects(name: String, isCollection: Bool, input: String, error: JSONError) {
        for manipulation in [
            ResponseManipulation(isCollection: isCollection),
            ResponseManipulation(allow: ["id"], group: "g", isCollection: isCollection),
        ] {
            #expect(throws: error) { try Engine.apply(manipulation, input) }
        }
    }

    @Test("writes nothing when it throws")
    func writesNothingOnFailure() {
        var output: [UInt8] = Array("prefix".utf8)
        let body = Array(#"{"id":1,"broken":tru}"#.utf8)
        let manipulation = ResponseManipulation(group: "user")
        let error = body.withUnsafeBytes { buffer in
            #expect(throws: JSONError.self) { try manipulation.apply(to: buffer, into: &output) }
        }
        #expect(error == .invalidJSON(offset: 20, reason: .unexpectedByte))
        #expect(output == Array("prefix".utf8))
    }

    @Test("enforces the size and depth limits")
    func limits() {
        let small = ResponseManipulation(limits: JSONLimits(maxDepth: 2, maxBytes: 16))
        #expect(throws: JSONError.tooLarge(limit: 16, size: 17)) { try Engine.apply(small, #"{"id":"12345678"}"#) }
        #expect(throws: JSONError.tooDeep(limit: 2, offset: 11)) { try Engine.apply(small, #"{"u":{"id":{}}}"#) }
        #expect(throws: Never.self) { try Engine.apply(small, #"{"u":{"id":1}}"#) }
    }

    @Test("reports identity only when nothing is configured")
    func identity() {
        #expect(ResponseManipulation().isIdentity)
        #expect(ResponseManipulation(target: "", group: "").isIdentity)
        #expect(!ResponseManipulation(isCollection: true).isIdentity)
        #expect(!ResponseManipulation(target: "data").isIdentity)
        #expect(!ResponseManipulation(allow: ["id"]).isIdentity)
        #expect(!ResponseManipulation(deny: ["id"]).isIdentity)
        #expect(!ResponseManipulation(mapping: [("id", "user_id")]).isIdentity)
        #expect(!ResponseManipulation(group: "g").isIdentity)
    }

    @Test("handles objects with many members through the key index")
    func manyMembers() throws {
        let members = (0..<200).map { #""field\#($0)":\#($0)"# }
        let body = "{" + (members + [#""field7":"last""#]).joined(separator: ",") + "}"
        let output = try Engine.apply(ResponseManipulation(deny: ["field3"]), body)
        guard case .object(let object)? = Engine.reference(output) else {
            Issue.record("output is not an object: \(output)")
            return
        }
        #expect(object.count == 199)
        #expect(object["field7"] == .string("last"))
        #expect(object["field3"] == nil)
        #expect(object["field199"] == .number("199"))
    }
}
