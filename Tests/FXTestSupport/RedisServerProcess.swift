import Foundation
import NIOCore
import NIOPosix

/// A redis-server of a test's own, on a free port, stopped by PID. Shared by the test targets.
public final class RedisServerProcess: @unchecked Sendable {
    public let port: Int
    private let extraArguments: [String]
    private let directory: URL
    private var process: Process?

    public var url: String { "redis://127.0.0.1:\(port)" }

    public init(arguments: [String] = []) async throws {
        self.port = try await Self.freePort()
        self.extraArguments = arguments
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
        process.arguments = [
            "--port", "\(port)", "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--dir", directory.path, "--logfile", directory.appendingPathComponent("redis.log").path,
        ] + extraArguments
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

    private static func freePort() async throws -> Int {
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
