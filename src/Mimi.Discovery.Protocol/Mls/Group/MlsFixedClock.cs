namespace Mimi.Discovery.Protocol;

/// <summary>A clock stopped at one instant: the state machine checks lifetimes at the time its caller gives.</summary>
internal sealed class MlsFixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
