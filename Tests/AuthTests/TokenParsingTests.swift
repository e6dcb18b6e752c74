import Auth
import Testing

@Suite("Base64URL and strict JSON")
struct TokenParsingTests {
    @Test(
        "base64url decoding is strict",
        arguments: [
            ("", [UInt8]()), ("Zg", [0x66]), ("Zm8", [0x66, 0x6F]), ("Zm9v", [0x66, 0x6F, 0x6F]),
            ("-_8", [0xFB, 0xFF]),
        ]
    )
    func base64Valid(text: String, bytes: [UInt8]) {
        #expect(Base64URL.decode(Array(text.utf8)) == bytes)
        #expect(Base64URL.encode(bytes) == text)
    }

    @Test(
        "non-canonical base64url is refused",
        arguments: ["Zg==", "Zh", "Zm9", "Z", "Zm+v", "Zm/v", "Zm 9v", "Zm9v\n"]
    )
    func base64Invalid(text: String) {
        #expect(Base64URL.decode(Array(text.utf8)) == nil)
    }

    @Test(
        "malformed JSON is refused",
        arguments: [
            #"{"a":1,"a":2}"#, #"{"a":1,}"#, "[1,]", "01", "1.", "-", #"{"a" 1}"#, #""\ud800""#, #""\x""#,
            "{\"a\":\"\u{01}\"}", "nul", "true false", #"{"a":1}}"#, "\u{FEFF}{}",
        ]
    )
    func jsonInvalid(text: String) {
        #expect(throws: StrictJSONParser.ParseError.self) { try StrictJSONParser().parse(Array(text.utf8)) }
    }

    @Test("valid JSON keeps order, escapes and number literals")
    func jsonValid() throws {
        let value = try StrictJSONParser().parse(
            Array(#" {"b":[1e3,-0.5,true,null],"a":"\u00e9\ud83d\ude00\n"} "#.utf8)
        )
        #expect(value.objectValue?.map(\.0) == ["b", "a"])
        #expect(value["a"] == .string("é😀\n"))
        #expect(value["b"]?.arrayValue?.first == .number(literal: "1e3", value: 1000))
    }

    @Test("nesting is bounded, never recursing without limit")
    func depthBound() {
        let deep = Array((String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)).utf8)
        #expect(throws: StrictJSONParser.ParseError.tooDeep) { try StrictJSONParser(maximumDepth: 32).parse(deep) }
    }

    @Test(
        "invalid UTF-8 is refused",
        arguments: [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF]]
    )
    func utf8Invalid(bytes: [UInt8]) {
        let document = Array(#"{"a":""#.utf8) + bytes + Array(#""}"#.utf8)
        #expect(throws: StrictJSONParser.ParseError.self) { try StrictJSONParser().parse(document) }
    }
}
