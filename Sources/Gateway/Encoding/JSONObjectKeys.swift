/// The top-level keys of an object written by `ResponseManipulation.apply`, kept as hashes so that
/// `JSONMerger` can tell in O(keys) whether backends overlap, and splice disjoint objects without reading them.
///
/// Hashes are seeded per process: a value is meaningful only in the process that made it.
public struct JSONObjectKeys: Sendable, Hashable {
    /// One hash per top-level key of the object.
    let hashes: [UInt64]

    /// The number of top-level keys.
    public var count: Int { self.hashes.count }

    init(hashes: [UInt64]) {
        self.hashes = hashes
    }

    /// The keys of `object`, read by skimming it (for objects the engine did not write, e.g. static data
    /// prepared at start-up). `object` must be valid JSON.
    public init(of object: UnsafeRawBufferPointer) {
        var hashes: [UInt64] = []
        var members = JSONMemberIterator(object, objectStart: JSONSkimmer.skipWhitespace(object, from: 0))
        while let member = members.next() {
            hashes.append(JSONKeyHash.hash(object, quoted: member.key, escaped: member.keyEscaped))
        }
        self.hashes = hashes
    }

    /// Whether no hash occurs twice in `hashes` (`count` of them). False can also mean two different keys with
    /// the same hash; callers then take their exact path. Allocates nothing for up to a few hundred keys.
    static func allDistinct<Hashes: Sequence<UInt64>>(_ hashes: Hashes, count: Int) -> Bool {
        guard count > 1 else { return true }
        var capacity = 16
        while capacity < 2 * count { capacity *= 2 }
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: capacity) { slots in
            slots.initialize(repeating: 0)
            let mask = capacity - 1
            var stored = 0
            // Setting bit 0 keeps 0 free as the empty marker; a collision it causes only costs the exact path.
            for hash in hashes {
                // More hashes than announced: give up rather than fill the table.
                stored += 1
                guard stored * 2 <= capacity else { return false }
                let marked = hash | 1
                var slot = Int(truncatingIfNeeded: hash >> 1) & mask
                while slots[slot] != 0 {
                    if slots[slot] == marked { return false }
                    slot = (slot + 1) & mask
                }
                slots[slot] = marked
            }
            return true
        }
    }
}
