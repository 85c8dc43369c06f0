import FXLoadCore
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import FXLoadEngine

/// fxload against real sockets on 127.0.0.1: a small NIO server that answers, refuses, stalls or hangs up,
/// and the outcome each request must end as. Every request of a run ends exactly once.
@Suite struct LoadRunTests {
    enum Behaviour { case answer, stall, hangUp }

    /// Answers `GET /status/N` with N (200 otherwise), keeps the connection alive; or never answers; or
    /// closes the connection once a request head arrives.
    final class Server: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let behaviour: Behaviour
        private var status = HTTPResponseStatus.ok
        init(behaviour: Behaviour) { self.behaviour = behaviour }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                let code = head.uri.hasPrefix("/status/") ? Int(head.uri.dropFirst("/status/".count)) ?? 200 : 200
                status = HTTPResponseStatus(statusCode: code)
                if behaviour == .hangUp { context.close(promise: nil) }
            case .body:
                break
            case .end:
                guard behaviour == .answer else { return }
                var headers = HTTPHeaders()
                headers.add(name: "Content-Length", value: "2")
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "ok")))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }

    func withServer<T>(_ behaviour: Behaviour, _ body: (Int) async throws -> T) async throws -> T {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(Server(behaviour: behaviour))
                    }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        do {
            let result = try await body(channel.localAddress?.port ?? 0)
            try await channel.close()
            try await group.shutdownGracefully()
            return result
        } catch {
            try? await channel.close()
            try? await group.shutdownGracefully()
            throw error
        }
    }

    func run(
        port: Int, paths: [String] = ["/"], rate: Double = 400, seconds: Double = 0.5, connections: Int = 4,
        workers: Int = 1, maxInFlight: Int = 10_000, timeout: Double = 2
    ) async throws -> RunStats {
        let mix = try Mix(paths: paths)
        let plan = RunPlan(
            address: try SocketAddress(ipAddress: "127.0.0.1", port: port),
            schedule: ArrivalSchedule(rate: rate, warmupSeconds: 0, durationSeconds: seconds), mix: mix,
            authority: "127.0.0.1:\(port)", workers: workers, connectionsPerWorker: connections / workers,
            maxInFlightPerWorker: maxInFlight / workers, timeoutNanos: Int64(timeout * 1e9),
            startUptimeNanos: Int64(NIODeadline.now().uptimeNanoseconds) + 50_000_000,
            measuredSeconds: Int(seconds.rounded(.up)), tickNanos: 0)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: workers)
        let stats = try await runLoad(plan, on: group)
        try await group.shutdownGracefully()
        return stats
    }

    @Test func everyRequestIsAnsweredAndCountedOnce() async throws {
        let stats = try await withServer(.answer) { port in try await run(port: port, workers: 2) }
        #expect(stats.total.scheduled == 200)
        #expect(stats.total.sent == 200)
        #expect(stats.total.statuses == [200: 200])
        #expect(stats.total.errorCount == 0)
        #expect(stats.total.corrected.count == 200)
    }

    @Test func aStatusTheTemplateDoesNotExpectIsAnError() async throws {
        let stats = try await withServer(.answer) { port in
            try await run(port: port, paths: ["/status/503", "/status/200"], rate: 200)
        }
        let failed = stats.total.statuses[503] ?? 0
        #expect(failed > 0)
        #expect(stats.total.errors == [.unexpectedStatus: failed])
        #expect(stats.total.serverErrorCount == failed)
        #expect(stats.total.responses == 100)
    }

    @Test func aClosedPortIsConnectRefused() async throws {
        // A port that was just bound and released: nothing listens there.
        let port = try await withServer(.answer) { port in port }
        let stats = try await run(port: port, rate: 100)
        #expect(stats.total.errors == [.connectRefused: 50])
        #expect(stats.total.responses == 0)
    }

    @Test func aServerThatNeverAnswersTimesOutAndOverflowIsDropped() async throws {
        let stats = try await withServer(.stall) { port in
            try await run(port: port, rate: 100, seconds: 0.5, connections: 2, maxInFlight: 10, timeout: 0.3)
        }
        #expect(stats.total.scheduled == 50)
        #expect(stats.total.responses == 0)
        #expect(stats.total.errorCount == 50)
        #expect(Set(stats.total.errors.keys) == [.timeout, .dropped])
    }

    @Test func aServerThatHangsUpIsClosed() async throws {
        let stats = try await withServer(.hangUp) { port in try await run(port: port, rate: 100, seconds: 0.3) }
        #expect(stats.total.scheduled == 30)
        #expect(stats.total.responses == 0)
        #expect((stats.total.errors[.closed] ?? 0) + (stats.total.errors[.reset] ?? 0) == 30)
    }
}
