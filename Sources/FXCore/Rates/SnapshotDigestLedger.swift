/// Where the replica that fills the rate history's copy in Redis records the copy's digest, and where every
/// replica that reads the copy back checks it: a place writers of Redis cannot write (PostgreSQL), so a copy
/// edited in Redis fails the check. A digest kept in Redis beside the copy would prove nothing.
public protocol SnapshotDigestLedger: Sendable {
    /// The digest recorded for the copy of the history at `fingerprint`, or nil when none is (yet, or any more:
    /// the fingerprint has moved on).
    func snapshotDigest(fingerprint: String) async throws -> [UInt8]?

    /// Records `digest` for the copy of the history at `fingerprint`; false when the rates have moved past
    /// `fingerprint` meanwhile, so that the copy would describe rates no longer current.
    func recordSnapshotDigest(_ digest: [UInt8], fingerprint: String) async throws -> Bool
}
