import FXRedis

/// The scripts of the fill lock around the history copy in Redis: each is one round trip, and each
/// decides on Redis's side what would otherwise race between two commands.
enum SnapshotFillLock {
    /// Deletes the lock (KEYS[1]) only while it still holds this replica's token (ARGV[1]): a replica whose
    /// lock expired during a slow load must not delete the lock another replica holds by now.
    static let release = RedisScript("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """)

    /// The copy (KEYS[1]) when it is there, or else the milliseconds the lock (KEYS[2]) has left:
    /// -2 when no replica holds it any longer. One call per check for a replica waiting on another's fill.
    static let copyOrLockTime = RedisScript("""
        local copy = redis.call('GET', KEYS[1])
        if copy then return copy end
        return redis.call('PTTL', KEYS[2])
        """)
}
