namespace Mimi.Discovery.RateLimiting;

/// <summary>One partition to charge in an acquisition that may span several partitions.</summary>
/// <param name="Key">The partition key, such as <c>lookup:alpha.test</c> or <c>owner-total:beta.test</c>.</param>
/// <param name="Policy">The limit in force for the partition now.</param>
/// <param name="Permits">
/// Permits to consume; zero only asks whether at least one permit is available, without consuming it.
/// </param>
public readonly record struct RateLimitRequest(string Key, RateLimitPolicy Policy, int Permits = 1)
{
    internal void Validate()
    {
        if (string.IsNullOrEmpty(Key))
        {
            throw new ArgumentException("A rate-limit key must not be empty.", nameof(Key));
        }

        if (Permits < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Permits), Permits, $"The permit count for '{Key}' must not be negative.");
        }

        Policy.Validate(Key);
    }
}
