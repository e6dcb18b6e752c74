/// Strict RFC 8259 validation of a complete JSON document.
///
/// Stricter than Go's `encoding/json` decoder that Lura uses (`encoding/json.go`): Lura decodes the first value
/// of the stream and ignores what follows, and replaces invalid UTF-8 with U+FFFD; Portico rejects both.
/// Like Go, it accepts unpaired `\uD800`-style escapes, which the RFC grammar allows.
public enum JSONValidator {
    /// The default nesting limit, also `JSONLimits().maxDepth`.
    public static let defaultMaxDepth = 256

    /// Validates `input` as one JSON value surrounded by optional whitespace and returns its kind.
    ///
    /// Iterative: nesting costs one bit per level (stack memory, or one heap block when `maxDepth` is huge),
    /// so a body of 100,000 `[` fails with `.tooDeep` instead of overflowing the stack. Allocates nothing
    /// for `maxDepth` up to several thousand.
    public static func validate(
        _ input: UnsafeRawBufferPointer,
        maxDepth: Int = defaultMaxDepth
    ) throws(JSONError) -> JSONKind {
        var recorder = JSONNoMemberRecorder()
        return try JSONSyntaxChecker.check(input, maxDepth: maxDepth, recorder: &recorder).kind
    }
}
