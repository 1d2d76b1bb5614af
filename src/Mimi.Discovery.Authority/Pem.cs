using System.Security.Cryptography;

namespace Mimi.Discovery.Authority;

internal static class Pem
{
    public static List<byte[]> Decode(string text, string label)
    {
        var blocks = new List<byte[]>();
        var remaining = text.AsSpan();
        while (PemEncoding.TryFind(remaining, out var fields))
        {
            if (remaining[fields.Label].SequenceEqual(label))
            {
                blocks.Add(Convert.FromBase64String(remaining[fields.Base64Data].ToString()));
            }

            remaining = remaining[fields.Location.End..];
        }

        return blocks;
    }

    public static string Encode(string label, ReadOnlySpan<byte> der) => new string(PemEncoding.Write(label, der)) + "\n";
}
