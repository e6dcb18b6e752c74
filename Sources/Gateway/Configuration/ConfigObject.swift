/// A configuration object: string keys in file order, each with its value.
///
/// Lookups go through a key index, so large objects stay cheap at start-up. Two objects are equal when they hold
/// the same keys with equal values, whatever the order (JSON objects are unordered; the order is kept for messages
/// and for `mapping`, where it is meaningful).
public struct ConfigObject: Sendable, Equatable {
    /// The members, in file order.
    public private(set) var entries: [(key: String, value: ConfigValue)]
    private var index: [String: Int]

    /// An empty object.
    public init() {
        entries = []
        index = [:]
    }

    /// An object from key–value pairs in order; a repeated key keeps its first position and its last value.
    public init(_ pairs: some Sequence<(String, ConfigValue)>) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    /// The keys, in file order.
    public var keys: [String] { entries.map(\.key) }

    /// The number of members.
    public var count: Int { entries.count }

    /// True when the object has no members.
    public var isEmpty: Bool { entries.isEmpty }

    /// The value under `key`; setting `nil` removes the member, setting a new key appends it.
    public subscript(key: String) -> ConfigValue? {
        get { index[key].map { entries[$0].value } }
        set {
            if let position = index[key] {
                if let newValue {
                    entries[position].value = newValue
                } else {
                    entries.remove(at: position)
                    rebuildIndex()
                }
            } else if let newValue {
                index[key] = entries.count
                entries.append((key, newValue))
            }
        }
    }

    /// Adds a member unless the key exists; returns false (and changes nothing) when it does.
    @discardableResult
    public mutating func insertNew(_ key: String, _ value: ConfigValue) -> Bool {
        guard index[key] == nil else { return false }
        index[key] = entries.count
        entries.append((key, value))
        return true
    }

    private mutating func rebuildIndex() {
        index = [:]
        for (position, entry) in entries.enumerated() { index[entry.key] = position }
    }

    /// Same keys with equal values, in any order.
    public static func == (lhs: ConfigObject, rhs: ConfigObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (key, value) in lhs.entries where rhs[key] != value { return false }
        return true
    }
}

extension ConfigObject: Sequence {
    /// Iterates the members in file order.
    public func makeIterator() -> IndexingIterator<[(key: String, value: ConfigValue)]> {
        entries.makeIterator()
    }
}

extension ConfigObject: ExpressibleByDictionaryLiteral {
    /// A dictionary literal, keeping the order written.
    public init(dictionaryLiteral elements: (String, ConfigValue)...) {
        self.init(elements)
    }
}
