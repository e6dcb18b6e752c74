/// KrakenD's `flatmap_filter`: a list of `move`, `del` and `append` operations over dotted paths, where `*` matches
/// every element of an array (or every member of an object).
///
/// ```json
/// "extra_config": { "proxy": { "flatmap_filter": [
///     { "type": "move", "args": ["items.*.id", "items.*.sku"] },
///     { "type": "del", "args": ["items.*.internal"] },
///     { "type": "append", "args": ["backorders", "items"] }
/// ] } }
/// ```
///
/// At backend level it replaces `allow`, `deny` and `mapping` (`target` and `group` still apply, before and after);
/// at endpoint level it runs on the merged response of a multi-backend endpoint, only when every backend answered
/// (Lura's `NewFlatmapMiddleware` passes errored results through untouched). Works on a `JSONValue` tree: the
/// slow path, paid only where configured.
struct FlatmapFilter: Sendable, Equatable {
    /// One operation.
    enum Operation: Sendable, Equatable {
        /// Moves (renames, nests, extracts) the value at `from` to `to`; wildcards bind in order.
        case move(from: [String], to: [String])
        /// Deletes the value at the path.
        case delete([String])
        /// Appends the array (or value) at `from` to the array at `to`, then removes `from`.
        case append(from: [String], to: [String])
    }

    let operations: [Operation]

    init(operations: [Operation]) {
        self.operations = operations
    }

    /// Reads `flatmap_filter` at `path`; nil (with problems recorded) when invalid, nil when empty (as Lura: an
    /// empty list means no flatmap, so allow/deny/mapping apply).
    static func read(_ value: ConfigValue, at path: String, into reader: inout ProxyNamespaceReader) -> FlatmapFilter? {
        guard case .array(let elements) = value else {
            reader.problem(path, "expected an array of operations, got \(value.renderedForMessage())")
            return nil
        }
        var operations: [Operation] = []
        for (index, element) in elements.enumerated() {
            let elementPath = ConfigurationPath.element(path, index)
            guard let object = reader.object(element, at: elementPath) else { continue }
            reader.warnUnknownKeys(object, known: ["type", "args"], at: elementPath)
            guard let type = reader.string(object, "type", at: elementPath) else {
                if object["type"] == nil {
                    reader.problem(elementPath, "required key \"type\" is missing; expected move, del or append")
                }
                continue
            }
            guard let args = reader.strings(object, "args", at: elementPath) else {
                if object["args"] == nil { reader.problem(elementPath, "required key \"args\" is missing") }
                continue
            }
            let argsPath = ConfigurationPath.member(elementPath, "args")
            let paths = args.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
            switch type {
            case "move", "append":
                guard paths.count == 2 else {
                    reader.problem(argsPath, "expected 2 paths for \(type) (source, destination), got \(paths.count)")
                    continue
                }
                let wildcards = paths.map { $0.filter { $0 == "*" }.count }
                guard wildcards[0] == wildcards[1] || (type == "append" && wildcards == [0, 0]) else {
                    reader.problem(
                        argsPath,
                        "expected the same number of * wildcards in both paths, got \(wildcards[0]) and \(wildcards[1])"
                    )
                    continue
                }
                if type == "append" && wildcards[0] != 0 {
                    reader.problem(argsPath, "append does not support * wildcards")
                    continue
                }
                operations.append(
                    type == "move" ? .move(from: paths[0], to: paths[1]) : .append(from: paths[0], to: paths[1])
                )
            case "del":
                guard paths.count == 1 else {
                    reader.problem(argsPath, "expected 1 path for del, got \(paths.count)")
                    continue
                }
                operations.append(.delete(paths[0]))
            default:
                reader.problem(
                    ConfigurationPath.member(elementPath, "type"),
                    "expected move, del or append, got \(ConfigValue.quoted(type))"
                )
            }
        }
        return operations.isEmpty ? nil : FlatmapFilter(operations: operations)
    }

    /// Runs every operation in order on `value`.
    func apply(to value: inout JSONValue) {
        for operation in operations {
            switch operation {
            case .delete(let path):
                Self.delete(path[...], in: &value)
            case .move(let from, let to):
                var moved: [(bindings: [String], value: JSONValue)] = []
                Self.extract(from[...], bindings: [], in: &value, into: &moved)
                for (bindings, item) in moved {
                    var destination = to
                    var next = bindings.makeIterator()
                    for index in destination.indices where destination[index] == "*" {
                        destination[index] = next.next() ?? "*"
                    }
                    Self.set(destination[...], to: item, in: &value)
                }
            case .append(let from, let to):
                var moved: [(bindings: [String], value: JSONValue)] = []
                Self.extract(from[...], bindings: [], in: &value, into: &moved)
                guard let source = moved.first?.value else { continue }
                let items: [JSONValue]
                if case .array(let array) = source { items = array } else { items = [source] }
                var target = Self.get(to[...], in: value) ?? .array([])
                if case .array(var array) = target {
                    array.append(contentsOf: items)
                    target = .array(array)
                } else {
                    target = .array([target] + items)
                }
                Self.set(to[...], to: target, in: &value)
            }
        }
    }

    private static func get(_ path: ArraySlice<String>, in value: JSONValue) -> JSONValue? {
        guard let key = path.first else { return value }
        switch value {
        case .object(let object):
            return object[key].flatMap { get(path.dropFirst(), in: $0) }
        case .array(let array):
            guard let index = Int(key), array.indices.contains(index) else { return nil }
            return get(path.dropFirst(), in: array[index])
        default:
            return nil
        }
    }

    /// Removes every value matching `path` from `value`, recording each with the keys its wildcards matched.
    private static func extract(
        _ path: ArraySlice<String>,
        bindings: [String],
        in value: inout JSONValue,
        into results: inout [(bindings: [String], value: JSONValue)]
    ) {
        guard let key = path.first else { return }
        let rest = path.dropFirst()
        switch value {
        case .object(var object):
            // `value` lets go of its storage first, so mutations below work in place instead of copying the
            // container once per matched item (quadratic on large arrays otherwise). The same below and in `set`.
            value = .null
            let keys = key == "*" ? object.keys : [key]
            for member in keys {
                guard var child = object[member] else { continue }
                let bound = key == "*" ? bindings + [member] : bindings
                if rest.isEmpty {
                    results.append((bound, child))
                    object[member] = nil
                } else {
                    object[member] = .null  // keeps the member's place, releases the child's storage
                    extract(rest, bindings: bound, in: &child, into: &results)
                    object[member] = child
                }
            }
            value = .object(object)
        case .array(var array):
            value = .null
            let indices = key == "*" ? Array(array.indices) : Int(key).map { [$0] } ?? []
            var removed: [Int] = []
            for index in indices where array.indices.contains(index) {
                let bound = key == "*" ? bindings + [String(index)] : bindings
                if rest.isEmpty {
                    results.append((bound, array[index]))
                    removed.append(index)
                } else {
                    extract(rest, bindings: bound, in: &array[index], into: &results)
                }
            }
            for index in removed.reversed() { array.remove(at: index) }
            value = .array(array)
        default:
            return
        }
    }

    private static func delete(_ path: ArraySlice<String>, in value: inout JSONValue) {
        var discarded: [(bindings: [String], value: JSONValue)] = []
        extract(path, bindings: [], in: &value, into: &discarded)
    }

    /// Sets `path` to `item`, creating objects on the way; an array index on the way must exist.
    private static func set(_ path: ArraySlice<String>, to item: JSONValue, in value: inout JSONValue) {
        guard let key = path.first else {
            value = item
            return
        }
        let rest = path.dropFirst()
        switch value {
        case .array(var array):
            guard let index = Int(key), array.indices.contains(index) else { return }
            value = .null
            set(rest, to: item, in: &array[index])
            value = .array(array)
        case .object(var object):
            value = .null
            var child = object[key] ?? .object(JSONObject())
            if object[key] != nil { object[key] = .null }  // releases the child's storage, keeps its place
            if !rest.isEmpty, !Self.isContainer(child) { child = .object(JSONObject()) }
            set(rest, to: item, in: &child)
            object[key] = child
            value = .object(object)
        default:
            var object = JSONObject()
            var child = JSONValue.object(JSONObject())
            set(rest, to: item, in: &child)
            object[key] = child
            value = .object(object)
        }
    }

    private static func isContainer(_ value: JSONValue) -> Bool {
        switch value {
        case .object, .array: true
        default: false
        }
    }
}
