// The suite checks Unix file modes and runs openssl and node as verifiers: it targets Unix only.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
