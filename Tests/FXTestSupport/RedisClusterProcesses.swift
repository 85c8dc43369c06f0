import Foundation
import NIOCore
import NIOPosix

/// A real Redis Cluster of a test's own on loopback: `primaries` primaries with one replica each, made with
/// `redis-server --cluster-enabled yes` and `redis-cli --cluster create`, each node with its own directory (and
/// nodes.conf) under a temporary directory, stopped by PID in `destroy()`.
///
/// Its ports are fixed, so that CI and parallel developers do not collide: of `n` nodes, node `i` serves on
/// `base + i` and gossips on `base + n + i` (24400–24411 for 6 nodes), where `base` is
/// `FX_TEST_REDIS_CLUSTER_PORT` or 24400, below the ephemeral range (32768–60999) where a parallel test's
/// outgoing connection can hold a port. Tests that use it run one at a time (`.serialized`), each with a
/// fresh cluster.
public final class RedisClusterProcesses: @unchecked Sendable {
    public static let defaultBasePort = 24_400
    public static let maximumNodes = 10

    public private(set) var ports: [Int] = []
    private let directory: URL
    private var processes: [Int: Process] = [:]

    public static var basePort: Int {
        ProcessInfo.processInfo.environment["FX_TEST_REDIS_CLUSTER_PORT"].flatMap(Int.init) ?? defaultBasePort
    }

    /// Whether this machine can run one (redis-server and redis-cli installed).
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/redis-server")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/redis-cli")
    }

    /// `redis+cluster://` naming every node, in port order.
    public var url: String { url(seeds: ports) }

    public func url(seeds: [Int]) -> String {
        "redis+cluster://" + seeds.map { "127.0.0.1:\($0)" }.joined(separator: ",")
    }

    public init(primaries: Int = 3, nodeTimeoutMilliseconds: Int = 1_000) async throws {
        let count = min(2 * primaries, Self.maximumNodes)
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fxredis-cluster-\(UUID().uuidString)")
        var ports = (0..<count).map { Self.basePort + $0 }
        var busPorts = (0..<count).map { Self.basePort + count + $0 }
        // The fixed ports lie in the kernel's ephemeral range, so a client socket of another test may hold one
        // for a moment: then ports the kernel says are free now (twice at most), rather than a failed suite.
        for attempt in 0..<3 {
            do {
                try await launch(ports: ports, busPorts: busPorts, nodeTimeout: nodeTimeoutMilliseconds)
                break
            } catch ClusterError.exited(_, let log) where log.contains("Address already in use") && attempt < 2 {
                stopAll()
                let free = try await Self.freePorts(2 * count)
                ports = Array(free.prefix(count))
                busPorts = Array(free.suffix(count))
            } catch {
                destroy()
                throw error
            }
        }
        self.ports = ports
        do {
            let create = try await Self.run(["--cluster", "create"] + ports.map { "127.0.0.1:\($0)" }
                                            + ["--cluster-replicas", "1", "--cluster-yes"])
            guard create.status == 0 else { throw ClusterError.createFailed(create.output) }
            try await waitUntilHealthy()
        } catch {
            destroy()
            throw error
        }
    }

    private func launch(ports: [Int], busPorts: [Int], nodeTimeout: Int) async throws {
        for (port, busPort) in zip(ports, busPorts) {
            try start(port: port, busPort: busPort, nodeTimeout: nodeTimeout)
        }
        for port in ports { try await waitUntilAnswering(port) }
    }

    private func stopAll() {
        for port in Array(processes.keys) { kill(port: port) }
    }

    private static func freePorts(_ count: Int) async throws -> [Int] {
        // All held open until each has its port, so that no two are the same.
        var channels: [any Channel] = []
        defer { for channel in channels { channel.close(promise: nil) } }
        for _ in 0..<count {
            channels.append(try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: 0).get())
        }
        let ports = channels.compactMap(\.localAddress?.port)
        guard ports.count == count else { throw ClusterError.notHealthy }
        return ports
    }

    private func start(port: Int, busPort: Int, nodeTimeout: Int) throws {
        let nodeDirectory = directory.appendingPathComponent("\(port)")
        try FileManager.default.createDirectory(at: nodeDirectory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        process.arguments = [
            "--port", "\(port)", "--bind", "127.0.0.1", "--cluster-enabled", "yes",
            "--cluster-port", "\(busPort)", "--cluster-config-file", nodeDirectory.appendingPathComponent("nodes.conf").path,
            "--cluster-node-timeout", "\(nodeTimeout)",
            // A replica that never finished its first sync cannot be promoted; Redis 7 delays it 5 s by default.
            "--repl-diskless-sync-delay", "0",
            "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--dir", nodeDirectory.path, "--logfile", nodeDirectory.appendingPathComponent("redis.log").path,
        ]
        try process.run()
        processes[port] = process
    }

    /// Kills the node on `port` (SIGKILL, as a crash) and waits for it to exit.
    public func kill(port: Int) {
        guard let process = processes.removeValue(forKey: port) else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops every node and removes the directory.
    public func destroy() {
        stopAll()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `redis-cli -p port args…` and returns its output, trimmed; throws on a non-zero exit.
    @discardableResult
    public func cli(_ port: Int, _ arguments: [String]) async throws -> String {
        let result = try await Self.run(["-h", "127.0.0.1", "-p", "\(port)"] + arguments)
        guard result.status == 0 else { throw ClusterError.commandFailed(arguments.joined(separator: " "), result.output) }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The ID of the node on `port`.
    public func nodeID(_ port: Int) async throws -> String {
        try await cli(port, ["CLUSTER", "MYID"])
    }

    /// The port of the primary that serves `slot`, as the node on `askingPort` sees it.
    public func primaryPort(ofSlot slot: Int, askingPort: Int) async throws -> Int {
        for line in try await cli(askingPort, ["CLUSTER", "NODES"]).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 9, fields[2].contains("master"), !fields[2].contains("fail") else { continue }
            for range in fields[8...] {
                let bounds = range.split(separator: "-").compactMap { Int($0) }
                guard let low = bounds.first, let high = bounds.last else { continue }
                if (low...high).contains(slot), let port = Self.port(ofAddress: fields[1]) { return port }
            }
        }
        throw ClusterError.noOwner(slot)
    }

    /// The hash slot of `key`, as Redis computes it.
    public func slot(ofKey key: String) async throws -> Int {
        guard let port = ports.first, let slot = Int(try await cli(port, ["CLUSTER", "KEYSLOT", key])) else {
            throw ClusterError.commandFailed("CLUSTER KEYSLOT", "")
        }
        return slot
    }

    /// Waits, bounded, until every running node reports `cluster_state:ok` with all 16,384 slots served,
    /// every node agrees on each slot's primary, and every replica has synced with its primary (so that it can
    /// be promoted).
    public func waitUntilHealthy(timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await isHealthy() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ClusterError.notHealthy
    }

    private func isHealthy() async throws -> Bool {
        var owners: Set<String> = []
        for port in processes.keys.sorted() {
            guard let info = try? await cli(port, ["CLUSTER", "INFO"]),
                  info.contains("cluster_state:ok"), info.contains("cluster_slots_ok:16384")
            else { return false }
            guard let slots = try? await cli(port, ["CLUSTER", "SLOTS"]),
                  let replication = try? await cli(port, ["INFO", "replication"])
            else { return false }
            if replication.contains("role:slave"), !replication.contains("master_link_status:up") { return false }
            owners.insert(slots)
        }
        return owners.count == 1
    }

    private func waitUntilAnswering(_ port: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            // Most often its port was taken (it is in the kernel's ephemeral range): its log says so.
            guard processes[port]?.isRunning == true else { throw ClusterError.exited(port, log: log(of: port)) }
            if (try? await cli(port, ["PING"])) == "PONG" { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ClusterError.exited(port, log: log(of: port))
    }

    private func log(of port: Int) -> String {
        let log = (try? String(contentsOf: directory.appendingPathComponent("\(port)/redis.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").suffix(3).joined(separator: "\n")
            + " (set FX_TEST_REDIS_CLUSTER_PORT to another base port)"
    }

    private static func port(ofAddress address: Substring) -> Int? {
        // `127.0.0.1:24400@24410`
        let client = address.split(separator: "@").first ?? address
        return client.split(separator: ":").last.flatMap { Int($0) }
    }

    /// Runs redis-cli and awaits its exit without blocking a thread of the cooperative pool.
    private static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-cli")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { process in
                let data = output.fileHandleForReading.readDataToEndOfFile()
                continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }

    public enum ClusterError: Error {
        case exited(Int, log: String)
        case createFailed(String)
        case commandFailed(String, String)
        case notHealthy
        case noOwner(Int)
    }
}

extension RedisClusterProcesses {
    /// The ports of the primaries that serve slots, as the node on `askingPort` sees them.
    public func primaryPorts(askingPort: Int) async throws -> [Int] {
        try await cli(askingPort, ["CLUSTER", "NODES"]).split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            guard fields.count >= 9, fields[2].contains("master"), !fields[2].contains("fail") else { return nil }
            let client = fields[1].split(separator: "@").first ?? fields[1]
            return client.split(separator: ":").last.flatMap { Int($0) }
        }.sorted()
    }
}
