import Auth
import JWTKit

/// Validations per second through the full `JWTValidator` (parse, key lookup, signature, claims) on one core,
/// using the synchronous fast path the gateway calls on its event loop.
enum JWTValidatorBenchmark {
    /// Runs ES256, RS256 and HS256 and returns one line per algorithm.
    static func run() async throws -> [String] {
        var lines: [String] = []
        for algorithm in [SignatureAlgorithm.es256, .rs256, .hs256] {
            lines.append(try await measure(algorithm))
        }
        return lines
    }

    private static func measure(_ algorithm: SignatureAlgorithm) async throws -> String {
        let collection = JWTKeyCollection()
        let kid = JWKIdentifier(string: "bench")
        let publicJWK: String
        switch algorithm {
        case .es256:
            let key = ES256PrivateKey()
            await collection.add(ecdsa: key, kid: kid)
            let parameters = key.parameters
            publicJWK = #"{"kty":"EC","crv":"P-256","x":"\#(parameters?.x ?? "")","y":"\#(parameters?.y ?? "")"}"#
        case .rs256:
            let key = try Insecure.RSA.PrivateKey(pem: benchmarkRSAKey)
            await collection.add(rsa: key, digestAlgorithm: .sha256, kid: kid)
            let primitives = try key.publicKey.getKeyPrimitives()
            publicJWK =
                #"{"kty":"RSA","n":"\#(Base64URL.encode(primitives.modulus))","e":"\#(Base64URL.encode(primitives.publicExponent))"}"#
        default:
            let secret = [UInt8](repeating: 0x5A, count: 32)
            await collection.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256, kid: kid)
            publicJWK = #"{"kty":"oct","k":"\#(Base64URL.encode(secret))"}"#
        }
        let document = #"{"keys":[\#(publicJWK.dropLast()),"kid":"bench","alg":"\#(algorithm.rawValue)"}]}"#
        let keySet = try await KeySet.parse(jwks: Array(document.utf8))
        var configuration = JWTValidatorConfiguration(algorithms: [algorithm], jwkLocalPath: "/unused")
        configuration.issuer = "https://idp.portico.test/"
        configuration.audience = ["orders-api"]
        let validator = JWTValidator(configuration: configuration, keyProvider: KeySetProvider(keySet: keySet))

        let now = Int(SystemAuthClock().now())
        let header = #"{"alg":"\#(algorithm.rawValue)","kid":"bench","typ":"JWT"}"#
        let payload =
            #"{"iss":"https://idp.portico.test/","aud":"orders-api","sub":"user-42","iat":\#(now),"exp":\#(now + 3600),"#
            + #""scope":"orders:read orders:write"}"#
        let signingInput = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        let signature = try await collection.getKey(for: kid).sign(Array(signingInput.utf8))
        let authorization = "Bearer " + signingInput + "." + Base64URL.encode(signature)

        guard validator.validateSynchronously(authorization: authorization, cookieHeader: nil).status == 200 else {
            return "\(algorithm.rawValue): benchmark token rejected"
        }
        let iterations = algorithm == .rs256 ? 20_000 : 50_000
        let clock = ContinuousClock()
        var accepted = 0
        let elapsed = clock.measure {
            for _ in 0..<iterations
            where validator.validateSynchronously(authorization: authorization, cookieHeader: nil).status == 200 {
                accepted += 1
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Int(Double(accepted) / seconds)
        return "JWT \(algorithm.rawValue): \(rate) validations/s on one core (\(accepted)/\(iterations) accepted)"
    }

    /// A fixed 2048-bit benchmark-only key (jwt-kit cannot generate RSA keys).
    private static let benchmarkRSAKey = """
        -----BEGIN PRIVATE KEY-----
        MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDW8m4qdHFccemJ
        0SRnfnODxHcJn8LeiUIW2kJ1wdvjZSIeKFmboA33ZZtdwPFDpzxxuvzeTQM1631S
        n+S/EQGfjBIgexFfyodZM1DXJ4gacJLi7QM0gZbPqsn//iSpZi5BxzMbYRuO80cx
        i0WiMF+fndxYJXOAtpLNmSlBkhPfllDm5zPmXy3CGmVscYnlDo0Vu5VFHUlTIQxz
        cmf8EeAUVQojkErIroB3x39BtXBzhlXoq+r4wL5Itog2CgVu2OLcfaEWr3eXb9U9
        6U9c9mSVA6lHK2clWsWvzMD1+5N0/Fnaj+lt3Y1ENF2TF5FEwruyF/Sesl8o+AbP
        n6aWM6YtAgMBAAECggEAKqj84mIv6YgWMKsYjY3UQU+pzHgvxdj6C+0Pia2LBauZ
        xOB/QFrYysQYvNfBSosTfQL+kuQ4AeiV++MOFDm817yGEHo8bYWVrUd5AOqwoYa8
        MFuX6kDZ/KdJ5gu7nP9RqO5vHzz7qjhwZc3daR4urFA5Xik4rlAN/M4sGP50AUjH
        1Bku1Mo3Yo1g1HmN6XQHfdGA/2ibbUzOQghaWTQiDjAn909sT6jwf0UQLk5DYwdD
        7T0co4rZZsUywn8Cs//qc7mLAJE8VTTEqXbofJ0byOIfeuqLrFatYopz703A6ir/
        aIMmVFjTuT59cqexcP7LUfRx/2x6JYJnoVbsG0eMIQKBgQD2wvC6kumct9Yf4khC
        QX17iO4vlOyS57pHUg4wyerp31OmYgQCtQ2dGdWaZkHK8/tSjsOnw4v47AawKeBA
        qv6HNpziz94Ca3AuS653//g62YoOpQ1bloeYLiSCIO8wLaGkyNdI9VzUT8HJ6mNl
        1Jw++DZNkjMEWFoIYyCdc+T82QKBgQDe/pE7i7BfP/uUXipBnb32r/5KSwOvHpRD
        X0I8y1NRuH6pJQL9SNfHAGL+8qrcFuwBZI3n/WsnEc5NAJM9LXPs7Pzuzz9DkLU8
        +a2RIO6lX3wJlAtgEs22MRBVJ/Qx1v5AP4yF8x3mM6QuRpFo7gyyrbkHyXjPJ10A
        iOffEfpvdQKBgC5vvveNYBMS8WOspKZ7Ro7x1Mj1gJOgsghr46nAxclfMpG0Dkco
        JTi0PONCbQ0xXtFJdn5iqTudxyBtsPracu2lFF8GeSQBben4agvBCsigWX+qBdp/
        eGLmBA7M/dYWMD4fYYwkSGTX4YMK7cui+AhNk4KDicA+lCrR5Lhcr/H5AoGBAJwS
        ljmT6kywLnfIdFDag7NduF/tItX1VBXXXTfJozYmJ9hgxDfcPNHWbnM8CuPh0yqi
        Y0PEtbNxne99AJCn+GQR9nF6ci/q3z6fDaDu6LisHNdjW5bRclMbAfBn91zOucLj
        94llAD83U6jj0TActJx2RHOzyi9KwKf4KjmRjrNlAoGBALLPuqnlVa754hoogjpb
        NOo+WdTch6btyYRz+eK8p78TkFh0lNTd73GGyJeO3xDDTlHTooY9/apeIRImqGvd
        a8tBTZ5VYWZtTxlm+8qzpyJrtKXW1WwUvYmAxxABEMY3eey0rGf4FNQJMKJSfXju
        IiEA+Pye1w8v2btE+9HA18LT
        -----END PRIVATE KEY-----
        """
}
