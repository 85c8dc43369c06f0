import FXSupport

/// How hard a sync tries: a deadline on every request and a bounded number of attempts with backoff.
public struct ECBSyncOptions: Sendable {
    /// The whole of one request (connect, headers and body); also the longest silence while reading.
    public var requestTimeout: Duration = .seconds(30)
    /// Attempts in all, the first included; only failures a retry can fix are retried (timeouts, refused
    /// connections, 5xx, 408, 429).
    public var attempts = 4
    /// 1 s, 2 s, 4 s … (each a random value in the upper half) between attempts.
    public var backoff = ReconnectBackoff(initialDelay: .seconds(1), maximumDelay: .seconds(30))
    /// The largest body read: the whole-history zip is about 600 KB.
    public var maximumBodyBytes = 32 * 1_048_576

    public init() {}
}
