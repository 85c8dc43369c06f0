import NIOCore

/// Decodes the inbound byte stream of one channel into `RESPValue`s with hiredis.
///
/// Several pipelined replies may arrive in one read, so every read drains the
/// reader until it has no complete reply left. A hiredis error means the stream
/// is corrupt; it is thrown so the command handler fails all pending commands
/// and closes the channel.
struct RESPValueDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    private let reader = HiredisReplyReader()

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        try reader.feed(&buffer)
        while let value = try reader.nextReply(allocator: context.channel.allocator) {
            context.fireChannelRead(wrapInboundOut(value))
        }
        return .needMoreData
    }

    mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}
