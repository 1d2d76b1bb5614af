using System.Collections.Frozen;
using Mimi.Discovery.Model;
using Mimi.Discovery.Storage;

namespace Mimi.Discovery.Server.Authentication;

/// <summary>
/// A client as the hot paths see it: role, status, parsed keys, (providers) its keyMaterial URL, owner quota and token
/// generation (suspensions so far: tokens of an earlier generation are refused), and (hosted clients) the user it
/// belongs to.
/// </summary>
internal sealed record ClientEntry(string Id, ClientRole Role, bool Active, ProviderTrust Trust, FrozenDictionary<string, ClientKey> Keys,
    string? KeyMaterialUrl = null, OwnerQuota? Quota = null, string? UserUri = null, long TokenGeneration = 0);
