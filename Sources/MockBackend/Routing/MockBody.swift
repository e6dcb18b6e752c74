/// Where a mock response's body comes from.
public enum MockBody: Sendable, Equatable {
    /// No body (`Content-Length: 0`).
    case empty
    /// These exact bytes.
    case bytes([UInt8])
    /// Text in which each `{name}` naming a path parameter of the route is replaced by that parameter's raw
    /// (still percent-encoded) value; the wildcard's remainder is `{*}`. Other braces are left alone, so JSON
    /// templates such as `{"id": "{id}"}` work.
    case template(String)
    /// The request as a JSON object: `method`, `uri`, `path`, `query`, `headers` (lower-cased names), `body`.
    case echo
    /// The contents of this file, read when each request arrives (so a test can rewrite it, e.g. rotate a JWKS).
    case file(String)
    /// The file under this directory named by the route's trailing wildcard (`/keys/*` → `{*}`); `..` is refused.
    case directory(String)

    /// UTF-8 text as a static body.
    public static func text(_ text: String) -> MockBody {
        .bytes(Array(text.utf8))
    }
}
