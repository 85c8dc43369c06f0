extension Problem {
    /// The answer past `FX_MAX_CONNECTIONS`: a 503 with `Retry-After`, so that a client backs off and a
    /// load balancer tries another replica.
    static let tooManyConnections = serviceUnavailable(
        "This replica has too many open connections (FX_MAX_CONNECTIONS); retry shortly")
}
