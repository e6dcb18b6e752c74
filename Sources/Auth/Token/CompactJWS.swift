/// A JWS in compact serialization (RFC 7515 §7.1) that passed Portico's structural rules, signature not yet checked.
///
/// Rules applied here, before any key is touched: a size cap; exactly three segments (five segments is a JWE and
/// is refused, a leading `{` is the JSON serialization and is refused); strict base64url in every segment; a header
/// that is a JSON object without duplicate members, with a string `alg` that is not `none`; no `crit` (Portico
/// implements no extension, so every critical one is unknown); `b64` other than `true` refused (RFC 7797).
/// Header members that would make a verifier fetch or trust keys from the token (`jku`, `x5u`, `jwk`, `x5c`) are
/// parsed past and never used.
public struct CompactJWS: Sendable {
    /// Why a token was refused before (or at) signature verification.
    public enum Failure: Error, Equatable, Sendable {
        /// Longer than the configured maximum.
        case tooLarge
        /// Five segments: an encrypted JWE, which Portico does not accept.
        case encryptedTokenRefused
        /// JSON serialization instead of compact.
        case jsonSerializationRefused
        /// Not three non-empty (header, signature) segments.
        case malformed
        /// A segment is not canonical unpadded base64url.
        case invalidBase64URL
        /// The header is not a JSON object (or not UTF-8, or has duplicate members).
        case invalidHeader
        /// `alg` missing, `none`, unknown, or not allowed on this endpoint.
        case algorithmNotAllowed(String)
        /// The header declares critical extensions.
        case unsupportedCriticalHeader
    }

    /// The algorithm named by the header (already checked against the allowed list).
    public let algorithm: SignatureAlgorithm
    /// The header's `kid`, if any.
    public let keyID: String?
    /// The header's `x5t` (SHA-1 certificate thumbprint), if any.
    public let x5t: String?
    /// The header's `x5t#S256`, if any.
    public let x5tS256: String?
    /// The decoded header.
    public let header: JSONValue
    /// The decoded payload bytes (may be empty for a bare JWS).
    public let payload: [UInt8]
    /// The decoded signature.
    public let signature: [UInt8]
    /// The signing input: the ASCII bytes `header.payload` as sent.
    public let signingInput: ArraySlice<UInt8>

    /// Parses `token` under the structural rules.
    ///
    /// Allocates: one byte copy of the token, the three decoded segments, the parsed header.
    /// - Parameters:
    ///   - token: The compact JWS as received.
    ///   - allowedAlgorithms: The endpoint's allow-list; anything else is refused before a key is looked up.
    ///   - maximumSize: Maximum token length in bytes.
    public init(
        token: Substring,
        allowedAlgorithms: Set<SignatureAlgorithm>,
        maximumSize: Int
    ) throws(Failure) {
        let utf8 = token.utf8
        guard utf8.count <= maximumSize else { throw .tooLarge }
        let bytes = Array(utf8)
        guard let first = bytes.first else { throw .malformed }
        if first == UInt8(ascii: "{") { throw .jsonSerializationRefused }
        var dots: [Int] = []
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: ".") {
            dots.append(offset)
            if dots.count > 4 { throw .malformed }
        }
        if dots.count == 4 { throw .encryptedTokenRefused }
        guard dots.count == 2 else { throw .malformed }
        let headerPart = bytes[0..<dots[0]]
        let payloadPart = bytes[(dots[0] + 1)..<dots[1]]
        let signaturePart = bytes[(dots[1] + 1)...]
        guard !headerPart.isEmpty, !signaturePart.isEmpty else { throw .malformed }
        guard let headerBytes = Base64URL.decode(headerPart),
            let payload = Base64URL.decode(payloadPart),
            let signature = Base64URL.decode(signaturePart)
        else { throw .invalidBase64URL }

        let header: JSONValue
        do {
            header = try StrictJSONParser(maximumDepth: 8).parse(headerBytes)
        } catch {
            throw .invalidHeader
        }
        guard case .object(let members) = header else { throw .invalidHeader }

        var algorithmName: String? = nil
        var keyID: String? = nil
        var x5t: String? = nil
        var x5tS256: String? = nil
        for (name, value) in members {
            switch name {
            case "alg":
                guard let string = value.stringValue else { throw .algorithmNotAllowed("") }
                algorithmName = string
            case "kid":
                guard let string = value.stringValue else { throw .invalidHeader }
                keyID = string
            case "x5t":
                guard let string = value.stringValue else { throw .invalidHeader }
                x5t = string
            case "x5t#S256":
                guard let string = value.stringValue else { throw .invalidHeader }
                x5tS256 = string
            case "crit":
                throw .unsupportedCriticalHeader
            case "b64":
                guard value == .bool(true) else { throw .unsupportedCriticalHeader }
            default:
                // jku, x5u, jwk, x5c, typ, cty and private members: never acted upon.
                break
            }
        }
        guard let algorithmName else { throw .algorithmNotAllowed("") }
        guard let algorithm = SignatureAlgorithm(rawValue: algorithmName), allowedAlgorithms.contains(algorithm)
        else { throw .algorithmNotAllowed(algorithmName) }

        self.algorithm = algorithm
        self.keyID = keyID
        self.x5t = x5t
        self.x5tS256 = x5tS256
        self.header = header
        self.payload = payload
        self.signature = signature
        self.signingInput = bytes[0..<dots[1]]
    }
}
