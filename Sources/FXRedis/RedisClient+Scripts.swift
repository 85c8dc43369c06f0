import NIOCore

extension RedisClient {
    /// Runs `script` by its SHA-1; if Redis does not know it (`NOSCRIPT`, e.g.
    /// after a restart or `SCRIPT FLUSH`), sends the source with `EVAL`, which
    /// also caches it for the next call. Both share the one `timeout`: the `EVAL`
    /// gets what the `EVALSHA` left of it, so the call never waits longer.
    public func evalSHA(
        _ script: RedisScript,
        keys: [RedisArgument] = [],
        args: [RedisArgument] = [],
        timeout: Duration? = nil
    ) async throws -> RESPValue {
        let deadline = ContinuousClock.now + (timeout ?? configuration.commandTimeout)
        let tail = [RedisArgument(keys.count)] + keys + args
        do {
            return try await send("EVALSHA", [RedisArgument(script.sha1)] + tail, timeout: deadline - .now)
        } catch let error as RedisError where error.isNoScript {
            let remaining = deadline - .now
            guard remaining > .zero else { throw RedisError.timeout }
            return try await send("EVAL", [RedisArgument(script.source)] + tail, timeout: remaining)
        }
    }

    /// `evalSHA` for callers that cannot await (completion callbacks): on a connection that is up now, the
    /// `EVAL` fallback within the same `deadline`. Nil when no connection is up: nothing was sent, and it never
    /// waits for the client to start (see `waitForStart(until:)`).
    func evalSHAOnActiveConnection(
        _ script: RedisScript,
        keys: [RedisArgument],
        args: [RedisArgument],
        deadline: ContinuousClock.Instant
    ) -> EventLoopFuture<RESPValue>? {
        let tail = [RedisArgument(keys.count)] + keys + args
        guard let reply = sendOnActiveConnection(["EVALSHA", RedisArgument(script.sha1)] + tail,
                                                 timeout: deadline - .now)
        else { return nil }
        return reply.flatMapError { error in
            guard (error as? RedisError)?.isNoScript == true else {
                return reply.eventLoop.makeFailedFuture(error)
            }
            // Nothing left of the budget: fail as the timeout it is, without sending a command that would
            // only time out on the connection (and count towards retiring it).
            guard deadline > .now else { return reply.eventLoop.makeFailedFuture(RedisError.timeout) }
            return self.sendOnActiveConnection(["EVAL", RedisArgument(script.source)] + tail, timeout: deadline - .now)
                ?? reply.eventLoop.makeFailedFuture(RedisError.connectionUnavailable)
        }
    }
}

extension RedisError {
    /// Redis does not know the script by its SHA-1 (a restart, `SCRIPT FLUSH`): send its source instead.
    var isNoScript: Bool {
        if case .server(let message) = self { message.hasPrefix("NOSCRIPT") } else { false }
    }
}
