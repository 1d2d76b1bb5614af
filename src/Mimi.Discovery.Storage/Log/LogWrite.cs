namespace Mimi.Discovery.Storage;

/// <summary>A write that enters the issuance log: the entry bytes, and the state change committed with it.</summary>
public abstract record LogWrite(byte[] Entry);
