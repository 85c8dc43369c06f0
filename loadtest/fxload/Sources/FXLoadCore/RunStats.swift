/// Everything one worker (or, merged, the whole run) measured in the measured phase. Requests are filed
/// under the second they were *meant* to be sent, so a fault window lines up with the requests it hit.
public struct RunStats: Sendable {
    public private(set) var total = Tally()
    public private(set) var byTemplate: [Tally]
    public private(set) var bySecond: [Tally]
    /// Nanoseconds from the measured phase's start to the last outcome (response or error) of a measured request.
    public private(set) var lastOutcomeNanos: Int64 = 0

    public init(templates: Int, seconds: Int) {
        byTemplate = Array(repeating: Tally(), count: templates)
        // Two significant digits per second: enough for a plot, and a tenth of the memory.
        bySecond = Array(repeating: Tally(significantDigits: .two), count: max(1, seconds))
    }

    public mutating func countScheduled(template: Int, second: Int) {
        total.countScheduled()
        byTemplate[template].countScheduled()
        bySecond[clamp(second)].countScheduled()
    }

    public mutating func countSent(template: Int, second: Int) {
        total.countSent()
        byTemplate[template].countSent()
        bySecond[clamp(second)].countSent()
    }

    public mutating func recordResponse(
        template: Int, second: Int, status: Int, expected: Bool, correctedNanos: Int64, uncorrectedNanos: Int64,
        atMeasuredNanos now: Int64
    ) {
        total.recordResponse(status: status, expected: expected, correctedNanos: correctedNanos, uncorrectedNanos: uncorrectedNanos)
        byTemplate[template].recordResponse(
            status: status, expected: expected, correctedNanos: correctedNanos, uncorrectedNanos: uncorrectedNanos)
        bySecond[clamp(second)].recordResponse(
            status: status, expected: expected, correctedNanos: correctedNanos, uncorrectedNanos: uncorrectedNanos)
        lastOutcomeNanos = max(lastOutcomeNanos, now)
    }

    public mutating func recordError(_ kind: ErrorKind, template: Int, second: Int, atMeasuredNanos now: Int64) {
        total.recordError(kind)
        byTemplate[template].recordError(kind)
        bySecond[clamp(second)].recordError(kind)
        lastOutcomeNanos = max(lastOutcomeNanos, now)
    }

    public mutating func add(_ other: RunStats) {
        total.add(other.total)
        for index in byTemplate.indices where index < other.byTemplate.count { byTemplate[index].add(other.byTemplate[index]) }
        for index in bySecond.indices where index < other.bySecond.count { bySecond[index].add(other.bySecond[index]) }
        lastOutcomeNanos = max(lastOutcomeNanos, other.lastOutcomeNanos)
    }

    private func clamp(_ second: Int) -> Int { min(max(0, second), bySecond.count - 1) }
}
