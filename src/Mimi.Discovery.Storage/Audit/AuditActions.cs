namespace Mimi.Discovery.Storage;

/// <summary>The name of every administrative act the audit trail records (dotted kebab-case, stable: filters and alerts name them).</summary>
public static class AuditActions
{
    /// <summary>A provider was enrolled.</summary>
    public const string ProviderEnrol = "provider.enrol";

    /// <summary>A signing key was added to a provider (rotation, step one).</summary>
    public const string ProviderKeyAdd = "provider.key.add";

    /// <summary>A provider's signing key was retired (rotation, step two).</summary>
    public const string ProviderKeyRetire = "provider.key.retire";

    /// <summary>A provider was suspended.</summary>
    public const string ProviderSuspend = "provider.suspend";

    /// <summary>A provider's suspension was lifted.</summary>
    public const string ProviderReinstate = "provider.reinstate";

    /// <summary>A provider's trust level changed.</summary>
    public const string ProviderTrust = "provider.trust";

    /// <summary>A credential was revoked, by its provider or the operator.</summary>
    public const string CredentialRevoke = "credential.revoke";

    /// <summary>A provider set its owner quotas.</summary>
    public const string QuotaSet = "quota.set";

    /// <summary>A provider changed its settings (the keyMaterial URL template).</summary>
    public const string SettingsSet = "settings.set";

    /// <summary>Who may discover a mapping changed.</summary>
    public const string MappingDiscoverability = "mapping.discoverability";

    /// <summary>A mapping was removed from discovery.</summary>
    public const string MappingRemove = "mapping.remove";

    /// <summary>A bulk import upload ran (with its counts).</summary>
    public const string ImportRun = "import.run";

    /// <summary>The private-lookup (OPRF) key was rotated.</summary>
    public const string OprfRotate = "oprf.rotate";

    /// <summary>A hosted user was created.</summary>
    public const string HostedUserAdd = "hosted-user.add";

    /// <summary>A hosted user was deleted, with its clients.</summary>
    public const string HostedUserRemove = "hosted-user.remove";

    /// <summary>A client of a hosted user was registered.</summary>
    public const string HostedClientAdd = "hosted-client.add";

    /// <summary>A client of a hosted user was removed.</summary>
    public const string HostedClientRemove = "hosted-client.remove";

    /// <summary>An operator signed in to the console.</summary>
    public const string ConsoleSignIn = "console.sign-in";

    /// <summary>An operator signed out of the console.</summary>
    public const string ConsoleSignOut = "console.sign-out";

    /// <summary>Every action name above.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ProviderEnrol, ProviderKeyAdd, ProviderKeyRetire, ProviderSuspend, ProviderReinstate, ProviderTrust, CredentialRevoke, QuotaSet, SettingsSet,
        MappingDiscoverability, MappingRemove, ImportRun, OprfRotate, HostedUserAdd, HostedUserRemove, HostedClientAdd, HostedClientRemove,
        ConsoleSignIn, ConsoleSignOut,
    };
}
