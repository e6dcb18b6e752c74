import NIOCore
import NIOHTTP1
import Testing
import Yams

@testable import Gateway

/// The `string`, `xml`, `yaml` and `negotiate` output encodings: bodies and Content-Type headers.
@Suite("Output encoders")
struct OutputEncoderTests {
    static let order = ##"{"id":7,"name":"Ada","tags":["x","12"],"price":{"-currency":"EUR","#text":"12.50"}}"##

    func render(_ encoding: OutputEncoding, _ json: String, accept: String? = nil) throws -> (String, String) {
        let encoder = try #require(OutputEncoder(encoding))
        var headers = HTTPHeaders()
        if let accept { headers.add(name: "Accept", value: accept) }
        let (body, contentType) = encoder.render(
            ByteBuffer(string: json),
            requestHeaders: headers,
            allocator: ByteBufferAllocator()
        )
        return (String(buffer: body), contentType)
    }

    @Test("json, json-collection and no-op have no encoder, so their path is unchanged")
    func noEncoderForJSON() {
        #expect(OutputEncoder(.json) == nil)
        #expect(OutputEncoder(.jsonCollection) == nil)
        #expect(OutputEncoder(.noop) == nil)
    }

    @Test("string writes the content member as text/plain, or nothing when it is not a string")
    func string() throws {
        #expect(
            try render(.string, #"{"content":"plain <text> \u00e9"}"#) == (
                "plain <text> \u{e9}", "text/plain; charset=utf-8"
            )
        )
        #expect(try render(.string, #"{"content":42}"#) == ("", "text/plain; charset=utf-8"))
        #expect(try render(.string, #"{"other":"x"}"#) == ("", "text/plain; charset=utf-8"))
    }

    @Test("xml writes the object with krakend-xml's Content-Type")
    func xml() throws {
        let (body, contentType) = try render(.xml, Self.order)
        #expect(
            body
                == #"<doc><id>7</id><name>Ada</name><tags>x</tags><tags>12</tags><price currency="EUR">12.50</price></doc>"#
        )
        #expect(contentType == "application/xml")
    }

    @Test("yaml round-trips through Yams to the same values, members in order")
    func yaml() throws {
        let json =
            #"{"id":7,"ratio":0.5,"name":"Ada","zip":"01234","flag":"true","none":null,"on":true,"#
            + #""empty":{},"list":[],"nested":{"tags":["x","12"],"text":"line one\nline two: yes"}}"#
        let (body, contentType) = try render(.yaml, json)
        #expect(contentType == "application/yaml; charset=utf-8")
        let loaded = try #require(try Yams.load(yaml: body) as? [String: Any], "\(body)")
        #expect(loaded["id"] as? Int == 7)
        #expect(loaded["ratio"] as? Double == 0.5)
        #expect(loaded["name"] as? String == "Ada")
        // Strings YAML would read as something else are quoted, so they come back as strings.
        #expect(loaded["zip"] as? String == "01234")
        #expect(loaded["flag"] as? String == "true")
        #expect(loaded["on"] as? Bool == true)
        #expect(loaded.keys.contains("none"))
        #expect((loaded["empty"] as? [String: Any])?.isEmpty == true)
        #expect((loaded["list"] as? [Any])?.isEmpty == true)
        // Every string that a YAML 1.1 reader would type comes back as the same string.
        let words = [
            "null", "Null", "~", "Yes", "n", "OFF", "0x1F", "1e3", ".inf", "-", "<<", "=", "on: off", "#x", " a", "",
        ]
        let (wordsBody, _) = try render(.yaml, "{\"words\":[" + words.map { "\"\($0)\"" }.joined(separator: ",") + "]}")
        let wordsLoaded = try #require(try Yams.load(yaml: wordsBody) as? [String: Any], "\(wordsBody)")
        #expect(wordsLoaded["words"] as? [String] == words, "\(wordsBody)")
        let nested = try #require(loaded["nested"] as? [String: Any])
        #expect(nested["tags"] as? [String] == ["x", "12"])
        #expect(nested["text"] as? String == "line one\nline two: yes")
        // Member order is the object's ("on" is quoted: YAML 1.1 reads it as a boolean).
        #expect(body.contains("'on': true"))
        let keys = body.split(separator: "\n").filter { !$0.hasPrefix(" ") }.map {
            $0.split(separator: ":")[0].filter { $0 != "'" }
        }
        #expect(keys == ["id", "ratio", "name", "zip", "flag", "none", "on", "empty", "list", "nested"])
    }

    @Test(
        "negotiate picks the format from Accept",
        arguments: [
            (nil, "application/json; charset=utf-8"),
            ("", "application/json; charset=utf-8"),
            ("application/json", "application/json; charset=utf-8"),
            ("application/xml", "application/xml; charset=utf-8"),
            ("text/xml", "application/xml; charset=utf-8"),
            // KrakenD answers text/plain with YAML.
            ("text/plain", "application/yaml; charset=utf-8"),
            ("application/x-yaml", "application/yaml; charset=utf-8"),
            ("*/*", "application/json; charset=utf-8"),
            ("text/*", "application/yaml; charset=utf-8"),
            ("image/png", "application/json; charset=utf-8"),
            // Header order among equal q values (gin's rule) …
            ("application/xml, application/json", "application/xml; charset=utf-8"),
            // … but a higher q wins, and q=0 excludes.
            ("application/xml;q=0.5, application/json", "application/json; charset=utf-8"),
            ("application/json;q=0.2, text/plain;q=0.9, application/xml;q=0.4", "application/yaml; charset=utf-8"),
            ("application/json;q=0, */*", "application/yaml; charset=utf-8"),
            ("APPLICATION/XML", "application/xml; charset=utf-8"),
            ("image/png, */*;q=0.1", "application/json; charset=utf-8"),
        ] as [(String?, String)]
    )
    func negotiate(accept: String?, contentType: String) throws {
        let (body, type) = try render(.negotiate, #"{"id":7}"#, accept: accept)
        #expect(type == contentType)
        switch type {
        case "application/xml; charset=utf-8": #expect(body == "<id>7</id>")
        case "application/yaml; charset=utf-8": #expect(body == "id: 7\n")
        default: #expect(body == #"{"id":7}"#)
        }
    }
}
