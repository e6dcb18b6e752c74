import CHiredis
import NIOCore

/// Formats a command as RESP with hiredis's `redisFormatCommandArgv`.
enum RedisCommandEncoder {
    /// Appends `arguments` as one RESP command to `buffer`.
    ///
    /// Allocates a scratch byte array, the argv arrays and hiredis's malloc'd command (freed before returning).
    static func encode(_ arguments: [String], into buffer: inout ByteBuffer) throws(RedisError) {
        guard !arguments.isEmpty, arguments.count < Int(Int32.max) else { throw RedisError.unexpectedReply }
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int] = []
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(bytes.count)
            bytes.append(contentsOf: argument.utf8)
            lengths.append(bytes.count - offsets[offsets.count - 1])
        }
        // A trailing byte keeps the storage non-empty, so every argument (even an empty one) has a valid pointer.
        bytes.append(0)
        var command: UnsafeMutablePointer<CChar>? = nil
        let length: Int32 = bytes.withUnsafeBufferPointer { storage in
            guard let base = storage.baseAddress else { return -1 }
            let raw = UnsafeRawPointer(base)
            var argv: [UnsafePointer<CChar>?] = offsets.map { (raw + $0).assumingMemoryBound(to: CChar.self) }
            return argv.withUnsafeMutableBufferPointer { argvPointer in
                lengths.withUnsafeBufferPointer { lengthPointer in
                    redisFormatCommandArgv(
                        &command,
                        Int32(arguments.count),
                        argvPointer.baseAddress,
                        lengthPointer.baseAddress
                    )
                }
            }
        }
        defer { redisFreeCommand(command) }
        guard length > 0, let command else { throw RedisError.protocolError("redisFormatCommandArgv failed") }
        buffer.writeBytes(UnsafeRawBufferPointer(start: command, count: Int(length)))
    }
}
