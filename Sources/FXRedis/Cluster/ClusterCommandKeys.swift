/// Which argument of a command names its key, so the cluster client can route it by slot without asking
/// Redis (`COMMAND GETKEYS` would cost a round trip). Only the commands fxrates sends are listed; any other
/// command, and a keyless one (`PING`, `PUBLISH`), goes to any primary.
enum ClusterCommandKeys {
    /// The slot of `argv`'s first key, or nil when the command has none that routes it.
    static func slot(of argv: [RedisArgument]) -> Int? {
        guard let index = firstKeyIndex(of: argv), index < argv.count else { return nil }
        return ClusterKeySlot.slot(of: argv[index].bytes)
    }

    static func firstKeyIndex(of argv: [RedisArgument]) -> Int? {
        guard let name = argv.first.map({ String(decoding: $0.bytes, as: UTF8.self).uppercased() }) else { return nil }
        switch name {
        case "EVAL", "EVALSHA", "EVAL_RO", "EVALSHA_RO", "FCALL", "FCALL_RO":
            // `EVALSHA sha numkeys key…`: a script without keys may run anywhere.
            guard argv.count > 3, let count = Int(String(decoding: argv[2].bytes, as: UTF8.self)), count > 0
            else { return nil }
            return 3
        case "GET", "SET", "SETNX", "SETEX", "PSETEX", "GETRANGE", "STRLEN", "DEL", "UNLINK", "EXISTS", "TYPE",
             "EXPIRE", "PEXPIRE", "TTL", "PTTL", "PERSIST", "INCR", "INCRBY", "DECR", "DECRBY", "APPEND",
             "HGET", "HSET", "HMGET", "HGETALL", "HDEL", "HINCRBY", "HKEYS", "HLEN", "DUMP", "RESTORE", "GETDEL":
            return 1
        default:
            return nil
        }
    }
}
