/// Where an output key's bytes live: in one of the input documents, or in the configuration's name table.
enum JSONEntryKey {
    /// A key read from `inputs[source]`, `quoted` including its quotes.
    case input(source: Int, quoted: Range<Int>, escaped: Bool)
    /// A configured name (`mapping` target, `collection`), index into `JSONKeyContext.names`.
    case name(Int)
}

/// The buffers keys point into, pinned for the duration of one call.
struct JSONKeyContext {
    /// The input documents (one for `ResponseManipulation`, one per backend for `JSONMerger`).
    let inputs: UnsafeBufferPointer<UnsafeRawBufferPointer>
    /// Names from the configuration that can become output keys.
    let names: UnsafeBufferPointer<JSONName>

    /// Runs `body` with the decoded bytes of `key`; only escaped input keys allocate (a temporary array).
    @inline(__always)
    func withDecodedKey<Result>(_ key: JSONEntryKey, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        switch key {
        case .input(let source, let quoted, let escaped):
            let input = self.inputs[source]
            let content = (quoted.lowerBound + 1)..<max(quoted.lowerBound + 1, quoted.upperBound - 1)
            guard escaped else { return body(input.rawBytes(in: content)) }
            var decoded: [UInt8] = []
            JSONStringUnescaper.unescape(input, content: content, into: &decoded)
            return decoded.withUnsafeBytes(body)
        case .name(let index):
            return self.names[index].unescaped.withUnsafeBytes(body)
        }
    }

    /// Whether two keys decode to the same bytes.
    @inline(__always)
    func keysEqual(_ first: JSONEntryKey, _ second: JSONEntryKey) -> Bool {
        self.withDecodedKey(first) { firstBytes in
            self.withDecodedKey(second) { secondBytes in JSONKeyContext.bytesEqual(firstBytes, secondBytes) }
        }
    }

    /// Whether `key` (with hash `hash`) decodes to `name`.
    @inline(__always)
    func key(_ key: JSONEntryKey, hash: UInt64, equals name: JSONName) -> Bool {
        guard hash == name.hash else { return false }
        return self.withDecodedKey(key) { keyBytes in
            name.unescaped.withUnsafeBytes { JSONKeyContext.bytesEqual(keyBytes, $0) }
        }
    }

    /// Whether the key of `member` (read from `input`) decodes to `name`; compares bytes, computes no hash.
    @inline(__always)
    static func memberKey(_ member: JSONMember, in input: UnsafeRawBufferPointer, equals name: JSONName) -> Bool {
        name.unescaped.withUnsafeBytes { nameBytes in
            guard member.keyEscaped else {
                return Self.bytesEqual(input.rawBytes(in: member.keyContent), nameBytes)
            }
            var decoded: [UInt8] = []
            JSONStringUnescaper.unescape(input, content: member.keyContent, into: &decoded)
            return decoded.withUnsafeBytes { Self.bytesEqual($0, nameBytes) }
        }
    }

    /// Writes `key` as a quoted JSON string: raw input bytes, or the name's prepared literal.
    @inline(__always)
    func writeKey<Output: JSONOutput>(_ key: JSONEntryKey, into output: inout Output) {
        switch key {
        case .input(let source, let quoted, _): output.writeJSON(self.inputs[source], quoted)
        case .name(let index): output.writeJSON(array: self.names[index].quoted)
        }
    }

    /// Writes `{"key":value,...}` for `entries`, descending into `plans` for filtered nested objects.
    /// Recursion depth is bounded by the depth of the configured `allow`/`deny` paths, never by the input.
    func writeObject<Output: JSONOutput>(
        _ entries: [JSONObjectEntry],
        plans: [[JSONObjectEntry]],
        into output: inout Output
    ) {
        output.writeJSON(byte: UInt8(ascii: "{"))
        for (position, entry) in entries.enumerated() {
            if position > 0 { output.writeJSON(byte: UInt8(ascii: ",")) }
            self.writeKey(entry.key, into: &output)
            output.writeJSON(byte: UInt8(ascii: ":"))
            if entry.plan >= 0 {
                self.writeObject(plans[entry.plan], plans: plans, into: &output)
            } else {
                output.writeJSON(self.inputs[entry.source], entry.value)
            }
        }
        output.writeJSON(byte: UInt8(ascii: "}"))
    }

    /// Byte-wise equality, eight bytes at a time.
    @inline(__always)
    static func bytesEqual(_ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer) -> Bool {
        guard first.count == second.count else { return false }
        var index = 0
        while index + 8 <= first.count {
            guard
                first.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    == second.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            else { return false }
            index += 8
        }
        while index < first.count {
            guard first[index] == second[index] else { return false }
            index += 1
        }
        return true
    }
}
