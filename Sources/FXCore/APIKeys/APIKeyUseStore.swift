/// Where the time each API key was last used is kept (`fxrates keys list` shows it).
public protocol APIKeyUseStore: Sendable {
    /// Records that the keys with these ids were used now.
    func recordUse(ofKeys ids: [Int64]) async throws
}
