import Testing

@testable import Gateway

@Suite("JSON whitespace compaction")
struct JSONWhitespaceTests {
    static func compact(_ text: String) -> String {
        var output: [UInt8] = []
        Array(text.utf8).withUnsafeBytes { JSONWhitespace.compact($0, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    static func needsCompaction(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBytes { JSONWhitespace.needsCompaction($0) }
    }

    @Test(arguments: [
        ("{\n  \"id\": 7,\n  \"tags\": [ 1, 2 ]\n}", #"{"id":7,"tags":[1,2]}"#),
        ("{\"text\": \"two  spaces\\tand tab escape\"}\n", #"{"text":"two  spaces\tand tab escape"}"#),
        ("{\"quote\": \"a \\\" b\", \"slash\": \"c \\\\\" , \"d\" : 1}", #"{"quote":"a \" b","slash":"c \\","d":1}"#),
        ("\r\n\t[ ]\r\n", "[]"),
        (#"{"already":"compact"}"#, #"{"already":"compact"}"#),
    ])
    func compactsOutsideStringsOnly(input: String, expected: String) {
        #expect(Self.compact(input) == expected)
    }

    @Test func onlyLineBreaksAndTabsTriggerCompaction() {
        #expect(Self.needsCompaction("{\n}"))
        #expect(Self.needsCompaction("{\t\"a\":1}"))
        #expect(!Self.needsCompaction(#"{"a": "b c", "d": 1}"#))
        #expect(!Self.needsCompaction("{\"a\":1}\n"))  // a trailing newline alone is not formatting
    }

    @Test func compactedPrettyDocumentsStayValid() throws {
        let pretty = "{\n  \"user\": {\n    \"name\": \"Ada Lovelace\",\n    \"langs\": [\n      \"en\"\n    ]\n  }\n}"
        let compacted = Array(Self.compact(pretty).utf8)
        let kind = try compacted.withUnsafeBytes { try JSONValidator.validate($0) }
        #expect(kind == .object)
        #expect(String(decoding: compacted, as: UTF8.self) == #"{"user":{"name":"Ada Lovelace","langs":["en"]}}"#)
    }
}
