import NIOCore

/// Encodes a command from its argv as a RESP array of bulk strings, straight into one buffer.
///
/// Written here rather than with hiredis' `redisFormatCommandArgv`, which wanted the arguments laid out in one
/// array with a pointer and a length each, and returned its own copy to be copied again: five allocations and
/// two copies per command, on the path of every rate-limited request. hiredis stays the reply parser.
enum RedisCommandEncoder {
    static func encode(_ arguments: [RedisArgument], allocator: ByteBufferAllocator) -> ByteBuffer {
        // Each argument costs its bytes plus `$`, at most 20 digits and two CRLFs.
        var buffer = allocator.buffer(capacity: arguments.reduce(24) { $0 + $1.bytes.count + 25 })
        buffer.writeInteger(UInt8(ascii: "*"))
        buffer.writeString(String(arguments.count))
        buffer.writeStaticString("\r\n")
        for argument in arguments {
            buffer.writeInteger(UInt8(ascii: "$"))
            buffer.writeString(String(argument.bytes.count))
            buffer.writeStaticString("\r\n")
            buffer.writeBytes(argument.bytes)
            buffer.writeStaticString("\r\n")
        }
        return buffer
    }
}
