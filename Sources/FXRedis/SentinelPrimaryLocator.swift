import Logging
import NIOCore

/// Asks the sentinels, one after another, where the primary they monitor under `primaryName` is.
struct SentinelPrimaryLocator: Sendable {
    let sentinel: RedisSentinelConfiguration
    /// How to talk to a sentinel: its own password, no database, TLS as for the data nodes.
    let sentinelConfiguration: RedisConfiguration

    init(configuration: RedisConfiguration, sentinel: RedisSentinelConfiguration) {
        self.sentinel = sentinel
        var sentinelConfiguration = configuration
        sentinelConfiguration.username = nil
        sentinelConfiguration.password = sentinel.password
        sentinelConfiguration.database = 0
        sentinelConfiguration.sentinel = nil
        self.sentinelConfiguration = sentinelConfiguration
    }

    /// A connection to the primary: each sentinel in turn is asked, and the server it names is kept only if
    /// `ROLE` says master there. A stale sentinel (partitioned, or not yet told of a failover) names a replica;
    /// the next sentinel is asked then, not the same one again. Each sentinel and each named server gets the
    /// connect timeout for its connect and for each command, so a dead or silent one costs at most that.
    func connectToPrimary(configuration: RedisConfiguration, eventLoop: EventLoop, logger: Logger) async throws
        -> RedisConnection
    {
        var lastError = RedisError.primaryUnknown
        for node in sentinel.sentinels {
            do {
                guard let primary = try await ask(node, eventLoop: eventLoop, logger: logger) else {
                    lastError = .primaryUnknown
                    continue
                }
                let connection = try await RedisConnection.connect(
                    configuration: configuration, endpoint: primary, eventLoop: eventLoop, logger: logger)
                do {
                    try await connection.verifyPrimary(timeout: configuration.connectTimeout)
                } catch {
                    await connection.close()
                    throw error
                }
                return connection
            } catch let error as RedisError {
                lastError = error
            } catch {
                lastError = .protocolError("\(error)")
            }
            logger.debug("no primary through this sentinel; asking the next",
                         metadata: ["redis.sentinel": "\(node)", "error": "\(lastError)"])
        }
        throw lastError
    }

    /// What `node` says (`SENTINEL GET-MASTER-ADDR-BY-NAME`); nil when it does not know the name.
    func ask(_ node: RedisEndpoint, eventLoop: EventLoop, logger: Logger) async throws -> RedisEndpoint? {
        let connection = try await RedisConnection.connect(
            configuration: sentinelConfiguration, endpoint: node, eventLoop: eventLoop, logger: logger)
        let reply: RESPValue
        do {
            reply = try await connection.send(
                ["SENTINEL", "GET-MASTER-ADDR-BY-NAME", RedisArgument(sentinel.primaryName)],
                timeout: TimeAmount(sentinelConfiguration.connectTimeout)
            ).get()
        } catch {
            await connection.close()
            throw error
        }
        await connection.close()
        return Self.endpoint(in: reply)
    }

    /// `[host, port]`, as GET-MASTER-ADDR-BY-NAME answers; nil for a null reply or anything else.
    static func endpoint(in reply: RESPValue) -> RedisEndpoint? {
        guard let parts = reply.array, parts.count == 2, let host = parts[0].string, !host.isEmpty,
              let port = parts[1].string.flatMap({ Int($0) }), (1...65_535).contains(port)
        else { return nil }
        return RedisEndpoint(host: host, port: port)
    }
}
