/// A sink for JSON bytes: the encoding engine writes its output through this, never into a `String`.
///
/// Conformers append; they are never asked to rewind. The gateway adds a `ByteBuffer` conformance, tests use
/// `[UInt8]`.
public protocol JSONOutput {
    /// Appends `bytes`, which are only valid for the duration of the call.
    mutating func writeJSON(bytes: UnsafeRawBufferPointer)
    /// Appends one byte.
    mutating func writeJSON(byte: UInt8)
}

extension Array: JSONOutput where Element == UInt8 {
    /// Appends `bytes` to the array (may grow its storage).
    public mutating func writeJSON(bytes: UnsafeRawBufferPointer) {
        self.append(contentsOf: bytes)
    }

    /// Appends one byte to the array (may grow its storage).
    public mutating func writeJSON(byte: UInt8) {
        self.append(byte)
    }
}

extension JSONOutput {
    /// Copies `input[range]` verbatim; the raw copy is what keeps untouched values byte-identical.
    @inline(__always)
    mutating func writeJSON(_ input: UnsafeRawBufferPointer, _ range: Range<Int>) {
        self.writeJSON(bytes: input.rawBytes(in: range))
    }

    /// Writes a byte array (configuration-derived names and constant punctuation).
    @inline(__always)
    mutating func writeJSON(array: [UInt8]) {
        array.withUnsafeBytes { self.writeJSON(bytes: $0) }
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes in `range`, without the generic slice machinery (`rebasing:` costs an out-of-line call per
    /// use in the hot loops). `range` must lie within the buffer, which every caller gets from scanning it.
    @inline(__always)
    func rawBytes(in range: Range<Int>) -> UnsafeRawBufferPointer {
        assert(range.lowerBound >= 0 && range.upperBound <= self.count)
        guard let base = self.baseAddress else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + range.lowerBound, count: range.count)
    }
}
