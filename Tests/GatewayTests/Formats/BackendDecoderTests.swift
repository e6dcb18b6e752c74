import NIOCore
import Testing

@testable import Gateway

/// The `safejson` and `string` backend encodings, and the encodings that need no decoder.
@Suite("Backend decoders")
struct BackendDecoderTests {
    func decode(_ body: GatewayResponse.Body, _ encoding: BackendEncoding, isCollection: Bool = false) throws -> String
    {
        let configuration = BackendConfiguration(
            urlPattern: "/inventory",
            encoding: encoding,
            isCollection: isCollection
        )
        let decoder = try #require(BackendDecoder(configuration))
        guard case .buffer(let output) = try decoder.decode(body) else { return "<no buffer>" }
        return String(buffer: output)
    }

    @Test("json and no-op have no decoder, so their path is unchanged")
    func noDecoder() {
        #expect(BackendDecoder(BackendConfiguration(urlPattern: "/a", encoding: .json)) == nil)
        #expect(BackendDecoder(BackendConfiguration(urlPattern: "/a", encoding: .noop)) == nil)
    }

    @Test(
        "safejson wraps arrays under collection and scalars under result, objects as they are",
        arguments: [
            (#"{"id":1}"#, #"{"id":1}"#),
            (#" [1,{"a":2}] "#, #"{"collection": [1,{"a":2}] }"#),
            (#""sold out""#, #"{"result":"sold out"}"#),
            ("42", #"{"result":42}"#),
            ("-0.5e3", #"{"result":-0.5e3}"#),
            ("true", #"{"result":true}"#),
            ("null", #"{"result":null}"#),
        ]
    )
    func safeJSON(body: String, expected: String) throws {
        #expect(try decode(.buffer(ByteBuffer(string: body)), .safeJSON) == expected)
        // is_collection is ignored, as Lura's SafeJSONDecoder ignores it.
        #expect(try decode(.buffer(ByteBuffer(string: body)), .safeJSON, isCollection: true) == expected)
    }

    @Test("safejson rejects what is not one JSON value, so wrapping cannot forge members")
    func safeJSONRejects() throws {
        for body in [#"1,"admin":true"#, "[1,", "", "   ", "nope"] {
            #expect(throws: (any Error).self, "\(body)") {
                _ = try decode(.buffer(ByteBuffer(string: body)), .safeJSON)
            }
        }
    }

    @Test("string puts the whole body under content, escaped; an empty body is an empty string")
    func string() throws {
        #expect(
            try decode(.buffer(ByteBuffer(string: "line \"one\"\n<two>")), .string)
                == #"{"content":"line \"one\"\n\u003ctwo\u003e"}"#
        )
        #expect(try decode(.empty, .string) == #"{"content":""}"#)
        // Invalid UTF-8 becomes U+FFFD, as Go's JSON encoder writes it.
        #expect(try decode(.buffer(ByteBuffer(bytes: [0x61, 0xFF])), .string) == "{\"content\":\"a\u{FFFD}\"}")
        #expect(try decode(.buffer(ByteBuffer(string: "[1]")), .string, isCollection: true) == #"{"content":"[1]"}"#)
    }
}
