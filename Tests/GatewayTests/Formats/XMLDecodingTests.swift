import NIOCore
import Testing

@testable import Gateway

/// The `xml` backend encoding: documents into clbanning/mxj's JSON shape, as KrakenD's xml decoder returns them.
@Suite("XML backend decoding")
struct XMLDecodingTests {
    func decode(_ xml: String, isCollection: Bool = false) throws -> String {
        let decoder = try #require(
            BackendDecoder(
                BackendConfiguration(urlPattern: "/catalog.xml", encoding: .xml, isCollection: isCollection)
            )
        )
        guard case .buffer(let output) = try decoder.decode(.buffer(ByteBuffer(string: xml))) else {
            Issue.record("no buffer")
            return ""
        }
        return String(buffer: output)
    }

    @Test(
        "documents become mxj's shape",
        arguments: [
            ("<user><id>7</id><name>Ada</name></user>", #"{"user":{"id":"7","name":"Ada"}}"#),
            // Attributes as "-name"; text next to attributes as "#text"; values stay strings (no casting).
            (
                #"<price currency="EUR" net='true'>12.50</price>"#,
                ##"{"price":{"-currency":"EUR","-net":"true","#text":"12.50"}}"##
            ),
            // Repeated elements become an array where the name first appears.
            (
                "<catalog><book>A</book><magazine>M</magazine><book>B</book><book>C</book></catalog>",
                #"{"catalog":{"book":["A","B","C"],"magazine":"M"}}"#
            ),
            // Empty elements are "", elements with only attributes are objects.
            (
                #"<order><note/><gift wrap="yes"/><empty></empty></order>"#,
                #"{"order":{"note":"","gift":{"-wrap":"yes"},"empty":""}}"#
            ),
            // Namespace prefixes are dropped (Go's xml.Name.Local); xmlns declarations are attributes.
            (
                #"<a:feed xmlns:a="urn:a" xmlns="urn:default"><a:entry a:id="1">x</a:entry></a:feed>"#,
                ##"{"feed":{"-a":"urn:a","-xmlns":"urn:default","entry":{"-id":"1","#text":"x"}}}"##
            ),
            // CDATA is text, entities and character references are resolved.
            (
                "<doc><code><![CDATA[if (a < b && c) {}]]></code><t>Fish &amp; Chips &lt;3 &#233;&#x1F600; &quot;&apos;</t></doc>",
                "{\"doc\":{\"code\":\"if (a \\u003c b \\u0026\\u0026 c) {}\",\"t\":\"Fish \\u0026 Chips \\u003c3 \u{e9}\u{1F600} \\\"'\"}}"
            ),
            // Prolog, comments, processing instructions and DOCTYPE (with an internal subset) are skipped;
            // whitespace around text is trimmed as mxj trims it.
            (
                "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- generated -->\n"
                    + "<!DOCTYPE note [<!ELEMENT note (#PCDATA)>]>\n<note>\n  <to> Tove </to>\n  <?pi x?><!-- c -->\n</note>\n",
                #"{"note":{"to":"Tove"}}"#
            ),
            // Text before and after children is kept as #text (mxj would drop the children).
            ("<p>Hello <b>world</b> again</p>", ##"{"p":{"b":"world","#text":"Helloagain"}}"##),
            // Whatever follows the root element is ignored, as mxj reads one document.
            ("<a>1</a><b>2</b>", #"{"a":"1"}"#),
        ]
    )
    func shapes(xml: String, expected: String) throws {
        #expect(try decode(xml) == expected)
    }

    @Test("is_collection wraps the document under collection, as krakend-xml's CollectionDecoder")
    func collection() throws {
        #expect(
            try decode("<items><item>1</item><item>2</item></items>", isCollection: true)
                == #"{"collection":{"items":{"item":["1","2"]}}}"#
        )
    }

    @Test(
        "malformed documents are backend failures naming the problem",
        arguments: [
            ("", "no root element"),
            ("<a><b></a>", "expected </b>, got </a>"),
            ("<a>&nbsp;</a>", "invalidReference"),
            ("<a>&#0;</a>", "invalidReference"),
            ("<a b=c/>", "unexpectedByte"),
            ("<a><b>", "unexpectedEnd"),
            ("text<a/>", "textOutsideRoot"),
            ("<1a/>", "invalidName"),
            ("<a>\u{FF}</a>", ""),
        ]
    )
    func malformed(xml: String, fragment: String) throws {
        let decoder = try #require(BackendDecoder(BackendConfiguration(urlPattern: "/bad.xml", encoding: .xml)))
        var bytes = ByteBuffer(string: xml)
        if xml == "<a>\u{FF}</a>" { bytes = ByteBuffer(bytes: [0x3C, 0x61, 0x3E, 0xFF, 0x3C, 0x2F, 0x61, 0x3E]) }
        do {
            _ = try decoder.decode(.buffer(bytes))
            Issue.record("accepted \(xml)")
        } catch let error as GatewayError {
            guard case .invalidBackendBody(let reason, let backend) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(backend == "/bad.xml")
            #expect(fragment.isEmpty || reason.contains(fragment) || reason.contains("noRootElement"), "\(reason)")
        }
    }

    @Test("nesting deeper than the limit fails instead of exhausting the stack")
    func depth() throws {
        let deep = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        #expect(throws: XMLSyntaxError.self) {
            _ = try deep.utf8.withContiguousStorageIfAvailable { bytes in
                try XMLDocumentParser.parse(UnsafeRawBufferPointer(bytes), maxDepth: 256)
            }
        }
        let fine = String(repeating: "<a>", count: 200) + "x" + String(repeating: "</a>", count: 200)
        _ = try fine.utf8.withContiguousStorageIfAvailable { bytes in
            try XMLDocumentParser.parse(UnsafeRawBufferPointer(bytes), maxDepth: 256)
        }
    }

    @Test("the decoded object goes through allow and mapping like any JSON body")
    func manipulated() throws {
        let json = try decode(#"<user id="7"><name>Ada</name><role>admin</role></user>"#)
        var output = ByteBufferAllocator().buffer(capacity: 64)
        let manipulation = ResponseManipulation(target: "user", allow: ["-id", "name"], mapping: [("-id", "id")])
        try ByteBuffer(string: json).withUnsafeReadableBytes { bytes in
            _ = try manipulation.apply(to: bytes, into: &output)
        }
        #expect(String(buffer: output) == #"{"id":"7","name":"Ada"}"#)
    }
}
