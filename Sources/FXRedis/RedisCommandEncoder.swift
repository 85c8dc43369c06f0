import CHiredis
import NIOCore

/// Encodes a command from its argv with hiredis' `redisFormatCommandArgv`.
enum RedisCommandEncoder {
    static func encode(_ arguments: [RedisArgument], allocator: ByteBufferAllocator) -> ByteBuffer {
        // All arguments are laid out in one array so a single pointer scope covers
        // every argv entry. The trailing byte keeps the storage non-empty even
        // when all arguments are empty.
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(1) { $0 + $1.bytes.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(storage.count)
            lengths.append(argument.bytes.count)
            storage.append(contentsOf: argument.bytes)
        }
        storage.append(0)

        return storage.withUnsafeBufferPointer { base in
            let start = UnsafeRawPointer(base.baseAddress!)
            var argv = offsets.map { Optional((start + $0).assumingMemoryBound(to: CChar.self)) }
            var command: UnsafeMutablePointer<CChar>?
            let length = redisFormatCommandArgv(&command, Int32(arguments.count), &argv, lengths)
            guard length >= 0, let command else {
                fatalError("hiredis could not format a command of \(arguments.count) arguments")
            }
            defer { redisFreeCommand(command) }
            return allocator.buffer(bytes: UnsafeRawBufferPointer(start: command, count: Int(length)))
        }
    }
}
