import NIOCore
import Testing

@testable import Gateway

@Suite("JSONValue")
struct JSONValueTests {
    func parse(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: ByteBuffer(string: text))
    }

    @Test("round-trips documents compactly, keeping member order and number literals")
    func roundTrip() throws {
        let cases: [(String, String)] = [
            (#"{"b":1,"a":[true,false,null],"c":{"d":"x"}}"#, #"{"b":1,"a":[true,false,null],"c":{"d":"x"}}"#),
            (" { \"n\" : 1.50 , \"e\" : -3e2 } ", #"{"n":1.50,"e":-3e2}"#),
            (#"[]"#, #"[]"#),
            (#""\u00e9\ud83d\ude00\n\"""#, "\"\u{e9}\u{1F600}\\n\\\"\""),
            (#"{"a":1,"a":2,"b":3}"#, #"{"a":2,"b":3}"#),
            (#""<&>""#, #""\u003c\u0026\u003e""#),
        ]
        for (input, expected) in cases {
            #expect(try parse(input).jsonText == expected, "input \(input)")
        }
    }

    @Test("rejects what RFC 8259 rejects, with the reason")
    func rejects() {
        let cases: [(String, JSONError)] = [
            ("", .invalidJSON(offset: 0, reason: .unexpectedEnd)),
            ("01", .invalidJSON(offset: 1, reason: .invalidNumber)),
            ("1.", .invalidJSON(offset: 2, reason: .invalidNumber)),
            ("-", .invalidJSON(offset: 1, reason: .invalidNumber)),
            ("[1,]", .invalidJSON(offset: 3, reason: .unexpectedByte)),
            ("{\"a\" 1}", .invalidJSON(offset: 5, reason: .unexpectedByte)),
            ("\"a\u{1}\"", .invalidJSON(offset: 2, reason: .controlCharacter)),
            (#""\x""#, .invalidJSON(offset: 1, reason: .invalidEscape)),
            (#""\udc00""#, .invalidJSON(offset: 1, reason: .invalidEscape)),
            ("nul", .invalidJSON(offset: 0, reason: .unexpectedEnd)),
            ("{} x", .invalidJSON(offset: 3, reason: .trailingData)),
        ]
        for (input, expected) in cases {
            #expect(throws: expected, "input \(input)") { try parse(input) }
        }
        #expect(throws: JSONError.invalidJSON(offset: 2, reason: .invalidUTF8)) {
            try JSONValue(parsing: ByteBuffer(bytes: [0x22, 0xFF, 0x22]))
        }
    }

    @Test("bounds nesting depth and size")
    func limits() {
        let deep = String(repeating: "[", count: 5) + String(repeating: "]", count: 5)
        #expect(throws: JSONError.tooDeep(limit: 4, offset: 4)) {
            try JSONValue(parsing: ByteBuffer(string: deep), limits: JSONLimits(maxDepth: 4))
        }
        #expect(throws: JSONError.tooLarge(limit: 3, size: 4)) {
            try JSONValue(parsing: ByteBuffer(string: "true"), limits: JSONLimits(maxBytes: 3))
        }
    }

    @Test("objects keep order; setting nil removes, a new key appends, an old key stays in place")
    func objectEditing() {
        var object = JSONObject([("a", .number("1")), ("b", .number("2"))])
        object["c"] = .bool(true)
        object["a"] = .string("x")
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(JSONValue.object(object).jsonText == #"{"a":"x","c":true}"#)
        #expect(object != JSONObject([("c", .bool(true)), ("a", .string("x"))]))
    }

    @Test("converts configuration literals")
    func fromConfig() {
        let config = ConfigValue.object(
            ConfigObject([
                ("i", .integer(3)), ("d", .double(2.5)), ("w", .double(4.0)), ("s", .string("t")),
                ("l", .array([.null, .bool(false)])),
            ])
        )
        #expect(JSONValue(config).jsonText == #"{"i":3,"d":2.5,"w":4,"s":"t","l":[null,false]}"#)
    }
}
