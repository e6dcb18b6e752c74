/// The `negotiate` output encoding's choice of format from the request's `Accept` header.
///
/// KrakenD (`router/gin/render.go` `negotiatedRender`) offers, in this order, `application/json`, `text/plain`
/// (answered as YAML) and `application/xml`, through gin's `NegotiateFormat`: the first `Accept` entry, in header
/// order, that an offer matches wins; `*/*` and `type/*` match the first offer of their kind; nothing acceptable,
/// or no `Accept` at all, answers JSON. Portico keeps that and adds what gin ignores: `q` values order the entries
/// (highest first, header order among equals) and `q=0` excludes one; media types compare case-insensitively;
/// `application/yaml`, `application/x-yaml`, `text/yaml` ask for YAML and `text/xml` for XML.
enum MediaTypeNegotiation {
    /// A format the `negotiate` encoding can answer with.
    enum Format: Sendable, Equatable {
        /// `application/json; charset=utf-8` (the default).
        case json
        /// YAML, as gin's `c.YAML` sends it (`application/yaml; charset=utf-8`).
        case yaml
        /// XML, as gin's `c.XML` sends it (`application/xml; charset=utf-8`).
        case xml
    }

    /// Offers in KrakenD's order, then Portico's additions.
    private static let offers: [(type: Substring, subtype: Substring, format: Format)] = [
        ("application", "json", .json), ("text", "plain", .yaml), ("application", "xml", .xml),
        ("application", "yaml", .yaml), ("application", "x-yaml", .yaml), ("text", "yaml", .yaml),
        ("text", "xml", .xml),
    ]

    /// The format for an `Accept` header value (nil when the request has none).
    static func format(accept: String?) -> Format {
        guard let accept, !accept.isEmpty else { return .json }
        var entries: [(type: Substring, subtype: Substring, quality: Double)] = []
        for element in accept.split(separator: ",") {
            var parts = element.split(separator: ";").makeIterator()
            guard let range = parts.next()?.trimmingWhitespace(), let slash = range.firstIndex(of: "/") else {
                continue
            }
            var quality = 1.0
            while let parameter = parts.next() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0].trimmingWhitespace().lowercased() == "q",
                    let value = Double(pair[1].trimmingWhitespace())
                {
                    quality = value
                }
            }
            entries.append((range[..<slash], range[range.index(after: slash)...], quality))
        }
        // `q=0` on a full type rules that offer out, even for a wildcard entry.
        let excluded = entries.filter { $0.quality <= 0 && $0.type != "*" && $0.subtype != "*" }
        entries.removeAll { $0.quality <= 0 }
        // A stable sort: header order among equal q values, as gin's order-only matching.
        let ordered = entries.enumerated().sorted {
            $0.element.quality != $1.element.quality ? $0.element.quality > $1.element.quality : $0.offset < $1.offset
        }
        for (_, entry) in ordered {
            for offer in offers where matches(entry.type, offer.type) && matches(entry.subtype, offer.subtype) {
                if excluded.contains(where: { matches($0.type, offer.type) && matches($0.subtype, offer.subtype) }) {
                    continue
                }
                return offer.format
            }
        }
        return .json
    }

    private static func matches(_ accepted: Substring, _ offered: Substring) -> Bool {
        accepted == "*" || accepted.lowercased() == offered
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
