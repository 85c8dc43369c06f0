import ArgumentParser
import FXServer
import NIOCore
import NIOPosix

/// `fxrates healthcheck`: Docker's HEALTHCHECK, from inside the container. The runtime image has no curl
/// or shell to spare, so the binary asks its own server: exit 0 when `GET /health` on `FX_PORT` answers 200
/// within 2 s, 1 otherwise. Kubernetes ignores HEALTHCHECK and uses its own probes.
struct HealthCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Exit 0 when the local server answers GET /health with 200 within 2 s (for container health checks).",
        discussion: """
            Example (the port of the server to ask, as `serve` reads it):
              FX_PORT=8080 fxrates healthcheck && echo healthy
            """)

    func run() async throws {
        let settings = try loadSettings()
        // A wildcard listener is reached on loopback; a specific address only on itself.
        let host = ["0.0.0.0", "::"].contains(settings.host) ? "127.0.0.1" : settings.host
        let status: Int?
        do {
            status = try await Self.withDeadline(.seconds(2)) { try await Self.healthStatus(host: host, port: settings.port) }
        } catch {
            throw failure("GET /health on \(host):\(settings.port) failed: \(error)")
        }
        guard status == 200 else {
            throw failure("GET /health on \(host):\(settings.port) answered \(status.map(String.init) ?? "no status line")")
        }
    }

    /// The status code of `GET /health`, read from the response's status line.
    private static func healthStatus(host: String, port: Int) async throws -> Int? {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(2))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: "GET /health HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"))
            var received = ByteBuffer()
            for try await chunk in inbound {
                received.writeImmutableBuffer(chunk)
                if let end = received.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                    // "HTTP/1.1 200 OK": the code is the second word of the first line.
                    let line = received.readableBytesView[..<end].split(separator: UInt8(ascii: " "))
                    return line.count >= 2 ? Int(String(decoding: line[1], as: UTF8.self)) : nil
                }
                if received.readableBytes > 1024 { return nil }
            }
            return nil
        }
    }

    private static func withDeadline<T: Sendable>(
        _ timeout: Duration, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw DeadlineExceeded()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw DeadlineExceeded() }
            return first
        }
    }

    private struct DeadlineExceeded: Error, CustomStringConvertible {
        var description: String { "no answer within 2 s" }
    }
}
