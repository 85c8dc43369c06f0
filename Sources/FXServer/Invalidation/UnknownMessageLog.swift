/// Rate limits the log line about unknown invalidation messages: whoever can publish on the channel could
/// otherwise turn a flood of junk into a flood of log lines.
struct UnknownMessageLog {
    let interval: Duration
    private var lastLine: ContinuousClock.Instant?
    private var unlogged = 0

    init(interval: Duration = .seconds(60)) {
        self.interval = interval
    }

    /// Counts one unknown message; returns how many arrived since the last line (this one included) when a
    /// line is due now, nil when it is not.
    mutating func shouldLog(now: ContinuousClock.Instant) -> Int? {
        unlogged += 1
        if let lastLine, now - lastLine < interval { return nil }
        lastLine = now
        defer { unlogged = 0 }
        return unlogged
    }
}
