import FXCore

/// The sliding-window counter (`SlidingWindowCounter`: 50 sub-windows per window) as one Lua script, so a batch
/// of checks is one round trip and atomic across replicas.
///
/// Time comes from Redis `TIME`, once per call, never from the replicas, whose clocks disagree. Each client is
/// one hash. Per window of `s` seconds it holds a field per sub-window that admitted something (`<s>s:<index>`,
/// the index counted from the epoch in sub-windows of 20·s ms), and `<s>s:sum`, the sum of the sub-windows from
/// `<s>s:from` on: the sub-windows the window covers in full. (The `s` keeps these fields apart from the
/// `<s>:<index>` fields of the fixed windows before sub-windows, which the script deletes when it first meets a
/// window without `from`: during a rolling upgrade each layout counts alone, and neither trips on the other.) When the window slides past `s:from`, the sub-windows
/// that left are read once, taken off the sum and deleted (but the one it is leaving, which still counts in
/// part), so a check reads four fields per window, not fifty. The checks of a call are decided in order, each
/// as if it were alone: every window of a check is tested before anything is counted, so a check is counted in
/// all its windows or in none, and a denied check consumes nothing; a later check of the same hash sees the
/// earlier ones' counts. A hash is read once and written once per field in a call, however many of its checks
/// the call carries. A key lives for twice its longest window after its newest field.
///
/// KEYS = the hash of each check, in order (a hash may repeat); ARGV = for each check, its window count n, then
/// quota₁, seconds₁, …, quotaₙ, secondsₙ.
/// Returns one flat array: for each check, allowed (1/0), then for each of its windows, from before that check:
/// leaving, inWindow, elapsed-ms, and k followed by k counts: the 50 covered sub-windows' counts, oldest first,
/// when the window is full (inWindow ≥ quota) and only they say when it admits again, else k = 0. The
/// admission test mirrors `SlidingWindowCounter.admits` in integer milliseconds. A call names several clients'
/// hashes, so on Redis Cluster each call carries the checks of one slot.
enum SlidingWindowScript {
    static let script = RedisScript("""
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local subWindows = \(SlidingWindowCounter.subWindowsPerWindow)
        local reply = {}

        -- Integers become text with '%d': Lua's own number-to-text is printf's '%.14g', several times slower,
        -- and it was the script's largest cost.
        local function field(seconds, index)
          return string.format('%ss:%d', seconds, index)
        end

        -- Every check of a call sees the same time, so each window length's sub-window is worked out once.
        local spansBySeconds = {}
        local function span(seconds)
          local found = spansBySeconds[seconds]
          if found then return found end
          local length = tonumber(seconds) * \(1000 / SlidingWindowCounter.subWindowsPerWindow)
          local index = math.floor(now / length)
          found = {
            seconds = seconds, length = length, index = index, elapsed = now - index * length,
            current = field(seconds, index), leaving = field(seconds, index - subWindows),
            sum = seconds .. 's:sum', from = seconds .. 's:from',
          }
          spansBySeconds[seconds] = found
          return found
        end

        -- Each client's hash is read once per call and written once per field at the end: the checks of a
        -- call often share a client (a burst from one address), and a redis.call costs more than the
        -- arithmetic around it. `hashes[key].windows[seconds]` keeps what was read plus what this call admitted.
        local hashes, order = {}, {}
        local function hash(key)
          local found = hashes[key]
          if not found then
            found = { windows = {}, order = {}, longest = 0 }
            hashes[key] = found
            order[#order + 1] = key
          end
          return found
        end

        -- A stored count: 0 when absent; text that is no number stays nil, so the script fails on it and the
        -- replica treats the reply as a Redis fault rather than a decision.
        local function count(value)
          if value == false then return 0 end
          return tonumber(value)
        end

        -- Takes the sub-windows the window has left since `state.from` off the sum, and deletes those it has
        -- wholly left (all but the one it is leaving now, and the one that was leaving). At most `subWindows`
        -- of them can hold counts: nothing is counted past `from + subWindows - 1`. A client seen again after
        -- more than 8 sub-windows most often has fewer fields than sub-windows to go through, so then its
        -- fields are read instead: one HGETALL rather than an HMGET and an HDEL of up to 51 names.
        local function slide(key, span, state)
          local first = span.index - subWindows + 1
          if state.from == nil then
            state.sum, state.leaving, state.from, state.dirty = 0, 0, first, true
            return
          end
          if state.from >= first then return end
          local last = math.min(first - 1, state.from + subWindows - 1)
          local stale = {}
          if last - state.from + 1 > 8 then
            local prefix = span.seconds .. 's:'
            local fields = redis.call('HGETALL', key)
            for j = 1, #fields, 2 do
              local name = fields[j]
              if string.sub(name, 1, #prefix) == prefix then
                local index = tonumber(string.sub(name, #prefix + 1))
                if index ~= nil and index < first then
                  if index >= state.from then state.sum = state.sum - count(fields[j + 1]) end
                  if index < first - 1 then stale[#stale + 1] = name end
                end
              end
            end
          else
            local left = {}
            for index = state.from, last do left[#left + 1] = field(span.seconds, index) end
            for _, value in ipairs(redis.call('HMGET', key, unpack(left))) do
              state.sum = state.sum - count(value)
            end
            stale[1] = field(span.seconds, state.from - 1)
            for index = state.from, math.min(last, first - 2) do stale[#stale + 1] = field(span.seconds, index) end
          end
          if state.sum < 0 then error('fxrates: the field ' .. span.sum .. ' of ' .. key .. ' is less than its parts') end
          if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
          state.from, state.dirty = first, true
        end

        -- Windows without `from` are new, or stored in a layout this script cannot read: fields without
        -- `from`, or those of the fixed windows before sub-windows (`<seconds>:<index>`). None of their fields
        -- counts, so they are deleted, with one HKEYS for all of them.
        local function forget(key, windows)
          if #windows == 0 then return end
          local prefixes = {}
          for _, seconds in ipairs(windows) do
            prefixes[#prefixes + 1] = seconds .. ':'
            prefixes[#prefixes + 1] = seconds .. 's:'
          end
          local stale = {}
          for _, name in ipairs(redis.call('HKEYS', key)) do
            for _, prefix in ipairs(prefixes) do
              if string.sub(name, 1, #prefix) == prefix then
                stale[#stale + 1] = name
                break
              end
            end
          end
          if #stale > 0 then redis.call('HDEL', key, unpack(stale)) end
        end

        -- Reads the windows of `spans` that this call has not read yet, with one HMGET.
        local function load(key, client, spans)
          local unseen = false
          for _, span in ipairs(spans) do
            if client.windows[span.seconds] == nil then unseen = true end
          end
          if not unseen then return end
          local fields, fresh = {}, {}
          for _, span in ipairs(spans) do
            if client.windows[span.seconds] == nil then
              local state = { added = 0, span = span }
              client.windows[span.seconds] = state
              client.order[#client.order + 1] = state
              fresh[#fresh + 1] = state
              fields[#fields + 1] = span.sum
              fields[#fields + 1] = span.from
              fields[#fields + 1] = span.leaving
              fields[#fields + 1] = span.current
              if span.length > client.longest then client.longest = span.length end
            end
          end
          if #fields == 0 then return end
          local values = redis.call('HMGET', key, unpack(fields))
          local unread = {}
          for j, state in ipairs(fresh) do
            state.sum = count(values[4 * j - 3])
            state.from = tonumber(values[4 * j - 2])
            -- `from` bounds the loops of `slide`: past 2^52 a Lua number's step of 1 is lost, and a forged one
            -- could spin the script forever. Such a hash is a fault, like any count no limiter makes.
            if state.from ~= nil and (state.from ~= math.floor(state.from) or math.abs(state.from) > 2 ^ 52) then
              error('fxrates: the field ' .. state.span.from .. ' of ' .. key .. ' is no sub-window index')
            end
            state.leaving = count(values[4 * j - 1])
            state.current = count(values[4 * j])
            if state.from == nil then
              unread[#unread + 1] = state.span.seconds
              state.current = 0
            end
            slide(key, state.span, state)
          end
          forget(key, unread)
        end

        -- The covered sub-windows' counts, oldest first, with what this call admitted in the current one.
        local function covered(key, state)
          if state.covered == nil then
            local span = state.span
            local fields = {}
            for index = span.index - subWindows + 1, span.index do fields[#fields + 1] = field(span.seconds, index) end
            state.covered = redis.call('HMGET', key, unpack(fields))
          end
          local counts = {}
          for j = 1, subWindows do counts[j] = count(state.covered[j]) end
          counts[subWindows] = counts[subWindows] + state.added
          return counts
        end

        -- Decides the check on `key` whose window count is ARGV[at]; returns where the next check starts.
        local function decide(key, at)
          local windows = tonumber(ARGV[at])
          local client = hash(key)
          local spans = {}
          for i = 1, windows do spans[i] = span(ARGV[at + 2 * i]) end
          load(key, client, spans)
          local allowed = #reply + 1
          reply[allowed] = 1
          for i = 1, windows do
            local span = spans[i]
            local state = client.windows[span.seconds]
            local quota = tonumber(ARGV[at + 2 * i - 1])
            local admits = state.leaving * (span.length - span.elapsed) + (state.sum + 1) * span.length <= quota * span.length
            if not admits then reply[allowed] = 0 end
            reply[#reply + 1] = state.leaving
            reply[#reply + 1] = state.sum
            reply[#reply + 1] = span.elapsed
            if admits or state.sum < quota then
              reply[#reply + 1] = 0
            else
              reply[#reply + 1] = subWindows
              for _, count in ipairs(covered(key, state)) do reply[#reply + 1] = count end
            end
          end
          if reply[allowed] == 1 then
            for i = 1, windows do
              local state = client.windows[spans[i].seconds]
              state.sum = state.sum + 1
              state.added = state.added + 1
            end
          end
          return at + 1 + 2 * windows
        end

        -- Writes what changed, one HSET per window: the current sub-window and the sum when the call admitted
        -- something, and `from` when the window slid (or is new). The script runs alone, so the counts read
        -- at the start plus what the call admitted are the counts now. Only a sub-window that was empty makes
        -- the key's expiry move.
        local function write(key)
          local client = hashes[key]
          local created = false
          for _, state in ipairs(client.order) do
            local span = state.span
            local fields = {}
            if state.added > 0 then
              if state.current == 0 then created = true end
              fields[1] = span.current
              fields[2] = string.format('%d', state.current + state.added)
            end
            if state.added > 0 or state.dirty then
              fields[#fields + 1] = span.sum
              fields[#fields + 1] = string.format('%d', state.sum)
            end
            if state.dirty then
              fields[#fields + 1] = span.from
              fields[#fields + 1] = string.format('%d', state.from)
            end
            if #fields > 0 then redis.call('HSET', key, unpack(fields)) end
          end
          -- A sub-window is read for at most one window after it ends: the key needs to outlive its newest
          -- field by the longest window; twice that leaves room.
          if created then redis.call('PEXPIRE', key, string.format('%d', 2 * subWindows * client.longest)) end
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
