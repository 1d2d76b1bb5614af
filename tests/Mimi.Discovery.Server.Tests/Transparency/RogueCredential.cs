using Mimi.Discovery.Authority;
using Mimi.Discovery.Client;

namespace Mimi.Discovery.Server.Tests.Transparency;

/// <summary>A credential the rogue authority signed (<see cref="AccountableService.Forge"/>), and what its entry would commit to.</summary>
internal sealed record RogueCredential(IssuedCredential Issued, string Provider, string Sii, string Ssi, string VrfKey, byte[] Proof, byte[] Index,
    byte[] Value, string Chain)
{
    /// <summary>The credential as a relying party receives it, claiming entry <paramref name="logIndex"/> opened by <paramref name="opening"/>.</summary>
    public Credential AsReceived(long logIndex, byte[] opening) => new(Issued.SerialHex, Provider, Sii, Ssi, [], "provider", Issued.NotBefore, Issued.NotAfter,
        logIndex, "", Issued.Pem, Chain, null, null, null,
        new CredentialTransparency(VrfKey, Convert.ToBase64String(Proof), Convert.ToBase64String(Index), logIndex, Convert.ToBase64String(opening),
            Convert.ToBase64String(Value)));
}
