/// The sliding-window counter as one Lua script, so a check is one round trip and atomic across replicas.
///
/// Time comes from Redis `TIME`, never from the replicas, whose clocks disagree. Each client is one hash
/// (one key, so the script also runs on Redis Cluster) with a field per window and fixed-window index.
/// Every window is checked before anything is counted: a request is counted in all windows or in none,
/// and a denied request consumes nothing. The key lives for twice its longest window.
///
/// KEYS[1] = the client's hash; ARGV = quota₁, seconds₁, quota₂, seconds₂, …
/// Returns { allowed (1/0), then previous, current, elapsed-ms for each window }, from before this request.
/// The admission test mirrors `SlidingWindowCounter.admits` in integer milliseconds.
enum SlidingWindowScript {
    static let script = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local windows = #ARGV / 2
        local fields, counts, reply = {}, {}, {1}
        local longest = 0
        for i = 1, windows do
          local quota = tonumber(ARGV[2 * i - 1])
          local length = tonumber(ARGV[2 * i]) * 1000
          local index = math.floor(now / length)
          local prefix = ARGV[2 * i] .. ':'
          local current = tonumber(redis.call('HGET', KEYS[1], prefix .. index) or '0')
          local previous = tonumber(redis.call('HGET', KEYS[1], prefix .. (index - 1)) or '0')
          local elapsed = now - index * length
          redis.call('HDEL', KEYS[1], prefix .. (index - 2))
          if previous * (length - elapsed) + (current + 1) * length > quota * length then reply[1] = 0 end
          fields[i] = prefix .. index
          if length > longest then longest = length end
          reply[#reply + 1] = previous
          reply[#reply + 1] = current
          reply[#reply + 1] = elapsed
        end
        if reply[1] == 1 then
          for i = 1, windows do redis.call('HINCRBY', KEYS[1], fields[i], 1) end
          redis.call('PEXPIRE', KEYS[1], 2 * longest)
        end
        return reply
        """)
}
