import NIOCore
import Yams

/// Writes a JSON value as a YAML document through Yams (libyaml's emitter), as KrakenD's negotiated renderer
/// writes YAML with gin's `c.YAML` (Go's yaml.v3).
///
/// Members keep the object's order (yaml.v3 sorts a Go map's keys; Portico's JSON output keeps order, and so does
/// this). Numbers are written as their JSON text, plain; strings that YAML would read as something else (`"true"`,
/// `"12"`, `"null"`, `"~"`) are single-quoted, so the document reads back as the same JSON. Block style, two-space
/// indentation, no `---`; empty objects and arrays as `{}` and `[]`.
///
/// A slow path: builds a Yams node tree, then the text.
enum YAMLObjectWriter {
    /// The YAML text of `value`.
    static func text(_ value: JSONValue) throws -> String {
        try Yams.serialize(node: node(value), allowUnicode: true)
    }

    /// Writes the YAML text of `value` to `buffer`.
    static func write(_ value: JSONValue, into buffer: inout ByteBuffer) throws {
        buffer.writeString(try text(value))
    }

    private static func node(_ value: JSONValue) -> Node {
        switch value {
        // Explicit tags: an implicit one makes Yams' emitter run its regular-expression resolver on every scalar
        // (measured: most of the time of a 2 KB document). The emitter still writes no tags.
        case .null: return .scalar(Node.Scalar("null", Tag(.null)))
        case .bool(let bool): return .scalar(Node.Scalar(bool ? "true" : "false", Tag(.bool)))
        case .number(let text):
            let isInteger = !text.utf8.contains {
                $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E")
            }
            return .scalar(Node.Scalar(text, Tag(isInteger ? .int : .float)))
        case .string(let string): return .scalar(scalar(string))
        case .array(let items): return .sequence(Node.Sequence(items.map(node)))
        case .object(let members):
            return .mapping(Node.Mapping(members.map { (Node.scalar(scalar($0.key)), node($0.value)) }))
        }
    }

    /// A string scalar that reads back as a string: Yams' resolver (regular expressions, slow) runs only for
    /// strings that could resolve to another type (YAML 1.1: numbers, booleans such as `on`/`no`/`y`, null,
    /// timestamps, `<<`, `=`); the rest are plain. libyaml quotes what plain style cannot carry (`: `, `#`, …).
    private static func scalar(_ string: String) -> Node.Scalar {
        guard let first = string.utf8.first else { return string.represented() }
        switch first {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."),
            UInt8(ascii: "~"), UInt8(ascii: "<"), UInt8(ascii: "="):
            return string.represented()
        default:
            return string.utf8.count <= 5 && ambiguousWords.contains(string.lowercased())
                ? string.represented() : Node.Scalar(string, Tag(.str))
        }
    }

    /// Words a YAML 1.1 resolver reads as booleans or null, lower-cased.
    private static let ambiguousWords: Set<String> = ["y", "n", "yes", "no", "true", "false", "on", "off", "null"]
}
