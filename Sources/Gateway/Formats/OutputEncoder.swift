import NIOCore
import NIOHTTP1

/// The endpoint `output_encoding`s other than `json`, `json-collection` and `no-op`: re-encodes the merged JSON
/// object for the client. Built once per endpoint; `ResponseRenderer` holds none for `json`, so the JSON path does
/// no extra work.
///
/// ```json
/// { "endpoint": "/feed", "output_encoding": "negotiate", "backend": [{ "url_pattern": "/feed" }] }
/// ```
///
/// | `output_encoding` | body | `Content-Type` |
/// |---|---|---|
/// | `string` | the object's `content` member when it is a string, else empty (Lura's `stringRender`) | `text/plain; charset=utf-8` |
/// | `xml` | the object as XML (`XMLObjectWriter`, krakend-xml's renderer) | `application/xml` |
/// | `yaml` | the object as YAML (`YAMLObjectWriter`) | `application/yaml; charset=utf-8` |
/// | `negotiate` | JSON, YAML or XML by `Accept` (`MediaTypeNegotiation`) | `application/json; charset=utf-8`, `application/yaml; charset=utf-8` or `application/xml; charset=utf-8` |
///
/// Default (no `output_encoding` anywhere): `json`. Under `negotiate`, KrakenD's XML branch writes only the
/// `content` member through Go's `encoding/xml` (which cannot encode an object, so clients get an error);
/// Portico writes the whole object as the `xml` encoding does. Slow path: parses the merged object into a
/// `JSONValue` (except when negotiation picks JSON, which passes the bytes through) and writes a new buffer.
struct OutputEncoder: Sendable {
    /// The encoding this encoder writes.
    let encoding: OutputEncoding

    /// An encoder for `encoding`; nil for the encodings `ResponseRenderer` writes itself (`json`,
    /// `json-collection`, `no-op`).
    init?(_ encoding: OutputEncoding) {
        switch encoding {
        case .string, .xml, .yaml, .negotiate: self.encoding = encoding
        case .json, .jsonCollection, .noop: return nil
        }
    }

    /// `Content-Type` of the `json` encoding, as gin's `c.JSON` sends it.
    static let jsonContentType = "application/json; charset=utf-8"
    /// `Content-Type` of the `string` encoding, as gin's `c.String` sends it.
    static let plainContentType = "text/plain; charset=utf-8"
    /// `Content-Type` of the `xml` encoding, as krakend-xml sets it (`gin.MIMEXML`, no charset).
    static let xmlContentType = "application/xml"
    /// `Content-Type` of negotiated XML, as gin's `c.XML` sends it.
    static let negotiatedXMLContentType = "application/xml; charset=utf-8"
    /// `Content-Type` of YAML, as gin's `c.YAML` sends it (gin 1.10 and later).
    static let yamlContentType = "application/yaml; charset=utf-8"

    /// Re-encodes `object` (a JSON object from the merger) for a request with `requestHeaders`.
    /// - Returns: the body and its `Content-Type`.
    func render(
        _ object: ByteBuffer,
        requestHeaders: HTTPHeaders,
        allocator: ByteBufferAllocator
    ) -> (body: ByteBuffer, contentType: String) {
        switch encoding {
        case .string:
            var body = allocator.buffer(capacity: 0)
            if case .string(let content)? = Self.parse(object)?["content"] { body.writeString(content) }
            return (body, Self.plainContentType)
        case .xml:
            return xml(object, contentType: Self.xmlContentType, allocator: allocator)
        case .yaml:
            return yaml(object, allocator: allocator)
        case .negotiate:
            switch MediaTypeNegotiation.format(accept: requestHeaders.first(name: "accept")) {
            case .json: return (object, Self.jsonContentType)
            case .yaml: return yaml(object, allocator: allocator)
            case .xml: return xml(object, contentType: Self.negotiatedXMLContentType, allocator: allocator)
            }
        case .json, .jsonCollection, .noop:
            return (object, Self.jsonContentType)
        }
    }

    private func xml(
        _ object: ByteBuffer,
        contentType: String,
        allocator: ByteBufferAllocator
    ) -> (body: ByteBuffer, contentType: String) {
        guard let value = Self.parse(object) else { return (object, Self.jsonContentType) }
        var body = allocator.buffer(capacity: object.readableBytes * 2)
        XMLObjectWriter.write(value, into: &body)
        return (body, contentType)
    }

    private func yaml(_ object: ByteBuffer, allocator: ByteBufferAllocator) -> (body: ByteBuffer, contentType: String) {
        // The merged object is always valid JSON and Yams emits any tree; a failure falls back to the JSON bytes.
        guard let value = Self.parse(object), let text = try? YAMLObjectWriter.text(value) else {
            return (object, Self.jsonContentType)
        }
        return (allocator.buffer(string: text), Self.yamlContentType)
    }

    private static func parse(_ object: ByteBuffer) -> JSONValue? {
        try? JSONValue(parsing: object)
    }
}
