import FXLifecycle
import FXRedis
import FXSupport
import FXTestSupport
import Foundation

/// One primary, one replica and three sentinels on loopback (`TestPorts` offsets 0 to 4), each a
/// process of its own stopped by PID, with timeouts low enough for a test.
final class SentinelGroup: Sendable {
    static let primaryName = "mymaster"
    /// The sentinel timeout: how long a silent primary takes to count as down.
    static let downAfter = Duration.milliseconds(1000)

    let primary: RedisServerProcess
    let replica: RedisServerProcess
    let sentinels: [RedisServerProcess]

    /// `redis+sentinel://` with every sentinel.
    var url: String {
        "redis+sentinel://" + sentinels.map { "127.0.0.1:\($0.port)" }.joined(separator: ",") + "/\(Self.primaryName)"
    }

    /// A client configuration for `url`, with the reconnect policy `serve` uses (Wiring.redisClient).
    func clientConfiguration(url: String? = nil) throws -> RedisConfiguration {
        var configuration = try RedisConfiguration(url: url ?? self.url)
        configuration.reconnectPolicy = ReconnectBackoff(initialDelay: .milliseconds(100), maximumDelay: .seconds(1))
        return configuration
    }

    init() async throws {
        var ports: [Int] = []
        for offset in 0..<5 {
            ports.append(try await TestPorts.port(TestPorts.sentinelGroup + offset))
        }
        var started: [RedisServerProcess] = []
        do {
            let primary = try await RedisServerProcess(port: ports[0])
            started.append(primary)
            let replica = try await RedisServerProcess(port: ports[1], arguments: ["--replicaof", "127.0.0.1", "\(ports[0])"])
            started.append(replica)
            let configuration = """
                sentinel monitor \(Self.primaryName) 127.0.0.1 \(ports[0]) 2
                sentinel down-after-milliseconds \(Self.primaryName) \(Self.downAfter.milliseconds)
                sentinel failover-timeout \(Self.primaryName) 5000
                sentinel parallel-syncs \(Self.primaryName) 1

                """
            for port in ports[2...] {
                started.append(try await RedisServerProcess(port: port, sentinelConfiguration: configuration))
            }
            self.primary = primary
            self.replica = replica
            self.sentinels = Array(started.suffix(3))
        } catch {
            started.forEach { $0.destroy() }
            throw error
        }
    }

    func destroy() {
        (sentinels + [replica, primary]).forEach { $0.destroy() }
    }

    /// Until the replica has synced and every sentinel sees it as a good replica: a forced failover needs one.
    func waitUntilReady(timeout: Duration = .seconds(30)) async throws {
        try await Self.poll(until: .now + timeout) {
            let replication = try await Self.send(["INFO", "replication"], to: self.replica.port).string ?? ""
            guard replication.contains("master_link_status:up") else { return false }
            for sentinel in self.sentinels {
                let replicas = try await Self.send(["SENTINEL", "REPLICAS", Self.primaryName], to: sentinel.port).array ?? []
                let flags = replicas.compactMap { Self.field("flags", in: $0) }
                guard flags == ["slave"] else { return false }
            }
            return true
        }
    }

    /// The primary's port, as the first sentinel says.
    func primaryPort() async throws -> Int? {
        let reply = try await Self.send(["SENTINEL", "GET-MASTER-ADDR-BY-NAME", Self.primaryName], to: sentinels[0].port)
        return reply.array.flatMap { $0.count == 2 ? $0[1].string.flatMap { Int($0) } : nil }
    }

    /// One command on a short-lived connection with a generous timeout.
    static func send(_ argv: [String], to port: Int) async throws -> RESPValue {
        var configuration = RedisConfiguration(host: "127.0.0.1", port: port)
        configuration.commandTimeout = .seconds(5)
        return try await withRunning(RedisClient(configuration: configuration, logger: TestDatabase.logger)) { client in
            try await client.waitUntilConnected(timeout: .seconds(5))
            return try await client.send(argv[0], argv.dropFirst().map { RedisArgument($0) })
        }
    }

    /// Scripts a server has run to completion (`EVALSHA` calls that did not fail), from `INFO commandstats`.
    static func completedScripts(on port: Int) async throws -> Int {
        let stats = try await send(["INFO", "commandstats"], to: port).string ?? ""
        guard let line = stats.split(whereSeparator: \.isNewline).first(where: { $0.hasPrefix("cmdstat_evalsha:") }) else {
            return 0
        }
        var values: [String: Int] = [:]
        for pair in line.dropFirst("cmdstat_evalsha:".count).split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let value = Int(parts[1]) { values[String(parts[0])] = value }
        }
        return (values["calls"] ?? 0) - (values["failed_calls"] ?? 0)
    }

    /// Checks `condition` every 20 ms until it holds; throws at `deadline`.
    static func poll(until deadline: ContinuousClock.Instant, _ condition: () async throws -> Bool) async throws {
        while ContinuousClock.now < deadline {
            if (try? await condition()) == true { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RedisError.timeout
    }

    /// The value of `name` in a sentinel's flat key-value reply.
    private static func field(_ name: String, in entry: RESPValue) -> String? {
        guard let items = entry.array else { return nil }
        return stride(from: 0, to: items.count - 1, by: 2).first { items[$0].string == name }.flatMap { items[$0 + 1].string }
    }
}

extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
