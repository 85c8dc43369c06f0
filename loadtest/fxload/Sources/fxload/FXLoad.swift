import ArgumentParser
import FXLoadCore
import FXLoadEngine
import LoadtestCommand
import Foundation
import NIOCore
import NIOPosix

@main
struct FXLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fxload",
        abstract: "An open-model HTTP load generator: constant arrival rate, latency corrected for coordinated omission.",
        discussion: """
            Requests are due at start + i/rate whatever the server does; latency is measured from that intended \
            time (corrected) and from the actual write (uncorrected). Exits 0 when every threshold holds, 1 when \
            one is broken, 2 on a usage error. The mix file format is in loadtest/mixes/README.md.
            """)

    @Option(help: "http://HOST:PORT, a literal IP address") var url: String
    @Option(help: "requests per second (open model)") var rate: Double
    @Option(help: "seconds of measured load") var duration: Double
    @Option(help: "seconds of load before measuring") var warmup: Double = 2
    @Option(help: "a JSON mix file of weighted request templates") var mix: String?
    @Option(name: .customLong("path"), help: "a path to request (repeatable; equal weights); used without --mix")
    var paths: [String] = []
    @Option(help: "keep-alive connections in all") var connections: Int = 64
    @Option(help: "event-loop threads; connections and the rate are split between them") var threads: Int = 1
    @Option(help: "requests queued or on the wire at most; beyond it a request is 'dropped' (default: rate × timeout)")
    var maxInFlight: Int?
    @Option(help: "seconds from a request's intended send time to its timeout") var timeout: Double = 5
    @Option(
        name: .customLong("tick-us"),
        help: "wake-ups are rounded up to this many µs: fewer timers at high rates; the delay shows in the corrected figures")
    var tickMicros: Int = 0
    @Option(help: "write the report as JSON here") var json: String?
    @Option(help: "draw latency over time to this PNG (loadtest/plot-latency.py)") var plot: String?
    @Option(
        name: .customLong("fault-window"),
        help: "START_S:END_S:LABEL, seconds from the start of measuring, shaded in the plot (repeatable)")
    var faultWindows: [String] = []
    @Option(name: .customLong("max-p99-ms"), help: "threshold: corrected p99 at most this") var maxP99Ms: Double?
    @Option(name: .customLong("max-p999-ms"), help: "threshold: corrected p99.9 at most this") var maxP999Ms: Double?
    @Option(help: "threshold: (transport errors + unexpected statuses) / scheduled at most this")
    var maxErrorRatio: Double?
    @Option(name: .customLong("max-5xx"), help: "threshold: 5xx responses at most this") var max5xx: Int?
    @Option(help: "threshold: achieved rate / target at least this") var minAchievedRatio: Double?

    static func main() async {
        await mainExitingTwoOnUsageError()
    }

    mutating func validate() throws {
        guard TargetURL(url) != nil else { throw ValidationError("--url is http://IP:PORT (a literal address)") }
        // At least one request per 1000 s, so that every offset stays a representable number of nanoseconds.
        guard rate >= 0.001, rate <= 1_000_000 else { throw ValidationError("--rate is 0.001 to 1000000") }
        guard duration > 0, duration <= 3600 else { throw ValidationError("--duration is in (0, 3600] seconds") }
        guard warmup >= 0, warmup <= 600 else { throw ValidationError("--warmup is in [0, 600] seconds") }
        guard (1...10_000).contains(connections) else { throw ValidationError("--connections is 1 to 10000") }
        guard (1...64).contains(threads), threads <= connections else {
            throw ValidationError("--threads is 1 to 64, and at most --connections")
        }
        guard (0...10_000).contains(tickMicros) else { throw ValidationError("--tick-us is 0 to 10000") }
        guard timeout > 0, timeout <= 300 else { throw ValidationError("--timeout is in (0, 300] seconds") }
        if let maxInFlight, !(1...10_000_000).contains(maxInFlight) {
            throw ValidationError("--max-in-flight is 1 to 10000000")
        }
        guard (mix == nil) != paths.isEmpty else { throw ValidationError("give --mix FILE or --path PATH…, not both") }
        for window in faultWindows where Report.FaultWindow(argument: window) == nil {
            throw ValidationError("--fault-window is START_S:END_S:LABEL with 0 ≤ START ≤ END: \(window)")
        }
        if let maxErrorRatio, !(0...1).contains(maxErrorRatio) { throw ValidationError("--max-error-ratio is 0 to 1") }
        if let minAchievedRatio, !(0...10).contains(minAchievedRatio) {
            throw ValidationError("--min-achieved-ratio is 0 to 10")
        }
        if let maxP99Ms, maxP99Ms < 0 { throw ValidationError("--max-p99-ms is ≥ 0") }
        if let maxP999Ms, maxP999Ms < 0 { throw ValidationError("--max-p999-ms is ≥ 0") }
        if let max5xx, max5xx < 0 { throw ValidationError("--max-5xx is ≥ 0") }
    }

    func run() async throws {
        guard let target = TargetURL(url) else { throw ValidationError("--url") }
        let address: SocketAddress
        do {
            address = try SocketAddress(ipAddress: target.host, port: target.port)
        } catch {
            throw ValidationError("--url needs a literal IP address: \(target.host)")
        }
        let requestMix = try loadMix()
        let windows = faultWindows.compactMap(Report.FaultWindow.init(argument:))
        let thresholds = Thresholds(
            maxP99Millis: maxP99Ms, maxP999Millis: maxP999Ms, maxErrorRatio: maxErrorRatio, maxServerErrors: max5xx,
            minAchievedRatio: minAchievedRatio)
        let schedule = ArrivalSchedule(rate: rate, warmupSeconds: warmup, durationSeconds: duration)
        let inFlight = maxInFlight ?? min(10_000_000, max(connections, Int((rate * timeout).rounded(.up))))

        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        // A little lead so every worker has opened its connections before the first intended send.
        let start = Int64(NIODeadline.now().uptimeNanoseconds) + 200_000_000
        let plan = RunPlan(
            address: address, schedule: schedule, mix: requestMix, authority: target.authority, workers: threads,
            connectionsPerWorker: max(1, connections / threads), maxInFlightPerWorker: max(1, inFlight / threads),
            timeoutNanos: Int64(timeout * 1e9), startUptimeNanos: start,
            measuredSeconds: Int(duration.rounded(.up)), tickNanos: Int64(tickMicros) * 1000)
        let wallStart = Date()
        let cpuStart = processCPUSeconds()
        // The wall-clock moment the measured phase starts, so a scenario can time its faults against it.
        let measuredStart = Date().addingTimeInterval(
            Double(start + schedule.warmupNanos - Int64(NIODeadline.now().uptimeNanoseconds)) / 1e9)
        log(
            "fxload: \(schedule.totalCount) requests at \(rate)/s; measuring from unix time "
                + String(format: "%.3f", measuredStart.timeIntervalSince1970) + " (after \(warmup) s of warm-up)")

        let stats = try await runLoad(plan, on: group)
        try await group.shutdownGracefully()

        let cpuEnd = processCPUSeconds()
        let report = Report(
            settings: Report.Settings(
                url: url, rate: rate, durationSeconds: duration, warmupSeconds: warmup,
                measuredStartUnix: measuredStart.timeIntervalSince1970,
                connections: plan.connectionsPerWorker * threads, threads: threads, maxInFlight: inFlight,
                timeoutSeconds: timeout, templates: requestMix.templates.map(\.name)),
            stats: stats,
            cpu: Report.CPU(
                userSeconds: cpuEnd.user - cpuStart.user, systemSeconds: cpuEnd.system - cpuStart.system,
                wallSeconds: Date().timeIntervalSince(wallStart), requests: schedule.totalCount),
            faultWindows: windows, thresholds: thresholds)
        print(report.table)
        try writeOutputs(report)
        let broken = report.thresholds.filter { !$0.held }
        for threshold in broken { log("fxload: threshold broken: \(threshold.description)") }
        if !broken.isEmpty { throw ExitCode(1) }
    }

    private func loadMix() throws -> Mix {
        do {
            if let mix {
                let size = (try? FileManager.default.attributesOfItem(atPath: mix)[.size] as? Int) ?? nil
                guard let size, size <= MixFile.maximumBytes else {
                    throw ValidationError("the mix file \(mix) is unreadable or over \(MixFile.maximumBytes) bytes")
                }
                guard let data = FileManager.default.contents(atPath: mix) else {
                    throw ValidationError("cannot read the mix file \(mix)")
                }
                return try MixFile.parse(data, environment: ProcessInfo.processInfo.environment)
            }
            return try Mix(paths: paths)
        } catch let error as MixError {
            throw ValidationError(error.description)
        }
    }

    private func writeOutputs(_ report: Report) throws {
        guard json != nil || plot != nil else { return }
        let data = try report.json()
        let jsonPath = json ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("fxload-\(ProcessInfo.processInfo.processIdentifier).json").path
        try data.write(to: URL(fileURLWithPath: jsonPath))
        let plotted = plot.map { drawPlot(json: jsonPath, png: $0) } ?? true
        // A failed plot keeps its input, so it can be drawn again by hand.
        if json == nil && plotted { try? FileManager.default.removeItem(atPath: jsonPath) }
    }
}

func log(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
