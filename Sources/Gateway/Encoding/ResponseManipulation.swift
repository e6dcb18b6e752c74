/// One backend's response manipulation, compiled at start-up from its configuration.
///
/// ```json
/// { "is_collection": false, "target": "data", "allow": ["id", "address.city"],
///   "deny": [], "mapping": {"id": "user_id"}, "group": "user" }
/// ```
///
/// Defaults: `target` none; `allow` and `deny` empty; `mapping` empty; `group` none; `is_collection` false.
/// An empty `target` or `group` string means none, as in Lura.
///
/// `apply` follows Lura's `entityFormatter.Format` (`proxy/formatter.go`) and its JSON decoders
/// (`encoding/json.go`), in this order:
/// 1. Decode. Without `is_collection` the body must be an object; with it, an array, which becomes
///    `{"collection": [...]}`. Anything else is a backend failure.
/// 2. `target`: the object at that dot path; a missing member, or one that is not an object, gives `{}`
///    (Lura's `extractTarget`).
/// 3. `allow` (nested dot paths; a member whose nested allowed fields are all absent disappears, as in
///    `AllowlistPrune`), else `deny` (nested dot paths; a parent emptied by `deny` stays as `{}`, and a path
///    through a non-object is ignored, as in `blacklistFilterSub`). With both set, `allow` wins and `deny` is
///    ignored. Lura's `deny` honours only two levels (`a.b.c` removes `a.b`); Portico honours every level.
/// 4. `mapping` renames top-level members only: the source is a literal top-level key (dots included) and the
///    new name is cut at its first dot, as Lura's `sanitizedMappings` does. A missing key is not an error.
///    Renames are simultaneous (Lura iterates a Go map, so chains and swaps are random there); when a new name
///    collides, a renamed member beats an untouched one and a later mapping entry beats an earlier one.
/// 5. `group` wraps the result: `{"group": {...}}`.
///
/// Output: untouched values are copied byte for byte (never re-encoded), members keep their source order, and
/// every object the engine assembles has unique keys. Input duplicates count once, last value wins, as when
/// Go decodes into a map; duplicates inside values the engine copies untouched are left as the backend sent
/// them.
public struct ResponseManipulation: Sendable {
    /// The compiled configuration; a class so that copying a manipulation costs one reference count.
    private let program: JSONManipulationProgram

    /// Whether the manipulation only validates the object and copies it (no `is_collection`, `target`,
    /// `allow`, `deny`, `mapping` or `group`).
    public var isIdentity: Bool { self.program.isIdentity }

    /// Compiles one backend's manipulation; this is where dot paths are split, never per request.
    /// - Parameters:
    ///   - target: `target`; nil or empty for none.
    ///   - allow: `allow` dot paths.
    ///   - deny: `deny` dot paths, ignored when `allow` is not empty.
    ///   - mapping: `mapping` as `(from, to)` pairs in file order.
    ///   - group: `group`; nil or empty for none.
    ///   - isCollection: `is_collection`.
    ///   - limits: nesting and size limits for the backend body.
    public init(
        target: String? = nil,
        allow: [String] = [],
        deny: [String] = [],
        mapping: [(from: String, to: String)] = [],
        group: String? = nil,
        isCollection: Bool = false,
        limits: JSONLimits = JSONLimits()
    ) {
        self.program = JSONManipulationProgram(
            target: target,
            allow: allow,
            deny: deny,
            mapping: mapping,
            group: group,
            isCollection: isCollection,
            limits: limits
        )
    }

    /// Validates `input`, applies the manipulation and writes one JSON object to `output`; returns that
    /// object's top-level keys for `JSONMerger`.
    ///
    /// Nothing is written when it throws. The identity allocates only the returned key list; otherwise the
    /// top-level member list (and an index past 8 members) is allocated, plus one list per nested object that
    /// `allow`/`deny` paths visit; an escaped key allocates a temporary buffer to decode it.
    @discardableResult
    public func apply<Output: JSONOutput>(
        to input: UnsafeRawBufferPointer,
        into output: inout Output
    ) throws(JSONError) -> JSONObjectKeys {
        try self.program.apply(to: input, into: &output)
    }
}

/// The compiled form of one `ResponseManipulation`, built once and shared by its copies.
private final class JSONManipulationProgram: Sendable {
    private enum FilterMode: Sendable {
        case allow
        case deny
    }

    private struct Mapping: Sendable {
        /// The top-level key to rename.
        var from: JSONName
        /// Index of the new name in `outputNames`.
        var to: Int
    }

    /// Index of `collection` in `outputNames`.
    private static let collectionNameIndex = 0

    private let isCollection: Bool
    private let target: [JSONName]
    private let filter: JSONFieldTree?
    private let filterMode: FilterMode
    private let mappings: [Mapping]
    /// Names that can become output keys: `collection`, then the mapping targets.
    private let outputNames: [JSONName]
    private let group: JSONName?
    private let limits: JSONLimits

    /// See `ResponseManipulation.isIdentity`.
    let isIdentity: Bool

    init(
        target: String?,
        allow: [String],
        deny: [String],
        mapping: [(from: String, to: String)],
        group: String?,
        isCollection: Bool,
        limits: JSONLimits
    ) {
        self.isCollection = isCollection
        if let target, !target.isEmpty {
            self.target = JSONPath(target).names
        } else {
            self.target = []
        }
        if !allow.isEmpty {
            self.filter = JSONFieldTree(paths: allow)
            self.filterMode = .allow
        } else if !deny.isEmpty {
            self.filter = JSONFieldTree(paths: deny)
            self.filterMode = .deny
        } else {
            self.filter = nil
            self.filterMode = .deny
        }
        var outputNames = [JSONName("collection")]
        var mappings: [Mapping] = []
        for (from, to) in mapping {
            let newName = to.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            outputNames.append(JSONName(String(newName)))
            mappings.append(Mapping(from: JSONName(from), to: outputNames.count - 1))
        }
        self.outputNames = outputNames
        self.mappings = mappings
        if let group, !group.isEmpty {
            self.group = JSONName(group)
        } else {
            self.group = nil
        }
        self.limits = limits
        self.isIdentity =
            !isCollection && self.target.isEmpty && self.filter == nil && mappings.isEmpty
            && self.group == nil
    }

    /// See `ResponseManipulation.apply(to:into:)`.
    func apply<Output: JSONOutput>(
        to input: UnsafeRawBufferPointer,
        into output: inout Output
    ) throws(JSONError) -> JSONObjectKeys {
        guard input.count <= self.limits.maxBytes else {
            throw .tooLarge(limit: self.limits.maxBytes, size: input.count)
        }
        if self.isIdentity {
            // Identity needs only the key hashes, to prove the keys unique; repeated keys take the full path.
            var hashes = JSONHashCollector(input: input, capacityHint: input.count / 32)
            let document = try JSONSyntaxChecker.check(input, maxDepth: self.limits.maxDepth, recorder: &hashes)
            guard document.kind == .object else { throw .notAnObject(found: document.kind) }
            if JSONObjectKeys.allDistinct(hashes.hashes, count: hashes.hashes.count) {
                output.writeJSON(input, document.range)
                return JSONObjectKeys(hashes: hashes.hashes)
            }
        }
        let result: Result<[UInt64], JSONError> = withUnsafePointer(to: input) { inputPointer in
            self.outputNames.withUnsafeBufferPointer { names in
                let context = JSONKeyContext(inputs: UnsafeBufferPointer(start: inputPointer, count: 1), names: names)
                do throws(JSONError) {
                    return .success(try self.run(input, context: context, into: &output))
                } catch {
                    return .failure(error)
                }
            }
        }
        return JSONObjectKeys(hashes: try result.get())
    }

    /// The general path; returns the hashes of the written object's top-level keys.
    private func run<Output: JSONOutput>(
        _ input: UnsafeRawBufferPointer,
        context: JSONKeyContext,
        into output: inout Output
    ) throws(JSONError) -> [UInt64] {
        var collector = JSONTopLevelCollector(input: input, capacityHint: input.count / 32)
        let document = try JSONSyntaxChecker.check(input, maxDepth: self.limits.maxDepth, recorder: &collector)
        var entries: [JSONObjectEntry]
        if self.isCollection {
            guard document.kind == .array else { throw .notAnArray(found: document.kind) }
            let name = self.outputNames[Self.collectionNameIndex]
            entries = [
                JSONObjectEntry(
                    key: .name(Self.collectionNameIndex),
                    hash: name.hash,
                    source: 0,
                    value: document.range
                )
            ]
        } else {
            guard document.kind == .object else { throw .notAnObject(found: document.kind) }
            entries = JSONObjectBuilder.deduplicated(collector.entries, context: context)
        }

        if !self.target.isEmpty {
            entries = self.extractTarget(from: entries, input: input, context: context)
        }
        var plans: [[JSONObjectEntry]] = []
        if let filter = self.filter {
            entries = self.filter(entries, node: 0, tree: filter, input: input, context: context, plans: &plans)
        }
        if !self.mappings.isEmpty {
            entries = self.rename(entries, context: context)
        }
        if let group = self.group {
            output.writeJSON(byte: UInt8(ascii: "{"))
            output.writeJSON(array: group.quoted)
            output.writeJSON(byte: UInt8(ascii: ":"))
            context.writeObject(entries, plans: plans, into: &output)
            output.writeJSON(byte: UInt8(ascii: "}"))
            return [group.hash]
        }
        context.writeObject(entries, plans: plans, into: &output)
        return entries.map(\.hash)
    }

    /// The members of the object at `target`, or none when the path is missing or crosses a non-object.
    private func extractTarget(
        from entries: [JSONObjectEntry],
        input: UnsafeRawBufferPointer,
        context: JSONKeyContext
    ) -> [JSONObjectEntry] {
        guard
            let first = self.target.first,
            let member = entries.first(where: { context.key($0.key, hash: $0.hash, equals: first) }),
            JSONKind(firstByte: input[member.value.lowerBound]) == .object
        else { return [] }
        var objectStart = member.value.lowerBound
        for name in self.target.dropFirst() {
            // Keys inside a copied value may repeat; the last one wins, as Go's decoding would have it.
            var found: Range<Int>?
            var members = JSONMemberIterator(input, objectStart: objectStart)
            while let member = members.next() {
                if JSONKeyContext.memberKey(member, in: input, equals: name) { found = member.value }
            }
            guard let found, JSONKind(firstByte: input[found.lowerBound]) == .object else { return [] }
            objectStart = found.lowerBound
        }
        return JSONObjectBuilder.members(ofObjectAt: objectStart, source: 0, context: context)
    }

    /// Applies the `allow`/`deny` tree below `node` to `entries`; nested objects that change become `plans`.
    /// Recursion follows the configured paths, so its depth is bounded by the configuration, not the input.
    private func filter(
        _ entries: [JSONObjectEntry],
        node: Int,
        tree: JSONFieldTree,
        input: UnsafeRawBufferPointer,
        context: JSONKeyContext,
        plans: inout [[JSONObjectEntry]]
    ) -> [JSONObjectEntry] {
        var kept: [JSONObjectEntry] = []
        kept.reserveCapacity(entries.count)
        for var entry in entries {
            let child = tree.child(of: node, matching: entry.key, hash: entry.hash, context: context)
            let isObject = JSONKind(firstByte: input[entry.value.lowerBound]) == .object
            switch (self.filterMode, child) {
            case (.allow, nil):
                continue
            case (.deny, nil):
                kept.append(entry)
            case (.allow, let child?):
                if tree.isLeaf(child) {
                    kept.append(entry)
                    continue
                }
                guard isObject else { continue }
                let nested = self.filter(
                    self.members(ofObjectAt: entry.value.lowerBound, context: context),
                    node: child,
                    tree: tree,
                    input: input,
                    context: context,
                    plans: &plans
                )
                guard !nested.isEmpty else { continue }
                plans.append(nested)
                entry.plan = plans.count - 1
                kept.append(entry)
            case (.deny, let child?):
                if tree.isLeaf(child) { continue }
                if isObject {
                    // A parent emptied by `deny` stays, as `{}`.
                    let nested = self.filter(
                        self.members(ofObjectAt: entry.value.lowerBound, context: context),
                        node: child,
                        tree: tree,
                        input: input,
                        context: context,
                        plans: &plans
                    )
                    plans.append(nested)
                    entry.plan = plans.count - 1
                }
                kept.append(entry)
            }
        }
        return kept
    }

    private func members(ofObjectAt objectStart: Int, context: JSONKeyContext) -> [JSONObjectEntry] {
        JSONObjectBuilder.members(ofObjectAt: objectStart, source: 0, context: context)
    }

    /// Renames top-level members; collisions resolve by rank (untouched 0, mapping entry `i` gets `i + 1`).
    private func rename(_ entries: [JSONObjectEntry], context: JSONKeyContext) -> [JSONObjectEntry] {
        var renamed = entries
        for index in renamed.indices {
            let hash = renamed[index].hash
            for position in self.mappings.indices
            where self.mappings[position].from.hash == hash
                && context.key(renamed[index].key, hash: hash, equals: self.mappings[position].from)
            {
                renamed[index].key = .name(self.mappings[position].to)
                renamed[index].hash = self.outputNames[self.mappings[position].to].hash
                renamed[index].rank = position + 1
                break
            }
        }
        // New names rarely collide; when they do, the builder keeps the highest-ranked value per name.
        return JSONObjectBuilder.deduplicated(renamed, context: context)
    }
}

/// Collects the key hashes of the top-level members that `JSONSyntaxChecker` reports.
private struct JSONHashCollector: JSONMemberRecorder {
    let input: UnsafeRawBufferPointer
    let seed = JSONKeyHash.seed
    var hashes: [UInt64] = []

    init(input: UnsafeRawBufferPointer, capacityHint: Int) {
        self.input = input
        self.hashes.reserveCapacity(min(max(8, capacityHint), 1024))
    }

    mutating func recordMember(key: Range<Int>, keyEscaped: Bool, value: Range<Int>) {
        self.hashes.append(JSONKeyHash.hash(self.input, quoted: key, escaped: keyEscaped, seed: self.seed))
    }
}

/// Collects the top-level members that `JSONSyntaxChecker` reports, with their key hashes.
private struct JSONTopLevelCollector: JSONMemberRecorder {
    let input: UnsafeRawBufferPointer
    let seed = JSONKeyHash.seed
    var entries: [JSONObjectEntry] = []

    init(input: UnsafeRawBufferPointer, capacityHint: Int) {
        self.input = input
        self.entries.reserveCapacity(min(max(8, capacityHint), 1024))
    }

    mutating func recordMember(key: Range<Int>, keyEscaped: Bool, value: Range<Int>) {
        self.entries.append(
            JSONObjectEntry(
                key: .input(source: 0, quoted: key, escaped: keyEscaped),
                hash: JSONKeyHash.hash(self.input, quoted: key, escaped: keyEscaped, seed: self.seed),
                source: 0,
                value: value
            )
        )
    }
}
