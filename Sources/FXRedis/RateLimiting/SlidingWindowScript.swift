/// The sliding-window counter as one Lua script, so a check is one round trip and atomic across replicas.
///
/// Time comes from Redis `TIME`, never from the replicas, whose clocks disagree. Each client is one hash
/// (one key, so the script also runs on Redis Cluster) with a field per window and fixed-window index.
/// Every window is checked before anything is counted: a request is counted in all windows or in none,
/// and a denied request consumes nothing. The key lives for twice its longest window after its newest field.
///
/// KEYS[1] = the client's hash; ARGV = quota₁, seconds₁, quota₂, seconds₂, …
/// Returns { allowed (1/0), then previous, current, elapsed-ms for each window }, from before this request.
/// The admission test mirrors `SlidingWindowCounter.admits` in integer milliseconds.
enum SlidingWindowScript {
    static let script = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local windows = #ARGV / 2
        local lengths, indexes, fields = {}, {}, {}
        local longest = 0
        for i = 1, windows do
          lengths[i] = tonumber(ARGV[2 * i]) * 1000
          indexes[i] = math.floor(now / lengths[i])
          fields[2 * i - 1] = ARGV[2 * i] .. ':' .. indexes[i]
          fields[2 * i] = ARGV[2 * i] .. ':' .. (indexes[i] - 1)
          if lengths[i] > longest then longest = lengths[i] end
        end
        local counts = redis.call('HMGET', KEYS[1], unpack(fields))
        local reply = {1}
        for i = 1, windows do
          local quota = tonumber(ARGV[2 * i - 1])
          local current = tonumber(counts[2 * i - 1] or '0')
          local previous = tonumber(counts[2 * i] or '0')
          local elapsed = now - indexes[i] * lengths[i]
          if previous * (lengths[i] - elapsed) + (current + 1) * lengths[i] > quota * lengths[i] then reply[1] = 0 end
          reply[#reply + 1] = previous
          reply[#reply + 1] = current
          reply[#reply + 1] = elapsed
        end
        if reply[1] == 1 then
          local created = false
          for i = 1, windows do
            if redis.call('HINCRBY', KEYS[1], fields[2 * i - 1], 1) == 1 then
              created = true
              -- The first request of a new fixed window: this window's older fields are no longer read.
              local prefix = ARGV[2 * i] .. ':'
              for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
                if string.sub(field, 1, #prefix) == prefix and tonumber(string.sub(field, #prefix + 1)) < indexes[i] - 1 then
                  redis.call('HDEL', KEYS[1], field)
                end
              end
            end
          end
          -- A field is read for at most two of its windows: the key needs to outlive the newest field by
          -- twice the longest window, so its expiry moves only when a field is created, not on every request.
          if created then redis.call('PEXPIRE', KEYS[1], 2 * longest) end
        end
        return reply
        """)
}
