@testable import FXServer
import Testing

/// A flood of unknown invalidation messages makes one log line a minute, which counts them.
struct UnknownMessageLogTests {
    @Test func oneLineAMinuteCountingWhatItSkipped() {
        var log = UnknownMessageLog(interval: .seconds(60))
        let start = ContinuousClock.now
        #expect(log.shouldLog(now: start) == 1)
        for second in 1..<60 {
            #expect(log.shouldLog(now: start + .seconds(second)) == nil)
        }
        #expect(log.shouldLog(now: start + .seconds(60)) == 60)
        #expect(log.shouldLog(now: start + .seconds(61)) == nil)
    }
}
