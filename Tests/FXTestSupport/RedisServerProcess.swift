import Foundation
import NIOCore
import NIOPosix

/// A redis-server of a test's own, on a free port, stopped by PID. Shared by the test targets.
public final class RedisServerProcess: @unchecked Sendable {
    public let port: Int
    private let extraArguments: [String]
    /// Set for a sentinel: the configuration file it starts from (and rewrites).
    private let sentinelConfiguration: String?
    private let directory: URL
    private var process: Process?

    public var url: String { "redis://127.0.0.1:\(port)" }

    public convenience init(arguments: [String] = []) async throws {
        try await self.init(port: try await Self.freePort(), arguments: arguments)
    }

    /// A server (or, with `sentinelConfiguration`, a sentinel) on a fixed port, for setups whose
    /// configuration names ports before anything starts (see `TestPorts`).
    public init(port: Int, arguments: [String] = [], sentinelConfiguration: String? = nil) async throws {
        self.port = port
        self.extraArguments = arguments
        self.sentinelConfiguration = sentinelConfiguration
        self.directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fxredis-test-\(port)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            try await start()
        } catch {
            destroy()
            throw error
        }
    }

    public func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/redis-server")
        let common = ["--port", "\(port)", "--bind", "127.0.0.1", "--daemonize", "no",
                      "--dir", directory.path, "--logfile", directory.appendingPathComponent("redis.log").path]
        if let sentinelConfiguration {
            // `redis-sentinel` is `redis-server --sentinel`; a sentinel needs a file it can rewrite.
            let file = directory.appendingPathComponent("sentinel.conf")
            if !FileManager.default.fileExists(atPath: file.path) {
                try sentinelConfiguration.write(to: file, atomically: true, encoding: .utf8)
            }
            process.arguments = [file.path, "--sentinel"] + common + extraArguments
        } else {
            process.arguments = common + ["--save", "", "--appendonly", "no"] + extraArguments
        }
        try process.run()
        self.process = process
        try await waitUntilAnswering()
    }

    public func stop() {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Stops the server and removes its directory.
    public func destroy() {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Waits until the server accepts connections: without persistence, it listens only once it serves.
    /// A TCP connect through NIO, not a redis-cli process per attempt, so that many tests starting servers
    /// at once neither block the cooperative pool nor spawn hundreds of processes.
    private func waitUntilAnswering() async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            guard process?.isRunning == true else {
                throw ServerError.exited
            }
            if let channel = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(1))
                .connect(host: "127.0.0.1", port: port).get()
            {
                try? await channel.close()
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ServerError.notAnswering
    }

    /// A port nothing listens on right now, as the kernel picks one.
    public static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw ServerError.noFreePort }
        return port
    }

    enum ServerError: Error {
        case exited
        case notAnswering
        case noFreePort
    }
}
