/// What a rate limiter answers for one request, over every window of the client.
public struct RateLimitDecision: Hashable, Sendable {
    /// Where one window stands after this request.
    public struct WindowState: Hashable, Sendable {
        public let window: RateLimitWindow
        /// Requests still allowed in this window.
        public let remaining: Int
        /// Whole seconds until the window's count next falls back: for a window that cannot admit, until one more
        /// request fits; for one that can, until its current sub-window ends.
        public let resetSeconds: Int

        public init(window: RateLimitWindow, remaining: Int, resetSeconds: Int) {
            self.window = window
            self.remaining = remaining
            self.resetSeconds = resetSeconds
        }
    }

    public let allowed: Bool
    public let windows: [WindowState]
    /// For a denied request: whole seconds (at least 1) before a retry can succeed.
    public let retryAfterSeconds: Int?

    public init(allowed: Bool, windows: [WindowState], retryAfterSeconds: Int?) {
        self.allowed = allowed
        self.windows = windows
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The window closest to exhaustion, which the `RateLimit` header reports.
    public var tightest: WindowState? {
        windows.min { ($0.remaining, $0.resetSeconds) < ($1.remaining, $1.resetSeconds) }
    }

    /// The decision from each window's counters as they stood before this request, as every limiter reports it.
    public init(allowed: Bool, windows: [RateLimitWindow], counters: [SlidingWindowCounter]) {
        var states: [WindowState] = []
        var retryAfter = 0
        for (counter, window) in zip(counters, windows) {
            let counted = allowed
                ? SlidingWindowCounter(leaving: counter.leaving, inWindow: counter.inWindow == .max ? .max : counter.inWindow + 1,
                                       elapsed: counter.elapsed, subWindowLength: counter.subWindowLength)
                : counter
            var reset = counter.untilSubWindowEnds
            if !counter.admits(quota: window.quota) {
                reset = counter.retryAfter(quota: window.quota)
                retryAfter = max(retryAfter, reset)
            }
            states.append(WindowState(window: window, remaining: counted.remaining(quota: window.quota),
                                      resetSeconds: Self.wholeSeconds(reset)))
        }
        self.init(allowed: allowed, windows: states,
                  retryAfterSeconds: allowed ? nil : max(1, Self.wholeSeconds(retryAfter)))
    }

    /// Rounded up; never negative.
    private static func wholeSeconds(_ milliseconds: Int) -> Int {
        let milliseconds = max(0, milliseconds)
        return milliseconds / 1000 + (milliseconds % 1000 > 0 ? 1 : 0)
    }
}
