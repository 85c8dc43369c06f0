import FXLifecycle
import FXPostgres
import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing
import FXTestSupport

@Suite("Connection pool", .enabled(if: TestDatabase.isConfigured))
struct PoolTests {
    private static func backendPID(_ client: PostgresClient) async throws -> Int {
        try await client.query("SELECT pg_backend_pid() AS pid")[0].decode(Int.self, column: "pid")
    }

    @Test func terminatedIdleBackendIsReplaced() async throws {
        try await withRunning(TestDatabase.makeClient { $0.maximumConnections = 1 }) { client async throws in
            let firstPID = try await Self.backendPID(client)
            let terminated = try await withRunning(TestDatabase.makeClient()) { admin in
                try await admin.query("SELECT pg_terminate_backend($1::int, 5000) AS done", [.int(firstPID)])
            }
            #expect(try terminated[0].decode(Bool.self, column: "done"))

            let secondPID = try await Self.backendPID(client)
            #expect(secondPID != firstPID)
        }
    }

    @Test func backendTerminatedMidQueryIsConnectionLostThenReplaced() async throws {
        let marker = "terminate-\(UUID().uuidString)"
        try await withRunning(TestDatabase.makeClient { $0.maximumConnections = 1 }) { client async throws in
            let sleeper = Task { try await client.query("SELECT pg_sleep(30) /* \(marker) */", timeout: .seconds(60)) }
            try await withRunning(TestDatabase.makeClient()) { admin in
                var terminated = false
                while !terminated {
                    let rows = try await admin.query(
                        "SELECT pg_terminate_backend(pid, 5000) AS done FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()",
                        [.text("%\(marker)%")]
                    )
                    terminated = try rows.first?.decode(Bool.self, column: "done") ?? false
                    if !terminated { await Task.yield() }
                }
            }

            let error = await #expect(throws: PostgresError.self) { try await sleeper.value }
            guard case .connectionLost = error else {
                Issue.record("expected connectionLost, got \(String(describing: error))")
                return
            }
            #expect(try await client.query("SELECT 1 AS one")[0].decode(Int.self, column: "one") == 1)
        }
    }

    @Test func moreCallersThanConnectionsAllSucceed() async throws {
        let client = TestDatabase.makeClient {
            $0.maximumConnections = 3
            $0.connectionAcquireTimeout = .seconds(60)
        }
        try await withRunning(client) { client async throws in
            let pids = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<30 {
                    group.addTask {
                        try await client.query("SELECT pg_backend_pid() AS pid, pg_sleep(0.02)")[0].decode(Int.self, column: "pid")
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(pids.count == 30)
            #expect(Set(pids).count <= 3)
        }
    }

    @Test func waitingForBusyPoolTimesOutWithTypedError() async throws {
        let client = TestDatabase.makeClient {
            $0.maximumConnections = 1
            $0.connectionAcquireTimeout = .milliseconds(200)
        }
        try await withRunning(client) { client async throws in
            // Open the only connection first, so the holder takes it at once. On a loaded machine, starting the
            // client and connecting can take longer than the short acquire timeout: try again until it is open.
            var opened = false
            for _ in 0..<100 where !opened {
                opened = (try? await client.query("SELECT 1")) != nil
            }
            try #require(opened)
            let (acquired, acquiredContinuation) = AsyncStream.makeStream(of: Void.self)
            let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
            let holder = Task {
                defer { acquiredContinuation.finish() }
                try await client.withTransaction { _ in
                    acquiredContinuation.yield()
                    for await _ in release { break }
                }
            }
            for await _ in acquired { break }
            await #expect(throws: PostgresError.poolExhausted) { try await client.query("SELECT 1") }
            releaseContinuation.yield()
            try await holder.value
            #expect(try await client.query("SELECT 1 AS one")[0].decode(Int.self, column: "one") == 1)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func closedPortFailsFastWithTypedError() async throws {
        let client = TestDatabase.makeClient(url: "postgresql://postgres@127.0.0.1:1/fxtest") {
            $0.connectionAcquireTimeout = .seconds(30)
        }
        try await withRunning(client) { client async throws in
            for _ in 0..<3 {
                let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
                guard case .connectionFailed(let message) = error else {
                    Issue.record("expected connectionFailed, got \(String(describing: error))")
                    return
                }
                #expect(message.contains("127.0.0.1"))
            }
        }
    }

    @Test func eventLoopStaysResponsiveDuringQuery() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let events = EventLog()
        try await withRunning(TestDatabase.makeClient()) { client async throws in
            try await EventLoopBoundCaller(eventLoop: group.next()).runSleepingQuery(client: client, events: events)
        }
        try await group.shutdownGracefully()
        #expect(events.entries == ["event loop task ran", "query finished"])
    }
}

private final class EventLog: Sendable {
    private let storage = Mutex<[String]>([])

    func append(_ entry: String) {
        storage.withLock { $0.append(entry) }
    }

    var entries: [String] { storage.withLock { $0 } }
}

/// Calls the client from an actor whose executor is a NIO event loop: if the client
/// blocked its caller, the event loop task scheduled during the query could only run after it.
private actor EventLoopBoundCaller {
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    nonisolated var unownedExecutor: UnownedSerialExecutor {
        eventLoop.executor.asUnownedSerialExecutor()
    }

    func runSleepingQuery(client: PostgresClient, events: EventLog) async throws {
        eventLoop.scheduleTask(in: .milliseconds(100)) { events.append("event loop task ran") }
        _ = try await client.query("SELECT pg_sleep(1)")
        events.append("query finished")
    }
}

@Suite("Client lifecycle", .enabled(if: TestDatabase.isConfigured))
struct LifecycleTests {
    @Test func queriesAfterShutdownFailWithTypedError() async throws {
        let client = TestDatabase.makeClient()
        try await withRunning(client) { client in
            _ = try await client.query("SELECT 1")
        }
        await #expect(throws: PostgresError.clientShutdown) { try await client.query("SELECT 1") }
        // Running it again does not revive it.
        _ = try? await withRunning(client) { client in
            await #expect(throws: PostgresError.clientShutdown) { try await client.query("SELECT 1") }
        }
    }

    @Test func shutdownWaitsForLeasedConnections() async throws {
        let client = TestDatabase.makeClient { $0.maximumConnections = 1 }
        let running = try await withRunning(client) { client in
            let (acquired, acquiredContinuation) = AsyncStream.makeStream(of: Void.self)
            let running = Task {
                try await client.withTransaction { transaction in
                    acquiredContinuation.yield()
                    return try await transaction.query("SELECT pg_sleep(0.2), 'done' AS result")[0].decode(String.self, column: "result")
                }
            }
            for await _ in acquired { break }
            return running
        }
        #expect(try await running.value == "done")
    }

    @Test func aQueryBeforeRunWaitsForIt() async throws {
        let client = TestDatabase.makeClient()
        let early = Task { try await client.query("SELECT 1 AS one")[0].decode(Int.self, column: "one") }
        #expect(try await withRunning(client) { _ in try await early.value } == 1)
    }

    @Test func aQueryOfAClientThatNeverRunsEndsAtItsAcquireTimeout() async throws {
        let client = TestDatabase.makeClient { $0.connectionAcquireTimeout = .milliseconds(100) }
        await #expect(throws: PostgresError.poolExhausted) { try await client.query("SELECT 1") }
    }

}
