import CHiredis
import NIOCore

/// Owns one hiredis `redisReader` and turns the bytes fed into it into `RESPValue`s.
final class HiredisReplyReader {
    private let reader: UnsafeMutablePointer<redisReader>

    init() {
        guard let reader = chiredis_reader_create() else {
            fatalError("hiredis could not allocate a reply reader")
        }
        self.reader = reader
    }

    deinit {
        chiredis_reader_free(reader)
    }

    /// Hands every readable byte of `buffer` to hiredis.
    func feed(_ buffer: inout ByteBuffer) throws {
        let status = buffer.withUnsafeReadableBytes { bytes in
            redisReaderFeed(reader, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        }
        guard status == REDIS_OK else {
            throw RedisError.protocolError(currentError)
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
    }

    /// The next complete reply, or nil when hiredis needs more bytes.
    func nextReply(allocator: ByteBufferAllocator) throws -> RESPValue? {
        var raw: UnsafeMutableRawPointer?
        guard redisReaderGetReply(reader, &raw) == REDIS_OK else {
            throw RedisError.protocolError(currentError)
        }
        guard let raw else {
            return nil
        }
        defer { freeReplyObject(raw) }
        return Self.copy(raw.assumingMemoryBound(to: redisReply.self), allocator: allocator)
    }

    private var currentError: String {
        String(cString: chiredis_reader_error(reader))
    }

    private static func copy(_ reply: UnsafeMutablePointer<redisReply>, allocator: ByteBufferAllocator) -> RESPValue {
        let bytes = UnsafeRawBufferPointer(start: reply.pointee.str, count: reply.pointee.len)
        switch reply.pointee.type {
        case REDIS_REPLY_STATUS:
            return .simpleString(String(decoding: bytes, as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: bytes, as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(reply.pointee.integer)
        case REDIS_REPLY_STRING:
            return .bulkString(allocator.buffer(bytes: bytes))
        case REDIS_REPLY_ARRAY:
            let elements = UnsafeBufferPointer(start: reply.pointee.element, count: reply.pointee.elements)
            // hiredis fills every element of a complete array; a hole would read as a nil reply.
            return .array(elements.map { element in element.map { copy($0, allocator: allocator) } ?? .null })
        default:
            return chiredis_reply_is_null_array(reply) != 0 ? .nullArray : .null
        }
    }
}
