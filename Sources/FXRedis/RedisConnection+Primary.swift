import Logging
import NIOCore

extension RedisConnection {
    /// A data connection: to the configured server, or, behind sentinels, to the primary they name once it has
    /// confirmed with `ROLE` that it is one (a sentinel's answer may be stale during a failover).
    static func open(configuration: RedisConfiguration, eventLoop: EventLoop, logger: Logger) async throws -> RedisConnection {
        guard let sentinel = configuration.sentinel else {
            return try await connect(configuration: configuration, eventLoop: eventLoop, logger: logger)
        }
        return try await SentinelPrimaryLocator(configuration: configuration, sentinel: sentinel)
            .connectToPrimary(configuration: configuration, eventLoop: eventLoop, logger: logger)
    }

    /// Throws `RedisError.notPrimary` unless `ROLE` says master.
    func verifyPrimary(timeout: Duration) async throws {
        let reply = try await send(["ROLE"], timeout: TimeAmount(timeout)).get()
        guard reply.array?.first?.string == "master" else { throw RedisError.notPrimary(endpoint.description) }
    }
}
