namespace Mimi.Discovery.Storage;

/// <summary>How audit events name their targets.</summary>
public static class AuditTargets
{
    /// <summary>The service-wide private-lookup key.</summary>
    public const string OprfKey = "oprf-key";

    /// <summary><c>provider:DOMAIN</c>.</summary>
    public static string Provider(string domain) => "provider:" + domain;

    /// <summary><c>credential:SERIAL</c>.</summary>
    public static string Credential(string serial) => "credential:" + serial;

    /// <summary><c>mapping:SERIAL</c> (a mapping is named by its credential's serial).</summary>
    public static string Mapping(string serial) => "mapping:" + serial;

    /// <summary><c>user:URI</c>.</summary>
    public static string User(string uri) => "user:" + uri;

    /// <summary><c>client:URI</c>.</summary>
    public static string Client(string uri) => "client:" + uri;

    /// <summary><c>import:ID</c>.</summary>
    public static string Import(string id) => "import:" + id;

    /// <summary><c>console-session:ID-PREFIX</c>: a prefix of the session id only, never enough to use it.</summary>
    public static string ConsoleSession(string idPrefix) => "console-session:" + idPrefix;
}
