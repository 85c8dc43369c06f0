/// The sliding-window counter as one Lua script, so a batch of checks is one round trip and atomic across
/// replicas.
///
/// Time comes from Redis `TIME`, once per call, never from the replicas, whose clocks disagree. Each client is
/// one hash with a field per window and fixed-window index. The checks of a call are decided in order, each as
/// if it were alone: every window of a check is tested before anything is counted, so a check is counted in
/// all its windows or in none, and a denied check consumes nothing; a later check of the same hash sees the
/// earlier ones' counts. A hash is read once and written once per field in a call, however many of its checks
/// the call carries. A key lives for twice its longest window after its newest field.
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

        -- Each client's hash is read once per call and written once per field at the end: the checks of a
        -- call often share a client (a burst from one address), and a redis.call costs more than the
        -- arithmetic around it. `hashes[key]` keeps the counts read so far plus those this call admitted.
        local hashes, order = {}, {}
        local function hash(key)
          local found = hashes[key]
          if not found then
            found = { counts = {}, added = {}, addedFields = {}, spans = {}, longest = 0 }
            hashes[key] = found
            order[#order + 1] = key
          end
          return found
        end

        -- Decides the check on `key` whose window count is ARGV[at]; returns where the next check starts.
        local function decide(key, at)
          local windows = tonumber(ARGV[at])
          local state = hash(key)
          local spans, missing = {}, {}
          for i = 1, windows do
            local span = window(ARGV[at + 2 * i])
            spans[i] = span
            if state.counts[span.current] == nil then missing[#missing + 1] = span.current end
            if state.counts[span.previous] == nil then missing[#missing + 1] = span.previous end
          end
          if #missing > 0 then
            local values = redis.call('HMGET', key, unpack(missing))
            for j = 1, #missing do state.counts[missing[j]] = tonumber(values[j] or '0') end
          end
          local allowed = #reply + 1
          reply[allowed] = 1
          for i = 1, windows do
            local span = spans[i]
            local current, previous = state.counts[span.current], state.counts[span.previous]
            local quota = tonumber(ARGV[at + 2 * i - 1])
            if previous * (span.length - span.elapsed) + (current + 1) * span.length > quota * span.length then
              reply[allowed] = 0
            end
            reply[#reply + 1] = previous
            reply[#reply + 1] = current
            reply[#reply + 1] = span.elapsed
          end
          if reply[allowed] == 1 then
            for i = 1, windows do
              local span = spans[i]
              local field = span.current
              state.counts[field] = state.counts[field] + 1
              if not state.added[field] then
                state.added[field] = 0
                state.addedFields[#state.addedFields + 1] = field
                state.spans[field] = span
              end
              state.added[field] = state.added[field] + 1
              if span.length > state.longest then state.longest = span.length end
            end
          end
          return at + 1 + 2 * windows
        end

        -- Counts what was admitted, in order. A field whose total is what this call added is new: the first
        -- requests of a new fixed window, after which that window's older fields are no longer read.
        local function write(key)
          local state = hashes[key]
          local created = false
          for _, field in ipairs(state.addedFields) do
            local added = state.added[field]
            if redis.call('HINCRBY', key, field, string.format('%d', added)) == added then
              created = true
              local span = state.spans[field]
              local prefix = span.prefix
              for _, other in ipairs(redis.call('HKEYS', key)) do
                if string.sub(other, 1, #prefix) == prefix and tonumber(string.sub(other, #prefix + 1)) < span.index - 1 then
                  redis.call('HDEL', key, other)
                end
              end
            end
          end
          -- A field is read for at most two of its windows: the key needs to outlive the newest field by
          -- twice the longest window, so its expiry moves only when a field is created, not on every request.
          if created then redis.call('PEXPIRE', key, string.format('%d', 2 * state.longest)) end
        end

        local at = 1
        for check = 1, #KEYS do
          at = decide(KEYS[check], at)
        end
        for _, key in ipairs(order) do
          write(key)
        end
        return reply
        """)
}
