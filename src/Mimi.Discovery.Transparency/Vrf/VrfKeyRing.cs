using System.Security.Cryptography;
using System.Text;

namespace Mimi.Discovery.Transparency;

/// <summary>
/// The authority's VRF keys: the current key, which indexes new log entries, and every earlier key, kept with its
/// private part so the authority can still give a monitor an identifier's index under it. Immutable:
/// <see cref="Rotate"/> returns a new ring (with its own key instances); the caller swaps it in and disposes the
/// old one.
/// </summary>
public sealed class VrfKeyRing : IDisposable
{
    /// <summary>File holding the current key, PKCS#8 PEM, mode 0600.</summary>
    public const string KeyFile = "vrf.key";

    /// <summary>File holding the earlier keys, PKCS#8 PEM blocks newest first, mode 0600.</summary>
    public const string PreviousKeysFile = "vrf-previous.key";

    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerReadWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly VrfPrivateKey[] _previous;

    private VrfKeyRing(VrfPrivateKey current, VrfPrivateKey[] previous)
    {
        Current = current;
        _previous = previous;
    }

    /// <summary>The key new entries are indexed under.</summary>
    public VrfPrivateKey Current { get; }

    /// <summary>Earlier keys, newest first; all stay published so their proofs keep verifying.</summary>
    public IReadOnlyList<VrfPrivateKey> Previous => _previous;

    /// <summary>The current or an earlier key with this <see cref="VrfPublicKey.KeyId"/>, or null.</summary>
    public VrfPrivateKey? Find(string keyId)
    {
        if (string.Equals(Current.PublicKey.KeyId, keyId, StringComparison.Ordinal))
        {
            return Current;
        }

        foreach (var key in _previous)
        {
            if (string.Equals(key.PublicKey.KeyId, keyId, StringComparison.Ordinal))
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>A ring with a fresh key and no earlier ones.</summary>
    public static VrfKeyRing Generate() => new(VrfPrivateKey.Generate(), []);

    /// <summary>A new ring whose current key is fresh and whose earlier keys are this ring's current key, then all of this ring's earlier keys.</summary>
    public VrfKeyRing Rotate()
    {
        var previous = new VrfPrivateKey[_previous.Length + 1];
        previous[0] = Current.Copy();
        for (var i = 0; i < _previous.Length; i++)
        {
            previous[i + 1] = _previous[i].Copy();
        }

        return new VrfKeyRing(VrfPrivateKey.Generate(), previous);
    }

    /// <summary>
    /// Loads a ring saved by <see cref="Save"/>: <see cref="KeyFile"/> must exist, <see cref="PreviousKeysFile"/>
    /// may be absent. A repeated key (a save interrupted between its two renames) is read once.
    /// </summary>
    /// <exception cref="InvalidDataException">A key file is open to its group or others (the message names the file
    /// and its mode), or holds no P-256 PKCS#8 key.</exception>
    /// <exception cref="FileNotFoundException"><see cref="KeyFile"/> does not exist.</exception>
    public static VrfKeyRing Load(string directory)
    {
        var current = ReadKeys(Path.Combine(directory, KeyFile), required: true)[0];
        List<VrfPrivateKey> earlier;
        try
        {
            earlier = ReadKeys(Path.Combine(directory, PreviousKeysFile), required: false);
        }
        catch
        {
            current.Dispose();
            throw;
        }

        var previous = new List<VrfPrivateKey>(earlier.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal) { current.PublicKey.KeyId };
        foreach (var key in earlier)
        {
            if (seen.Add(key.PublicKey.KeyId))
            {
                previous.Add(key);
            }
            else
            {
                key.Dispose();
            }
        }

        return new VrfKeyRing(current, [.. previous]);
    }

    /// <summary>Loads the ring from <paramref name="directory"/>, or generates and saves one there on first use (development).</summary>
    public static VrfKeyRing LoadOrCreate(string directory)
    {
        if (File.Exists(Path.Combine(directory, KeyFile)))
        {
            return Load(directory);
        }

        var ring = Generate();
        ring.Save(directory);
        return ring;
    }

    /// <summary>
    /// Writes the ring into <paramref name="directory"/> (created 0700 if missing): both files are created 0600
    /// beside their target and renamed over it, the earlier keys first, so an interrupted save loses no key.
    /// </summary>
    public void Save(string directory)
    {
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, OwnerOnlyDirectory);
            }
        }

        var previous = new StringBuilder();
        foreach (var key in _previous)
        {
            previous.Append(key.ToPkcs8Pem()).Append('\n');
        }

        ReplaceFile(Path.Combine(directory, PreviousKeysFile), previous.ToString());
        ReplaceFile(Path.Combine(directory, KeyFile), Current.ToPkcs8Pem() + "\n");
    }

    /// <summary>Disposes the current and every earlier key.</summary>
    public void Dispose()
    {
        Current.Dispose();
        foreach (var key in _previous)
        {
            key.Dispose();
        }
    }

    private static List<VrfPrivateKey> ReadKeys(string path, bool required)
    {
        if (!required && !File.Exists(path))
        {
            return [];
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
            {
                throw new InvalidDataException(
                    $"VRF key file '{path}' has mode 0{Convert.ToString((int)mode & 0x1FF, 8)} and is open to group or others; " +
                    $"it must be readable by its owner only (chmod 600 '{path}').");
            }
        }

        List<VrfPrivateKey> keys;
        try
        {
            keys = VrfPrivateKey.AllFromPkcs8Pem(File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new InvalidDataException($"VRF key file '{path}' holds a block that is not a P-256 PKCS#8 private key.", ex);
        }

        if (required && keys.Count == 0)
        {
            throw new InvalidDataException($"VRF key file '{path}' holds no PRIVATE KEY block.");
        }

        return keys;
    }

    private static void ReplaceFile(string path, string text)
    {
        var temporary = path + "." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6)) + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerReadWrite;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(Encoding.ASCII.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
