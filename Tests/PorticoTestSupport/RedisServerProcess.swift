import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `redis-server` on a free loopback port, started and killed by the test that owns it (shared by the
/// RateLimit module tests and the gateway integration tests).
public final class RedisServerProcess: @unchecked Sendable {
    /// The loopback port the server listens on.
    public let port: Int
    private var process: Process?

    /// Starts a server on a free port and waits until it accepts connections.
    public init() throws {
        self.port = try Self.freePort()
        try start()
    }

    deinit { stop() }

    /// `127.0.0.1:PORT`.
    public var address: String { "127.0.0.1:\(port)" }

    /// Starts (or restarts) the server on the same port and waits until it accepts connections.
    /// Starts (or restarts) the server on the same port.
    public func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = [
            "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--enable-debug-command", "local",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<400 {
            if Self.canConnect(port: port) { return }
            usleep(5_000)
        }
        throw RedisTestError.serverDidNotStart
    }

    /// Kills the server (SIGKILL: no graceful shutdown, like a crash).
    /// Kills the server (a test simulating Redis going down).
    public func stop() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGCONT)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Freezes the server: connections stay open, nothing is answered.
    /// Freezes the server with SIGSTOP (a test simulating a slow Redis).
    public func pause() {
        if let process { kill(process.processIdentifier, SIGSTOP) }
    }

    /// Unfreezes the server.
    /// Resumes a frozen server.
    public func resume() {
        if let process { kill(process.processIdentifier, SIGCONT) }
    }

    private static func freePort() throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw RedisTestError.noFreePort }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, length) }
        }
        guard bound == 0 else { throw RedisTestError.noFreePort }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        guard named == 0 else { throw RedisTestError.noFreePort }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func canConnect(port: Int) -> Bool {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { return false }
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }
}

/// Why a test Redis could not be started.
public enum RedisTestError: Error {
    case serverDidNotStart
    case noFreePort
}
