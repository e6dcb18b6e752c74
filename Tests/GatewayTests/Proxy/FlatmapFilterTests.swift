import NIOCore
import Testing

@testable import Gateway

@Suite("Flatmap filter")
struct FlatmapFilterTests {
    private static func value(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: ByteBuffer(string: text))
    }

    static func config(_ text: String) throws -> ConfigValue {
        var parser = JSONConfigurationParser(text: text)
        return try parser.parse()
    }

    private static func filter(_ operations: String) throws -> FlatmapFilter {
        var reader = ProxyNamespaceReader(file: "test.json")
        let config = try Self.config(operations)
        let filter = FlatmapFilter.read(config, at: "flatmap_filter", into: &reader)
        #expect(reader.problems.isEmpty, "\(reader.problems)")
        return try #require(filter)
    }

    // Cases after the KrakenD documentation's flatmap examples (docs/backends/flatmap): renaming inside a
    // collection, deleting from every element, extracting, appending one list to another.
    @Test(arguments: [
        (
            #"[{"type": "move", "args": ["items.*.qty", "items.*.quantity"]}]"#,
            #"{"items": [{"id": 1, "qty": 2}, {"id": 2, "qty": 5}]}"#,
            #"{"items":[{"id":1,"quantity":2},{"id":2,"quantity":5}]}"#
        ),
        (
            #"[{"type": "del", "args": ["items.*.secret"]}]"#,
            #"{"items": [{"id": 1, "secret": "a"}, {"id": 2}]}"#,
            #"{"items":[{"id":1},{"id":2}]}"#
        ),
        (
            #"[{"type": "move", "args": ["shipping.address.city", "city"]}]"#,
            #"{"shipping": {"address": {"city": "Lyon", "zip": "69001"}}}"#,
            #"{"shipping":{"address":{"zip":"69001"}},"city":"Lyon"}"#
        ),
        (
            #"[{"type": "move", "args": ["id", "order.id"]}]"#,
            #"{"id": 9, "total": 3}"#,
            #"{"total":3,"order":{"id":9}}"#
        ),
        (
            #"[{"type": "append", "args": ["extra", "items"]}]"#,
            #"{"items": [1, 2], "extra": [3]}"#,
            #"{"items":[1,2,3]}"#
        ),
        (
            #"[{"type": "del", "args": ["items.0"]}]"#,
            #"{"items": ["first", "second"]}"#,
            #"{"items":["second"]}"#
        ),
        (
            #"[{"type": "del", "args": ["missing.*.field"]}, {"type": "move", "args": ["absent", "present"]}]"#,
            #"{"kept": true}"#,
            #"{"kept":true}"#
        ),
        (
            #"[{"type": "move", "args": ["a.*.b.*.c", "a.*.b.*.d"]}]"#,
            #"{"a": [{"b": [{"c": 1}, {"c": 2}]}, {"b": [{"c": 3}]}]}"#,
            #"{"a":[{"b":[{"d":1},{"d":2}]},{"b":[{"d":3}]}]}"#
        ),
    ])
    func applies(operations: String, input: String, expected: String) throws {
        var value = try Self.value(input)
        try Self.filter(operations).apply(to: &value)
        #expect(value.jsonText == expected)
    }

    @Test(arguments: [
        (#"{"type": "move"}"#, "flatmap_filter[0]"),
        (#"{"type": "jump", "args": ["a"]}"#, "flatmap_filter[0].type"),
        (#"{"type": "move", "args": ["a"]}"#, "flatmap_filter[0].args"),
        (#"{"type": "del", "args": ["a", "b"]}"#, "flatmap_filter[0].args"),
        (#"{"type": "move", "args": ["a.*.b", "c"]}"#, "flatmap_filter[0].args"),
        (#"{"type": "del", "args": [1]}"#, "flatmap_filter[0].args[0]"),
    ])
    func rejectsInvalidOperations(operation: String, path: String) throws {
        var reader = ProxyNamespaceReader(file: "test.json")
        let config = try Self.config("[\(operation)]")
        #expect(FlatmapFilter.read(config, at: "flatmap_filter", into: &reader) == nil)
        #expect(reader.problems.map(\.path).contains(path), "\(reader.problems)")
    }

    @Test func unknownKeysWarn() throws {
        var reader = ProxyNamespaceReader(file: "test.json")
        let config = try Self.config(#"[{"type": "del", "args": ["a"], "note": "x"}]"#)
        #expect(FlatmapFilter.read(config, at: "flatmap_filter", into: &reader) != nil)
        #expect(reader.problems.isEmpty)
        #expect(reader.warnings == ["test.json: flatmap_filter[0].note: unknown key, ignored"])
    }
}
