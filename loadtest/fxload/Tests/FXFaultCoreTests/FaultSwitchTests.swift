import Testing

@testable import FXFaultCore

/// What each fault does to the listener, to open connections and to a new one, and which direction it touches.
@Suite struct FaultSwitchTests {
    @Test func downClosesTheListenerAndResetsEveryConnectionAndClearOpensItAgain() {
        var faults = FaultSwitch(maxConnections: 10)
        #expect(faults.apply(.down) == .init(listening: false, resetOpenConnections: true))
        #expect(faults.admit(open: 0) == .reset)
        #expect(faults.apply(.none) == .init(listening: true, resetOpenConnections: false))
        #expect(faults.admit(open: 0) == .forward)
    }

    @Test func resetPeerKeepsListeningButResetsOpenAndNewConnections() {
        var faults = FaultSwitch(maxConnections: 10)
        #expect(faults.apply(.resetPeer) == .init(listening: true, resetOpenConnections: true))
        #expect(faults.admit(open: 0) == .reset)
    }

    @Test func theOtherFaultsKeepConnectionsAndAcceptNewOnes() {
        var faults = FaultSwitch(maxConnections: 10)
        for fault in [Fault.latency(millis: 5, jitterMillis: 1), .blackhole, .slowClose(millis: 5), .bandwidth(kibPerSecond: 1)] {
            #expect(faults.apply(fault) == .init(listening: true, resetOpenConnections: false))
            #expect(faults.admit(open: 9) == .forward)
            #expect(faults.fault == fault)
        }
    }

    @Test func connectionsBeyondTheMaximumAreReset() {
        let faults = FaultSwitch(maxConnections: 2)
        #expect(faults.admit(open: 1) == .forward)
        #expect(faults.admit(open: 2) == .reset)
    }

    @Test func latencyHoldsRepliesOnlyWithinMsPlusOrMinusJitterNeverBelowZero() {
        let fault = Fault.latency(millis: 30, jitterMillis: 5)
        #expect(fault.holdNanos(.requests, unit: 1) == 0)
        #expect(fault.forwardsAtOnce(.requests))
        #expect(!fault.forwardsAtOnce(.replies))
        #expect(fault.holdNanos(.replies, unit: -1) == 25_000_000)
        #expect(fault.holdNanos(.replies, unit: 0) == 30_000_000)
        #expect(fault.holdNanos(.replies, unit: 1) == 35_000_000)
        #expect(fault.holdNanos(.replies, unit: 7) == 35_000_000)
        #expect(Fault.latency(millis: 2, jitterMillis: 5).holdNanos(.replies, unit: -1) == 0)
    }

    @Test func bandwidthAndBlackholeTouchBothDirectionsSlowCloseOnlyTheClose() {
        for direction in [Direction.requests, .replies] {
            #expect(!Fault.bandwidth(kibPerSecond: 4).forwardsAtOnce(direction))
            #expect(!Fault.blackhole.forwardsAtOnce(direction))
            #expect(Fault.slowClose(millis: 9).forwardsAtOnce(direction))
            #expect(Fault.none.forwardsAtOnce(direction))
        }
        #expect(Fault.bandwidth(kibPerSecond: 4).bytesPerSecond == 4096)
        #expect(Fault.slowClose(millis: 9).closeDelayNanos == 9_000_000)
        #expect(Fault.none.closeDelayNanos == 0)
        #expect(Fault.blackhole.stopsForwarding)
    }

    @Test func heldItemsAreNeverDueBeforeOneAheadOfThem() {
        var schedule = HoldSchedule()
        #expect(schedule.due(nowNanos: 1_000, holdNanos: 500) == 1_500)
        #expect(schedule.due(nowNanos: 1_100, holdNanos: 100) == 1_500)
        #expect(schedule.due(nowNanos: 1_200, holdNanos: 400) == 1_600)
    }

    @Test func statusJSONKeepsTheShapeCtlPrints() {
        #expect(StatusJSON.applied(proxy: "redis", fault: .latency(millis: 30, jitterMillis: 5))
            == "{\"redis\": {\"kind\": \"latency\", \"ms\": 30.0, \"jitter\": 5.0}}\n")
        #expect(StatusJSON.error("unknown fault \"x\\") == "{\"error\": \"unknown fault \\\"x\\\\\"}\n")
    }
}
