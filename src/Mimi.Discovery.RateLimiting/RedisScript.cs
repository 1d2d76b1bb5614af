using System.Security.Cryptography;
using System.Text;

namespace Mimi.Discovery.RateLimiting;

/// <summary>
/// The Lua scripts behind every Redis decision. Both are one shared core, the token buckets of
/// <see cref="TokenBucket"/> charged all or nothing on the server's clock (TIME, so every replica sees the same time),
/// under a different entry: <see cref="Acquire"/> charges the buckets it is given, <see cref="AcquireNew"/> first works
/// out from a set of items already seen what each bucket owes, and remembers the new items when allowed.
/// </summary>
internal sealed class RedisScript
{
    // A bucket is a hash of u (permits in use, fractional) and t (server time of the last charge, µs). It expires when
    // its permits have drained back, so an expired bucket and a full one decide alike. Numbers are stored with %.17g
    // and the time as the server's own digits: Lua's default number format keeps only 14 significant digits, too few
    // for microseconds since the epoch.
    // acquire(keys, limits, windows, permits) checks keys[i] for permits[i] (0 only asks) under limits[i] per
    // windows[i] µs, charges all or none, and returns whether allowed and the reply {allowed 1|0, described key
    // (1-based), remaining, reset in µs, retry-after in µs}: integers only, since Redis truncates Lua numbers in replies.
    private const string Core = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
        local stamp = clock[1] .. string.format('%06d', tonumber(clock[2]))
        local function acquire(keys, limits, windows, permits)
          local n = #keys
          local used = {}
          local allowed = true
          for i = 1, n do
            local limit, window = limits[i], windows[i]
            local u = 0
            local state = redis.call('HMGET', keys[i], 'u', 't')
            if state[1] then
              u = tonumber(state[1])
              local elapsed = now - tonumber(state[2])
              if elapsed > 0 and limit > 0 then
                u = math.max(0, u - elapsed * limit / window)
              end
            end
            used[i] = u
            if u + math.max(permits[i], 1) > limit then
              allowed = false
            end
          end
          if allowed then
            for i = 1, n do
              if permits[i] > 0 then
                local u = used[i] + permits[i]
                used[i] = u
                redis.call('HSET', keys[i], 'u', string.format('%.17g', u), 't', stamp)
                redis.call('PEXPIRE', keys[i], math.ceil(u * windows[i] / limits[i] / 1000))
              end
            end
          end
          local pick, best = 1, nil
          for i = 1, n do
            local limit, window, u = limits[i], windows[i], used[i]
            if allowed then
              local remaining = math.max(0, math.floor(limit - u))
              if best == nil or remaining < best then
                pick, best = i, remaining
              end
            else
              local needed = math.max(permits[i], 1)
              local wait = 0
              if needed > limit then
                wait = window
              elseif u + needed > limit then
                wait = math.ceil((u + needed - limit) * window / limit)
              end
              if best == nil or wait > best then
                pick, best = i, wait
              end
            end
          end
          local limit, window, u = limits[pick], windows[pick], used[pick]
          local reset = window
          if limit > 0 then
            reset = math.ceil(u * window / limit)
          end
          local retry = 0
          if not allowed then
            retry = best
          end
          return allowed, {allowed and 1 or 0, pick, math.max(0, math.floor(limit - u)), reset, retry}
        end

        """;

    /// <summary>
    /// KEYS: the buckets. ARGV[3i-2], ARGV[3i-1], ARGV[3i]: bucket i's permit limit, window in µs, permits to take.
    /// </summary>
    public static readonly RedisScript Acquire = new(Core + """
        local limits, windows, permits = {}, {}, {}
        for i = 1, #KEYS do
          limits[i], windows[i], permits[i] = tonumber(ARGV[3 * i - 2]), tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
        end
        local _, reply = acquire(KEYS, limits, windows, permits)
        return reply
        """);

    /// <summary>
    /// KEYS[1]: the set of items seen; KEYS[2..n+1]: the buckets. ARGV[1]: the set's lifetime in ms; ARGV[2]: the
    /// number of items m; ARGV[3i], ARGV[3i+1], ARGV[3i+2]: bucket i's permit limit, window in µs and permits taken
    /// whatever the items; then m items, each its value, the number k of buckets it charges when new, and their k
    /// (1-based) numbers. A bucket that nothing charges is not charged; when none is, the reply is allowed and
    /// describes bucket 1 as it stands (a re-sync still reports its quota). On allow the new items join the set,
    /// whose lifetime starts again.
    /// </summary>
    public static readonly RedisScript AcquireNew = new(Core + """
        local n = #KEYS - 1
        local owed = {}
        for i = 1, n do
          owed[i] = tonumber(ARGV[3 * i + 2])
        end
        local fresh = {}
        local at = 3 * n + 3
        for _ = 1, tonumber(ARGV[2]) do
          local value, k = ARGV[at], tonumber(ARGV[at + 1])
          if redis.call('SISMEMBER', KEYS[1], value) == 0 then
            fresh[#fresh + 1] = value
            for j = at + 2, at + 1 + k do
              local i = tonumber(ARGV[j])
              owed[i] = owed[i] + 1
            end
          end
          at = at + 2 + k
        end
        local keys, limits, windows, permits, from = {}, {}, {}, {}, {}
        for i = 1, n do
          if owed[i] > 0 then
            local c = #keys + 1
            keys[c], limits[c], windows[c], permits[c], from[c] = KEYS[i + 1], tonumber(ARGV[3 * i]), tonumber(ARGV[3 * i + 1]), owed[i], i
          end
        end
        local allowed, reply = true, nil
        if #keys > 0 then
          allowed, reply = acquire(keys, limits, windows, permits)
          reply[2] = from[reply[2]]
        else
          local _, peek = acquire({KEYS[2]}, {tonumber(ARGV[3])}, {tonumber(ARGV[4])}, {0})
          reply = {1, 1, peek[3], peek[4], 0}
        end
        if allowed and #fresh > 0 then
          for s = 1, #fresh, 1000 do
            redis.call('SADD', KEYS[1], unpack(fresh, s, math.min(s + 999, #fresh)))
          end
          redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]))
        end
        return reply
        """);

    private RedisScript(string text)
    {
        Text = text;
#pragma warning disable CA5350 // Redis identifies cached scripts by SHA-1; this is a name, not a security measure.
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
#pragma warning restore CA5350
    }

    /// <summary>The script itself, sent with EVAL when the server does not have it cached.</summary>
    public string Text { get; }

    /// <summary>The script's SHA-1 in lowercase hex, as EVALSHA wants it. Redis names scripts by SHA-1; no security rests on it.</summary>
    public string Sha1 { get; }
}
