/// A value inside a JSON document: its byte range in that document and its kind.
public struct JSONSlice: Sendable, Hashable {
    /// The value's bytes, without surrounding whitespace, as offsets into the document it was found in.
    public var range: Range<Int>
    /// What kind of value it is.
    public var kind: JSONKind

    /// A slice over `range` of a document; `kind` must describe the value there.
    public init(range: Range<Int>, kind: JSONKind) {
        self.range = range
        self.kind = kind
    }
}
