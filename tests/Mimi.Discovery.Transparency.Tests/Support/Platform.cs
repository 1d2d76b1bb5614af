// Key files are checked by their Unix mode; the service runs on Linux only.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
