/// Merges the formatted objects of an endpoint's backends into one object by top-level key.
///
/// Lura's `combineData` (`proxy/merging.go`) copies each response's members into the first one in the order
/// the responses arrive, so on a key collision the slowest backend wins. Portico merges in backend
/// declaration order instead, later wins, so the same responses always give the same body. Members keep the
/// position where their key first appeared; the merge is shallow, as Lura's is.
public enum JSONMerger {
    /// Writes the merge of `objects` (each an object produced by `ResponseManipulation.apply`, in backend
    /// declaration order) to `output`. Static data (`proxy` `static`) can be merged as one more object.
    ///
    /// - Parameters:
    ///   - objects: The formatted objects.
    ///   - keys: What `apply` returned for each object, same order (`JSONObjectKeys(of:)` for others). When
    ///     given and no key occurs twice, the objects are spliced without being read: allocation-free and
    ///     O(bytes). Without it, or on an overlap, every object is skimmed and the member list and key index
    ///     are allocated once.
    ///   - output: Where the merged object goes.
    ///
    /// Inputs that are not objects are skipped; empty objects cost nothing. With a single non-empty object
    /// its bytes are copied as they are.
    public static func merge<Output: JSONOutput>(
        _ objects: [UnsafeRawBufferPointer],
        keys: [JSONObjectKeys]? = nil,
        into output: inout Output
    ) {
        var nonEmpty = 0
        var lastNonEmpty = -1
        var totalBytes = 0
        for (position, object) in objects.enumerated() where Self.isNonEmptyObject(object) {
            nonEmpty += 1
            lastNonEmpty = position
            totalBytes += object.count
        }
        guard nonEmpty > 1 else {
            if lastNonEmpty >= 0 {
                let object = objects[lastNonEmpty]
                output.writeJSON(object, JSONSkimmer.trimmedRange(object))
            } else {
                output.writeJSON(byte: UInt8(ascii: "{"))
                output.writeJSON(byte: UInt8(ascii: "}"))
            }
            return
        }
        if let keys, keys.count == objects.count,
            JSONObjectKeys.allDistinct(keys.lazy.flatMap(\.hashes), count: keys.reduce(0) { $0 + $1.count })
        {
            Self.splice(objects, into: &output)
            return
        }
        objects.withUnsafeBufferPointer { inputs in
            let context = JSONKeyContext(inputs: inputs, names: UnsafeBufferPointer(start: nil, count: 0))
            var builder = JSONObjectBuilder(capacity: min(max(16, totalBytes / 32), 1024))
            for source in inputs.indices {
                let start = JSONSkimmer.skipWhitespace(inputs[source], from: 0)
                builder.addMembers(ofObjectAt: start, source: source, context: context)
            }
            context.writeObject(builder.entries, plans: [], into: &output)
        }
    }

    /// Writes an object built from configuration-time members, such as the `proxy` `static` data, so that it
    /// merges like one more backend (pass `JSONObjectKeys(of:)` of the result with it). Each raw value must be
    /// one valid JSON value; a repeated key keeps its first position and its last value.
    /// Meant for start-up: it allocates freely.
    public static func writeObject<Output: JSONOutput>(
        members: [(key: String, rawValue: [UInt8])],
        into output: inout Output
    ) throws(JSONError) {
        var order: [String] = []
        var values: [String: [UInt8]] = [:]
        for (key, rawValue) in members {
            let result: Result<JSONKind, JSONError> = rawValue.withUnsafeBytes { bytes in
                do throws(JSONError) {
                    return .success(try JSONValidator.validate(bytes))
                } catch {
                    return .failure(error)
                }
            }
            _ = try result.get()
            if values.updateValue(rawValue, forKey: key) == nil { order.append(key) }
        }
        output.writeJSON(byte: UInt8(ascii: "{"))
        for (position, key) in order.enumerated() {
            if position > 0 { output.writeJSON(byte: UInt8(ascii: ",")) }
            output.writeJSON(array: JSONName(key).quoted)
            output.writeJSON(byte: UInt8(ascii: ":"))
            let value = values[key] ?? []
            value.withUnsafeBytes { output.writeJSON($0, JSONSkimmer.trimmedRange($0)) }
        }
        output.writeJSON(byte: UInt8(ascii: "}"))
    }

    /// Writes `{`, the members of every non-empty object with `,` between, `}`: the merge when no key repeats.
    private static func splice<Output: JSONOutput>(_ objects: [UnsafeRawBufferPointer], into output: inout Output) {
        output.writeJSON(byte: UInt8(ascii: "{"))
        var first = true
        for object in objects where Self.isNonEmptyObject(object) {
            let range = JSONSkimmer.trimmedRange(object)
            if !first { output.writeJSON(byte: UInt8(ascii: ",")) }
            first = false
            output.writeJSON(object, (range.lowerBound + 1)..<max(range.lowerBound + 1, range.upperBound - 1))
        }
        output.writeJSON(byte: UInt8(ascii: "}"))
    }

    private static func isNonEmptyObject(_ object: UnsafeRawBufferPointer) -> Bool {
        let start = JSONSkimmer.skipWhitespace(object, from: 0)
        guard start < object.count, object[start] == UInt8(ascii: "{") else { return false }
        let next = JSONSkimmer.skipWhitespace(object, from: start + 1)
        return next < object.count && object[next] != UInt8(ascii: "}")
    }
}
