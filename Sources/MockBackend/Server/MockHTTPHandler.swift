import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Answers one connection's requests: control endpoints, injected faults, then the matching route.
///
/// Sits behind NIO's `HTTPServerPipelineHandler`, which holds back pipelined requests until the current
/// response's `.end` is written, so this handler only ever has one request in flight and delayed or streamed
/// answers stay in order. Every delay is a task scheduled on the channel's event loop; nothing here blocks.
final class MockHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// One response, ready to be written.
    private struct Reply {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: [UInt8]
        var chunking: MockChunking? = nil
        var delay: TimeAmount = .zero
    }

    private let state: MockServerState
    private let maxBodyBytes: Int
    private var requestHead: HTTPRequestHead?
    private var requestBody: [UInt8] = []
    private var bodyTruncated = false
    private var isActive = true
    private var pendingTask: Scheduled<Void>?

    init(state: MockServerState, maxBodyBytes: Int) {
        self.state = state
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head(let head):
            self.requestHead = head
            self.requestBody.removeAll(keepingCapacity: true)
            self.bodyTruncated = false
        case .body(let buffer):
            let room = self.maxBodyBytes - self.requestBody.count
            if buffer.readableBytes > room {
                self.bodyTruncated = true
            }
            self.requestBody.append(contentsOf: buffer.readableBytesView.prefix(max(0, room)))
        case .end:
            guard let head = self.requestHead else {
                return
            }
            self.requestHead = nil
            self.handle(context: context, head: head)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.isActive = false
        self.pendingTask?.cancel()
        self.pendingTask = nil
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    // MARK: - Dispatch

    private func handle(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let uri = head.uri
        let path = uri.prefix { $0 != "?" }
        let query = uri.dropFirst(path.count + 1)
        let keepAlive = head.isKeepAlive
        let isHead = head.method == .HEAD

        if path.hasPrefix(ControlEndpoint.prefix) {
            let reply = ControlEndpoint.handle(
                method: head.method,
                path: path,
                query: query,
                body: self.requestBody,
                state: self.state
            )
            var headers = HTTPHeaders([("Content-Type", "application/json")])
            headers.add(contentsOf: reply.headers)
            self.send(Reply(status: reply.status, headers: headers, body: reply.body), for: head, context: context)
            return
        }

        let match = self.state.routes.match(method: head.method.rawValue, path: path)
        var parameters: [String: String] = [:]
        if case .found(_, let found) = match {
            parameters = found
        }
        let request = RecordedRequest(
            method: head.method.rawValue,
            uri: uri,
            headers: head.headers.map { ($0.name, $0.value) },
            body: self.requestBody,
            bodyTruncated: self.bodyTruncated,
            pathParameters: parameters
        )
        self.state.record(request)

        var extraDelay = TimeAmount.zero
        switch self.state.takeFault() {
        case .closeConnection:
            context.close(promise: nil)
            return
        case .status(let code, let body):
            let headers = HTTPHeaders([("Content-Type", "application/json")])
            self.send(Reply(status: .init(statusCode: code), headers: headers, body: body), for: head, context: context)
            return
        case .invalidJSON:
            let headers = HTTPHeaders([("Content-Type", "application/json")])
            let body = Array(#"{"id": 1, "items": [{"name": "trunc"#.utf8)
            self.send(Reply(status: .ok, headers: headers, body: body), for: head, context: context)
            return
        case .oversizedBody(let bytes):
            self.sendOversized(
                bytes: bytes,
                keepAlive: keepAlive,
                isHead: isHead,
                version: head.version,
                context: context
            )
            return
        case .resetMidBody:
            self.resetMidBody(context: context)
            return
        case .delay(let duration):
            extraDelay = duration.timeAmount
        case nil:
            break
        }

        switch match {
        case .notFound:
            var writer = JSONWriter()
            writer.beginObject()
            writer.field("error", "no mock route")
            writer.field("method", head.method.rawValue)
            writer.field("path", String(path))
            writer.endObject()
            let headers = HTTPHeaders([("Content-Type", "application/json")])
            let reply = Reply(status: .notFound, headers: headers, body: writer.bytes, delay: extraDelay)
            self.send(reply, for: head, context: context)
        case .methodNotAllowed(let allowed):
            let headers = HTTPHeaders([("Allow", allowed.joined(separator: ", "))])
            let reply = Reply(status: .methodNotAllowed, headers: headers, body: [], delay: extraDelay)
            self.send(reply, for: head, context: context)
        case .found(let route, _):
            let response = route.response(for: request)
            let delay = response.delay.timeAmount + extraDelay
            self.resolveBody(response.body, request: request, context: context) { resolved in
                switch resolved {
                case .some(let (bytes, guessedType)):
                    // Header values take `{name}` placeholders too (e.g. a `Location` built from the path).
                    var headers = HTTPHeaders(
                        response.headers.map { header in
                            let value =
                                header.value.contains("{")
                                ? String(
                                    decoding: Self.render(header.value, parameters: request.pathParameters),
                                    as: UTF8.self
                                )
                                : header.value
                            return (header.name, value)
                        }
                    )
                    if let guessedType, !headers.contains(name: "Content-Type") {
                        headers.add(name: "Content-Type", value: guessedType)
                    }
                    let reply = Reply(
                        status: .init(statusCode: response.status),
                        headers: headers,
                        body: bytes,
                        chunking: response.chunking,
                        delay: delay
                    )
                    self.send(reply, for: head, context: context)
                case .none:
                    let headers = HTTPHeaders([("Content-Type", "application/json")])
                    let body = Array(#"{"error":"mock file not found"}"#.utf8)
                    self.send(
                        Reply(status: .notFound, headers: headers, body: body, delay: delay),
                        for: head,
                        context: context
                    )
                }
            }
        }
    }

    // MARK: - Bodies

    /// Produces the body bytes and a guessed content type, or `nil` when a file is missing. Calls `completion`
    /// on the event loop: at once for in-memory bodies, after a thread-pool read for files.
    private func resolveBody(
        _ body: MockBody,
        request: RecordedRequest,
        context: ChannelHandlerContext,
        completion: @escaping (([UInt8], String?)?) -> Void
    ) {
        switch body {
        case .empty:
            completion(([], nil))
        case .bytes(let bytes):
            completion((bytes, nil))
        case .template(let template):
            completion((Self.render(template, parameters: request.pathParameters), nil))
        case .echo:
            completion((request.jsonBytes, "application/json"))
        case .file(let path):
            guard let resolved = Self.resolveFilePath(path, parameters: request.pathParameters) else {
                completion(nil)
                return
            }
            self.readFile(resolved, context: context, completion: completion)
        case .directory(let root):
            guard let relative = Self.safeRelativePath(request.pathParameters["*"] ?? "") else {
                completion(nil)
                return
            }
            self.readFile(root + "/" + relative, context: context, completion: completion)
        }
    }

    private func readFile(
        _ path: String,
        context: ChannelHandlerContext,
        completion: @escaping (([UInt8], String?)?) -> Void
    ) {
        // Reading a file blocks, so it happens on NIO's thread pool; the answer comes back to this loop.
        NIOThreadPool.singleton.runIfActive(eventLoop: context.eventLoop) { () -> [UInt8]? in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: path)
            else {
                return nil
            }
            return [UInt8](data)
        }.assumeIsolated().whenComplete { result in
            switch result {
            case .success(.some(let bytes)): completion((bytes, Self.contentType(forPath: path)))
            case .success(.none), .failure: completion(nil)
            }
        }
    }

    /// `{name}` → the parameter's value; braces around anything that is not a known parameter stay as written.
    static func render(_ template: String, parameters: [String: String]) -> [UInt8] {
        let utf8 = Array(template.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count + 32)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "{"),
                let close = utf8[(index + 1)...].prefix(64).firstIndex(of: UInt8(ascii: "}")),
                let value = parameters[String(decoding: utf8[(index + 1)..<close], as: UTF8.self)]
            {
                output.append(contentsOf: value.utf8)
                index = close + 1
            } else {
                output.append(utf8[index])
                index += 1
            }
        }
        return output
    }

    /// `path` with `{name}` placeholders filled in, or `nil` when a value could climb out of its folder.
    static func resolveFilePath(_ path: String, parameters: [String: String]) -> String? {
        if !path.contains("{") {
            return path
        }
        for (name, value) in parameters {
            let safe =
                name == "*"
                ? Self.safeRelativePath(value) != nil : Self.safeRelativePath(value) != nil && !value.contains("/")
            if !safe && path.contains("{\(name)}") {
                return nil
            }
        }
        return String(decoding: Self.render(path, parameters: parameters), as: UTF8.self)
    }

    /// The wildcard remainder when it is a plain relative path: no `..`, no empty or hidden-escape segments.
    static func safeRelativePath(_ relative: String) -> String? {
        let segments = relative.split(separator: "/", omittingEmptySubsequences: false)
        if relative.isEmpty || relative.contains("\0")
            || segments.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
        {
            return nil
        }
        return relative
    }

    static func contentType(forPath path: String) -> String {
        switch path.split(separator: ".").last?.lowercased() {
        case "json": "application/json"
        case "jwks": "application/jwk-set+json"
        case "html", "htm": "text/html; charset=utf-8"
        case "txt": "text/plain; charset=utf-8"
        case "xml": "application/xml"
        case "pem": "application/x-pem-file"
        default: "application/octet-stream"
        }
    }

    // MARK: - Writing

    private func send(_ reply: Reply, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        if reply.delay > .zero {
            self.pendingTask = context.eventLoop.assumeIsolated().scheduleTask(in: reply.delay) {
                self.pendingTask = nil
                self.write(reply, for: request, context: context)
            }
        } else {
            self.write(reply, for: request, context: context)
        }
    }

    private func write(_ reply: Reply, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        guard self.isActive else {
            return
        }
        let keepAlive = request.isKeepAlive
        let code = reply.status.code
        let bodyAllowed = !(100..<200).contains(code) && code != 204 && code != 304
        // HTTP/1.0 has no chunked encoding, so such clients get the same bytes with a Content-Length.
        let chunked = reply.chunking != nil && bodyAllowed && Self.supportsChunking(request.version)
        var headers = reply.headers
        headers.remove(name: "Content-Length")
        headers.remove(name: "Transfer-Encoding")
        if chunked {
            headers.add(name: "Transfer-Encoding", value: "chunked")
        } else if bodyAllowed {
            headers.add(name: "Content-Length", value: String(reply.body.count))
        }
        Self.setConnectionHeader(&headers, keepAlive: keepAlive, version: request.version)
        let head = HTTPResponseHead(version: request.version, status: reply.status, headers: headers)
        context.write(self.wrapOutboundOut(.head(head)), promise: nil)

        if request.method == .HEAD || !bodyAllowed || reply.body.isEmpty {
            self.finish(keepAlive: keepAlive, context: context)
        } else if chunked, let chunking = reply.chunking {
            let size = max(1, (reply.body.count + chunking.count - 1) / chunking.count)
            let chunks = stride(from: 0, to: reply.body.count, by: size).map {
                reply.body[$0..<min($0 + size, reply.body.count)]
            }
            self.writeChunks(
                chunks[...],
                interval: chunking.interval.timeAmount,
                keepAlive: keepAlive,
                context: context
            )
        } else {
            // Allocates one ByteBuffer the size of the body.
            let buffer = context.channel.allocator.buffer(bytes: reply.body)
            context.write(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            self.finish(keepAlive: keepAlive, context: context)
        }
    }

    private func writeChunks(
        _ chunks: ArraySlice<ArraySlice<UInt8>>,
        interval: TimeAmount,
        keepAlive: Bool,
        context: ChannelHandlerContext
    ) {
        guard self.isActive else {
            return
        }
        guard let chunk = chunks.first else {
            self.finish(keepAlive: keepAlive, context: context)
            return
        }
        let buffer = context.channel.allocator.buffer(bytes: chunk)
        context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let rest = chunks.dropFirst()
        if rest.isEmpty {
            self.finish(keepAlive: keepAlive, context: context)
        } else {
            self.pendingTask = context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
                self.pendingTask = nil
                self.writeChunks(rest, interval: interval, keepAlive: keepAlive, context: context)
            }
        }
    }

    private func finish(keepAlive: Bool, context: ChannelHandlerContext) {
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil)), promise: promise)
        if !keepAlive {
            promise.futureResult.assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    private static func setConnectionHeader(_ headers: inout HTTPHeaders, keepAlive: Bool, version: HTTPVersion) {
        headers.remove(name: "Connection")
        if !keepAlive {
            headers.add(name: "Connection", value: "close")
        } else if !Self.supportsChunking(version) {
            headers.add(name: "Connection", value: "keep-alive")
        }
    }

    /// HTTP/1.1 and later: chunked bodies and persistent connections by default.
    private static func supportsChunking(_ version: HTTPVersion) -> Bool {
        version.major > 1 || (version.major == 1 && version.minor >= 1)
    }

    // MARK: - Faults that break the protocol

    /// Streams a valid JSON document of exactly `bytes` bytes (minimum 14) in 64 KiB buffers.
    private func sendOversized(
        bytes requested: Int,
        keepAlive: Bool,
        isHead: Bool,
        version: HTTPVersion,
        context: ChannelHandlerContext
    ) {
        let prefix = Array(#"{"padding":""#.utf8)
        let suffix = Array(#""}"#.utf8)
        let total = max(requested, prefix.count + suffix.count)
        var headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", String(total))])
        Self.setConnectionHeader(&headers, keepAlive: keepAlive, version: version)
        context.write(
            self.wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .ok, headers: headers))),
            promise: nil
        )
        if !isHead {
            // Allocates one 64 KiB ByteBuffer per slice; NIO queues them all, so memory grows with `bytes`.
            let sliceSize = 64 * 1024
            let padding = total - prefix.count - suffix.count
            var padded = 0
            var buffer = context.channel.allocator.buffer(capacity: min(sliceSize, total))
            buffer.writeBytes(prefix)
            while true {
                let fill = min(padding - padded, sliceSize - buffer.readableBytes)
                buffer.writeRepeatingByte(UInt8(ascii: "x"), count: fill)
                padded += fill
                if padded == padding {
                    buffer.writeBytes(suffix)
                    context.write(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                    break
                }
                context.write(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
                buffer = context.channel.allocator.buffer(capacity: sliceSize)
            }
        }
        self.finish(keepAlive: keepAlive, context: context)
    }

    /// Announces 4,096 bytes, sends 1,024, then closes with SO_LINGER 0 so the peer sees a TCP reset.
    private func resetMidBody(context: ChannelHandlerContext) {
        let headers = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "4096")])
        context.write(
            self.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
            promise: nil
        )
        var part = context.channel.allocator.buffer(capacity: 1024)
        part.writeString(#"{"items":[""#)
        part.writeRepeatingByte(UInt8(ascii: "x"), count: 1024 - part.readableBytes)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(part))), promise: written)
        written.futureResult.assumeIsolated().whenComplete { _ in
            // A short pause so the partial body reaches the peer before the reset discards the send queue.
            self.pendingTask = context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(10)) {
                self.pendingTask = nil
                guard let provider = context.channel as? any SocketOptionProvider else {
                    context.close(promise: nil)
                    return
                }
                provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).assumeIsolated().whenComplete { _ in
                    context.close(promise: nil)
                }
            }
        }
    }
}
