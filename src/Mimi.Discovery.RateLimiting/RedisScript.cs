using System.Security.Cryptography;
using System.Text;

namespace Mimi.Discovery.RateLimiting;

/// <summary>
/// The one Lua script behind every Redis decision: the token buckets of <see cref="TokenBucket"/>, charged all or
/// nothing across its keys, on the server's clock (TIME) so every replica sees the same time.
/// </summary>
internal static class RedisScript
{
    // KEYS[i]: a bucket, a hash of u (permits in use, fractional) and t (server time of the last charge, µs).
    // ARGV[3i-2], ARGV[3i-1], ARGV[3i]: the key's permit limit, window in µs, permits to take (0 only asks).
    // A bucket expires when its permits have drained back, so an expired bucket and a full one decide alike.
    // Numbers are stored with %.17g and the time as the server's own digits: Lua's default number format keeps only
    // 14 significant digits, too few for microseconds since the epoch.
    // Returns {allowed 1|0, described key (1-based), remaining, reset in µs, retry-after in µs}: integers only, since
    // Redis truncates Lua numbers in replies.
    public const string Text = """
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
        local stamp = clock[1] .. string.format('%06d', tonumber(clock[2]))
        local n = #KEYS
        local used = {}
        local allowed = true
        for i = 1, n do
          local limit, window, permits = tonumber(ARGV[3 * i - 2]), tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
          local u = 0
          local state = redis.call('HMGET', KEYS[i], 'u', 't')
          if state[1] then
            u = tonumber(state[1])
            local elapsed = now - tonumber(state[2])
            if elapsed > 0 and limit > 0 then
              u = math.max(0, u - elapsed * limit / window)
            end
          end
          used[i] = u
          if u + math.max(permits, 1) > limit then
            allowed = false
          end
        end
        if allowed then
          for i = 1, n do
            local limit, window, permits = tonumber(ARGV[3 * i - 2]), tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
            if permits > 0 then
              local u = used[i] + permits
              used[i] = u
              redis.call('HSET', KEYS[i], 'u', string.format('%.17g', u), 't', stamp)
              redis.call('PEXPIRE', KEYS[i], math.ceil(u * window / limit / 1000))
            end
          end
        end
        local pick, best = 1, nil
        for i = 1, n do
          local limit, window, permits = tonumber(ARGV[3 * i - 2]), tonumber(ARGV[3 * i - 1]), tonumber(ARGV[3 * i])
          local u = used[i]
          if allowed then
            local remaining = math.max(0, math.floor(limit - u))
            if best == nil or remaining < best then
              pick, best = i, remaining
            end
          else
            local needed = math.max(permits, 1)
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
        local limit, window, permits = tonumber(ARGV[3 * pick - 2]), tonumber(ARGV[3 * pick - 1]), tonumber(ARGV[3 * pick])
        local u = used[pick]
        local reset = window
        if limit > 0 then
          reset = math.ceil(u * window / limit)
        end
        local retry = 0
        if not allowed then
          retry = best
        end
        return {allowed and 1 or 0, pick, math.max(0, math.floor(limit - u)), reset, retry}
        """;

    /// <summary>The script's SHA-1 in lowercase hex, as EVALSHA wants it. Redis names scripts by SHA-1; no security rests on it.</summary>
#pragma warning disable CA5350 // Redis identifies cached scripts by SHA-1; this is a name, not a security measure.
    public static readonly string Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(Text)));
#pragma warning restore CA5350
}
