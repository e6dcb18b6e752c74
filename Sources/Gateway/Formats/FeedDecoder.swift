/// The `rss` backend encoding: an RSS 2.0 (or 0.9x) or Atom feed as the object krakend-rss builds from
/// mmcdole/gofeed's universal `Feed` (`krakend-rss/rss.go`):
///
/// ```json
/// { "author": {"name": "…", "email": "…"}, "categories": ["…"], "copyright": "…", "custom": null,
///   "description": "…", "img_url": "…", "items": [ { "title": "…", "link": "…", "published": "…",
///   "publishedParsed": "2003-06-03T09:39:21Z", "guid": "…", … } ], "language": "en", "published": "…",
///   "title": "…", "type": "rss", "updated": "…" }
/// ```
///
/// Top-level members are written in Go's order (sorted, as `encoding/json` writes a map); `author`, `categories`
/// and `custom` are `null` when absent, the strings `""`, and `img_url` appears only with an image. Items carry
/// gofeed's `Item` JSON names with its `omitempty` rule: `title`, `description`, `content` (`content:encoded`, Atom
/// `content`), `link`, `updated`, `updatedParsed`, `published`, `publishedParsed` (RFC 3339 in UTC, from RFC 822 /
/// RFC 3339 dates), `author`, `guid`, `categories`, `enclosures`. gofeed's extension maps (`dcExt`, `itunesExt`,
/// `extensions`) are not produced.
enum FeedDecoder {
    /// The feed object for a parsed document; throws when the root is neither `rss`, `rdf:RDF` nor `feed`.
    static func decode(_ root: XMLElement) throws(FeedError) -> JSONValue {
        switch root.localName {
        case "rss", "RDF": return rss(root)
        case "feed": return atom(root)
        default: throw FeedError(root: root.name)
        }
    }

    /// A document that is XML but not a feed.
    struct FeedError: Error, CustomStringConvertible {
        /// The root element found.
        var root: String
        var description: String { "not an RSS or Atom feed (root element <\(root)>)" }
    }

    // MARK: RSS

    private static func rss(_ root: XMLElement) -> JSONValue {
        let channel = root.child("channel") ?? root
        // RSS 1.0 (RDF) puts items next to the channel; 2.0 inside it.
        let items = channel.children("item") + (channel.localName == "channel" ? root.children("item") : [])
        let author =
            channel.child("managingEditor")?.text ?? channel.child("webMaster")?.text
            ?? namespaced(channel, "creator")?.text ?? namespaced(channel, "author")?.text
        let image = channel.child("image")?.child("url")?.text
        return feed(
            author: author.flatMap(person),
            categories: channel.children("category").map(\.text).filter { !$0.isEmpty },
            copyright: channel.child("copyright")?.text ?? namespaced(channel, "rights")?.text ?? "",
            description: channel.child("description")?.text ?? "",
            image: image,
            items: items.map(rssItem),
            language: channel.child("language")?.text ?? namespaced(channel, "language")?.text ?? "",
            published: channel.child("pubDate")?.text ?? "",
            title: channel.child("title")?.text ?? "",
            type: "rss",
            updated: channel.child("lastBuildDate")?.text ?? namespaced(channel, "date")?.text ?? ""
        )
    }

    private static func rssItem(_ item: XMLElement) -> JSONValue {
        let published = item.child("pubDate")?.text ?? namespaced(item, "date")?.text
        let author = item.child("author")?.text ?? namespaced(item, "creator")?.text
        let enclosures = item.children("enclosure").map { enclosure in
            enclosureObject(
                url: enclosure.attribute("url"),
                length: enclosure.attribute("length"),
                type: enclosure.attribute("type")
            )
        }
        return feedItem(
            title: item.child("title")?.text,
            description: item.child("description")?.text,
            content: item.children.first { $0.name.hasSuffix(":encoded") }?.text,
            link: item.child("link")?.text,
            updated: nil,
            published: published,
            author: author.flatMap(person),
            guid: item.child("guid")?.text,
            categories: item.children("category").map(\.text),
            enclosures: enclosures
        )
    }

    /// A Dublin Core (or other prefixed) child such as `dc:creator`, by local name.
    private static func namespaced(_ element: XMLElement, _ localName: String) -> XMLElement? {
        element.children.first { $0.name.contains(":") && $0.localName == localName }
    }

    // MARK: Atom

    private static func atom(_ root: XMLElement) -> JSONValue {
        let author = root.child("author").map(atomPerson)
        return feed(
            author: author,
            categories: root.children("category").compactMap { $0.attribute("term") },
            copyright: root.child("rights")?.text ?? "",
            description: root.child("subtitle")?.text ?? "",
            image: root.child("logo")?.text ?? root.child("icon")?.text,
            items: root.children("entry").map { atomEntry($0) },
            language: root.attribute("lang") ?? "",
            published: "",
            title: root.child("title")?.text ?? "",
            type: "atom",
            updated: root.child("updated")?.text ?? ""
        )
    }

    private static func atomEntry(_ entry: XMLElement) -> JSONValue {
        let links = entry.children("link")
        let link = links.first { ($0.attribute("rel") ?? "alternate") == "alternate" } ?? links.first
        let enclosures = links.filter { $0.attribute("rel") == "enclosure" }.map { link in
            enclosureObject(url: link.attribute("href"), length: link.attribute("length"), type: link.attribute("type"))
        }
        return feedItem(
            title: entry.child("title")?.text,
            description: entry.child("summary")?.text,
            content: entry.child("content")?.text,
            link: link?.attribute("href"),
            updated: entry.child("updated")?.text,
            published: entry.child("published")?.text,
            author: entry.child("author").map(atomPerson),
            guid: entry.child("id")?.text,
            categories: entry.children("category").compactMap { $0.attribute("term") },
            enclosures: enclosures
        )
    }

    private static func atomPerson(_ author: XMLElement) -> JSONValue {
        personObject(name: author.child("name")?.text, email: author.child("email")?.text)
    }

    // MARK: Shapes

    private static func feed(
        author: JSONValue?,
        categories: [String],
        copyright: String,
        description: String,
        image: String?,
        items: [JSONValue],
        language: String,
        published: String,
        title: String,
        type: String,
        updated: String
    ) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("author", author ?? .null),
            ("categories", categories.isEmpty ? .null : .array(categories.map(JSONValue.string))),
            ("copyright", .string(copyright)),
            ("custom", .null),
            ("description", .string(description)),
        ]
        if let image { members.append(("img_url", .string(image))) }
        members += [
            ("items", .array(items)),
            ("language", .string(language)),
            ("published", .string(published)),
            ("title", .string(title)),
            ("type", .string(type)),
            ("updated", .string(updated)),
        ]
        return .object(JSONObject(members))
    }

    /// gofeed's `Item` with `omitempty`: empty strings and lists are left out.
    private static func feedItem(
        title: String?,
        description: String?,
        content: String?,
        link: String?,
        updated: String?,
        published: String?,
        author: JSONValue?,
        guid: String?,
        categories: [String],
        enclosures: [JSONValue]
    ) -> JSONValue {
        var object = JSONObject()
        func set(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { object[key] = .string(value) }
        }
        set("title", title)
        set("description", description)
        set("content", content)
        set("link", link)
        set("updated", updated)
        set("updatedParsed", updated.flatMap(FeedDate.rfc3339UTC))
        set("published", published)
        set("publishedParsed", published.flatMap(FeedDate.rfc3339UTC))
        if let author { object["author"] = author }
        set("guid", guid)
        let categories = categories.filter { !$0.isEmpty }
        if !categories.isEmpty { object["categories"] = .array(categories.map(JSONValue.string)) }
        if !enclosures.isEmpty { object["enclosures"] = .array(enclosures) }
        return .object(object)
    }

    private static func enclosureObject(url: String?, length: String?, type: String?) -> JSONValue {
        var object = JSONObject()
        for (key, value) in [("url", url), ("length", length), ("type", type)] {
            if let value, !value.isEmpty { object[key] = .string(value) }
        }
        return .object(object)
    }

    private static func personObject(name: String?, email: String?) -> JSONValue {
        var object = JSONObject()
        if let name, !name.isEmpty { object["name"] = .string(name) }
        if let email, !email.isEmpty { object["email"] = .string(email) }
        return .object(object)
    }

    /// An RSS person: `jane@example.com (Jane Doe)`, `Jane Doe <jane@example.com>`, an address, or a name
    /// (gofeed's `ParseNameAddress`).
    static func person(_ text: String) -> JSONValue? {
        let trimmed = text.trimmed(of: " \t\r\n")
        guard !trimmed.isEmpty else { return nil }
        if trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") {
            let email = trimmed[..<open].trimmed(of: " ")
            let name = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            return personObject(name: name.trimmed(of: " "), email: email)
        }
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let name = trimmed[..<open].trimmed(of: " \"")
            let email = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            return personObject(name: name, email: String(email))
        }
        if trimmed.contains("@"), !trimmed.contains(" ") { return personObject(name: nil, email: trimmed) }
        return personObject(name: trimmed, email: nil)
    }
}

extension StringProtocol {
    /// Without leading and trailing characters from `set` (ASCII characters only).
    fileprivate func trimmed(of set: String) -> String {
        var result = Substring(self)
        while let first = result.unicodeScalars.first, set.unicodeScalars.contains(first) {
            result = result.dropFirst()
        }
        while let last = result.unicodeScalars.last, set.unicodeScalars.contains(last) { result = result.dropLast() }
        return String(result)
    }
}
