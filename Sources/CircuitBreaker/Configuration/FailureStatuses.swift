/// Which backend response statuses count as a breaker failure: the Portico key `failure_statuses`.
///
/// ```json
/// "failure_statuses": "krakend"          // default: every status but 200 and 201; none for no-op backends
/// "failure_statuses": "non-2xx"          // every status outside 200...299
/// "failure_statuses": "5xx"              // only 500...599
/// "failure_statuses": [429, "5xx"]       // only these statuses and classes
/// "failure_statuses": []                 // no status: only transport errors, timeouts and bad bodies
/// ```
///
/// With any value other than `"krakend"` the rule also applies to `no-op` backends, which KrakenD never judges by
/// status. A status outside 100...599 is malformed and always counts as a failure.
public enum FailureStatuses: Sendable, Equatable {
    /// KrakenD's rule: every status other than 200 and 201 fails; a `no-op` backend fails only on transport errors.
    case krakend
    /// Exactly the listed statuses fail (plus any malformed status outside 100...599), for every encoding.
    case listed(StatusCodeSet)

    /// Every status outside 200...299.
    public static let non2xx: FailureStatuses = {
        var set = StatusCodeSet.statusClass(1)
        for hundreds in 3...5 { set.formUnion(.statusClass(hundreds)) }
        return .listed(set)
    }()

    /// Whether a response with `status` is a breaker failure.
    ///
    /// - Parameters:
    ///   - status: the backend's HTTP status code.
    ///   - noOpEncoding: true for a backend with `"encoding": "no-op"`, whose status KrakenD passes through unjudged.
    /// No allocation.
    public func isFailure(status: Int, noOpEncoding: Bool) -> Bool {
        switch self {
        case .krakend:
            return noOpEncoding ? false : status != 200 && status != 201
        case .listed(let set):
            guard status >= StatusCodeSet.lowest, status <= StatusCodeSet.highest else { return true }
            return set.contains(status)
        }
    }
}

extension FailureStatuses: Decodable {
    /// Decodes a preset word, a status class, or an array of statuses and classes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let word = try? container.decode(String.self) {
            switch word {
            case "krakend": self = .krakend
            case "non-2xx": self = .non2xx
            default:
                guard let set = Self.statusClass(named: word) else {
                    throw DecodingError.dataCorruptedError(
                        in: container,
                        debugDescription: "expected \"krakend\", \"non-2xx\", a status class like \"5xx\" "
                            + "or an array like [429, \"5xx\"], got \"\(word)\""
                    )
                }
                self = .listed(set)
            }
            return
        }
        var list = try Self.listContainer(decoder, container)
        var set = StatusCodeSet()
        while !list.isAtEnd {
            // One element per decode call: trying several types on an unkeyed container could skip elements.
            set.formUnion(try list.decode(StatusEntry.self).statuses)
        }
        self = .listed(set)
    }

    private static func listContainer(
        _ decoder: any Decoder,
        _ single: any SingleValueDecodingContainer
    ) throws -> any UnkeyedDecodingContainer {
        do {
            return try decoder.unkeyedContainer()
        } catch {
            throw DecodingError.dataCorruptedError(
                in: single,
                debugDescription: "expected \"krakend\", \"non-2xx\", a status class like \"5xx\" "
                    + "or an array like [429, \"5xx\"]"
            )
        }
    }

    /// `"1xx"` … `"5xx"` (lower or upper case `x`).
    fileprivate static func statusClass(named word: String) -> StatusCodeSet? {
        let utf8 = Array(word.utf8)
        guard utf8.count == 3, (UInt8(ascii: "1")...UInt8(ascii: "5")).contains(utf8[0]),
            utf8[1] | 0x20 == UInt8(ascii: "x"), utf8[2] | 0x20 == UInt8(ascii: "x")
        else { return nil }
        return .statusClass(Int(utf8[0] - UInt8(ascii: "0")))
    }
}

/// One element of a `failure_statuses` array: a status or a status class.
private struct StatusEntry: Decodable {
    var statuses: StatusCodeSet

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let code = try? container.decode(Int.self) {
            statuses = StatusCodeSet()
            guard statuses.insert(code) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "expected a status from 100 to 599 or a class like \"5xx\", got \(code)"
                )
            }
        } else if let word = try? container.decode(String.self) {
            guard let classSet = FailureStatuses.statusClass(named: word) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "expected a status from 100 to 599 or a class like \"5xx\", got \"\(word)\""
                )
            }
            statuses = classSet
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected a status from 100 to 599 or a class like \"5xx\""
            )
        }
    }
}
