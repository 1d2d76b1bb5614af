using System.Text.Json;

namespace Mimi.Discovery.Transparency.Tests.Support;

/// <summary>One example of RFC 9381 Appendix B.1 (ECVRF-P256-SHA256-TAI), read from vectors/.</summary>
public sealed record Rfc9381Vector(
    string Name, byte[] SecretKey, byte[] PublicKey, byte[] Alpha, byte[] H, byte[] K, byte[] U, byte[] V, byte[] Pi, byte[] Beta)
{
    private const string FileName = "rfc9381-ecvrf-p256-sha256-tai.json";

    /// <summary>The three examples, for a theory.</summary>
    public static TheoryData<Rfc9381Vector> All
    {
        get
        {
            using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "vectors", FileName)));
            var data = new TheoryData<Rfc9381Vector>();
            foreach (var v in document.RootElement.GetProperty("vectors").EnumerateArray())
            {
                data.Add(new Rfc9381Vector(
                    v.GetProperty("name").GetString()!,
                    Hex(v, "sk"), Hex(v, "pk"), Hex(v, "alpha"), Hex(v, "h"), Hex(v, "k"), Hex(v, "u"), Hex(v, "v"), Hex(v, "pi"), Hex(v, "beta")));
            }

            return data;
        }
    }

    /// <summary>xunit shows this in the test name.</summary>
    public override string ToString() => Name;

    private static byte[] Hex(JsonElement vector, string name) => Convert.FromHexString(vector.GetProperty(name).GetString()!);
}
