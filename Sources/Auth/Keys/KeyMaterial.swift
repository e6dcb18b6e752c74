internal import JWTKit

/// The validated public material of one JWK, before import into jwt-kit.
struct KeyMaterial {
    struct Rejection: Error {
        let reason: String
    }

    enum Material {
        case rsa(modulus: String, exponent: String, modulusByteCount: Int)
        case ec(x: String, y: String, algorithm: SignatureAlgorithm)
        case okp(x: String)
        case oct(secret: [UInt8])
    }

    let keyID: String?
    let x5t: String?
    let x5tS256: String?
    let keyType: String
    let algorithms: [SignatureAlgorithm]
    let material: Material

    init(jwk: JSONValue) throws(Rejection) {
        guard case .object = jwk else { throw Rejection(reason: "not an object") }
        guard let keyType = jwk["kty"]?.stringValue else { throw Rejection(reason: "missing kty") }
        self.keyType = keyType
        self.keyID = try Self.optionalString(jwk, "kid")
        self.x5t = try Self.optionalString(jwk, "x5t")
        self.x5tS256 = try Self.optionalString(jwk, "x5t#S256")

        if let use = jwk["use"] {
            guard use.stringValue == "sig" else { throw Rejection(reason: "use is not sig") }
        }
        if let operations = jwk["key_ops"] {
            guard let list = operations.arrayValue, list.contains(.string("verify")) else {
                throw Rejection(reason: "key_ops without verify")
            }
        }
        let curve = try Self.optionalString(jwk, "crv")
        var algorithms = SignatureAlgorithm.compatible(keyType: keyType, curve: curve)
        if let declared = jwk["alg"] {
            guard let name = declared.stringValue, let algorithm = SignatureAlgorithm(rawValue: name) else {
                throw Rejection(reason: "unsupported alg")
            }
            guard algorithms.contains(algorithm) else { throw Rejection(reason: "alg contradicts key type") }
            algorithms = [algorithm]
        }

        switch keyType {
        case "RSA":
            let (modulusText, modulus) = try Self.requiredBytes(jwk, "n")
            let (exponentText, exponent) = try Self.requiredBytes(jwk, "e")
            guard let leading = modulus.first, leading != 0 else { throw Rejection(reason: "non-minimal modulus") }
            let bitCount = modulus.count * 8 - leading.leadingZeroBitCount
            guard bitCount >= 2048 else { throw Rejection(reason: "RSA key under 2048 bits") }
            guard bitCount <= 16_384 else { throw Rejection(reason: "RSA key over 16384 bits") }
            guard let last = exponent.last, exponent.count <= 8, exponent.first != 0, last & 1 == 1,
                exponent.count > 1 || last >= 3
            else { throw Rejection(reason: "invalid RSA exponent") }
            guard !ROCAFingerprint.matches(modulus: modulus) else {
                throw Rejection(reason: "RSA modulus has the ROCA fingerprint")
            }
            material = .rsa(modulus: modulusText, exponent: exponentText, modulusByteCount: modulus.count)
        case "EC":
            guard let algorithm = algorithms.first, let size = algorithm.coordinateByteCount else {
                throw Rejection(reason: "unsupported curve")
            }
            let (xText, x) = try Self.requiredBytes(jwk, "x")
            let (yText, y) = try Self.requiredBytes(jwk, "y")
            guard x.count == size, y.count == size else { throw Rejection(reason: "coordinate length") }
            material = .ec(x: xText, y: yText, algorithm: algorithm)
        case "OKP":
            guard curve == "Ed25519", !algorithms.isEmpty else { throw Rejection(reason: "unsupported curve") }
            let (xText, x) = try Self.requiredBytes(jwk, "x")
            guard x.count == 32 else { throw Rejection(reason: "public key length") }
            material = .okp(x: xText)
        case "oct":
            let (_, secret) = try Self.requiredBytes(jwk, "k")
            algorithms = algorithms.filter { secret.count >= $0.hashByteCount }
            guard !algorithms.isEmpty else { throw Rejection(reason: "HMAC key shorter than its hash") }
            material = .oct(secret: secret)
        default:
            throw Rejection(reason: "unsupported kty")
        }
        guard !algorithms.isEmpty else { throw Rejection(reason: "no usable algorithm") }
        self.algorithms = algorithms
    }

    /// Imports the key into jwt-kit once per algorithm it may verify and keeps the resulting verifiers.
    func makeVerificationKey(in collection: JWTKeyCollection, slot: Int) async throws -> VerificationKey {
        var verifiers: [SignatureAlgorithm: any JWTAlgorithm] = [:]
        var lengths: [SignatureAlgorithm: Int] = [:]
        for algorithm in algorithms {
            // A private kid per (key, algorithm) so jwt-kit never resolves one key for another.
            let kid = JWKIdentifier(string: "portico-\(slot)-\(algorithm.rawValue)")
            switch material {
            case .rsa(let modulus, let exponent, let byteCount):
                let key = try Insecure.RSA.PublicKey(modulus: modulus, exponent: exponent)
                switch algorithm {
                case .rs256: await collection.add(rsa: key, digestAlgorithm: .sha256, kid: kid)
                case .rs384: await collection.add(rsa: key, digestAlgorithm: .sha384, kid: kid)
                case .rs512: await collection.add(rsa: key, digestAlgorithm: .sha512, kid: kid)
                case .ps256: await collection.add(pss: key, digestAlgorithm: .sha256, kid: kid)
                case .ps384: await collection.add(pss: key, digestAlgorithm: .sha384, kid: kid)
                case .ps512: await collection.add(pss: key, digestAlgorithm: .sha512, kid: kid)
                default: continue
                }
                lengths[algorithm] = byteCount
            case .ec(let x, let y, _):
                switch algorithm {
                case .es256: await collection.add(ecdsa: try ES256PublicKey(parameters: (x, y)), kid: kid)
                case .es384: await collection.add(ecdsa: try ES384PublicKey(parameters: (x, y)), kid: kid)
                case .es512: await collection.add(ecdsa: try ES512PublicKey(parameters: (x, y)), kid: kid)
                default: continue
                }
                lengths[algorithm] = 2 * (algorithm.coordinateByteCount ?? 0)
            case .okp(let x):
                await collection.add(eddsa: try EdDSA.PublicKey(x: x, curve: .ed25519), kid: kid)
                lengths[algorithm] = 64
            case .oct(let secret):
                let key = HMACKey(from: secret)
                switch algorithm {
                case .hs256: await collection.add(hmac: key, digestAlgorithm: .sha256, kid: kid)
                case .hs384: await collection.add(hmac: key, digestAlgorithm: .sha384, kid: kid)
                case .hs512: await collection.add(hmac: key, digestAlgorithm: .sha512, kid: kid)
                default: continue
                }
                lengths[algorithm] = algorithm.hashByteCount
            }
            verifiers[algorithm] = try await collection.getKey(for: kid)
        }
        return VerificationKey(
            keyID: keyID,
            x5t: x5t,
            x5tS256: x5tS256,
            keyType: keyType,
            signatureByteCount: lengths,
            verifiers: verifiers
        )
    }

    private static func optionalString(_ jwk: JSONValue, _ name: String) throws(Rejection) -> String? {
        guard let value = jwk[name] else { return nil }
        guard let string = value.stringValue else { throw Rejection(reason: "\(name) is not a string") }
        return string
    }

    private static func requiredBytes(_ jwk: JSONValue, _ name: String) throws(Rejection) -> (String, [UInt8]) {
        guard let text = jwk[name]?.stringValue else { throw Rejection(reason: "missing \(name)") }
        guard let bytes = Base64URL.decode(text.utf8), !bytes.isEmpty else {
            throw Rejection(reason: "\(name) is not base64url")
        }
        return (text, bytes)
    }
}
