import Gateway
import Testing

@Suite("JSONLookup")
struct JSONLookupTests {
    static let response =
        #"{"user":{"id":42,"name":"Ada \"L\" \u00e9","tags":["a","b c"],"active":true,"#
        + #""manager":null,"ids":[1, 2.5,"x",null,[3]],"empty":[],"address":{"city":"Paris"}},"user":{"id":43}}"#

    /// The value at `path` as text, and its kind.
    func lookup(_ path: String, in document: String = Self.response) -> (text: String, kind: JSONKind)? {
        let bytes = Array(document.utf8)
        return bytes.withUnsafeBytes { buffer in
            guard let slice = JSONLookup.value(at: JSONPath(path), in: buffer) else { return nil }
            return (String(decoding: bytes[slice.range], as: UTF8.self), slice.kind)
        }
    }

    /// The value at `path` rendered for a URL, or nil when it is not renderable or missing.
    func urlText(_ path: String, in document: String) -> String? {
        let bytes = Array(document.utf8)
        return bytes.withUnsafeBytes { buffer -> String? in
            guard let slice = JSONLookup.value(at: JSONPath(path), in: buffer) else { return nil }
            var output: [UInt8] = []
            guard JSONLookup.writeURLText(of: slice, in: buffer, into: &output) else { return nil }
            return String(decoding: output, as: UTF8.self)
        }
    }

    @Test("finds nested values; a repeated key resolves to its last value")
    func findsValues() {
        let document = #"{"user":{"id":42,"address":{"city":"Paris"}},"list":[1]}"#
        #expect(self.lookup("user.id", in: document)?.text == "42")
        #expect(self.lookup("user.id", in: document)?.kind == .number)
        #expect(self.lookup("user.address", in: document)?.text == #"{"city":"Paris"}"#)
        #expect(self.lookup("user.address", in: document)?.kind == .object)
        #expect(self.lookup("list", in: document)?.kind == .array)
        #expect(self.lookup("user.id")?.text == "43")
    }

    @Test("returns nil for missing members and paths through non-objects")
    func missing() {
        let document = #"{"user":{"id":42},"list":[{"id":1}]}"#
        #expect(self.lookup("user.name", in: document) == nil)
        #expect(self.lookup("nobody", in: document) == nil)
        #expect(self.lookup("user.id.more", in: document) == nil)
        #expect(self.lookup("list.id", in: document) == nil)
        #expect(self.lookup("a", in: "") == nil)
        #expect(self.lookup("a", in: "[1]") == nil)
    }

    @Test("an empty segment list is the whole document")
    func wholeDocument() {
        let bytes = Array(#" {"a":1} "#.utf8)
        let slice = bytes.withUnsafeBytes { JSONLookup.value(at: JSONPath(segments: []), in: $0) }
        #expect(slice == JSONSlice(range: 1..<8, kind: .object))
        #expect(JSONPath("user.id").segments == ["user", "id"])
        #expect(JSONPath("user.id").description == "user.id")
    }

    static let urlCases: [(path: String, expected: String?)] = [
        ("user.id", "42"),
        ("user.name", "Ada \"L\" é"),
        ("user.tags", "a,b c"),
        ("user.active", "true"),
        ("user.manager", "<nil>"),
        ("user.ids", "1,2.5,x,<nil>,[3]"),
        ("user.empty", ""),
        ("user.address", nil),
        ("user.absent", nil),
    ]

    @Test("renders values for URLs as KrakenD's sequential proxy does", arguments: urlCases)
    func urlText(path: String, expected: String?) {
        let document =
            #"{"user":{"id":42,"name":"Ada \"L\" \u00e9","tags":["a","b c"],"active":true,"#
            + #""manager":null,"ids":[1, 2.5,"x",null,[3]],"empty":[ ],"address":{"city":"Paris"}}}"#
        #expect(self.urlText(path, in: document) == expected)
    }

    @Test("decodes surrogate pairs and replaces lone surrogates as Go does")
    func surrogates() {
        #expect(self.urlText("s", in: #"{"s":"\ud83d\ude00"}"#) == "😀")
        #expect(self.urlText("s", in: #"{"s":"\ud83d-"}"#) == "\u{FFFD}-")
        #expect(self.urlText("s", in: #"{"s":"\ude00\ud83d"}"#) == "\u{FFFD}\u{FFFD}")
        #expect(self.urlText("s", in: #"{"s":"\ud83d\u0041"}"#) == "\u{FFFD}A")
    }
}
