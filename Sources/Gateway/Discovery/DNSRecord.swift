/// One resource record of a DNS answer, as far as SRV discovery needs it.
struct DNSRecord: Sendable, Equatable {
    /// The owner name, lower-cased, without the trailing dot.
    var name: String
    /// The record's TTL in seconds.
    var ttl: UInt32
    /// The decoded data.
    var data: DNSRecordData
}

/// The data of a record: the types SRV discovery reads, the rest kept as their type number.
enum DNSRecordData: Sendable, Equatable {
    /// `SRV` (RFC 2782): where a service lives.
    case srv(priority: UInt16, weight: UInt16, port: UInt16, target: String)
    /// `A`: an IPv4 address, dotted.
    case a(String)
    /// `AAAA`: an IPv6 address, in `inet_ntop` form.
    case aaaa(String)
    /// `CNAME`: an alias.
    case cname(String)
    /// Any other type.
    case other(type: UInt16)
}

/// The record types Portico asks for.
enum DNSRecordType: UInt16, Sendable {
    /// IPv4 address.
    case a = 1
    /// Canonical name.
    case cname = 5
    /// IPv6 address.
    case aaaa = 28
    /// Service location.
    case srv = 33
    /// EDNS(0) pseudo-record (RFC 6891).
    case opt = 41
}
