using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Mimi.Discovery.Server.Hosting;

namespace Mimi.Discovery.Server.Lookup;

/// <summary>
/// Re-sync without penalty: per requester and window, a set of keyed hashes of the identifiers already answered, which
/// the limiter checks and fills in the same decision that charges for the new ones
/// (<see cref="Mimi.Discovery.RateLimiting.KeyedRateLimiter.AcquireNewAsync"/>: in Redis when configured, shared by every
/// replica, in process otherwise). Hashes are keyed (HMAC) so the set reveals no identifier even to someone reading Redis.
/// </summary>
internal sealed class AnsweredIdentifiers(ServiceKeys keys, IOptions<LookupOptions> options, TimeProvider time)
{
    private readonly byte[] _key = HMACSHA256.HashData(keys.CodeHashKey, "mimi-discovery answered identifiers"u8);

    public string Hash(string requester, string sii)
    {
        var length = Encoding.UTF8.GetByteCount(requester) + 1 + Encoding.UTF8.GetByteCount(sii);
        Span<byte> input = length <= 512 ? stackalloc byte[length] : new byte[length];
        var written = Encoding.UTF8.GetBytes(requester, input);
        input[written++] = (byte)'\n';
        Encoding.UTF8.GetBytes(sii, input[written..]);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, input, mac);
        return Convert.ToHexStringLower(mac[..16]);
    }

    /// <summary>The key of this requester's set for the current window, and how long the window has left.</summary>
    public string Set(string requester, out TimeSpan remaining)
    {
        var window = options.Value.Window.Ticks;
        var now = time.GetUtcNow().UtcTicks;
        remaining = TimeSpan.FromTicks(Math.Max(window - (now % window), TimeSpan.TicksPerMillisecond));
        return $"answered:{requester}:{now / window}";
    }
}
