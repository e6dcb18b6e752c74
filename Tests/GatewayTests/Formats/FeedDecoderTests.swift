import NIOCore
import Testing

@testable import Gateway

/// The `rss` backend encoding: RSS 2.0 and Atom feeds as krakend-rss's object.
@Suite("RSS backend decoding")
struct FeedDecoderTests {
    func decode(_ feed: String) throws -> JSONValue {
        let decoder = try #require(BackendDecoder(BackendConfiguration(urlPattern: "/news.rss", encoding: .rss)))
        guard case .buffer(let output) = try decoder.decode(.buffer(ByteBuffer(string: feed))) else {
            throw FeedDecoder.FeedError(root: "none")
        }
        return try JSONValue(parsing: output)
    }

    static let rssFeed = """
        <?xml version="1.0"?>
        <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
             xmlns:dc="http://purl.org/dc/elements/1.1/">
          <channel>
            <title>Liftoff News</title>
            <link>http://liftoff.msfc.nasa.gov/</link>
            <description>Liftoff to Space Exploration.</description>
            <language>en-us</language>
            <copyright>Copyright 2003</copyright>
            <pubDate>Tue, 10 Jun 2003 04:00:00 GMT</pubDate>
            <lastBuildDate>Tue, 10 Jun 2003 09:41:01 GMT</lastBuildDate>
            <managingEditor>editor@example.com (Jane Editor)</managingEditor>
            <category>Space</category>
            <image><url>http://liftoff.msfc.nasa.gov/logo.png</url><title>Liftoff</title></image>
            <item>
              <title>Star City</title>
              <link>http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp</link>
              <description>How do Americans get ready to work with Russians aboard the ISS?</description>
              <content:encoded><![CDATA[<p>Full <b>story</b></p>]]></content:encoded>
              <pubDate>Tue, 03 Jun 2003 09:39:21 -0500</pubDate>
              <guid>http://liftoff.msfc.nasa.gov/2003/06/03.html#item573</guid>
              <dc:creator>Ada Writer</dc:creator>
              <category>ISS</category>
              <enclosure url="http://example.com/a.mp3" length="1234" type="audio/mpeg"/>
            </item>
            <item><description>Untitled item</description></item>
          </channel>
        </rss>
        """

    @Test("an RSS 2.0 feed becomes krakend-rss's object")
    func rss() throws {
        let feed = try decode(Self.rssFeed)
        #expect(
            feed.objectValue?.keys == [
                "author", "categories", "copyright", "custom", "description", "img_url", "items", "language",
                "published", "title", "type", "updated",
            ]
        )
        #expect(feed["title"] == .string("Liftoff News"))
        #expect(feed["type"] == .string("rss"))
        #expect(feed["language"] == .string("en-us"))
        #expect(feed["copyright"] == .string("Copyright 2003"))
        #expect(feed["published"] == .string("Tue, 10 Jun 2003 04:00:00 GMT"))
        #expect(feed["updated"] == .string("Tue, 10 Jun 2003 09:41:01 GMT"))
        #expect(feed["img_url"] == .string("http://liftoff.msfc.nasa.gov/logo.png"))
        #expect(feed["custom"] == .null)
        #expect(feed["categories"] == .array([.string("Space")]))
        #expect(feed["author"]?.jsonText == #"{"name":"Jane Editor","email":"editor@example.com"}"#)
        guard case .array(let items)? = feed["items"] else {
            Issue.record("no items")
            return
        }
        #expect(items.count == 2)
        #expect(
            items[0].jsonText
                == #"{"title":"Star City","description":"How do Americans get ready to work with Russians aboard the ISS?","#
                + #""content":"\u003cp\u003eFull \u003cb\u003estory\u003c/b\u003e\u003c/p\u003e","#
                + #""link":"http://liftoff.msfc.nasa.gov/news/2003/news-starcity.asp","#
                + #""published":"Tue, 03 Jun 2003 09:39:21 -0500","publishedParsed":"2003-06-03T14:39:21Z","#
                + #""author":{"name":"Ada Writer"},"guid":"http://liftoff.msfc.nasa.gov/2003/06/03.html#item573","#
                + #""categories":["ISS"],"enclosures":[{"url":"http://example.com/a.mp3","length":"1234","type":"audio/mpeg"}]}"#
        )
        // gofeed's omitempty: an item with only a description has only that.
        #expect(items[1].jsonText == #"{"description":"Untitled item"}"#)
    }

    @Test("an Atom feed becomes the same shape")
    func atom() throws {
        let feed = try decode(
            """
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
              <title>Example Feed</title>
              <subtitle>A subtitle.</subtitle>
              <updated>2003-12-13T18:30:02Z</updated>
              <author><name>John Doe</name><email>john@example.com</email></author>
              <rights>CC-BY</rights>
              <logo>http://example.org/logo.png</logo>
              <entry>
                <title>Atom-Powered Robots Run Amok</title>
                <link rel="alternate" href="http://example.org/2003/12/13/atom03"/>
                <link rel="enclosure" href="http://example.org/a.mp3" type="audio/mpeg" length="99"/>
                <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
                <updated>2003-12-13T18:30:02.250+01:00</updated>
                <summary>Some text.</summary>
                <category term="robots"/>
              </entry>
            </feed>
            """
        )
        #expect(feed["type"] == .string("atom"))
        #expect(feed["title"] == .string("Example Feed"))
        #expect(feed["description"] == .string("A subtitle."))
        #expect(feed["language"] == .string("en"))
        #expect(feed["copyright"] == .string("CC-BY"))
        #expect(feed["img_url"] == .string("http://example.org/logo.png"))
        #expect(feed["categories"] == .null)
        #expect(feed["author"]?.jsonText == #"{"name":"John Doe","email":"john@example.com"}"#)
        #expect(
            feed["items"]?.jsonText
                == #"[{"title":"Atom-Powered Robots Run Amok","description":"Some text.","#
                + #""link":"http://example.org/2003/12/13/atom03","updated":"2003-12-13T18:30:02.250+01:00","#
                + #""updatedParsed":"2003-12-13T17:30:02.25Z","guid":"urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a","#
                + #""categories":["robots"],"enclosures":[{"url":"http://example.org/a.mp3","length":"99","type":"audio/mpeg"}]}]"#
        )
    }

    @Test("a document that is not a feed is a backend failure")
    func notAFeed() {
        #expect(throws: GatewayError.self) { _ = try decode("<html><body/></html>") }
    }

    @Test(
        "feed dates become RFC 3339 in UTC",
        arguments: [
            ("Tue, 03 Jun 2003 09:39:21 GMT", "2003-06-03T09:39:21Z"),
            ("Tue, 03 Jun 2003 09:39:21 -0500", "2003-06-03T14:39:21Z"),
            ("3 Jun 2003 09:39 +0200", "2003-06-03T07:39:00Z"),
            ("Mon, 01 Jan 2024 00:30:00 PDT", "2024-01-01T07:30:00Z"),
            ("Sat, 31 Dec 99 23:00:00 EST", "2000-01-01T04:00:00Z"),
            ("2003-12-13T18:30:02Z", "2003-12-13T18:30:02Z"),
            ("2024-02-29T23:59:59.123000-01:00", "2024-03-01T00:59:59.123Z"),
            ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
        ]
    )
    func dates(text: String, expected: String) {
        #expect(FeedDate.rfc3339UTC(text) == expected)
    }

    @Test(
        "unknown date forms are left out",
        arguments: ["yesterday", "2003-13-01T00:00:00Z", "32 Jan 2003 00:00 GMT", ""]
    )
    func badDates(text: String) {
        #expect(FeedDate.rfc3339UTC(text) == nil)
    }
}
