import Logging
import NIOCore
import NIOPosix

/// One TCP connection to Redis (TLS first in the pipeline when configured) with a hiredis decoder and a
/// pipelining command handler.
final class RedisConnection: Sendable {
    let channel: Channel
    /// The server it was opened to: under a sentinel, the primary it was told of.
    let endpoint: RedisEndpoint

    private init(channel: Channel, endpoint: RedisEndpoint) {
        self.channel = channel
        self.endpoint = endpoint
    }

    var isActive: Bool {
        channel.isActive
    }

    var closeFuture: EventLoopFuture<Void> {
        channel.closeFuture
    }

    /// Connects to `endpoint` (by default the configuration's), runs the AUTH/SELECT handshake the
    /// configuration asks for, and waits for Redis's answer to a PING. With TLS, the handshake's verification
    /// failures (a wrong CA, a wrong name, a refused client certificate) fail it.
    static func connect(
        configuration: RedisConfiguration,
        endpoint: RedisEndpoint? = nil,
        eventLoop: EventLoop,
        logger: Logger
    ) async throws -> RedisConnection {
        let endpoint = endpoint ?? configuration.endpoint
        let tls = try configuration.tls.map { tls in (tls, try tls.makeContext()) }
        // Behind a sentinel, a READONLY reply means the server was demoted: the connection must go.
        let dropsOnReadOnly = configuration.sentinel != nil
        let channel = try await ClientBootstrap(group: eventLoop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .keepingAliveBriefly()
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if case let (tls, context)? = tls {
                        try channel.pipeline.syncOperations.addHandler(tls.makeHandler(context: context, host: endpoint.host))
                    }
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(RESPValueDecoder()),
                        RedisCommandHandler(logger: logger, dropsOnReadOnly: dropsOnReadOnly),
                    ])
                }
            }
            .connect(host: endpoint.host, port: endpoint.port)
            .get()
        let connection = RedisConnection(channel: channel, endpoint: endpoint)
        do {
            try await connection.handshake(configuration: configuration)
        } catch {
            await connection.close()
            throw error
        }
        return connection
    }

    private func handshake(configuration: RedisConfiguration) async throws {
        let timeout = TimeAmount(configuration.connectTimeout)
        if let password = configuration.password {
            var arguments: [RedisArgument] = ["AUTH"]
            if let username = configuration.username {
                arguments.append(RedisArgument(username))
            }
            arguments.append(RedisArgument(password))
            _ = try await send(arguments, timeout: timeout).get()
        }
        if configuration.database != 0 {
            _ = try await send(["SELECT", RedisArgument(configuration.database)], timeout: timeout).get()
        }
        // A connection counts as up only once Redis has answered. A TCP connect alone also succeeds into the
        // backlog of a Redis being killed (reset a moment later), or to this very socket when the kernel picks
        // Redis's port as the local port while nothing listens there (a self-connect, which echoes the PING):
        // announced as connected, either took the next command down with it.
        let reply = try await send(["PING"], timeout: timeout).get()
        guard reply == .simpleString("PONG") else { throw RedisError.unexpectedReply(reply) }
    }

    /// Queues a command; the returned future completes with its reply.
    func send(_ arguments: [RedisArgument], timeout: TimeAmount?) -> EventLoopFuture<RESPValue> {
        let promise = channel.eventLoop.makePromise(of: RESPValue.self)
        let encoded = RedisCommandEncoder.encode(arguments, allocator: channel.allocator)
        let request = RedisCommandRequest(encoded: encoded, replyPromise: promise, timeout: timeout)
        // A write to a channel that has already closed never reaches the command
        // handler, so its failure must fail the reply too.
        channel.write(request).whenFailure { _ in
            promise.fail(RedisError.connectionClosed)
        }
        return promise.futureResult
    }

    /// Queues a command whose replies are pushes consumed further down the pipeline.
    func sendWithoutReply(_ arguments: [RedisArgument]) {
        let encoded = RedisCommandEncoder.encode(arguments, allocator: channel.allocator)
        channel.write(RedisCommandRequest(encoded: encoded, replyPromise: nil, timeout: nil), promise: nil)
    }

    func close() async {
        try? await channel.close()
    }
}
