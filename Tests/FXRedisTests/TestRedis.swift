import FXCore
import FXLifecycle
import FXRedis
import Foundation
import Logging
import NIOCore
import FXSupport

/// Shared settings of the tests that need a real redis-server.
enum TestRedis {
    /// The shared server started by `scripts/test-redis.sh start`.
    static let url: String? = {
        guard let value = getenv("FX_TEST_REDIS_URL") else { return nil }
        return String(cString: value)
    }()

    static var isConfigured: Bool { url != nil }

    /// Command timeout of tests that check results, not latency: generous, because the whole suite
    /// shares two cores and a busy machine must not turn into a failed test.
    static let patientTimeout = Duration.seconds(30)

    static let logger = Logger(label: "fxredis.tests") { _ in SwiftLogNoOpLogHandler() }

    /// - Parameter url: the shared server's by default; a private server's (`RedisServerProcess`) for tests of
    ///   server-wide commands (SCRIPT FLUSH, CLIENT PAUSE, INFO counters).
    static func configuration(
        url: String? = TestRedis.url,
        connectionCount: Int = 2,
        commandTimeout: Duration = patientTimeout
    ) throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: url ?? "redis://127.0.0.1:56379")
        configuration.connectionCount = connectionCount
        configuration.commandTimeout = commandTimeout
        configuration.reconnectPolicy = fastReconnect
        return configuration
    }

    static let fastReconnect = ReconnectBackoff(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200))

    /// A running, connected client for the duration of `body`.
    static func withClient<T>(
        _ configuration: RedisConfiguration,
        _ body: (RedisClient) async throws -> T
    ) async throws -> T {
        try await withRunning(RedisClient(configuration: configuration, logger: logger)) { client in
            try await client.waitUntilConnected(timeout: patientTimeout)
            return try await body(client)
        }
    }
}

/// Fails with `RedisError.timeout` if `body` has not finished within `limit`,
/// so a test waiting for an event cannot hang.
func withTimeout<T: Sendable>(
    _ limit: Duration,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask(operation: body)
        group.addTask {
            try await Task.sleep(for: limit)
            throw RedisError.timeout
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Waits on a state stream until `expected` is yielded.
func waitFor(
    _ expected: RedisConnectionState,
    in states: AsyncStream<RedisConnectionState>,
    within limit: Duration = .seconds(20)
) async throws {
    try await withTimeout(limit) {
        for await state in states where state == expected {
            return
        }
        throw RedisError.shutdown
    }
}

extension RESPValue {
    static func bulk(_ text: String) -> RESPValue {
        .bulkString(ByteBuffer(string: text))
    }
}

extension RedisClient {
    /// The counts of a rate limiter's sub-windows (fields `<seconds>s:<index>`) summed per window, so checks
    /// that straddle the start of a sub-window still add up.
    func windowCounts(ofHash hash: String) async throws -> [String: Int] {
        try await limiterFields(ofHash: hash).reduce(into: [:]) { counts, field in
            if Int(field.key.name) != nil { counts[field.key.window, default: 0] += field.value }
        }
    }

    /// A rate limiter's hash as (window seconds, what follows `<seconds>s:`) → value.
    func limiterFields(ofHash hash: String) async throws -> [LimiterField: Int] {
        let fields = try await send("HGETALL", [RedisArgument(hash)]).array?.compactMap(\.string) ?? []
        var values: [LimiterField: Int] = [:]
        for index in stride(from: 0, to: fields.count - 1, by: 2) {
            let parts = fields[index].split(separator: "s:", maxSplits: 1)
            guard parts.count == 2 else { continue }
            values[LimiterField(window: String(parts[0]), name: String(parts[1]))] = Int(fields[index + 1]) ?? 0
        }
        return values
    }

    /// The sub-window the limiter's script is in now, by Redis's clock, for a window of `seconds`; waits for the
    /// next one when less than a minute of this one is left, so that a test's checks all run in the one it gets.
    func currentSubWindow(ofWindowSeconds seconds: Int) async throws -> Int {
        let length = SlidingWindowCounter.subWindowLength(ofWindowSeconds: seconds)
        let time = try await send("TIME").array?.compactMap(\.string).compactMap { Int($0) } ?? []
        let now = (time.first ?? 0) * 1000 + (time.last ?? 0) / 1000
        guard length - now % length < 60_000 else { return now / length }
        try await Task.sleep(for: .milliseconds(length - now % length + 10))
        return try await currentSubWindow(ofWindowSeconds: seconds)
    }
}

struct LimiterField: Hashable {
    let window: String
    let name: String
}
