import FXCore

/// How long a client or cache may reuse a rates response without asking again.
///
/// Nothing is `immutable`: an admin correction or an ECB import can still change a past date, so a past
/// date is fresh for a day and then revalidated (a 304 when nothing changed, thanks to the ETag).
enum CacheFreshness {
    /// The latest rates, or a range reaching today: they change when new rates arrive, which a replica
    /// notices at its refresh check, every 30 s at most. A fixed 30 s keeps every replica's answer identical.
    case latest
    /// A date, or a range ending, before today (UTC).
    case past

    static let latestSeconds = 30
    static let pastSeconds = 86_400

    /// The freshness of a response for `day` (nil: the latest), given today's date.
    init(of day: Day?, today: Day) {
        if let day, day < today { self = .past } else { self = .latest }
    }

    var maxAgeSeconds: Int {
        switch self {
        case .latest: Self.latestSeconds
        case .past: Self.pastSeconds
        }
    }
}
