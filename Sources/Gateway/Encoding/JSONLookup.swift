/// Read-only access to values inside a formatted response, for features that reuse one backend's answer
/// (the sequential proxy's `{resp0_user.id}` placeholders).
public enum JSONLookup {
    /// The value at `path` inside the object `document` (produced or validated by this engine), or nil when a
    /// member is missing or a non-last segment is not an object. A repeated key resolves to its last value.
    /// An empty path is the whole document. Allocates nothing (unless a key on the way is escaped).
    public static func value(at path: JSONPath, in document: UnsafeRawBufferPointer) -> JSONSlice? {
        var current = JSONSkimmer.trimmedRange(document)
        guard !current.isEmpty else { return nil }
        for name in path.names {
            guard document[current.lowerBound] == UInt8(ascii: "{") else { return nil }
            var found: Range<Int>?
            var members = JSONMemberIterator(document, objectStart: current.lowerBound)
            while let member = members.next() {
                if JSONKeyContext.memberKey(member, in: document, equals: name) { found = member.value }
            }
            guard let found else { return nil }
            current = found
        }
        return JSONSlice(range: current, kind: JSONKind(firstByte: document[current.lowerBound]))
    }

    /// Writes `value` (a slice of `document`) the way KrakenD substitutes a response value into a URL, and
    /// returns false, writing nothing, for an object.
    ///
    /// As Lura's `sequentialMerge` (`proxy/merging.go`): strings unquoted and unescaped, numbers as their JSON
    /// text (Lura decodes with `UseNumber`), booleans as `true`/`false`, `null` as Go prints nil (`<nil>`), an
    /// array as its elements joined by `,` (empty: nothing). Lura prints an object, or a container inside an
    /// array, with Go's `%v` (`map[a:1]`); Portico refuses the object and writes nested containers as JSON.
    /// No percent-encoding: the caller escapes for the URL part it fills.
    public static func writeURLText<Output: JSONOutput>(
        of value: JSONSlice,
        in document: UnsafeRawBufferPointer,
        into output: inout Output
    ) -> Bool {
        switch value.kind {
        case .object:
            return false
        case .array:
            var index = JSONSkimmer.skipWhitespace(document, from: value.range.lowerBound + 1)
            var first = true
            while index < value.range.upperBound && document[index] != UInt8(ascii: "]") {
                let end = JSONSkimmer.skipValue(document, from: index)
                guard end > index else { break }
                if !first { output.writeJSON(byte: UInt8(ascii: ",")) }
                first = false
                Self.writeElement(index..<end, in: document, into: &output)
                index = JSONSkimmer.skipWhitespace(document, from: end)
                if index < value.range.upperBound && document[index] == UInt8(ascii: ",") {
                    index = JSONSkimmer.skipWhitespace(document, from: index + 1)
                }
            }
            return true
        default:
            Self.writeElement(value.range, in: document, into: &output)
            return true
        }
    }

    private static func writeElement<Output: JSONOutput>(
        _ range: Range<Int>,
        in document: UnsafeRawBufferPointer,
        into output: inout Output
    ) {
        switch JSONKind(firstByte: document[range.lowerBound]) {
        case .string:
            let content = (range.lowerBound + 1)..<max(range.lowerBound + 1, range.upperBound - 1)
            JSONStringUnescaper.unescape(document, content: content, into: &output)
        case .null:
            output.writeJSON(array: Self.goNil)
        default:
            output.writeJSON(document, range)
        }
    }

    /// How Go's `fmt` prints a nil interface, which is what Lura substitutes for a JSON `null`.
    private static let goNil: [UInt8] = Array("<nil>".utf8)
}
