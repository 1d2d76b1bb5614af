namespace Mimi.Discovery.Authority;

/// <summary>Small secrets kept as text files (HMAC keys, note signer keys) with the same owner-only rules as private keys.</summary>
public static class SecretFiles
{
    /// <summary>Creates <paramref name="path"/> with mode 0600 holding <paramref name="text"/>; an existing file is an error.</summary>
    public static void Write(string path, string text) => KeyFiles.WriteText(path, text, isPrivate: true, overwrite: false);

    /// <summary>Reads a secret after checking that neither the group nor others can access the file.</summary>
    /// <exception cref="InsecureKeyFileException">The file is accessible by group or others.</exception>
    public static string Read(string path)
    {
        KeyFiles.EnsureOwnerOnly(path);
        return File.ReadAllText(path);
    }
}
