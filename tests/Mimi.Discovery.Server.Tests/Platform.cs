// The service, its key files and the test fixtures (runuser, PostgreSQL binaries) are Linux-only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
