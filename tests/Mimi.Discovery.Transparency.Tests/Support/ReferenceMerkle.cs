using System.Security.Cryptography;

namespace Mimi.Discovery.Transparency.Tests.Support;

/// <summary>
/// RFC 9162 §2.1 written as literally as the RFC states it (MTH, PATH, SUBPROOF recursions over a list of leaf hashes),
/// with its own hashing, as a slow reference for the tiled implementation.
/// </summary>
internal static class ReferenceMerkle
{
    public static byte[] Mth(IReadOnlyList<byte[]> leaves, int lo, int hi)
    {
        var n = hi - lo;
        if (n == 0)
        {
            return SHA256.HashData([]);
        }

        if (n == 1)
        {
            return leaves[lo];
        }

        var k = LargestPowerOfTwoBelow(n);
        return Node(Mth(leaves, lo, lo + k), Mth(leaves, lo + k, hi));
    }

    public static List<byte[]> InclusionPath(IReadOnlyList<byte[]> leaves, int m, int lo, int hi)
    {
        var n = hi - lo;
        if (n <= 1)
        {
            return [];
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m < k)
        {
            return [.. InclusionPath(leaves, m, lo, lo + k), Mth(leaves, lo + k, hi)];
        }

        return [.. InclusionPath(leaves, m - k, lo + k, hi), Mth(leaves, lo, lo + k)];
    }

    public static List<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leaves, int m, int n) =>
        m == 0 || m == n ? [] : SubProof(leaves, m, 0, n, true);

    private static List<byte[]> SubProof(IReadOnlyList<byte[]> leaves, int m, int lo, int hi, bool wholeOld)
    {
        var n = hi - lo;
        if (m == n)
        {
            return wholeOld ? [] : [Mth(leaves, lo, hi)];
        }

        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            return [.. SubProof(leaves, m, lo, lo + k, wholeOld), Mth(leaves, lo + k, hi)];
        }

        return [.. SubProof(leaves, m - k, lo + k, hi, false), Mth(leaves, lo, lo + k)];
    }

    public static byte[] Leaf(byte[] data) => SHA256.HashData([0x00, .. data]);

    private static byte[] Node(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    private static int LargestPowerOfTwoBelow(int n)
    {
        var k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }
}
