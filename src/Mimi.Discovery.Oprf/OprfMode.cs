namespace Mimi.Discovery.Oprf;

/// <summary>The RFC 9497 protocol variants this library implements.</summary>
public enum OprfMode : byte
{
    /// <summary>Base mode (RFC 9497 §3.3.1): the client cannot check which key the server used.</summary>
    Oprf = 0,

    /// <summary>Verifiable mode (RFC 9497 §3.3.2): every evaluation carries a DLEQ proof against the server's public key.</summary>
    Voprf = 1,
}
