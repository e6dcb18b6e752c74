import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits for SIGINT or SIGTERM; a second one while shutting down exits at once.
///
/// A plain `sigaction` handler writing to a pipe (the self-pipe trick) rather than a Dispatch signal source:
/// on Linux, Dispatch reads signals through `signalfd`, which misses signals delivered to threads that do not block
/// them, and a shell starts background jobs with SIGINT ignored — seen here as a mock that ignored `kill -INT`.
enum TerminationSignal {
    /// Returns the number of the first SIGINT or SIGTERM received.
    static func wait() async -> Int32 {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            // Without a pipe there is no safe way to hear signals; keep the default action (terminate).
            return await withCheckedContinuation { _ in }
        }
        signalPipeWriteEnd = fds[1]
        for signalNumber in [SIGINT, SIGTERM] {
            var action = sigaction()
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = signalPipeHandler
            #else
            action.__sigaction_u.__sa_handler = signalPipeHandler
            #endif
            sigemptyset(&action.sa_mask)
            sigaction(signalNumber, &action, nil)
        }
        let readEnd = fds[0]
        return await withCheckedContinuation { continuation in
            // A blocking read on a thread of its own, so no event loop or task is held up.
            Thread.detachNewThread {
                let first = readSignal(from: readEnd)
                continuation.resume(returning: first)
                let second = readSignal(from: readEnd)
                FileHandle.standardError.write(Data("received signal \(second) again, exiting now\n".utf8))
                exit(128 + second)
            }
        }
    }

    private static func readSignal(from fd: Int32) -> Int32 {
        var byte: UInt8 = 0
        while true {
            let count = read(fd, &byte, 1)
            if count == 1 {
                return Int32(byte)
            }
            if count < 0 && errno == EINTR {
                continue
            }
            // The pipe broke; behave as if asked to terminate.
            return SIGTERM
        }
    }
}

/// The pipe's write end, set once before the handler is installed and only read afterwards.
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1

/// Async-signal-safe: one `write(2)` of the signal number.
private let signalPipeHandler: @convention(c) (Int32) -> Void = { signalNumber in
    var byte = UInt8(truncatingIfNeeded: signalNumber)
    _ = write(signalPipeWriteEnd, &byte, 1)
}
