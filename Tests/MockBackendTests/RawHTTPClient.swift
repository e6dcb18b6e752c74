import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback HTTP/1.1 client over a raw socket, so tests see exactly what went over the wire.
final class RawHTTPClient {
    struct Response {
        var statusLine: String
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var chunkSizes: [Int]
        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        var text: String { String(decoding: body, as: UTF8.self) }
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
    }

    enum ClientError: Error {
        case connect(Int32)
        case closed, reset, timeout
        case malformed(String)
    }

    let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if rc != 0 { throw ClientError.connect(errno) }
    }

    deinit { close(fd) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Reads more bytes; returns false on EOF, throws on reset/timeout.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer.append(contentsOf: chunk[0..<n])
            return true
        }
        if n == 0 { return false }
        if errno == ECONNRESET { throw ClientError.reset }
        if errno == EAGAIN || errno == EWOULDBLOCK { throw ClientError.timeout }
        throw ClientError.malformed("recv errno \(errno)")
    }

    /// Everything received until EOF (or reset, which throws after keeping what arrived in `received`).
    var received: [UInt8] { buffer }

    func readUntilClose() throws -> [UInt8] {
        while try fill() {}
        return buffer
    }

    private func readLine() throws -> String {
        while true {
            if let i = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<i])
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                buffer.removeFirst(i + 1)
                return String(decoding: line, as: UTF8.self)
            }
            guard try fill() else { throw ClientError.closed }
        }
    }

    private func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count < count { guard try fill() else { throw ClientError.closed } }
        let out = Array(buffer[..<count])
        buffer.removeFirst(count)
        return out
    }

    func readResponse(isHead: Bool = false) throws -> Response {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else { throw ClientError.malformed(statusLine) }
        var headers: [(String, String)] = []
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { throw ClientError.malformed(line) }
            headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            )
        }
        var response = Response(statusLine: statusLine, status: status, headers: headers, body: [], chunkSizes: [])
        if isHead || status == 204 || status == 304 { return response }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while true {
                let sizeLine = try readLine()
                guard let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else {
                    throw ClientError.malformed(sizeLine)
                }
                if size == 0 {
                    _ = try readLine()
                    break
                }
                response.chunkSizes.append(size)
                response.body += try readExactly(size)
                _ = try readLine()
            }
        } else if let length = response.header("Content-Length").flatMap({ Int($0) }) {
            response.body = try readExactly(length)
        } else {
            response.body = try readUntilClose()
        }
        return response
    }

    static func request(
        port: Int,
        _ method: String,
        _ target: String,
        headers: [String] = [],
        body: String = ""
    ) throws -> Response {
        let client = try RawHTTPClient(port: port)
        client.send(Self.format(method, target, headers: headers + ["Connection: close"], body: body))
        return try client.readResponse(isHead: method == "HEAD")
    }

    static func request(port: Int, _ target: String, headers: [String] = []) throws -> Response {
        try request(port: port, "GET", target, headers: headers)
    }

    static func format(_ method: String, _ target: String, headers: [String] = [], body: String = "") -> String {
        var text = "\(method) \(target) HTTP/1.1\r\nHost: backend.test\r\n"
        for header in headers { text += header + "\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { text += "Content-Length: \(body.utf8.count)\r\n" }
        return text + "\r\n" + body
    }
}
