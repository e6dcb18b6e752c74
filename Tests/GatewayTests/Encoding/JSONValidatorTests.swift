import Gateway
import Testing

@Suite("JSONValidator")
struct JSONValidatorTests {
    static let accepted: [(document: String, kind: JSONKind)] = [
        ("{}", .object),
        ("[]", .array),
        (#""plain""#, .string),
        ("0", .number),
        ("-0", .number),
        ("-12.5e10", .number),
        ("1E-2", .number),
        ("1e+2", .number),
        ("0.000001", .number),
        ("true", .bool),
        ("false", .bool),
        ("null", .null),
        (" \t\n\r{ \"a\" : [ 1 , { \"b\" : null } ] } \r\n\t ", .object),
        (#"["\"\\\/\b\f\n\r\t"]"#, .array),
        (#""\u00e9\u00E9\uD83D\uDE00""#, .string),
        (#""\uD800""#, .string),  // lone high surrogate: grammar-valid, Go accepts it too
        (#""\uDC00 and more""#, .string),
        ("\"é € 😀 \u{10FFFF} \u{FFFF} \u{7F}\"", .string),
        (#"{"key with a longer name than eight":"value with \" quote after eight bytes"}"#, .object),
        (#"{"a":1,"a":2}"#, .object),  // duplicate keys are syntax-valid; merging de-duplicates them
        (String(repeating: "[", count: 256) + String(repeating: "]", count: 256), .array),
    ]

    @Test("accepts valid documents", arguments: accepted)
    func acceptsValidDocuments(document: String, kind: JSONKind) throws {
        #expect(try Engine.validate(document) == kind)
    }

    static let rejectedText: [(document: String, offset: Int, reason: JSONError.Reason)] = [
        ("", 0, .unexpectedEnd),
        ("   ", 3, .unexpectedEnd),
        ("{", 1, .unexpectedEnd),
        (#"{"a":1,}"#, 7, .unexpectedByte),  // trailing comma in an object
        ("[1,]", 3, .unexpectedByte),  // trailing comma in an array
        ("[1,,2]", 3, .unexpectedByte),
        ("[1 2]", 3, .unexpectedByte),
        (#"{"a" 1}"#, 5, .unexpectedByte),
        ("{a:1}", 1, .unexpectedByte),
        (#"{"a":1 "b":2}"#, 7, .unexpectedByte),
        (#"{"a":1]"#, 6, .unexpectedByte),
        ("01", 1, .invalidNumber),  // leading zero
        ("-01", 2, .invalidNumber),
        ("-", 1, .invalidNumber),
        ("-a", 1, .invalidNumber),
        ("1.", 2, .invalidNumber),
        ("1.e5", 2, .invalidNumber),
        ("1e", 2, .invalidNumber),
        ("1e+", 3, .invalidNumber),
        ("+1", 0, .unexpectedByte),
        (".5", 0, .unexpectedByte),
        ("0x10", 1, .trailingData),
        ("\"abc", 4, .unexpectedEnd),
        (#""\x""#, 1, .invalidEscape),
        (#""\u12G4""#, 5, .invalidEscape),
        (#"["\u12"]"#, 6, .invalidEscape),
        (#""\"#, 2, .unexpectedEnd),
        ("\"a\nb\"", 2, .controlCharacter),
        ("\"a\tb\"", 2, .controlCharacter),
        ("\"0123456789\u{1F}\"", 11, .controlCharacter),
        ("tru", 3, .unexpectedEnd),
        ("trux", 3, .unexpectedByte),
        ("True", 0, .unexpectedByte),
        ("nul", 3, .unexpectedEnd),
        ("{} {}", 3, .trailingData),
        ("[]]", 2, .trailingData),
        ("1 2", 2, .trailingData),
        ("\u{0}", 0, .unexpectedByte),
    ]

    @Test("rejects invalid documents at the right byte", arguments: rejectedText)
    func rejectsInvalidDocuments(document: String, offset: Int, reason: JSONError.Reason) {
        #expect(throws: JSONError.invalidJSON(offset: offset, reason: reason)) { try Engine.validate(document) }
    }

    static let rejectedBytes: [(document: [UInt8], offset: Int, reason: JSONError.Reason)] = [
        ([0x22, 0x80, 0x22], 1, .invalidUTF8),  // lone continuation byte
        ([0x22, 0xC0, 0x80, 0x22], 1, .invalidUTF8),  // overlong NUL
        ([0x22, 0xC1, 0xBF, 0x22], 1, .invalidUTF8),  // overlong
        ([0x22, 0xE0, 0x80, 0x80, 0x22], 2, .invalidUTF8),  // overlong three-byte form
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 2, .invalidUTF8),  // UTF-8-encoded surrogate U+D800
        ([0x22, 0xF0, 0x80, 0x80, 0x80, 0x22], 2, .invalidUTF8),  // overlong four-byte form
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2, .invalidUTF8),  // above U+10FFFF
        ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1, .invalidUTF8),
        ([0x22, 0xFF, 0x22], 1, .invalidUTF8),
        ([0x22, 0xC3, 0x22], 2, .invalidUTF8),  // truncated two-byte sequence
        ([0x22, 0xE2, 0x82, 0x41, 0x22], 3, .invalidUTF8),
        ([0x22, 0xE2, 0x82], 3, .unexpectedEnd),
        ([0xEF, 0xBB, 0xBF, 0x7B, 0x7D], 0, .unexpectedByte),  // a byte order mark is not JSON
    ]

    @Test("rejects malformed UTF-8 in strings", arguments: rejectedBytes)
    func rejectsMalformedUTF8(document: [UInt8], offset: Int, reason: JSONError.Reason) {
        #expect(throws: JSONError.invalidJSON(offset: offset, reason: reason)) { try Engine.validate(document) }
    }

    @Test("agrees with the reference parser on every two-byte prefix of a string")
    func agreesWithReferenceOnUTF8Sequences() throws {
        var disagreements: [[UInt8]] = []
        for lead in UInt8(0x80)...0xFF {
            for second in UInt8(0)...0xFF {
                for tailLength in 0...2 {
                    let document = [0x22, lead, second] + Array(repeating: 0x80, count: tailLength) + [0x22]
                    let accepted = (try? Engine.validate(document)) != nil
                    if accepted != (ReferenceJSONParser.parse(document) != nil) { disagreements.append(document) }
                }
            }
        }
        #expect(disagreements.isEmpty, "first disagreements: \(disagreements.prefix(5))")
    }

    @Test("fails fast on a depth bomb instead of overflowing the stack")
    func depthBomb() {
        let arrays = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: JSONError.tooDeep(limit: 256, offset: 256)) { try Engine.validate(arrays) }
        let objects = [UInt8](String(repeating: #"{"a":"#, count: 100_000).utf8)
        #expect(throws: JSONError.tooDeep(limit: 256, offset: 256 * 5)) { try Engine.validate(objects) }
    }

    @Test("honours a configured depth limit")
    func configuredDepth() throws {
        #expect(try Engine.validate("[[1]]", maxDepth: 2) == .array)
        #expect(throws: JSONError.tooDeep(limit: 2, offset: 2)) { try Engine.validate("[[[1]]]", maxDepth: 2) }
        #expect(try Engine.validate("17", maxDepth: 0) == .number)
        #expect(throws: JSONError.tooDeep(limit: 0, offset: 0)) { try Engine.validate("[]", maxDepth: 0) }
        #expect(try Engine.validate("[[1]]", maxDepth: .max) == .array)  // the stack is sized by the input
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(try Engine.validate(deep, maxDepth: 5000) == .array)
    }
}
