// Pipelined throughput of FXRedis on one connection against a local Redis.
//
//   swift run -c release fxredis-bench [--url redis://127.0.0.1:56379]
//       [--seconds 5] [--concurrency 256] [--connections 1]
//
// Runs PING, then rate-limit checks (the sliding-window script), each for --seconds with
// --concurrency commands in flight, and prints operations per second.
import FXCore
import FXLifecycle
import FXRedis
import Logging

struct BenchmarkOptions {
    var url = "redis://127.0.0.1:56379"
    var seconds = 5
    var concurrency = 256
    var connections = 1

    init(arguments: [String]) throws {
        var remaining = arguments.makeIterator()
        while let flag = remaining.next() {
            guard let value = remaining.next() else { throw UsageError(message: "\(flag) needs a value") }
            switch flag {
            case "--url": url = value
            case "--seconds": seconds = try Self.positive(value, flag)
            case "--concurrency": concurrency = try Self.positive(value, flag)
            case "--connections": connections = try Self.positive(value, flag)
            default: throw UsageError(message: "unknown option \(flag)")
            }
        }
    }

    private static func positive(_ value: String, _ flag: String) throws -> Int {
        guard let number = Int(value), number > 0 else { throw UsageError(message: "\(flag) must be a positive integer") }
        return number
    }
}

struct UsageError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Keeps `concurrency` commands in flight for `duration`; returns completed commands.
func measure(
    concurrency: Int,
    duration: Duration,
    operation: @escaping @Sendable () async throws -> Void
) async throws -> Int {
    let deadline = ContinuousClock.now + duration
    return try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                var completed = 0
                while ContinuousClock.now < deadline {
                    try await operation()
                    completed += 1
                }
                return completed
            }
        }
        return try await group.reduce(0, +)
    }
}

let logger = Logger(label: "fxredis-bench")

func report(_ name: String, operations: Int, seconds: Int) {
    let rate = Int((Double(operations) / Double(seconds)).rounded())
    logger.notice("\(name): \(operations) ops in \(seconds) s = \(rate) ops/s")
}

let options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
var configuration = try RedisConfiguration(url: options.url)
configuration.connectionCount = options.connections
configuration.commandTimeout = .seconds(5)
try await withRunning(RedisClient(configuration: configuration, logger: logger), logger: logger) { client in
    try await client.waitUntilConnected(timeout: .seconds(5))
    logger.notice("\(configuration), \(options.connections) connection(s), \(options.concurrency) in flight, \(options.seconds) s per run")

    let pings = try await measure(concurrency: options.concurrency, duration: .seconds(options.seconds)) {
        _ = try await client.send("PING")
    }
    report("PING", operations: pings, seconds: options.seconds)

    // Rate-limit checks as a replica makes them: the sliding-window script over two windows, spread over
    // 1,000 clients with quotas high enough that every check is admitted and counted.
    let limiter = RedisRateLimiter(client: client, keyPrefix: "fxredis-bench:")
    let windows = [RateLimitWindow(name: "minute", quota: 1_000_000_000, seconds: 60),
                   RateLimitWindow(name: "day", quota: 1_000_000_000, seconds: 86_400)]
    let checks = try await measure(concurrency: options.concurrency, duration: .seconds(options.seconds)) {
        _ = try await limiter.acquire(key: "client-\(Int.random(in: 0..<1000))", windows: windows)
    }
    report("rate-limit check (EVALSHA)", operations: checks, seconds: options.seconds)
}
