import Testing

@testable import FXFaultCore

/// The pacing arithmetic: a slice per turn, turns a slice's transmission time apart, no credit for idle time.
@Suite struct BandwidthPacerTests {
    @Test func slicesAreTenMillisecondsOfTheRateWithinOneAnd64KiB() {
        #expect(BandwidthPacer.sliceBytes(bytesPerSecond: 64 * 1024) == 1024)
        #expect(BandwidthPacer.sliceBytes(bytesPerSecond: 1024 * 1024) == 10_486)
        #expect(BandwidthPacer.sliceBytes(bytesPerSecond: 1e9) == 65_536)
    }

    @Test func turnsAreTheSlicesTransmissionTimeApart() {
        var pacer = BandwidthPacer()
        let rate = 1024.0 * 100  // 100 KiB/s: 1 KiB slices, 10 ms each
        #expect(pacer.step(available: 5000, bytesPerSecond: rate, nowNanos: 1_000_000_000) == .write(bytes: 1024))
        #expect(pacer.step(available: 3976, bytesPerSecond: rate, nowNanos: 1_000_000_000) == .wait(untilNanos: 1_010_000_000))
        #expect(pacer.step(available: 3976, bytesPerSecond: rate, nowNanos: 1_010_000_000) == .write(bytes: 1024))
        #expect(pacer.step(available: 100, bytesPerSecond: rate, nowNanos: 1_020_000_000) == .write(bytes: 100))
        #expect(pacer.nextTurnNanos == 1_020_976_563)
    }

    @Test func overAnySpanAtMostTheRateTimesTheSpanPlusOneSliceGoesOut() {
        var pacer = BandwidthPacer()
        let rate = 64.0 * 1024
        var now: UInt64 = 5_000_000_000
        let start = now
        var sent = 0
        while now < start + 2_000_000_000 {
            switch pacer.step(available: 1 << 20, bytesPerSecond: rate, nowNanos: now) {
            case .write(let bytes): sent += bytes
            case .wait(let until): now = until
            }
        }
        let bound = rate * Double(now - start) / 1e9 + 1024
        #expect(Double(sent) <= bound)
        #expect(Double(sent) >= rate * 2 - 1024)
    }

    @Test func idleTimeEarnsNoBurst() {
        var pacer = BandwidthPacer()
        let rate = 1024.0 * 100
        #expect(pacer.step(available: 1024, bytesPerSecond: rate, nowNanos: 0) == .write(bytes: 1024))
        // A minute idle, then a large write: one slice now, the next a slice's time later, as from a standstill.
        #expect(pacer.step(available: 1 << 20, bytesPerSecond: rate, nowNanos: 60_000_000_000) == .write(bytes: 1024))
        #expect(pacer.step(available: 1 << 20, bytesPerSecond: rate, nowNanos: 60_000_000_000) == .wait(untilNanos: 60_010_000_000))
    }
}
