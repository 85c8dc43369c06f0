import Foundation

/// What a run measured, in the JSON file's shape (snake_case keys, milliseconds, seconds).
public struct Report: Sendable, Codable {
    public struct Settings: Sendable, Codable {
        public var url: String
        public var rate: Double
        public var durationSeconds: Double
        public var warmupSeconds: Double
        /// When the measured phase began (Unix seconds): time series and fault windows count from here.
        public var measuredStartUnix: Double
        public var connections: Int
        public var threads: Int
        public var maxInFlight: Int
        public var timeoutSeconds: Double
        public var templates: [String]

        public init(
            url: String, rate: Double, durationSeconds: Double, warmupSeconds: Double, measuredStartUnix: Double,
            connections: Int, threads: Int,
            maxInFlight: Int, timeoutSeconds: Double, templates: [String]
        ) {
            self.url = url
            self.rate = rate
            self.durationSeconds = durationSeconds
            self.warmupSeconds = warmupSeconds
            self.measuredStartUnix = measuredStartUnix
            self.connections = connections
            self.threads = threads
            self.maxInFlight = maxInFlight
            self.timeoutSeconds = timeoutSeconds
            self.templates = templates
        }
    }

    public struct CPU: Sendable, Codable {
        public var userSeconds: Double
        public var systemSeconds: Double
        public var wallSeconds: Double
        /// User + system time over wall time, in percent of one core.
        public var percentOfOneCore: Double
        /// Requests of the whole run, the warm-up's included, and the CPU each cost: a figure that a busy
        /// machine changes far less than the rate reached.
        public var requests: Int
        public var microsPerRequest: Double

        public init(userSeconds: Double, systemSeconds: Double, wallSeconds: Double, requests: Int) {
            self.userSeconds = userSeconds
            self.systemSeconds = systemSeconds
            self.wallSeconds = wallSeconds
            percentOfOneCore = wallSeconds > 0 ? (userSeconds + systemSeconds) / wallSeconds * 100 : 0
            self.requests = requests
            microsPerRequest = requests > 0 ? (userSeconds + systemSeconds) * 1e6 / Double(requests) : 0
        }
    }

    public struct Outcomes: Sendable, Codable {
        public var scheduled: Int
        public var sent: Int
        public var responses: Int
        public var statuses: [String: Int]
        public var statusClasses: [String: Int]
        public var errors: [String: Int]
        public var errorCount: Int
        public var errorRatio: Double
        public var corrected: Percentiles
        public var uncorrected: Percentiles

        init(_ tally: Tally) {
            scheduled = tally.scheduled
            sent = tally.sent
            responses = tally.responses
            statuses = Dictionary(uniqueKeysWithValues: tally.statuses.map { (String($0.key), $0.value) })
            statusClasses = Report.statusClasses(tally.statuses)
            errors = Dictionary(uniqueKeysWithValues: tally.errors.map { ($0.key.rawValue, $0.value) })
            errorCount = tally.errorCount
            errorRatio = tally.scheduled > 0 ? Double(tally.errorCount) / Double(tally.scheduled) : 0
            corrected = tally.corrected.summary
            uncorrected = tally.uncorrected.summary
        }
    }

    public struct TemplateOutcomes: Sendable, Codable {
        public var name: String
        public var outcomes: Outcomes
    }

    /// One second of the measured phase, by intended send time.
    public struct Second: Sendable, Codable {
        public var second: Int
        public var scheduled: Int
        public var sent: Int
        public var responses: Int
        public var errors: Int
        public var errorKinds: [String: Int]
        public var statuses: [String: Int]
        public var p50Ms: Double
        public var p99Ms: Double
        public var maxMs: Double
        public var uncorrectedP99Ms: Double
    }

    public struct FaultWindow: Sendable, Codable, Equatable {
        public var startS: Double
        public var endS: Double
        public var label: String

        public init(startS: Double, endS: Double, label: String) {
            self.startS = startS
            self.endS = endS
            self.label = label
        }

        /// `START_S:END_S:LABEL`, seconds from the start of the measured phase.
        public init?(argument: String) {
            let parts = argument.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let start = Double(parts[0]), let end = Double(parts[1]), start >= 0,
                end >= start, start.isFinite, end.isFinite, parts[2].count <= 200
            else { return nil }
            self.init(startS: start, endS: end, label: String(parts[2]))
        }
    }

    public var settings: Settings
    /// Responses (any status) per second, over the measured phase or until its last outcome, if later.
    public var achievedRate: Double
    public var achievedRatio: Double
    public var elapsedSeconds: Double
    public var total: Outcomes
    public var templates: [TemplateOutcomes]
    public var timeSeries: [Second]
    public var faultWindows: [FaultWindow]
    public var cpu: CPU
    public var thresholds: [ThresholdResult]
    public var passed: Bool

    public init(settings: Settings, stats: RunStats, cpu: CPU, faultWindows: [FaultWindow], thresholds: Thresholds) {
        self.settings = settings
        let elapsed = max(settings.durationSeconds, Double(stats.lastOutcomeNanos) / 1e9)
        elapsedSeconds = elapsed
        achievedRate = Double(stats.total.responses) / elapsed
        achievedRatio = settings.rate > 0 ? achievedRate / settings.rate : 0
        total = Outcomes(stats.total)
        templates = zip(settings.templates, stats.byTemplate).map { TemplateOutcomes(name: $0, outcomes: Outcomes($1)) }
        timeSeries = stats.bySecond.enumerated().map { second, tally in
            Second(
                second: second, scheduled: tally.scheduled, sent: tally.sent, responses: tally.responses,
                errors: tally.errorCount,
                errorKinds: Dictionary(uniqueKeysWithValues: tally.errors.map { ($0.key.rawValue, $0.value) }),
                statuses: Dictionary(uniqueKeysWithValues: tally.statuses.map { (String($0.key), $0.value) }),
                p50Ms: tally.corrected.millis(atPercentile: 50), p99Ms: tally.corrected.millis(atPercentile: 99),
                maxMs: tally.corrected.maxMillis, uncorrectedP99Ms: tally.uncorrected.millis(atPercentile: 99))
        }
        self.faultWindows = faultWindows
        self.cpu = cpu
        self.thresholds = thresholds.evaluate(
            Thresholds.Measured(
                p99Millis: total.corrected.p99, p999Millis: total.corrected.p999, errorRatio: total.errorRatio,
                serverErrors: stats.total.serverErrorCount, achievedRatio: achievedRatio))
        passed = self.thresholds.allSatisfy(\.held)
    }

    /// 2xx, 304, 429, other 4xx, 5xx, and anything else as "other".
    static func statusClasses(_ statuses: [Int: Int]) -> [String: Int] {
        var classes: [String: Int] = [:]
        for (status, count) in statuses {
            let name =
                switch status {
                case 200...299: "2xx"
                case 304: "304"
                case 429: "429"
                case 400...499: "4xx"
                case 500...599: "5xx"
                default: "other"
                }
            classes[name, default: 0] += count
        }
        return classes
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
