/// Why a backend body is not an XML document Portico can read; a backend failure, like invalid JSON.
struct XMLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The byte where reading stopped.
    var offset: Int
    /// What was wrong there.
    var reason: Reason

    /// What exactly is wrong at `offset`.
    enum Reason: Sendable, Equatable {
        /// The body ends inside markup, or before the root element is closed.
        case unexpectedEnd
        /// A byte that cannot appear here.
        case unexpectedByte
        /// No element at all (empty body, or only comments and declarations).
        case noRootElement
        /// Text before the root element.
        case textOutsideRoot
        /// A name starting with a digit, `-` or `.`.
        case invalidName
        /// An entity other than the five predefined ones, or a bad character reference.
        case invalidReference
        /// Bytes that are not well-formed UTF-8.
        case invalidUTF8
        /// `</b>` closing `<a>`.
        case mismatchedEndTag(expected: String, got: String)
        /// More nested elements than `limit`.
        case tooDeep(limit: Int)
    }

    /// A one-line description for logs.
    var description: String {
        switch reason {
        case .mismatchedEndTag(let expected, let got):
            "invalid XML at byte \(offset): expected </\(expected)>, got </\(got)>"
        case .tooDeep(let limit): "XML nested deeper than \(limit) elements at byte \(offset)"
        default: "invalid XML at byte \(offset): \(reason)"
        }
    }
}
