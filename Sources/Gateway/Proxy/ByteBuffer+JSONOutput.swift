public import NIOCore

/// Lets the JSON engine write straight into the response buffer (no intermediate array).
extension ByteBuffer: JSONOutput {
    @inlinable
    public mutating func writeJSON(bytes: UnsafeRawBufferPointer) {
        writeBytes(bytes)
    }

    @inlinable
    public mutating func writeJSON(byte: UInt8) {
        writeInteger(byte)
    }
}
