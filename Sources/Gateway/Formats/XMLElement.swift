/// One element of an XML document as `XMLDocumentParser` reads it: its name as written (`atom:link`), its
/// attributes in document order, its child elements and its text.
///
/// A slow-path tree (the `xml` and `rss` backend encodings): built once per backend response, then turned into a
/// `JSONValue`.
struct XMLElement: Sendable, Equatable {
    /// The qualified name as written, prefix included (`atom:link`).
    var name: String
    /// Attributes as written (`xmlns:atom`, `href`), values with entities resolved.
    var attributes: [(name: String, value: String)]
    /// Child elements, in document order.
    var children: [XMLElement]
    /// The element's own text: every text and CDATA run, each trimmed of surrounding whitespace (as clbanning/mxj
    /// trims each run), joined.
    var text: String

    init(name: String, attributes: [(name: String, value: String)] = [], children: [XMLElement] = [], text: String = "")
    {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The name without its namespace prefix (`link` for `atom:link`), as Go's `xml.Name.Local`.
    var localName: Substring { Self.localName(name) }

    /// The name after the first colon, or the whole name.
    static func localName(_ name: String) -> Substring {
        guard let colon = name.firstIndex(of: ":") else { return name[...] }
        return name[name.index(after: colon)...]
    }

    /// The value of the attribute whose local name is `name`.
    func attribute(_ name: String) -> String? {
        attributes.first { Self.localName($0.name) == name }?.value
    }

    /// The first child whose local name is `name`.
    func child(_ name: String) -> XMLElement? {
        children.first { $0.localName == name }
    }

    /// Every child whose local name is `name`.
    func children(_ name: String) -> [XMLElement] {
        children.filter { $0.localName == name }
    }

    /// The document as clbanning/mxj's `NewMapXmlReader` shapes it (what KrakenD's `xml` decoder returns):
    /// `{"root": value}`.
    var mxjDocument: JSONValue {
        .object(JSONObject([(key: String(localName), value: mxjValue)]))
    }

    /// This element's value in mxj's shape:
    /// - no attributes and no children: its text, a string (`""` when empty; numbers stay strings, no casting);
    /// - otherwise an object: each attribute as `"-name"` (local name, so `xmlns:atom` is `-atom`), each child by
    ///   local name (a repeated name becomes an array, placed where the name first appears), then the text as
    ///   `"#text"` when there is any.
    ///
    /// Members keep document order (mxj builds a Go map, so its order is undefined). Unlike mxj, text that comes
    /// before child elements is kept as `#text` instead of replacing the children.
    var mxjValue: JSONValue {
        if attributes.isEmpty && children.isEmpty { return .string(text) }
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(attributes.count + children.count + 1)
        for attribute in attributes {
            members.append(("-" + Self.localName(attribute.name), .string(attribute.value)))
        }
        var groups: [Substring: Int] = [:]  // local name → index in `members`
        for child in children {
            let key = child.localName
            let value = child.mxjValue
            if let index = groups[key] {
                if case .array(var items) = members[index].value {
                    members[index].value = .null  // drop the reference so the append does not copy
                    items.append(value)
                    members[index].value = .array(items)
                } else {
                    members[index].value = .array([members[index].value, value])
                }
            } else {
                groups[key] = members.count
                members.append((String(key), value))
            }
        }
        if !text.isEmpty { members.append(("#text", .string(text))) }
        return .object(JSONObject(members))
    }

    static func == (lhs: XMLElement, rhs: XMLElement) -> Bool {
        lhs.name == rhs.name && lhs.text == rhs.text && lhs.children == rhs.children
            && lhs.attributes.count == rhs.attributes.count
            && zip(lhs.attributes, rhs.attributes).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
