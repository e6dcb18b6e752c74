import NIOCore
import Testing

@testable import Gateway

/// The `xml` output encoding: JSON objects as krakend-xml (clbanning/mxj `Map.Xml()`) writes them.
@Suite("XML output encoding")
struct XMLEncodingTests {
    func xml(_ json: String) throws -> String {
        XMLObjectWriter.text(try JSONValue(parsing: ByteBuffer(string: json)))
    }

    @Test(
        "objects become mxj's XML",
        arguments: [
            // krakend-xml's own test case (its keys happen to be in order already).
            (
                #"{"a":{"content":"supu & tupu"},"content":"tupu","foo":42}"#,
                "<doc><a><content>supu &amp; tupu</content></a><content>tupu</content><foo>42</foo></doc>"
            ),
            // One member that is not an array: it is the root.
            (#"{"user":{"id":7,"name":"Ada"}}"#, "<user><id>7</id><name>Ada</name></user>"),
            // One array member: <doc> keeps a single root.
            (#"{"id":[1,2]}"#, "<doc><id>1</id><id>2</id></doc>"),
            // Attributes and text.
            (
                ##"{"price":{"-currency":"EUR","#text":"12.50"},"tags":["a","b"]}"##,
                #"<doc><price currency="EUR">12.50</price><tags>a</tags><tags>b</tags></doc>"#
            ),
            // null, "" and {} are empty elements; booleans and number literals are kept.
            (
                #"{"n":null,"s":"","o":{},"t":true,"f":false,"x":-1.50e3}"#,
                "<doc><n/><s/><o/><t>true</t><f>false</f><x>-1.50e3</x></doc>"
            ),
            // Only attributes: a self-closing element.
            (#"{"link":{"-href":"/next","-rel":"next"}}"#, #"<link href="/next" rel="next"/>"#),
            // Escaping in text and attributes (mxj's XMLEscapeChars), forbidden characters replaced.
            (
                #"{"q":{"-title":"\"<'&'>\"","v":"a<b & c>'d'\u0001"}}"#,
                "<q title=\"&quot;&lt;&apos;&amp;&apos;&gt;&quot;\"><v>a&lt;b &amp; c&gt;&apos;d&apos;\u{FFFD}</v></q>"
            ),
            // U+FFFE and U+FFFF are not XML characters either; other non-ASCII text is kept.
            (#"{"w":"\ufffe\uffff\u00e9\u20ac"}"#, "<w>\u{FFFD}\u{FFFD}\u{e9}\u{20ac}</w>"),
            // Keys that are not XML names are repaired instead of breaking the document.
            (
                #"{"a":{"1st":1,"two words":2,"":3,"ok-name.x":4}}"#,
                "<a><_st>1</_st><two_words>2</two_words><_>3</_><ok-name.x>4</ok-name.x></a>"
            ),
            // Nested arrays repeat the element, as mxj does.
            (#"{"m":{"row":[[1,2],[3]]}}"#, "<m><row>1</row><row>2</row><row>3</row></m>"),
        ]
    )
    func encodes(json: String, expected: String) throws {
        #expect(try xml(json) == expected)
    }

    @Test("XML decoded by the xml encoding and written back keeps its structure")
    func roundTrip() throws {
        let source =
            #"<catalog lang="en"><book id="1"><title>A &amp; B</title></book><book id="2"><title>C</title></book>"#
            + "<note/></catalog>"
        let tree = try source.utf8.withContiguousStorageIfAvailable { bytes in
            try XMLDocumentParser.parse(UnsafeRawBufferPointer(bytes))
        }
        let document = try #require(tree).mxjDocument
        #expect(XMLObjectWriter.text(document) == source)
    }
}
