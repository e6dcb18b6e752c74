extension RecordedRequest {
    /// The request as compact JSON: `{"method","uri","path","query":{name: value or [values]},
    /// "headers":{lower-cased name: value, repeated values joined with ", "},"body": text}`.
    var jsonBytes: [UInt8] {
        var writer = JSONWriter(reservingCapacity: 256 + self.body.count)
        self.write(to: &writer)
        return writer.bytes
    }

    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("method", self.method)
        writer.field("uri", self.uri)
        writer.field("path", self.path)
        writer.key("query")
        writer.beginObject()
        let items = self.queryItems
        var written: Set<String> = []
        for item in items where written.insert(item.name).inserted {
            let values = items.filter { $0.name == item.name }.map(\.value)
            writer.key(item.name)
            if values.count == 1 {
                writer.string(values[0])
            } else {
                writer.beginArray()
                for value in values {
                    writer.string(value)
                }
                writer.endArray()
            }
        }
        writer.endObject()
        writer.key("headers")
        writer.beginObject()
        var writtenHeaders: Set<String> = []
        for header in self.headers {
            let name = header.name.lowercased()
            if writtenHeaders.insert(name).inserted {
                writer.field(name, self.headers(named: name).joined(separator: ", "))
            }
        }
        writer.endObject()
        writer.field("body", self.bodyText)
        if self.bodyTruncated {
            writer.key("body_truncated")
            writer.bool(true)
        }
        writer.endObject()
    }
}
