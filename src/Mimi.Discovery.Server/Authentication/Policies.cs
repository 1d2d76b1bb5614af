namespace Mimi.Discovery.Server.Authentication;

/// <summary>The authorization policies every endpoint states where it is mapped.</summary>
internal static class Policies
{
    /// <summary>Any authenticated provider.</summary>
    public const string Provider = "provider";

    /// <summary>The operator.</summary>
    public const string Operator = "operator";

    /// <summary>The operator by bearer token only, not by a console session (minting console sign-in links).</summary>
    public const string OperatorBearer = "operator-bearer";

    /// <summary>An operator console session (its cookie), for the console's own session endpoints.</summary>
    public const string ConsoleSession = "console-session";

    /// <summary>A provider or the operator.</summary>
    public const string ProviderOrOperator = "provider-or-operator";

    /// <summary>A client of a user this instance hosts (the client-facing delivery and consent API).</summary>
    public const string HostedClient = "hosted-client";

    /// <summary>Another provider, by a signed provider-to-provider request (the MIMI endpoints).</summary>
    public const string Peer = "peer";
}
