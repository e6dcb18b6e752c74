/// A backend's `allow` or `deny` dot paths as a tree of member names, built once at start-up.
///
/// Paths are split on `.` like Lura's `strings.Split` (`proxy/formatter.go`), so `address.city` is `city`
/// inside `address` and `""` is the empty key. A shorter path covers every longer one below it, whatever the
/// order in the file (`["a", "a.b"]` keeps or removes all of `a`); Lura's result there depends on the order
/// (`buildDictPath` overwrites, `newDenylistingFilter` appends), so Portico picks the reading that does not.
///
/// Stored as flat arrays (node 0 is the root, each node's children contiguous) so that a look-up on the
/// request path touches no reference-counted storage until a hash matches.
struct JSONFieldTree: Sendable {
    /// The member name each node matches (the root's is unused).
    private let names: [JSONName]
    /// `names[i].hash`, apart so that scanning children reads plain integers.
    private let hashes: [UInt64]
    /// Whether the path ends at the node: the whole value is kept (`allow`) or removed (`deny`).
    private let leaves: [Bool]
    /// The node's children, as a range of `childNodes`.
    private let childRanges: [Range<Int>]
    /// Children of every node, grouped per parent.
    private let childNodes: [Int]

    /// Builds the tree of `paths`.
    init(paths: [String]) {
        // First as nested arrays, which are easy to grow, then flattened.
        var names = [JSONName("")]
        var leaves = [false]
        var children: [[Int]] = [[]]
        for path in paths {
            var current = 0
            var covered = false
            for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
                // A shorter path already ends here and covers this longer one.
                if leaves[current] {
                    covered = true
                    break
                }
                let name = JSONName(String(segment))
                if let existing = children[current].first(where: { names[$0] == name }) {
                    current = existing
                } else {
                    names.append(name)
                    leaves.append(false)
                    children.append([])
                    children[current].append(names.count - 1)
                    current = names.count - 1
                }
            }
            guard !covered else { continue }
            // Deeper paths under a now-complete path no longer matter.
            leaves[current] = true
            children[current] = []
        }
        self.names = names
        self.hashes = names.map(\.hash)
        self.leaves = leaves
        var childRanges: [Range<Int>] = []
        var childNodes: [Int] = []
        for nodeChildren in children {
            childRanges.append(childNodes.count..<(childNodes.count + nodeChildren.count))
            childNodes.append(contentsOf: nodeChildren)
        }
        self.childRanges = childRanges
        self.childNodes = childNodes
    }

    /// Whether the path ends at `node`.
    @inline(__always)
    func isLeaf(_ node: Int) -> Bool {
        self.leaves[node]
    }

    /// The child of `node` whose name equals `key`, if any.
    @inline(__always)
    func child(of node: Int, matching key: JSONEntryKey, hash: UInt64, context: JSONKeyContext) -> Int? {
        for position in self.childRanges[node] {
            let child = self.childNodes[position]
            if self.hashes[child] == hash && context.key(key, hash: hash, equals: self.names[child]) { return child }
        }
        return nil
    }
}
