internal import JWTKit
public import Logging

/// An immutable set of verification keys built from a JWKS document (RFC 7517) key by key.
///
/// Each key is checked on its own; one unsupported or invalid key is skipped (and logged), never poisoning the
/// others. A key is not used when: `use` is not `sig`; `key_ops` lacks `verify`; its `alg` is unknown or contradicts
/// its `kty`/`crv`; it is an RSA key under 2048 bits, with an exponent below 3 or even, or with the ROCA
/// fingerprint; an EC/OKP key has a curve Portico does not verify, coordinates of the wrong length or a point off
/// the curve; an `oct` key is shorter than its hash (RFC 7518 §3.2). Set-level rules: keys sharing a `kid` are all
/// dropped (the match would be ambiguous), and when a set mixes `oct` secrets with public keys the secrets are
/// dropped (a published secret is no secret). Private members (`d`, `p`, …) are ignored: only public parts are used.
public struct KeySet: Sendable {
    /// A key that was not used, and why.
    public struct SkippedKey: Sendable, Equatable {
        /// Position in the JWKS `keys` array.
        public let index: Int
        /// The key's `kid`, when it had one.
        public let keyID: String?
        /// Human-readable reason, for logs.
        public let reason: String
    }

    /// Why a whole document was refused.
    public enum DocumentError: Error, Equatable, Sendable {
        /// Not JSON, or not an object with a `keys` array.
        case notAJWKS
    }

    /// How a token's header is matched to a key (KrakenD's `key_identify_strategy`).
    public enum Lookup: Sendable, Equatable {
        /// `kid`: header `kid` equals the key's `kid` (a token without `kid` matches the only key without one).
        case keyID
        /// `x5t`: header `x5t` (or, as in KrakenD, the header `kid` when `x5t` is absent) equals the key's `x5t`.
        case x5t
        /// `x5t#S256`: header `x5t#S256` equals the key's `x5t#S256`.
        case x5tS256
        /// `kid_x5t`: both header `kid` and header `x5t` equal the key's (KrakenD compares their concatenation).
        case keyIDAndX5t
    }

    /// The usable keys.
    public let keys: [VerificationKey]
    /// Keys that were refused.
    public let skipped: [SkippedKey]

    /// An empty set (before the first JWKS fetch succeeds).
    public static let empty = KeySet(keys: [], skipped: [])

    init(keys: [VerificationKey], skipped: [SkippedKey]) {
        self.keys = keys
        self.skipped = skipped
    }

    /// Builds a key set from JWKS JSON bytes.
    ///
    /// Start-up/refresh path only: it parses, validates and imports every key through jwt-kit.
    /// - Throws: `DocumentError.notAJWKS` when the document itself is unusable.
    public static func parse(jwks bytes: [UInt8], logger: Logger? = nil) async throws(DocumentError) -> KeySet {
        let document: JSONValue
        do {
            document = try StrictJSONParser(maximumDepth: 16).parse(bytes)
        } catch {
            throw .notAJWKS
        }
        guard let keyValues = document["keys"]?.arrayValue else { throw .notAJWKS }

        var candidates: [(index: Int, key: KeyMaterial)] = []
        var skipped: [SkippedKey] = []
        for (index, value) in keyValues.enumerated() {
            do throws(KeyMaterial.Rejection) {
                candidates.append((index, try KeyMaterial(jwk: value)))
            } catch {
                skipped.append(SkippedKey(index: index, keyID: value["kid"]?.stringValue, reason: error.reason))
            }
        }

        // Set-level rules: ambiguous kids, and secrets published next to public keys.
        // A kid is ambiguous even when one of its twins is itself invalid, so count over the whole document.
        var kidCounts: [String: Int] = [:]
        for value in keyValues {
            if let kid = value["kid"]?.stringValue { kidCounts[kid, default: 0] += 1 }
        }
        let hasAsymmetric = candidates.contains { $0.key.keyType != "oct" }
        let hasSymmetric = candidates.contains { $0.key.keyType == "oct" }
        var accepted: [(index: Int, key: KeyMaterial)] = []
        for candidate in candidates {
            if let kid = candidate.key.keyID, let count = kidCounts[kid], count > 1 {
                skipped.append(SkippedKey(index: candidate.index, keyID: kid, reason: "duplicate kid"))
            } else if hasAsymmetric && hasSymmetric && candidate.key.keyType == "oct" {
                skipped.append(
                    SkippedKey(
                        index: candidate.index,
                        keyID: candidate.key.keyID,
                        reason: "symmetric key in a set with public keys"
                    )
                )
            } else {
                accepted.append(candidate)
            }
        }

        let collection = JWTKeyCollection()
        var keys: [VerificationKey] = []
        for candidate in accepted {
            do {
                keys.append(try await candidate.key.makeVerificationKey(in: collection, slot: candidate.index))
            } catch {
                skipped.append(
                    SkippedKey(index: candidate.index, keyID: candidate.key.keyID, reason: "key import failed")
                )
            }
        }
        skipped.sort { $0.index < $1.index }
        if let logger {
            for skip in skipped {
                logger.warning(
                    "JWKS key skipped",
                    metadata: [
                        "index": "\(skip.index)", "kid": "\(skip.keyID ?? "-")", "reason": "\(skip.reason)",
                    ]
                )
            }
        }
        return KeySet(keys: keys, skipped: skipped)
    }

    /// The key a token header designates under `lookup`, or `nil` (never a fallback to some other key).
    public func key(for jws: CompactJWS, lookup: Lookup) -> VerificationKey? {
        switch lookup {
        case .keyID:
            return keyMatchingKeyID(jws.keyID)
        case .x5t:
            guard let thumbprint = jws.x5t ?? jws.keyID else { return nil }
            return keys.first { $0.x5t == thumbprint }
        case .x5tS256:
            guard let thumbprint = jws.x5tS256 else { return nil }
            return keys.first { $0.x5tS256 == thumbprint }
        case .keyIDAndX5t:
            guard let keyID = jws.keyID, let thumbprint = jws.x5t else { return nil }
            return keys.first { $0.keyID == keyID && $0.x5t == thumbprint }
        }
    }

    private func keyMatchingKeyID(_ keyID: String?) -> VerificationKey? {
        if let keyID { return keys.first { $0.keyID == keyID } }
        // No kid on either side is an exact match only when it is unique.
        var match: VerificationKey? = nil
        for key in keys where key.keyID == nil {
            if match != nil { return nil }
            match = key
        }
        return match
    }
}
