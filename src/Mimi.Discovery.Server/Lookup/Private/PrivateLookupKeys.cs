using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Authority;
using Mimi.Discovery.Oprf;

namespace Mimi.Discovery.Server.Lookup.Private;

/// <summary>
/// The OPRF key ring of private lookups, kept in <c>oprf.key</c> in the key directory (mode 0600): the current key,
/// the previous one, and whether the records under the current key are complete. After a rotation the previous key
/// keeps answering evaluations until the rebuild under the new key completes; bucket fetches accept both keys.
/// Replicas sharing the key directory follow a rotation made by one of them at their next <see cref="Refresh"/>.
/// </summary>
internal sealed class PrivateLookupKeys
{
    private readonly string _path;
    private readonly Lock _gate = new();
    private State _state;
    private DateTime _written;

    private PrivateLookupKeys(string path, State state, DateTime written)
    {
        _path = path;
        _state = state;
        _written = written;
    }

    /// <summary>The keys records are built and served under (current and previous).</summary>
    public OprfKeyRing Ring => _state.Ring;

    /// <summary>The key evaluations use: the current one once its records are complete, the previous one until then.</summary>
    public OprfServer Serving => _state.Serving;

    /// <summary>True while records under the current key are being built.</summary>
    public bool Rebuilding => !_state.Complete;

    public static PrivateLookupKeys Load(string directory, bool create)
    {
        var path = Path.Combine(directory, Hosting.ServiceKeys.OprfKeyFile);
        if (!File.Exists(path))
        {
            if (!create)
            {
                throw new Hosting.StartupException(
                    $"Key file '{path}' is missing. Provide it (see Authority:KeyDirectory) or set Authority:CreateDevelopmentKeys=true for a development instance.");
            }

            // A new key has no records yet: the first rebuild builds them for every existing mapping.
            SecretFiles.Write(path, Format(new OprfKeyRing(OprfKeyPair.Generate()), complete: false));
        }

        var written = File.GetLastWriteTimeUtc(path);
        try
        {
            return new PrivateLookupKeys(path, Parse(SecretFiles.Read(path), path), written);
        }
        catch (InsecureKeyFileException e)
        {
            throw new Hosting.StartupException(e.Message, e);
        }
    }

    /// <summary>Reads the key file again if another replica changed it (a rotation, or the end of its rebuild).</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            var written = File.GetLastWriteTimeUtc(_path);
            if (written != _written)
            {
                // A file that cannot be read now keeps the keys in use; the next refresh tries again.
                try
                {
                    _state = Parse(SecretFiles.Read(_path), _path);
                    _written = written;
                }
                catch (IOException)
                {
                }
            }
        }
    }

    public bool TryGet(string keyId, [NotNullWhen(true)] out OprfKeyPair? key) => _state.Ring.TryGet(keyId, out key);

    /// <summary>Starts a rotation: a new current key, today's current becomes previous; false if a rotation is still in progress.</summary>
    public bool TryRotate([NotNullWhen(true)] out OprfKeyRing? ring)
    {
        Refresh();
        lock (_gate)
        {
            if (!_state.Complete)
            {
                ring = null;
                return false;
            }

            ring = _state.Ring.Rotate(OprfKeyPair.Generate());
            Save(ring, complete: false);
            return true;
        }
    }

    /// <summary>Records under the current key are complete: evaluations move to it.</summary>
    public void CompleteRebuild(string keyId)
    {
        lock (_gate)
        {
            if (_state.Ring.Current.KeyId == keyId && !_state.Complete)
            {
                Save(_state.Ring, complete: true);
            }
        }
    }

    private void Save(OprfKeyRing ring, bool complete)
    {
        var temporary = _path + ".new";
        File.Delete(temporary);
        SecretFiles.Write(temporary, Format(ring, complete));
        File.Move(temporary, _path, overwrite: true);
        _state = new State(ring, complete);
        _written = File.GetLastWriteTimeUtc(_path);
    }

    private static string Format(OprfKeyRing ring, bool complete) =>
        $"current {Convert.ToBase64String(ring.Current.ExportPrivateKey())}\n"
        + (ring.Previous is { } previous ? $"previous {Convert.ToBase64String(previous.ExportPrivateKey())}\n" : "")
        + $"records {(complete ? "complete" : "rebuilding")}\n";

    private static State Parse(string text, string path)
    {
        OprfKeyPair? current = null, previous = null;
        bool? complete = null;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', 2);
            switch (parts)
            {
                case ["current", var value]:
                    current = Key(value);
                    break;
                case ["previous", var value]:
                    previous = Key(value);
                    break;
                case ["records", "complete" or "rebuilding"]:
                    complete = parts[1] == "complete";
                    break;
                default:
                    throw Invalid();
            }
        }

        if (current is null || complete is null)
        {
            throw Invalid();
        }

        return new State(new OprfKeyRing(current, previous), complete.Value);

        OprfKeyPair Key(string base64)
        {
            var bytes = new byte[64];
            if (!Convert.TryFromBase64String(base64, bytes, out var written) || OprfKeyPair.ImportPrivateKey(bytes.AsSpan(0, written)) is not { IsSuccess: true } imported)
            {
                throw Invalid();
            }

            return imported.Value;
        }

        InvalidOperationException Invalid() =>
            new($"Key file '{path}' is not an OPRF key ring (lines 'current BASE64', optional 'previous BASE64', 'records complete|rebuilding').");
    }

    private sealed class State
    {
        public State(OprfKeyRing ring, bool complete)
        {
            Ring = ring;
            Complete = complete;
            Serving = new OprfServer(OprfMode.Voprf, complete || ring.Previous is null ? ring.Current : ring.Previous);
        }

        public OprfKeyRing Ring { get; }

        public bool Complete { get; }

        public OprfServer Serving { get; }
    }
}
