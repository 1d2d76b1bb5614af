using System.Security.Cryptography;
using Mimi.Discovery.Authority.Tests.Support;

namespace Mimi.Discovery.Authority.Tests;

public sealed class KeyFilesTests : IDisposable
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0644 = Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private readonly TempDirectory _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public void Every_private_key_the_authority_writes_has_mode_0600()
    {
        var ca = _work.File("ca");
        using (DevCertificateAuthority.EnsureCreated(ca, new Uri("https://a.test/crl"), new Uri("https://a.test/root.crl")))
        {
        }

        using (var ring = MappingAssertionKeyRing.Generate())
        {
            ring.Save(_work.File("keys"));
        }

        Assert.Equal(Mode0600, File.GetUnixFileMode(Path.Combine(ca, "root.key")));
        Assert.Equal(Mode0600, File.GetUnixFileMode(Path.Combine(ca, "intermediate.key")));
        Assert.Equal(Mode0600, File.GetUnixFileMode(Path.Combine(_work.File("keys"), MappingAssertionKeyRing.SigningKeyFile)));
        Assert.Equal(Mode0644, File.GetUnixFileMode(Path.Combine(ca, "root.pem")));
    }

    [Fact]
    public void Written_key_is_pkcs8_pem_that_openssl_reads()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        KeyFiles.WritePrivateKey(_work.File("k.key"), key);

        var text = File.ReadAllText(_work.File("k.key"));
        var openssl = ExternalTool.OpenSsl(_work.Path, "pkey", "-in", "k.key", "-noout", "-text");

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", text, StringComparison.Ordinal);
        Assert.Equal(0, openssl.ExitCode);
        Assert.Contains("NIST CURVE: P-256", openssl.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Loading_a_0644_private_key_fails_with_a_message_naming_the_file()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var path = _work.File("exposed.key");
        KeyFiles.WritePrivateKey(path, key);
        File.SetUnixFileMode(path, Mode0644);

        var error = Assert.Throws<InsecureKeyFileException>(() => KeyFiles.LoadEcPrivateKey(path));

        Assert.Equal(path, error.FilePath);
        Assert.Contains($"'{path}' has mode 0644", error.Message, StringComparison.Ordinal);
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_refuses_to_load_an_intermediate_key_readable_by_group()
    {
        var ca = _work.File("ca");
        using (DevCertificateAuthority.EnsureCreated(ca, new Uri("https://a.test/crl"), new Uri("https://a.test/root.crl")))
        {
        }

        File.SetUnixFileMode(Path.Combine(ca, "intermediate.key"), Mode0600 | UnixFileMode.GroupRead);

        var error = Assert.Throws<InsecureKeyFileException>(() => CertificateAuthority.Load(ca, new Uri("https://a.test/crl")));
        Assert.Contains(Path.Combine(ca, "intermediate.key"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overwriting_a_key_file_that_had_a_wide_mode_leaves_it_0600()
    {
        var path = _work.File("rotated.key");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, Mode0644);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        KeyFiles.WritePrivateKey(path, key, overwrite: true);

        Assert.Equal(Mode0600, File.GetUnixFileMode(path));
        using var loaded = KeyFiles.LoadEcPrivateKey(path);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), loaded.ExportSubjectPublicKeyInfo());
        Assert.Single(Directory.GetFiles(_work.Path));
    }

    [Fact]
    public void Writing_a_key_never_replaces_an_existing_file_unless_asked()
    {
        var path = _work.File("existing.key");
        File.WriteAllText(path, "keep");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Throws<IOException>(() => KeyFiles.WritePrivateKey(path, key));
        Assert.Equal("keep", File.ReadAllText(path));
    }

    [Fact]
    public void Secret_files_are_created_0600_and_refused_once_readable_by_others()
    {
        var path = _work.File("hmac.secret");
        SecretFiles.Write(path, "s3cret");

        Assert.Equal(Mode0600, File.GetUnixFileMode(path));
        Assert.Equal("s3cret", SecretFiles.Read(path));
        File.SetUnixFileMode(path, Mode0644);
        Assert.Throws<InsecureKeyFileException>(() => SecretFiles.Read(path));
    }
}
