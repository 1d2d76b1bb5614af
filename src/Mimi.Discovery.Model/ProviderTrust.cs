namespace Mimi.Discovery.Model;

/// <summary>Whether the authority accepts a provider's own attestation that a user controls an identifier.</summary>
public enum ProviderTrust
{
    /// <summary>Users prove control with a one-time code.</summary>
    Standard = 0,
    /// <summary>The provider may attest control; the credential and the log record that it did.</summary>
    Trusted = 1,
}
