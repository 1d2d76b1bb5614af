namespace Mimi.Discovery.Server.Authentication;

/// <summary>The authorization policies every endpoint states where it is mapped.</summary>
internal static class Policies
{
    /// <summary>Any authenticated provider.</summary>
    public const string Provider = "provider";

    /// <summary>The operator.</summary>
    public const string Operator = "operator";

    /// <summary>A provider or the operator.</summary>
    public const string ProviderOrOperator = "provider-or-operator";
}
