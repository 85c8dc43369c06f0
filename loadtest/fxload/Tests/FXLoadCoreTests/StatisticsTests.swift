import Testing

@testable import FXLoadCore

@Suite struct StatisticsTests {
    @Test func percentilesComeFromTheHistogramInMilliseconds() {
        var histogram = LatencyHistogram()
        for millis in 1...1000 { histogram.record(nanos: Int64(millis) * 1_000_000) }
        let figures = histogram.summary
        // Three significant digits: each figure within 0.1 % of the exact one.
        #expect(abs(figures.p50 - 500) <= 0.5)
        #expect(abs(figures.p90 - 900) <= 0.9)
        #expect(abs(figures.p99 - 990) <= 1)
        #expect(abs(figures.p999 - 999) <= 1)
        #expect(abs(figures.max - 1000) <= 1)
    }

    @Test func anEmptyHistogramReadsZeroAndHugeValuesAreClamped() {
        var histogram = LatencyHistogram()
        #expect(histogram.summary.max == 0)
        histogram.record(nanos: Int64.max)
        histogram.record(nanos: -5)
        #expect(histogram.count == 2)
        #expect(abs(histogram.maxMillis - Double(LatencyHistogram.highestMicros) / 1000) / histogram.maxMillis < 0.001)
    }

    @Test func unexpectedStatusesAndTransportErrorsAreBothErrors() {
        var tally = Tally()
        tally.countScheduled()
        tally.countScheduled()
        tally.countScheduled()
        tally.recordResponse(status: 200, expected: true, correctedNanos: 1_000_000, uncorrectedNanos: 500_000)
        tally.recordResponse(status: 503, expected: false, correctedNanos: 2_000_000, uncorrectedNanos: 1_000_000)
        tally.recordError(.connectRefused)
        #expect(tally.responses == 2)
        #expect(tally.errorCount == 2)
        #expect(tally.transportErrorCount == 1)
        #expect(tally.serverErrorCount == 1)
        #expect(tally.errors == [.unexpectedStatus: 1, .connectRefused: 1])
    }

    @Test func workersMergeIntoTheSameFiguresAsOneRecorder() {
        var one = RunStats(templates: 2, seconds: 3)
        var left = RunStats(templates: 2, seconds: 3)
        var right = RunStats(templates: 2, seconds: 3)
        for index in 0..<600 {
            let template = index % 2
            let second = index % 3
            let nanos = Int64(index + 1) * 100_000
            one.countScheduled(template: template, second: second)
            one.recordResponse(
                template: template, second: second, status: index % 7 == 0 ? 429 : 200, expected: true,
                correctedNanos: nanos, uncorrectedNanos: nanos / 2, atMeasuredNanos: nanos)
            var half = index < 300 ? left : right
            half.countScheduled(template: template, second: second)
            half.recordResponse(
                template: template, second: second, status: index % 7 == 0 ? 429 : 200, expected: true,
                correctedNanos: nanos, uncorrectedNanos: nanos / 2, atMeasuredNanos: nanos)
            if index < 300 { left = half } else { right = half }
        }
        left.add(right)
        #expect(left.total.statuses == one.total.statuses)
        #expect(left.total.corrected.summary == one.total.corrected.summary)
        #expect(left.bySecond.map(\.scheduled) == [200, 200, 200])
        #expect(left.byTemplate.map(\.responses) == one.byTemplate.map(\.responses))
        #expect(left.lastOutcomeNanos == one.lastOutcomeNanos)
    }

    @Test func secondsOutsideTheRunAreFiledAtItsEdges() {
        var stats = RunStats(templates: 1, seconds: 2)
        stats.recordError(.timeout, template: 0, second: 5, atMeasuredNanos: 0)
        stats.recordError(.timeout, template: 0, second: -1, atMeasuredNanos: 0)
        #expect(stats.bySecond.map(\.errorCount) == [1, 1])
    }
}
