namespace Mimi.Discovery.Model;

/// <summary>How a hosted user treats first contact from someone without consent.</summary>
public enum ConsentMode
{
    /// <summary>Anyone may claim key material and add the user; no consent needed.</summary>
    Open = 0,

    /// <summary>Requests and early messages are held until the user accepts; capped per requester and in total.</summary>
    Quarantine = 1,

    /// <summary><c>keyMaterial</c> answers <c>noConsent</c> until the user grants consent.</summary>
    ConsentRequired = 2,
}
