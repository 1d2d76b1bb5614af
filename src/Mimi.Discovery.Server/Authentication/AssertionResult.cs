namespace Mimi.Discovery.Server.Authentication;

/// <summary>The outcome of checking a client assertion: the client and the key it signed with, or the OAuth error and why.</summary>
internal readonly record struct AssertionResult(ClientEntry? Client, string Error, string Description, string? KeyId = null)
{
    public static AssertionResult Fail(string error, string description) => new(null, error, description);
}
