using System.Security.Cryptography;
using System.Text;

namespace Mimi.Discovery.Authority;

/// <summary>
/// Reads and writes PEM files: private keys as PKCS#8 created with mode 0600 (never widened and
/// narrowed afterwards), certificates and CRLs as ordinary PEM, directories for keys as 0700.
/// Loading a private key refuses a file that its group or others can access.
/// </summary>
public static class KeyFiles
{
    /// <summary>Mode of every private key file written here: owner read/write only.</summary>
    public const UnixFileMode PrivateKeyMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Mode of directories created for keys: owner only.</summary>
    public const UnixFileMode KeyDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode PublicFileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates <paramref name="directory"/> with mode 0700 if it does not exist yet.</summary>
    public static void EnsureKeyDirectory(string directory)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, KeyDirectoryMode);
        }
    }

    /// <summary>
    /// Writes <paramref name="key"/> as a PKCS#8 PEM file created with mode 0600. With
    /// <paramref name="overwrite"/> the file is written beside the target and renamed over it, so
    /// the replaced file never has a wider mode; without it an existing file is an error.
    /// </summary>
    public static void WritePrivateKey(string path, ECDsa key, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        WriteFile(path, key.ExportPkcs8PrivateKeyPem() + "\n", PrivateKeyMode, overwrite);
    }

    /// <summary>
    /// Loads an EC private key from a PEM file (PKCS#8 or SEC 1), after checking that neither the
    /// group nor others can access the file.
    /// </summary>
    /// <exception cref="InsecureKeyFileException">The file is accessible by group or others.</exception>
    public static ECDsa LoadEcPrivateKey(string path)
    {
        EnsureOwnerOnly(path);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        catch (ArgumentException ex)
        {
            key.Dispose();
            throw new InvalidDataException($"Private key file '{path}' holds no EC private key in PEM form.", ex);
        }
    }

    /// <summary>Throws unless <paramref name="path"/> is accessible by its owner only.</summary>
    /// <exception cref="InsecureKeyFileException">The file is accessible by group or others.</exception>
    public static void EnsureOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOther) != 0)
        {
            throw new InsecureKeyFileException(path, mode);
        }
    }

    /// <summary>Writes PEM blocks of one label (e.g. <c>CERTIFICATE</c>, <c>X509 CRL</c>) to a file readable by all.</summary>
    public static void WritePem(string path, string label, IEnumerable<byte[]> derBlocks, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(derBlocks);
        var text = new StringBuilder();
        foreach (var der in derBlocks)
        {
            text.Append(PemEncoding.WriteString(label, der)).Append('\n');
        }

        WriteFile(path, text.ToString(), PublicFileMode, overwrite);
    }

    /// <summary>Reads every PEM block labelled <paramref name="label"/> from <paramref name="path"/>, in file order.</summary>
    public static IReadOnlyList<byte[]> ReadPem(string path, string label)
    {
        var blocks = Pem.Decode(File.ReadAllText(path), label);
        if (blocks.Count == 0)
        {
            throw new InvalidDataException($"File '{path}' holds no PEM block labelled '{label}'.");
        }

        return blocks;
    }

    internal static void WriteText(string path, string text, bool isPrivate, bool overwrite) =>
        WriteFile(path, text, isPrivate ? PrivateKeyMode : PublicFileMode, overwrite);

    private static void WriteFile(string path, string text, UnixFileMode mode, bool overwrite)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        if (!overwrite)
        {
            WriteNew(path, bytes, mode);
            return;
        }

        var temporary = path + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".tmp";
        try
        {
            WriteNew(temporary, bytes, mode);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void WriteNew(string path, byte[] bytes, UnixFileMode mode)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        using var stream = new FileStream(path, options);
        stream.Write(bytes);
        stream.Flush(flushToDisk: true);
    }
}
