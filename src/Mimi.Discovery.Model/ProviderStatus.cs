namespace Mimi.Discovery.Model;

/// <summary>Whether a provider may act at all.</summary>
public enum ProviderStatus
{
    /// <summary>Enrolled and active.</summary>
    Active = 0,
    /// <summary>Suspended by the operator: every call is refused, existing tokens included.</summary>
    Suspended = 1,
}
