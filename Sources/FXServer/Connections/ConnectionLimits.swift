/// What one connection may cost a replica: `FX_HEADER_TIMEOUT_SECONDS`, `FX_IDLE_TIMEOUT_SECONDS` and
/// `FX_MAX_CONNECTIONS`.
struct ConnectionLimits: Sendable, Equatable {
    /// How long a request head may take to arrive, from the connection's start or a next request's
    /// first bytes.
    var headerTimeout: Duration
    /// How long a kept-alive connection may sit with no request.
    var idleTimeout: Duration
    /// Open connections past which new ones get a 503 (the probes excepted) and are closed.
    var maxConnections: Int

    init(_ settings: Settings) {
        headerTimeout = .seconds(settings.headerTimeoutSeconds)
        idleTimeout = .seconds(settings.idleTimeoutSeconds)
        maxConnections = settings.maxConnections
    }
}
