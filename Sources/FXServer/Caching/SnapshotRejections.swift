import Synchronization

/// Which fingerprint's snapshot was last rejected, so a forged or broken snapshot is reported once, not on every
/// reload that meets it. One fingerprint, not a set: memory stays bounded whatever Redis holds.
final class SnapshotRejections: Sendable {
    private let lastRejected = Mutex<String?>(nil)

    /// True the first time a snapshot of `fingerprint` is rejected in a row of rejections of it.
    func isFirst(fingerprint: String) -> Bool {
        lastRejected.withLock { last in
            defer { last = fingerprint }
            return last != fingerprint
        }
    }
}
