import NIOCore

/// An encoded command on its way to the `RedisCommandHandler`.
struct RedisCommandRequest: Sendable {
    let encoded: ByteBuffer
    /// Completed with the reply; nil for commands whose replies are pushes
    /// handled further down the pipeline (`SUBSCRIBE`).
    let replyPromise: EventLoopPromise<RESPValue>?
    let timeout: TimeAmount?
}
