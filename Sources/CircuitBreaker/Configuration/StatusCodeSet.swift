/// A set of HTTP status codes from 100 to 599, as a bitmap: `contains` is a shift and a mask, no allocation.
public struct StatusCodeSet: Sendable, Equatable {
    /// The lowest status the set can hold.
    public static let lowest = 100
    /// The highest status the set can hold.
    public static let highest = 599

    // 500 bits in 8 words; allocated once when the configuration is built.
    private var words: [UInt64]

    /// The empty set.
    public init() {
        self.words = Array(repeating: 0, count: (Self.highest - Self.lowest) / 64 + 1)
    }

    /// The set of `codes`; codes outside 100...599 are left out.
    public init(_ codes: some Sequence<Int>) {
        self.init()
        for code in codes { insert(code) }
    }

    /// Every status of class `hundreds` (1 to 5), e.g. `5` for 500...599.
    public static func statusClass(_ hundreds: Int) -> StatusCodeSet {
        StatusCodeSet(hundreds * 100..<hundreds * 100 + 100)
    }

    /// Adds `code` when it lies in 100...599; returns whether it did.
    @discardableResult
    public mutating func insert(_ code: Int) -> Bool {
        guard code >= Self.lowest, code <= Self.highest else { return false }
        let bit = code - Self.lowest
        words[bit >> 6] |= 1 << UInt64(bit & 63)
        return true
    }

    /// Adds every member of `other`.
    public mutating func formUnion(_ other: StatusCodeSet) {
        for index in words.indices { words[index] |= other.words[index] }
    }

    /// Whether `code` is a member (always false outside 100...599).
    public func contains(_ code: Int) -> Bool {
        guard code >= Self.lowest, code <= Self.highest else { return false }
        let bit = code - Self.lowest
        return words[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    /// Whether no status is a member.
    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }
}
