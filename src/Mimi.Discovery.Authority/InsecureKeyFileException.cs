namespace Mimi.Discovery.Authority;

/// <summary>
/// Thrown when a private key file is accessible to its group or to others, so the key must be
/// considered exposed; the message names the file and says how to fix its mode.
/// </summary>
public sealed class InsecureKeyFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="filePath"/> found with <paramref name="mode"/>.</summary>
    public InsecureKeyFileException(string filePath, UnixFileMode mode)
        : base($"Private key file '{filePath}' has mode {FormatMode(mode)} and is accessible by group or others; " +
               $"it must be readable by its owner only (run: chmod 600 '{filePath}').")
    {
        FilePath = filePath;
        Mode = mode;
    }

    /// <summary>The offending file.</summary>
    public string FilePath { get; }

    /// <summary>The mode the file was found with.</summary>
    public UnixFileMode Mode { get; }

    internal static string FormatMode(UnixFileMode mode) =>
        "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
}
