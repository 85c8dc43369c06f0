import CLibcrypto

/// The SHA-256 of the rate history's copy in Redis, the proof that a copy read back is the one a replica wrote.
///
/// libcrypto's, not FXCore's `SHA256`: the copy is megabytes and is hashed on every reload, and libcrypto uses
/// the CPU's SHA instructions where FXCore's portable code (written for API keys of 46 bytes) takes tens of ms.
enum SnapshotDigest {
    static let byteCount = 32

    /// Nil only if libcrypto fails, which it does not for SHA-256 in memory; a caller treats it as a mismatch.
    static func sha256(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let succeeded = digest.withUnsafeMutableBufferPointer { output in
            EVP_Digest(bytes.baseAddress, bytes.count, output.baseAddress, &length, EVP_sha256(), nil) == 1
        }
        guard succeeded, Int(length) == byteCount else { return nil }
        return Array(digest.prefix(byteCount))
    }
}
