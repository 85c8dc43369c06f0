import FXSupport

/// The SHA-256 of the rate history's copy in Redis, the proof that a copy read back is the one a replica wrote.
enum SnapshotDigest {
    static let byteCount = 32

    /// Nil only if libcrypto fails, which it does not for SHA-256 in memory; a caller treats it as a mismatch.
    static func sha256(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        let digest = MessageDigest.sha256(bytes)
        return digest.count == byteCount ? digest : nil
    }
}
