namespace Mimi.Discovery.Testing;

/// <summary>One ts-mls peer process shared by a test class; each test names its own clients.</summary>
public sealed class MlsPeerFixture : IAsyncLifetime
{
    private MlsPeer? _peer;

    public MlsPeer Peer => _peer ?? throw new InvalidOperationException("The MLS peer has not started.");

    public async Task InitializeAsync() => _peer = await MlsPeer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }

    /// <summary>A client name no other test uses.</summary>
    public static string Unique(string name) => $"{name}-{Guid.NewGuid():N}";
}
