namespace Mimi.Discovery.Transparency.Tests.Support;

/// <summary>A witness's state in memory, counting its writes.</summary>
internal sealed class MemoryWitnessState : IWitnessState
{
    private readonly Dictionary<string, Checkpoint> _latest = new(StringComparer.Ordinal);

    public int Writes { get; private set; }

    public Checkpoint? this[string origin] => _latest.GetValueOrDefault(origin);

    public ValueTask<Checkpoint?> GetAsync(string origin, CancellationToken ct) => ValueTask.FromResult(_latest.GetValueOrDefault(origin));

    public ValueTask SetAsync(Checkpoint checkpoint, CancellationToken ct)
    {
        _latest[checkpoint.Origin] = checkpoint;
        Writes++;
        return ValueTask.CompletedTask;
    }
}
