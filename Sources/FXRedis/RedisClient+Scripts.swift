extension RedisClient {
    /// Runs `script` by its SHA-1; if Redis does not know it (`NOSCRIPT`, e.g.
    /// after a restart or `SCRIPT FLUSH`), sends the source with `EVAL`, which
    /// also caches it for the next call.
    public func evalSHA(
        _ script: RedisScript,
        keys: [RedisArgument] = [],
        args: [RedisArgument] = [],
        timeout: Duration? = nil
    ) async throws -> RESPValue {
        let tail = [RedisArgument(keys.count)] + keys + args
        do {
            return try await send("EVALSHA", [RedisArgument(script.sha1)] + tail, timeout: timeout)
        } catch RedisError.server(let message) where message.hasPrefix("NOSCRIPT") {
            return try await send("EVAL", [RedisArgument(script.source)] + tail, timeout: timeout)
        }
    }
}
