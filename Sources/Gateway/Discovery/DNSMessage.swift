import NIOCore

/// A DNS message (RFC 1035 §4) as SRV discovery reads it: header flags, answers and additional records.
///
/// Reading follows compression pointers (backwards only, bounded hops), so a hostile answer cannot loop. Queries
/// carry an EDNS(0) OPT record advertising a 4096-byte UDP payload, so SRV sets larger than 512 bytes still fit
/// one datagram with most servers.
struct DNSMessage: Sendable, Equatable {
    /// The transaction ID.
    var id: UInt16
    /// QR: the message is a response.
    var isResponse: Bool
    /// TC: the server cut the answer to fit the datagram.
    var isTruncated: Bool
    /// RCODE (0: no error).
    var responseCode: UInt8
    /// The answer section.
    var answers: [DNSRecord]
    /// The additional section (targets' A/AAAA records, typically); OPT records are skipped.
    var additionals: [DNSRecord]

    /// The largest UDP payload Portico advertises and reads.
    static let maxUDPPayload = 4096

    /// The bytes of a recursive query for `name` and `type`, with an EDNS(0) OPT record.
    static func makeQuery(id: UInt16, name: String, type: DNSRecordType) throws(DNSMessageError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(name.utf8.count + 34)
        append16(id, to: &bytes)
        append16(0x0100, to: &bytes)  // QR=0, OPCODE=0, RD=1
        append16(1, to: &bytes)  // QDCOUNT
        append16(0, to: &bytes)  // ANCOUNT
        append16(0, to: &bytes)  // NSCOUNT
        append16(1, to: &bytes)  // ARCOUNT: the OPT record
        try appendName(name, to: &bytes)
        append16(type.rawValue, to: &bytes)
        append16(1, to: &bytes)  // class IN
        // OPT: root name, type 41, CLASS = UDP payload size, TTL = extended RCODE and flags, no options.
        bytes.append(0)
        append16(DNSRecordType.opt.rawValue, to: &bytes)
        append16(UInt16(maxUDPPayload), to: &bytes)
        bytes.append(contentsOf: [0, 0, 0, 0, 0, 0])
        return bytes
    }

    /// Appends `name` as length-prefixed labels ending with the root label.
    static func appendName(_ name: String, to bytes: inout [UInt8]) throws(DNSMessageError) {
        var trimmed = Substring(name)
        if trimmed.hasSuffix(".") { trimmed = trimmed.dropLast() }
        guard trimmed.utf8.count <= 253 else { throw .invalidQueryName(name) }
        if !trimmed.isEmpty {
            for label in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
                guard !label.isEmpty, label.utf8.count <= 63 else { throw .invalidQueryName(name) }
                bytes.append(UInt8(label.utf8.count))
                bytes.append(contentsOf: label.utf8)
            }
        }
        bytes.append(0)
    }

    static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    /// Parses a whole message.
    init(parsing bytes: [UInt8]) throws(DNSMessageError) {
        var reader = DNSMessageReader(bytes: bytes)
        self.id = try reader.read16()
        let flags = try reader.read16()
        self.isResponse = flags & 0x8000 != 0
        self.isTruncated = flags & 0x0200 != 0
        self.responseCode = UInt8(flags & 0x000F)
        let questions = try reader.read16()
        let answerCount = try reader.read16()
        let authorityCount = try reader.read16()
        let additionalCount = try reader.read16()
        for _ in 0..<questions {
            _ = try reader.readName()
            try reader.skip(4)
        }
        var answers: [DNSRecord] = []
        for _ in 0..<answerCount {
            if let record = try reader.readRecord() { answers.append(record) }
        }
        for _ in 0..<authorityCount { _ = try reader.readRecord() }
        var additionals: [DNSRecord] = []
        for _ in 0..<additionalCount {
            if let record = try reader.readRecord() { additionals.append(record) }
        }
        self.answers = answers
        self.additionals = additionals
    }
}

/// A cursor over a message's bytes; names may point anywhere earlier in the message.
private struct DNSMessageReader {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func read8() throws(DNSMessageError) -> UInt8 {
        guard offset < bytes.count else { throw .truncatedMessage }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func read16() throws(DNSMessageError) -> UInt16 {
        guard offset + 2 <= bytes.count else { throw .truncatedMessage }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func read32() throws(DNSMessageError) -> UInt32 {
        let high = try read16()
        let low = try read16()
        return UInt32(high) << 16 | UInt32(low)
    }

    mutating func skip(_ count: Int) throws(DNSMessageError) {
        guard offset + count <= bytes.count else { throw .truncatedMessage }
        offset += count
    }

    /// Reads a possibly compressed name at the cursor; lower-cased, no trailing dot (`""` for the root).
    mutating func readName() throws(DNSMessageError) -> String {
        var labels: [UInt8] = []
        var position = offset
        var resumeAt: Int?
        var hops = 0
        while true {
            guard position < bytes.count else { throw .truncatedMessage }
            let length = bytes[position]
            switch length & 0xC0 {
            case 0x00:
                if length == 0 {
                    offset = resumeAt ?? position + 1
                    return String(decoding: labels, as: UTF8.self)
                }
                let start = position + 1
                let end = start + Int(length)
                guard end <= bytes.count else { throw .truncatedMessage }
                if !labels.isEmpty { labels.append(UInt8(ascii: ".")) }
                for byte in bytes[start..<end] {
                    // Lower-case ASCII: names compare case-insensitively (RFC 4343).
                    labels.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
                }
                guard labels.count <= 255 else { throw .invalidName }
                position = end
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncatedMessage }
                let target = Int(length & 0x3F) << 8 | Int(bytes[position + 1])
                // Pointers must go backwards; with a bounded hop count a loop cannot spin.
                hops += 1
                guard target < position, hops <= 64 else { throw .invalidName }
                if resumeAt == nil { resumeAt = position + 2 }
                position = target
            default:
                // 0x40 and 0x80 are reserved label types.
                throw .invalidName
            }
        }
    }

    /// Reads one record; nil for OPT pseudo-records.
    mutating func readRecord() throws(DNSMessageError) -> DNSRecord? {
        let name = try readName()
        let type = try read16()
        _ = try read16()  // class
        let ttl = try read32()
        let length = Int(try read16())
        guard offset + length <= bytes.count else { throw .truncatedMessage }
        let end = offset + length
        defer { offset = end }
        let data: DNSRecordData
        switch DNSRecordType(rawValue: type) {
        case .a?:
            guard length == 4 else { throw .truncatedMessage }
            data = .a(bytes[offset..<end].map(String.init).joined(separator: "."))
        case .aaaa?:
            guard length == 16 else { throw .truncatedMessage }
            data = .aaaa(Self.ipv6Text(bytes[offset..<end]))
        case .srv?:
            guard length >= 7 else { throw .truncatedMessage }
            let priority = try read16()
            let weight = try read16()
            let port = try read16()
            let target = try readName()
            guard offset <= end else { throw .truncatedMessage }
            data = .srv(priority: priority, weight: weight, port: port, target: target)
        case .cname?:
            data = .cname(try readName())
            guard offset <= end else { throw .truncatedMessage }
        case .opt?:
            return nil
        case nil:
            data = .other(type: type)
        }
        return DNSRecord(name: name, ttl: ttl, data: data)
    }

    /// RFC 5952 text for 16 address bytes, through NIO's formatter.
    private static func ipv6Text(_ bytes: ArraySlice<UInt8>) -> String {
        let buffer = ByteBuffer(bytes: bytes)
        let address = try? SocketAddress(packedIPAddress: buffer, port: 0)
        return address?.ipAddress ?? bytes.map { String($0, radix: 16) }.joined(separator: ":")
    }
}
