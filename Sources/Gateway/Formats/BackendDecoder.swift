import NIOCore

/// The backend `encoding`s other than `json` and `no-op`: turns a backend body into the JSON object that the
/// byte-level manipulation (`allow`, `deny`, `mapping`, `group`, `target`) then shapes. Built once per backend;
/// `HostCall` holds none for `json`, so the JSON path does no extra work.
///
/// ```json
/// { "url_pattern": "/catalog.xml", "encoding": "xml", "allow": ["catalog.book"] }
/// ```
///
/// Shapes, as Lura's decoders (`encoding/json.go`, `encoding/string.go`) and KrakenD CE's plugins
/// (krakend-xml, krakend-rss) produce them:
/// - `safejson`: an object as is; an array as `{"collection": [...]}`; any other value as `{"result": value}`.
///   `is_collection` is ignored, as in Lura.
/// - `string`: `{"content": "<the whole body>"}` (an empty body gives `""`); `is_collection` is ignored.
/// - `xml`: the document in clbanning/mxj's shape (`XMLElement.mxjValue`), e.g.
///   `<user id="7"><name>Ada</name></user>` → `{"user": {"-id": "7", "name": "Ada"}}`; values stay strings.
///   With `is_collection`, the document object is wrapped as `{"collection": {...}}` (krakend-xml's
///   `CollectionDecoder`).
/// - `rss`: RSS 2.0 / Atom as krakend-rss's object (`FeedDecoder`); `is_collection` is ignored.
///
/// A body that does not decode is a backend failure (`GatewayError.invalidBackendBody`), like invalid JSON.
struct BackendDecoder: Sendable {
    /// The encoding this decoder reads.
    let encoding: BackendEncoding
    private let isCollection: Bool
    private let backend: String
    private let maxDepth: Int

    /// A decoder for `configuration.encoding`; nil for `json` and `no-op`, which `HostCall` handles itself.
    init?(_ configuration: BackendConfiguration, limits: JSONLimits = JSONLimits()) {
        switch configuration.encoding {
        case .json, .noop: return nil
        case .safeJSON, .string, .xml, .rss: self.encoding = configuration.encoding
        }
        self.isCollection = configuration.isCollection
        self.backend = configuration.urlPattern
        self.maxDepth = limits.maxDepth
    }

    /// Decodes a backend body into a buffer holding one JSON object.
    /// Allocates the output buffer; `xml` and `rss` also build an element tree and a `JSONValue`.
    func decode(_ body: GatewayResponse.Body) throws -> GatewayResponse.Body {
        let input: ByteBuffer
        switch body {
        case .buffer(let buffer): input = buffer
        case .empty, .stream: input = ByteBuffer()
        }
        do {
            return .buffer(try input.withUnsafeReadableBytes { bytes in try decode(bytes) })
        } catch let error as GatewayError {
            throw error
        } catch {
            throw GatewayError.invalidBackendBody("\(error)", backend: backend)
        }
    }

    private func decode(_ bytes: UnsafeRawBufferPointer) throws -> ByteBuffer {
        switch encoding {
        case .safeJSON:
            return try safeJSON(bytes)
        case .string:
            var output = ByteBufferAllocator().buffer(capacity: bytes.count + 16)
            output.writeStaticString("{\"content\":")
            if String(validating: bytes, as: UTF8.self) != nil {
                JSONValue.writeString(utf8: bytes, into: &output)
            } else {
                // Invalid UTF-8 becomes U+FFFD, as Go's JSON encoder writes it.
                var repaired = String(decoding: bytes, as: UTF8.self)
                repaired.withUTF8 { JSONValue.writeString(utf8: UnsafeRawBufferPointer($0), into: &output) }
            }
            output.writeInteger(UInt8(ascii: "}"))
            return output
        case .xml:
            let document = try XMLDocumentParser.parse(bytes, maxDepth: maxDepth).mxjDocument
            return Self.write(isCollection ? .object(JSONObject([(key: "collection", value: document)])) : document)
        case .rss:
            return Self.write(try FeedDecoder.decode(XMLDocumentParser.parse(bytes, maxDepth: maxDepth)))
        case .json, .noop:
            return ByteBuffer(bytes: bytes)
        }
    }

    /// Copies an object for the manipulation to validate; validates anything else first (so that a body such as
    /// `1,"admin":true` cannot become an object by being wrapped), then wraps it.
    private func safeJSON(_ bytes: UnsafeRawBufferPointer) throws -> ByteBuffer {
        var output = ByteBufferAllocator().buffer(capacity: bytes.count + 16)
        let start = JSONSkimmer.skipWhitespace(bytes, from: 0)
        if start < bytes.count, bytes[start] == UInt8(ascii: "{") {
            output.writeBytes(bytes)
            return output
        }
        // One level less: the wrapper object adds one.
        switch try JSONValidator.validate(bytes, maxDepth: max(maxDepth - 1, 1)) {
        case .array: output.writeStaticString("{\"collection\":")
        default: output.writeStaticString("{\"result\":")
        }
        output.writeBytes(bytes)
        output.writeInteger(UInt8(ascii: "}"))
        return output
    }

    private static func write(_ value: JSONValue) -> ByteBuffer {
        var output = ByteBufferAllocator().buffer(capacity: 256)
        value.write(into: &output)
        return output
    }
}
