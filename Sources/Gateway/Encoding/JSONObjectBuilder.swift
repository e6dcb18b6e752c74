/// One member of an object being assembled: its key, and either a raw value range or a nested plan.
struct JSONObjectEntry {
    /// The key.
    var key: JSONEntryKey
    /// `JSONKeyHash` of the decoded key.
    var hash: UInt64
    /// Which input holds the value.
    var source: Int
    /// The value's bytes in `inputs[source]`, copied verbatim unless `plan` says otherwise.
    var value: Range<Int>
    /// Index of the filtered nested object to write instead of the raw value, or -1.
    var plan: Int = -1
    /// On a key collision the entry with the higher rank wins; equal ranks: the later one.
    var rank: Int = 0
}

/// Collects object members so that every key appears once: a later member with an equal key replaces the
/// earlier one's value in the earlier one's position (Go's map assignment, which Lura's merge and mapping
/// rely on, also lets the last write win; positions are Portico's choice, since Go maps have no order).
///
/// Allocates its entry array and, past a handful of members, an open-addressing index; both grow
/// geometrically.
struct JSONObjectBuilder {
    /// The members in output order.
    private(set) var entries: [JSONObjectEntry] = []
    /// Open-addressing index into `entries` (value = entry index + 1, 0 = empty); empty while small.
    private var slots: [Int] = []
    /// Below this many members a linear scan of hashes beats maintaining the index.
    private static let linearLimit = 8

    /// An empty builder with room for `capacity` members.
    init(capacity: Int) {
        self.entries.reserveCapacity(capacity)
    }

    /// Adds `entry`, or, when a member with the same key exists and `entry.rank` is at least its rank, puts
    /// `entry` in that member's place.
    mutating func upsert(_ entry: JSONObjectEntry, context: JSONKeyContext) {
        if let existing = self.find(entry.key, hash: entry.hash, context: context) {
            if entry.rank >= self.entries[existing].rank { self.entries[existing] = entry }
            return
        }
        self.entries.append(entry)
        if self.slots.isEmpty {
            if self.entries.count > Self.linearLimit { self.rebuildSlots(capacity: 2 * self.entries.capacity) }
        } else if self.entries.count * 2 > self.slots.count {
            self.rebuildSlots(capacity: self.slots.count * 2)
        } else {
            self.insertSlot(for: self.entries.count - 1)
        }
    }

    /// The members of the object whose `{` is at `objectStart` in `inputs[source]`, each key once (a later
    /// duplicate replaces an earlier one's value). Allocates the list; the key index only if keys repeat.
    static func members(ofObjectAt objectStart: Int, source: Int, context: JSONKeyContext) -> [JSONObjectEntry] {
        let input = context.inputs[source]
        let seed = JSONKeyHash.seed
        var entries: [JSONObjectEntry] = []
        var members = JSONMemberIterator(input, objectStart: objectStart)
        while let member = members.next() {
            entries.append(
                JSONObjectEntry(
                    key: .input(source: source, quoted: member.key, escaped: member.keyEscaped),
                    hash: JSONKeyHash.hash(input, quoted: member.key, escaped: member.keyEscaped, seed: seed),
                    source: source,
                    value: member.value
                )
            )
        }
        return Self.deduplicated(entries, context: context)
    }

    /// `entries` with each key once: returned as is when all hashes differ (the common case, checked without
    /// allocating), otherwise rebuilt through the builder, where later entries win by rank.
    static func deduplicated(_ entries: [JSONObjectEntry], context: JSONKeyContext) -> [JSONObjectEntry] {
        guard !JSONObjectKeys.allDistinct(entries.lazy.map(\.hash), count: entries.count) else { return entries }
        var builder = JSONObjectBuilder(capacity: entries.count)
        for entry in entries { builder.upsert(entry, context: context) }
        return builder.entries
    }

    /// Adds every member of the object whose `{` is at `objectStart` in `inputs[source]`.
    mutating func addMembers(ofObjectAt objectStart: Int, source: Int, context: JSONKeyContext) {
        let input = context.inputs[source]
        let seed = JSONKeyHash.seed
        var members = JSONMemberIterator(input, objectStart: objectStart)
        while let member = members.next() {
            let entry = JSONObjectEntry(
                key: .input(source: source, quoted: member.key, escaped: member.keyEscaped),
                hash: JSONKeyHash.hash(input, quoted: member.key, escaped: member.keyEscaped, seed: seed),
                source: source,
                value: member.value
            )
            self.upsert(entry, context: context)
        }
    }

    /// The index of the member whose key equals `key`.
    func find(_ key: JSONEntryKey, hash: UInt64, context: JSONKeyContext) -> Int? {
        if self.slots.isEmpty {
            for index in self.entries.indices
            where self.entries[index].hash == hash && context.keysEqual(self.entries[index].key, key) {
                return index
            }
            return nil
        }
        let mask = self.slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while self.slots[slot] != 0 {
            let index = self.slots[slot] - 1
            if self.entries[index].hash == hash && context.keysEqual(self.entries[index].key, key) { return index }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private mutating func rebuildSlots(capacity: Int) {
        var size = 32
        while size < capacity || size < self.entries.count * 2 { size *= 2 }
        self.slots = Array(repeating: 0, count: size)
        for index in self.entries.indices { self.insertSlot(for: index) }
    }

    private mutating func insertSlot(for index: Int) {
        let mask = self.slots.count - 1
        var slot = Int(truncatingIfNeeded: self.entries[index].hash) & mask
        while self.slots[slot] != 0 { slot = (slot + 1) & mask }
        self.slots[slot] = index + 1
    }
}
