import FXFaultCore
import NIOCore
import NIOPosix
import Testing

@testable import FXFaultProxy

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Each fault against a real echo server through the proxy, on real sockets. Time bounds are generous
/// lower bounds (a fault must cost at least what it promises) and wide upper ones (a shared, busy machine).
@Suite struct FaultProxyTests {
    typealias Harness = ProxyHarness

    @Test func withNoFaultBytesGoBothWaysAndAHalfCloseReachesEachSide() async throws {
        try await Harness.with(listenPort: 25110) { harness in
            let client = try await harness.connect()
            let sent = Harness.bytes(300_000)
            try await client.executeThenClose { inbound, outbound in
                var replies = inbound.makeAsyncIterator()
                try await outbound.write(ByteBuffer(bytes: sent))
                outbound.finish()  // the echo server half-closes only once this reaches it
                let reading = await Harness.read(sent.count + 1, from: &replies, of: client, timeout: .seconds(10))
                #expect(reading.bytes == sent)
                #expect(reading.ending == .endOfStream)
            }
        }
    }

    @Test func latencyHoldsEachReplyAtLeastItsMillisecondsAndJitterKeepsOrder() async throws {
        try await Harness.with(listenPort: 25111) { harness in
            try await harness.proxy.apply(.latency(millis: 200, jitterMillis: 0))
            let client = try await harness.connect()
            try await client.executeThenClose { inbound, outbound in
                var replies = inbound.makeAsyncIterator()
                // From before the write: the proxy may read and start holding the reply before the write returns.
                let sentAt = ContinuousClock.now
                try await outbound.write(ByteBuffer(string: "ping"))
                let reading = await Harness.read(4, from: &replies, of: client, timeout: .seconds(10))
                #expect(reading.ending == .gotAll)
                #expect(ContinuousClock.now - sentAt >= .milliseconds(200))
                // Many small chunks with jitter as large as the delay: every byte still arrives in order.
                try await harness.proxy.apply(.latency(millis: 20, jitterMillis: 20))
                var sent: [UInt8] = []
                for index in 0..<50 {
                    let chunk = Harness.bytes(100 + index)
                    sent += chunk
                    try await outbound.write(ByteBuffer(bytes: chunk))
                }
                let ordered = await Harness.read(sent.count, from: &replies, of: client, timeout: .seconds(10))
                #expect(ordered.bytes == sent)
            }
        }
    }

    @Test func downRefusesNewConnectionsResetsOpenOnesAndClearListensAgain() async throws {
        try await Harness.with(listenPort: 25112) { harness in
            try await harness.withEstablished { replies, _, open in
                try await harness.proxy.apply(.down)
                #expect(await Harness.read(1, from: &replies, of: open, timeout: .seconds(10)).ending == .reset)
            }
            await #expect(throws: (any Error).self) { _ = try await harness.connect() }
            do {
                _ = try await harness.connect()
            } catch {
                #expect(Harness.errno(of: error) == ECONNREFUSED)
            }
            try await harness.proxy.apply(.none)
            try await harness.withEstablished { _, _, _ in }  // its round trip is the check
        }
    }

    @Test func blackholeAcceptsAndNeverAnswersAndClearingDeliversWhatWasHeld() async throws {
        try await Harness.with(listenPort: 25113) { harness in
            try await harness.withEstablished { replies, outbound, open in
                try await harness.proxy.apply(.blackhole)
                try await outbound.write(ByteBuffer(string: "two"))  // held while the new connection below waits
                let fresh = try await harness.connect()  // accepted, so the connect succeeds
                try await fresh.executeThenClose { freshInbound, freshOutbound in
                    var freshReplies = freshInbound.makeAsyncIterator()
                    try await freshOutbound.write(ByteBuffer(string: "new"))
                    let silent = await Harness.read(1, from: &freshReplies, of: fresh, timeout: .milliseconds(700))
                    #expect(silent.ending == .timedOut)
                }
                try await harness.proxy.apply(.none)
                let after = await Harness.read(3, from: &replies, of: open, timeout: .seconds(10))
                #expect(after.bytes == Array("two".utf8))
                #expect(after.seconds < 5)
            }
        }
    }

    @Test func resetPeerResetsOpenAndNewConnections() async throws {
        try await Harness.with(listenPort: 25114) { harness in
            try await harness.withEstablished { replies, _, open in
                try await harness.proxy.apply(.resetPeer)
                #expect(await Harness.read(1, from: &replies, of: open, timeout: .seconds(10)).ending == .reset)
            }
            #expect(try await harness.firstEnding(timeout: .seconds(10)) == .reset)
            #expect(try await harness.proxy.status().refused >= 1)
        }
    }

    @Test func slowCloseHoldsEachCloseBackItsMilliseconds() async throws {
        try await Harness.with(listenPort: 25115) { harness in
            try await harness.proxy.apply(.slowClose(millis: 400))
            let client = try await harness.connect()
            try await client.executeThenClose { inbound, outbound in
                var replies = inbound.makeAsyncIterator()
                try await outbound.write(ByteBuffer(string: "bye"))
                #expect(await Harness.read(3, from: &replies, of: client, timeout: .seconds(10)).ending == .gotAll)
                outbound.finish()
                // The client's close reaches the echo server 400 ms late, and its answering close 400 ms later.
                let closing = await Harness.read(1, from: &replies, of: client, timeout: .seconds(10))
                #expect(closing.ending == .endOfStream)
                #expect(closing.seconds >= 0.8)
            }
        }
    }

    @Test func bandwidthBoundsThroughputInEachDirection() async throws {
        try await Harness.with(listenPort: 25116) { harness in
            let kib = 128.0
            try await harness.proxy.apply(.bandwidth(kibPerSecond: kib))
            let client = try await harness.connect()
            let sent = Harness.bytes(192 * 1024)
            try await client.executeThenClose { inbound, outbound in
                var replies = inbound.makeAsyncIterator()
                try await outbound.write(ByteBuffer(bytes: sent))
                let reading = await Harness.read(sent.count, from: &replies, of: client, timeout: .seconds(20))
                #expect(reading.bytes == sent)
                // 1.5 s at the rate; the two directions overlap, so that is the least it can take.
                #expect(reading.seconds >= Double(sent.count) / (kib * 1024) * 0.95)
            }
        }
    }

    @Test func connectionsBeyondTheMaximumAreReset() async throws {
        try await Harness.with(listenPort: 25117, maxConnections: 1) { harness in
            try await harness.withEstablished { _, _, _ in
                let second = try await harness.firstEnding(timeout: .seconds(10))
                #expect(second == .reset)
            }
            #expect(try await harness.proxy.status().refused == 1)
        }
    }

    @Test func theControlAPIAnswersWhatCtlExpects() async throws {
        try await Harness.with(listenPort: 25118) { harness in
            let control = Control(proxies: [harness.proxy])
            let applied = await control.respond(to: "/echo/latency?ms=30&jitter=5")
            #expect(applied.status == .ok)
            #expect(applied.body == "{\"echo\": {\"kind\": \"latency\", \"ms\": 30.0, \"jitter\": 5.0}}\n")
            let status = await control.respond(to: "/status")
            #expect(status.body.contains("\"echo\": {\"listen\": 25118, "))
            #expect(status.body.contains("\"fault\": {\"kind\": \"latency\", \"ms\": 30.0, \"jitter\": 5.0}"))
            #expect(await control.respond(to: "/redis/down").status == .notFound)
            #expect(await control.respond(to: "/echo/latency?ms=x").status == .badRequest)
            #expect(await control.respond(to: "/echo/clear").status == .ok)
        }
    }
}
