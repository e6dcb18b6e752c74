import NIOCore

/// Tells `GatewayHTTPHandler` when bytes arrive, before the HTTP decoder sees them: a keep-alive connection's next
/// request starts its `read_header_timeout` / `read_timeout` clocks at its first byte, as in Go's `http.Server`.
///
/// Installed only when one of those timeouts is configured; the event is an empty struct (no allocation).
final class RequestStartHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireUserInboundEventTriggered(GatewayHTTPHandler.RequestBytesArrived())
        context.fireChannelRead(data)
    }
}
