import Testing

@testable import FXLoadCore

@Suite struct ThresholdTests {
    let measured = Thresholds.Measured(p99Millis: 20, p999Millis: 45, errorRatio: 0.001, serverErrors: 3, achievedRatio: 0.98)

    @Test func aLimitEqualToTheFigureHolds() {
        let thresholds = Thresholds(
            maxP99Millis: 20, maxP999Millis: 45, maxErrorRatio: 0.001, maxServerErrors: 3, minAchievedRatio: 0.98)
        let results = thresholds.evaluate(measured)
        let names = results.map { $0.name }
        let expected = ["max-p99-ms", "max-p999-ms", "max-error-ratio", "max-5xx", "min-achieved-ratio"]
        #expect(names == expected)
        #expect(results.allSatisfy { $0.held })
    }

    @Test func eachThresholdBreaksOnItsOwn() {
        let broken = [
            Thresholds(maxP99Millis: 19.99),
            Thresholds(maxP999Millis: 44),
            Thresholds(maxErrorRatio: 0.0009),
            Thresholds(maxServerErrors: 2),
            Thresholds(minAchievedRatio: 0.981),
        ]
        for thresholds in broken {
            let results = thresholds.evaluate(measured)
            #expect(results.count == 1)
            #expect(results.first?.held == false)
        }
    }

    @Test func noThresholdsMeansNothingToBreak() {
        #expect(Thresholds().evaluate(measured).isEmpty)
    }

    @Test func theReportFailsOnABrokenThresholdAndComputesTheAchievedRate() {
        var stats = RunStats(templates: 1, seconds: 10)
        for index in 0..<1000 {
            stats.countScheduled(template: 0, second: index / 100)
            stats.countSent(template: 0, second: index / 100)
            let status = index < 5 ? 500 : 200
            stats.recordResponse(
                template: 0, second: index / 100, status: status, expected: status == 200, correctedNanos: 1_000_000,
                uncorrectedNanos: 1_000_000, atMeasuredNanos: Int64(index) * 10_000_000)
        }
        // The last response came 12.5 s in: the rate is over 12.5 s, not the 10 s of the schedule.
        stats.recordError(.timeout, template: 0, second: 9, atMeasuredNanos: 12_500_000_000)
        let settings = Report.Settings(
            url: "http://127.0.0.1:1", rate: 100, durationSeconds: 10, warmupSeconds: 0, measuredStartUnix: 0, connections: 1, threads: 1,
            maxInFlight: 10, timeoutSeconds: 5, templates: ["t"])
        let cpu = Report.CPU(userSeconds: 1, systemSeconds: 0.5, wallSeconds: 10, requests: 1000)
        let report = Report(
            settings: settings, stats: stats, cpu: cpu, faultWindows: [],
            thresholds: Thresholds(maxServerErrors: 4, minAchievedRatio: 0.5))
        #expect(report.achievedRate == 80)
        #expect(report.total.statusClasses == ["2xx": 995, "5xx": 5])
        #expect(report.total.errors == ["unexpected_status": 5, "timeout": 1])
        #expect(report.cpu.percentOfOneCore == 15)
        #expect(report.cpu.microsPerRequest == 1500)
        #expect(report.passed == false)
        #expect(report.thresholds.filter { !$0.held }.map(\.name) == ["max-5xx"])
    }

    @Test func faultWindowsParseFromTheirFlag() {
        #expect(Report.FaultWindow(argument: "10:20:redis down") == Report.FaultWindow(startS: 10, endS: 20, label: "redis down"))
        #expect(Report.FaultWindow(argument: "1.5:2:a:b")?.label == "a:b")
        #expect(Report.FaultWindow(argument: "20:10:backwards") == nil)
        #expect(Report.FaultWindow(argument: "10:20") == nil)
        #expect(Report.FaultWindow(argument: "-1:2:x") == nil)
    }
}
