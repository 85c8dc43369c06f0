/// The sliding-window counter as one Lua script, so a batch of checks is one round trip and atomic across
/// replicas.
///
/// Time comes from Redis `TIME`, once per call, never from the replicas, whose clocks disagree. Each client is
/// one hash with a field per window and fixed-window index. The checks of a call are decided in order, each as
/// if it were alone: every window of a check is tested before anything is counted, so a check is counted in
/// all its windows or in none, and a denied check consumes nothing; a later check of the same hash sees the
/// earlier ones' counts. A key lives for twice its longest window after its newest field.
///
/// KEYS = the hash of each check, in order (a hash may repeat); ARGV = for each check, its window count n, then
/// quota₁, seconds₁, …, quotaₙ, secondsₙ.
/// Returns one flat array: for each check, allowed (1/0), then previous, current, elapsed-ms for each of its
/// windows, from before that check. The admission test mirrors `SlidingWindowCounter.admits` in integer
/// milliseconds. A call names several clients' hashes, so on Redis Cluster it would need them in one slot;
/// `RedisClient` talks to a single endpoint.
enum SlidingWindowScript {
    static let script = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local reply = {}

        -- Every check of a call sees the same time, so each window length's fixed-window fields are worked
        -- out once per call. Integers become text with '%d': Lua's own number-to-text is printf's '%.14g',
        -- several times slower, and it was the script's largest cost.
        local windowsBySeconds = {}
        local function window(seconds)
          local found = windowsBySeconds[seconds]
          if found then return found end
          local length = tonumber(seconds) * 1000
          local index = math.floor(now / length)
          found = {
            length = length, index = index, elapsed = now - index * length, prefix = seconds .. ':',
            current = string.format('%s:%d', seconds, index), previous = string.format('%s:%d', seconds, index - 1),
          }
          windowsBySeconds[seconds] = found
          return found
        end

        -- Decides the check on `key` whose window count is ARGV[at]; returns where the next check starts.
        local function decide(key, at)
          local windows = tonumber(ARGV[at])
          local quotas, spans, fields = {}, {}, {}
          local longest = 0
          for i = 1, windows do
            quotas[i] = tonumber(ARGV[at + 2 * i - 1])
            spans[i] = window(ARGV[at + 2 * i])
            fields[2 * i - 1] = spans[i].current
            fields[2 * i] = spans[i].previous
            if spans[i].length > longest then longest = spans[i].length end
          end
          -- HMGET needs a field: a check without windows is admitted and counts nothing.
          local counts = windows > 0 and redis.call('HMGET', key, unpack(fields)) or {}
          local allowed = #reply + 1
          reply[allowed] = 1
          for i = 1, windows do
            local current = tonumber(counts[2 * i - 1] or '0')
            local previous = tonumber(counts[2 * i] or '0')
            local length, elapsed = spans[i].length, spans[i].elapsed
            if previous * (length - elapsed) + (current + 1) * length > quotas[i] * length then
              reply[allowed] = 0
            end
            reply[#reply + 1] = previous
            reply[#reply + 1] = current
            reply[#reply + 1] = elapsed
          end
          if reply[allowed] == 1 then
            local created = false
            for i = 1, windows do
              if redis.call('HINCRBY', key, spans[i].current, '1') == 1 then
                created = true
                -- The first request of a new fixed window: this window's older fields are no longer read.
                local prefix = spans[i].prefix
                for _, field in ipairs(redis.call('HKEYS', key)) do
                  if string.sub(field, 1, #prefix) == prefix and tonumber(string.sub(field, #prefix + 1)) < spans[i].index - 1 then
                    redis.call('HDEL', key, field)
                  end
                end
              end
            end
            -- A field is read for at most two of its windows: the key needs to outlive the newest field by
            -- twice the longest window, so its expiry moves only when a field is created, not on every request.
            if created then redis.call('PEXPIRE', key, string.format('%d', 2 * longest)) end
          end
          return at + 1 + 2 * windows
        end

        local at = 1
        for check = 1, #KEYS do
          at = decide(KEYS[check], at)
        end
        return reply
        """)
}
