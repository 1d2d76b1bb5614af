using System.Text;

namespace Mimi.Discovery.Transparency.Tests.Vrf;

/// <summary>The VRF key files: saved 0600, loaded back whole, refused when open to others, and kept across rotations.</summary>
public sealed class VrfKeyRingTests : IDisposable
{
    private static readonly byte[] Alpha = Encoding.UTF8.GetBytes("tel:+15550001111");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mimi-vrf-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void A_saved_ring_loads_with_the_same_keys_in_the_same_order()
    {
        using var generated = VrfKeyRing.Generate();
        using var once = generated.Rotate();
        using var ring = once.Rotate();
        ring.Save(_directory);

        using var loaded = VrfKeyRing.Load(_directory);

        Assert.Equal(ring.Current.PublicKey.KeyId, loaded.Current.PublicKey.KeyId);
        Assert.Equal(ring.Previous.Select(k => k.PublicKey.KeyId), loaded.Previous.Select(k => k.PublicKey.KeyId));
        Assert.Equal(ring.Current.Prove(Alpha), loaded.Current.Prove(Alpha));
        Assert.Equal(ring.Previous[1].Evaluate(Alpha), loaded.Previous[1].Evaluate(Alpha));
    }

    [Fact]
    public void Key_files_are_written_0600_in_a_0700_directory()
    {
        using var ring = VrfKeyRing.Generate();
        using var rotated = ring.Rotate();
        rotated.Save(_directory);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, VrfKeyRing.KeyFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, VrfKeyRing.PreviousKeysFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(Path.Combine(_directory, VrfKeyRing.KeyFile)), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Theory]
    [InlineData(VrfKeyRing.KeyFile)]
    [InlineData(VrfKeyRing.PreviousKeysFile)]
    public void A_key_file_open_to_group_or_others_is_refused_with_its_name_and_mode(string file)
    {
        using var ring = VrfKeyRing.Generate();
        using var rotated = ring.Rotate();
        rotated.Save(_directory);
        var path = Path.Combine(_directory, file);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var error = Assert.Throws<InvalidDataException>(() => VrfKeyRing.Load(_directory));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("0644", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rotation_keeps_every_earlier_key_newest_first_and_their_proofs_still_verify()
    {
        using var first = VrfKeyRing.Generate();
        var firstProof = first.Current.Prove(Alpha);
        using var second = first.Rotate();
        var secondProof = second.Current.Prove(Alpha);
        using var third = second.Rotate();

        Assert.Equal(
            [second.Current.PublicKey.KeyId, first.Current.PublicKey.KeyId],
            third.Previous.Select(k => k.PublicKey.KeyId));
        Assert.NotEqual(second.Current.PublicKey.KeyId, third.Current.PublicKey.KeyId);
        var beta = new byte[EcVrf.OutputLength];
        Assert.True(third.Find(first.Current.PublicKey.KeyId)!.PublicKey.Verify(Alpha, firstProof, beta));
        Assert.True(third.Find(second.Current.PublicKey.KeyId)!.PublicKey.Verify(Alpha, secondProof, beta));
        Assert.Equal(first.Current.Evaluate(Alpha), third.Previous[1].Evaluate(Alpha));
        Assert.Same(third.Current, third.Find(third.Current.PublicKey.KeyId));
        Assert.Null(third.Find("0000000000000000"));
    }

    [Fact]
    public void Disposing_the_ring_a_rotation_came_from_leaves_the_new_ring_working()
    {
        var first = VrfKeyRing.Generate();
        var expected = first.Current.Evaluate(Alpha);
        using var second = first.Rotate();
        first.Dispose();

        Assert.Equal(expected, second.Previous[0].Evaluate(Alpha));
        Assert.Throws<ObjectDisposedException>(() => first.Current.Evaluate(Alpha));
    }

    [Fact]
    public void A_save_over_an_earlier_ring_replaces_it()
    {
        using var created = VrfKeyRing.Generate();
        created.Save(_directory);
        using var again = VrfKeyRing.Load(_directory);
        Assert.Equal(created.Current.PublicKey.KeyId, again.Current.PublicKey.KeyId);
        Assert.Empty(again.Previous);

        using var rotated = again.Rotate();
        rotated.Save(_directory);
        using var loaded = VrfKeyRing.Load(_directory);

        Assert.Equal(rotated.Current.PublicKey.KeyId, loaded.Current.PublicKey.KeyId);
        Assert.Equal([created.Current.PublicKey.KeyId], loaded.Previous.Select(k => k.PublicKey.KeyId));
    }

    [Fact]
    public void A_key_repeated_in_both_files_after_an_interrupted_save_is_read_once()
    {
        using var ring = VrfKeyRing.Generate();
        using var rotated = ring.Rotate();
        rotated.Save(_directory);
        // As if the save after another rotation stopped between its two renames: the old current key is in both files.
        File.WriteAllText(Path.Combine(_directory, VrfKeyRing.PreviousKeysFile), rotated.Current.ToPkcs8Pem() + "\n" + rotated.Previous[0].ToPkcs8Pem());

        using var loaded = VrfKeyRing.Load(_directory);

        Assert.Equal(rotated.Current.PublicKey.KeyId, loaded.Current.PublicKey.KeyId);
        Assert.Equal([rotated.Previous[0].PublicKey.KeyId], loaded.Previous.Select(k => k.PublicKey.KeyId));
    }

    [Fact]
    public void A_missing_or_unreadable_key_file_says_which()
    {
        Directory.CreateDirectory(_directory);
        Assert.Throws<FileNotFoundException>(() => VrfKeyRing.Load(_directory));

        var path = Path.Combine(_directory, VrfKeyRing.KeyFile);
        File.WriteAllText(path, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var error = Assert.Throws<InvalidDataException>(() => VrfKeyRing.Load(_directory));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
