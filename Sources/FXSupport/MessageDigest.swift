import CLibcrypto

/// SHA-1 and SHA-256 from OpenSSL's libcrypto, which libpq already loads into the process: maintained code that
/// uses the CPU's SHA instructions, in place of hand-written digests. Here, not in FXCore, because the money
/// domain, the Redis client (script names) and the server (the snapshot digest) all hash, and FXSupport is the
/// layer every one of them sees; libcrypto is a system library, not I/O.
public enum MessageDigest {
    /// The 32-byte SHA-256 of `message`. Empty only if libcrypto fails (it allocates nothing else for an
    /// in-memory digest, so only when memory is exhausted); an empty digest matches no stored one.
    public static func sha256(_ message: some Collection<UInt8>) -> [UInt8] {
        digest(message, algorithm: EVP_sha256())
    }

    /// The 20-byte SHA-1 of `message`, as Redis names scripts. Empty only if libcrypto fails.
    public static func sha1(_ message: some Collection<UInt8>) -> [UInt8] {
        digest(message, algorithm: EVP_sha1())
    }

    /// SHA-256 of bytes already in memory, without copying them (the rate history's copy is megabytes).
    public static func sha256(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        digest(bytes, algorithm: EVP_sha256())
    }

    private static func digest(_ message: some Collection<UInt8>, algorithm: OpaquePointer?) -> [UInt8] {
        if let digest = message.withContiguousStorageIfAvailable({ digest(UnsafeRawBufferPointer($0), algorithm: algorithm) }) {
            return digest
        }
        return Array(message).withUnsafeBytes { digest($0, algorithm: algorithm) }
    }

    private static func digest(_ bytes: UnsafeRawBufferPointer, algorithm: OpaquePointer?) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let succeeded = output.withUnsafeMutableBufferPointer { buffer in
            EVP_Digest(bytes.baseAddress, bytes.count, buffer.baseAddress, &length, algorithm, nil) == 1
        }
        guard succeeded else { return [] }
        return Array(output.prefix(Int(length)))
    }
}
