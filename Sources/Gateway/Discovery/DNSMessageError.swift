/// A DNS message that cannot be read, or an answer that says the lookup failed.
enum DNSMessageError: Error, Equatable, CustomStringConvertible {
    /// The message ends before a field it announces.
    case truncatedMessage
    /// A compression pointer loops or points forward, or a label is malformed.
    case invalidName
    /// The name to query is not a valid DNS name (a label over 63 bytes, the whole over 255).
    case invalidQueryName(String)
    /// The server answered with a non-zero RCODE (2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED, …).
    case serverError(rcode: UInt8)

    var description: String {
        switch self {
        case .truncatedMessage: "the DNS message is truncated"
        case .invalidName: "the DNS message has an invalid name"
        case .invalidQueryName(let name): "\"\(name)\" is not a valid DNS name"
        case .serverError(let rcode):
            switch rcode {
            case 2: "the DNS server failed (SERVFAIL)"
            case 3: "no such name (NXDOMAIN)"
            case 5: "the DNS server refused the query (REFUSED)"
            default: "the DNS server answered RCODE \(rcode)"
            }
        }
    }
}
