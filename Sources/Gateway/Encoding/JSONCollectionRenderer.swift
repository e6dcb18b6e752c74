/// The `json-collection` output encoding: the endpoint answers with the `collection` member of the merged
/// object instead of the object.
///
/// As Lura's `jsonCollectionRender` (`router/gin/render.go`): the member is written whatever its kind, and
/// `[]` when the object has no `collection` member.
public enum JSONCollectionRenderer {
    private static let collectionName = JSONName("collection")

    /// Writes the `collection` member of `object` (a merged object from this engine), or `[]`.
    /// Allocates nothing; the value is copied raw.
    public static func render<Output: JSONOutput>(_ object: UnsafeRawBufferPointer, into output: inout Output) {
        var collection: Range<Int>?
        var members = JSONMemberIterator(object, objectStart: JSONSkimmer.skipWhitespace(object, from: 0))
        while let member = members.next() {
            if JSONKeyContext.memberKey(member, in: object, equals: Self.collectionName) {
                collection = member.value
            }
        }
        if let collection {
            output.writeJSON(object, collection)
        } else {
            output.writeJSON(byte: UInt8(ascii: "["))
            output.writeJSON(byte: UInt8(ascii: "]"))
        }
    }
}
