import CompressNIO
import NIOCore

/// Response bodies in gzip, for clients that accept it.
///
/// Only bodies over 1 KiB: below that the gzip header and the CPU cost more than the bytes saved (a
/// conversion is about 300 bytes). The level is chosen from a measurement (README, "Compression").
enum GzipBody {
    /// Bodies of this many bytes or fewer are sent as they are.
    static let maximumUncompressedBytes = 1024
    /// zlib's level: 1 is fastest, 9 smallest. Measured on a year of history (120 KB): level 1 gives 34 KB
    /// for a sixth of level 6's CPU, which gives 25 KB; the replica's CPU is the scarcer resource.
    static let compressionLevel: Int32 = 1

    static func isCompressible(_ body: ByteBuffer) -> Bool {
        body.readableBytes > maximumUncompressedBytes
    }

    /// `body` compressed, or nil if zlib fails (then the body goes out uncompressed).
    static func compress(_ body: ByteBuffer) -> ByteBuffer? {
        var input = body
        let configuration = ZlibConfiguration(windowSize: 15, compressionLevel: compressionLevel, memoryLevel: 8)
        return try? input.compress(with: .gzip(configuration: configuration))
    }
}
