import FXCore

/// Why a sync imported nothing. Each reads as one line for the person or Job that ran it.
public enum ECBSyncError: Error, CustomStringConvertible {
    /// `--url` is not an http(s) URL with a host.
    case invalidURL(String)
    /// Every attempt failed: the last reason (connection refused, timeout after 30 s, HTTP 503, …).
    case unreachable(url: String, attempts: Int, lastReason: String)
    /// An answer no retry changes (404, 403, a redirect loop).
    case refused(url: String, status: Int)
    /// The body is larger than any ECB feed.
    case tooLarge(url: String, limit: Int)
    /// The body is not a feed of the expected form; nothing was imported.
    case malformed(file: String, reason: String)

    public var description: String {
        switch self {
        case .invalidURL(let url):
            "\(url) is not an http:// or https:// URL with a host"
        case .unreachable(let url, let attempts, let reason):
            "cannot fetch \(url) (\(attempts) attempt\(attempts == 1 ? "" : "s")): \(reason); nothing was imported"
        case .refused(let url, let status):
            "\(url) answered HTTP \(status); nothing was imported"
        case .tooLarge(let url, let limit):
            "\(url) sent more than \(limit / 1_048_576) MiB, more than any ECB feed; nothing was imported"
        case .malformed(let file, let reason):
            "\(file): \(reason); nothing was imported"
        }
    }
}
