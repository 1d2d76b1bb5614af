using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// The public part of an RFC 9420 ratchet tree: every leaf node and the public keys, parent hashes and unmerged leaves
/// of the parent nodes, with no private key. It is what a server that is not a member can keep and check: tree hashes
/// (§7.8), parent hashes (§7.9), the tree changes of Add, Remove and Update proposals (§7.7, §12.1) and the merge of a
/// commit's UpdatePath (§7.5). The tree is complete (its leaf count is a power of two) and mutable; subtree hashes are
/// cached and only the nodes a change touches are hashed again. Mutations are not thread-safe; reading hashes from
/// several threads while nothing mutates is.
/// </summary>
public sealed class MlsPublicTree
{
    private const int StackLimit = 1024;
    private const byte LeafType = 1;
    private const byte ParentType = 2;

    private readonly List<MlsLeafNode?> _leaves;

    // The parent at odd node index x is _parents[x >> 1].
    private readonly List<MlsParentNode?> _parents;
    private readonly Lock _hashLock = new();
    private HashAlgorithmName _hashName;
    private MlsCipherSuite _hashSuite;
    private int _hashSize;
    private byte[] _hashes = [];
    private bool[] _fresh = [];
    private IReadOnlyList<MlsTreeLeaf>? _members;

    private MlsPublicTree(List<MlsLeafNode?> leaves, List<MlsParentNode?> parents)
    {
        _leaves = leaves;
        _parents = parents;
    }

    /// <summary>The number of leaves, blank ones included: a power of two.</summary>
    public uint LeafCount => (uint)_leaves.Count;

    /// <summary>The non-blank leaves, by leaf index.</summary>
    public IReadOnlyList<MlsTreeLeaf> Leaves => _members ??= ListMembers();

    private uint NodeCount => MlsTreeMath.NodeWidth(LeafCount);

    private uint RootNode => MlsTreeMath.Root(LeafCount);

    /// <summary>A tree of one leaf, as the creator of a group starts it.</summary>
    public static MlsPublicTree Create(MlsLeafNode creator)
    {
        ArgumentNullException.ThrowIfNull(creator);
        return new MlsPublicTree([creator], []);
    }

    /// <summary>
    /// Decodes the contents of a <c>ratchet_tree</c> node vector (<c>optional&lt;Node&gt;</c> entries without the
    /// vector's length prefix, as <see cref="MlsRatchetTree.TryReadExtensionData"/> returns them), which must span the
    /// whole input. Leaves must sit at even and parents at odd positions, the last node must not be blank (RFC 9420
    /// §12.4.3.3), and the tree is completed with blank nodes to a power-of-two leaf count. Nothing is verified beyond
    /// the syntax: see <see cref="TryVerifyParentHashes"/>, <see cref="TreeHash(MlsCipherSuite)"/> and
    /// <see cref="MlsLeafNodeRules"/>. Never throws on malformed input.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> contents, [NotNullWhen(true)] out MlsPublicTree? tree, out TlsError error)
    {
        tree = null;
        var reader = new TlsReader(contents);
        var leaves = new List<MlsLeafNode?>();
        var parents = new List<MlsParentNode?>();
        var lastStart = 0;
        var lastPresent = false;
        for (var node = 0u; reader.Remaining > 0 && !reader.HasError; node++)
        {
            lastStart = reader.Position;
            if (!reader.TryReadPresence("ratchet_tree.node", out lastPresent))
            {
                break;
            }

            var isLeaf = MlsTreeMath.IsLeaf(node);
            if (!lastPresent)
            {
                if (isLeaf)
                {
                    leaves.Add(null);
                }
                else
                {
                    parents.Add(null);
                }

                continue;
            }

            if (!reader.TryReadUInt8("ratchet_tree.node_type", out var type))
            {
                break;
            }

            if (isLeaf && type == LeafType)
            {
                if (reader.TryReadStruct<MlsLeafNode>($"ratchet_tree[{node}].leaf_node", MlsLeafNode.TryRead, out var leaf))
                {
                    leaves.Add(leaf);
                }
            }
            else if (!isLeaf && type == ParentType)
            {
                if (reader.TryReadStruct<MlsParentNode>($"ratchet_tree[{node}].parent_node", MlsParentNode.TryRead, out var parent))
                {
                    parents.Add(parent);
                }
            }
            else
            {
                reader.FailAt(TlsErrorKind.UnknownEnumValue, "ratchet_tree.node_type", reader.Position - 1, $"node {node} has node type {type}, not a {(isLeaf ? "leaf" : "parent")}");
            }
        }

        if (reader.HasError)
        {
            error = reader.Error;
            return false;
        }

        if (leaves.Count == 0)
        {
            error = new TlsError(TlsErrorKind.InvalidValue, "ratchet_tree", 0, "a ratchet tree has at least one node");
            return false;
        }

        if (!lastPresent)
        {
            error = new TlsError(TlsErrorKind.InvalidValue, "ratchet_tree", lastStart, "the last node is blank; trailing blank nodes must be left out");
            return false;
        }

        // The smallest complete tree holding every node: 2^(d+1) - 1 nodes, 2^d leaves.
        var leafCount = (int)(System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(leaves.Count + parents.Count) + 1) / 2);
        leaves.AddRange(Enumerable.Repeat<MlsLeafNode?>(null, leafCount - leaves.Count));
        parents.AddRange(Enumerable.Repeat<MlsParentNode?>(null, leafCount - 1 - parents.Count));
        error = default;
        tree = new MlsPublicTree(leaves, parents);
        return true;
    }

    /// <summary>The contents of the <c>ratchet_tree</c> node vector (no length prefix), trailing blank nodes left out.</summary>
    public byte[] EncodeContents()
    {
        var last = (int)NodeCount - 1;
        while (last > 0 && IsBlank((uint)last))
        {
            last--;
        }

        using var w = new TlsWriter(Math.Max(256, _leaves.Count * 256));
        for (var node = 0u; node <= last; node++)
        {
            if (IsBlank(node))
            {
                w.WritePresence(false);
                continue;
            }

            w.WritePresence(true);
            if (MlsTreeMath.IsLeaf(node))
            {
                w.WriteUInt8(LeafType);
                w.WriteBytes(_leaves[(int)(node / 2)]!.Encoded.Span);
            }
            else
            {
                w.WriteUInt8(ParentType);
                _parents[(int)(node >> 1)]!.Write(w);
            }
        }

        return w.ToArray();
    }

    /// <summary>A copy that changes independently of this tree, with the cached hashes.</summary>
    public MlsPublicTree Clone()
    {
        var copy = new MlsPublicTree([.. _leaves], [.. _parents]) { _members = _members };
        lock (_hashLock)
        {
            copy._hashName = _hashName;
            copy._hashSuite = _hashSuite;
            copy._hashSize = _hashSize;
            copy._hashes = (byte[])_hashes.Clone();
            copy._fresh = (bool[])_fresh.Clone();
        }

        return copy;
    }

    /// <summary>The leaf node at a leaf index, or <see langword="null"/> if it is blank or outside the tree.</summary>
    public MlsLeafNode? LeafAt(uint leaf) => leaf < LeafCount ? _leaves[(int)leaf] : null;

    /// <summary>The parent node at an (odd) node index, or <see langword="null"/> if it is blank, a leaf or outside the tree.</summary>
    public MlsParentNode? ParentAt(uint node) => !MlsTreeMath.IsLeaf(node) && node < NodeCount ? _parents[(int)(node >> 1)] : null;

    /// <summary>
    /// The resolution of a node (RFC 9420 §4.1.2): the node itself and its unmerged leaves if it is not blank, nothing
    /// for a blank leaf, otherwise the resolutions of its children, left first. Node indexes.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The node is outside the tree.</exception>
    public IReadOnlyList<uint> Resolution(uint node)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, NodeCount);
        var resolution = new List<uint>();
        AddResolution(node, resolution);
        return resolution;
    }

    /// <summary>The tree hash of the root (RFC 9420 §7.8) with the hash of <paramref name="suite"/>.</summary>
    /// <exception cref="NotSupportedException">The suite's hash is not known here.</exception>
    public ByteString TreeHash(MlsCipherSuite suite) => TreeHash(suite, RootNode);

    /// <summary>The tree hash of the subtree under <paramref name="node"/> (RFC 9420 §7.8).</summary>
    /// <exception cref="NotSupportedException">The suite's hash is not known here.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The node is outside the tree.</exception>
    public ByteString TreeHash(MlsCipherSuite suite, uint node)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(node, NodeCount);
        lock (_hashLock)
        {
            UseSuite(suite);
            return ByteString.CopyFrom(NodeHash(node));
        }
    }

    /// <summary>
    /// Checks the tree's integrity as a joiner must (RFC 9420 §7.9.2 and the unmerged-leaf rules of §12.4.3.1): every
    /// unmerged leaf of a parent is a non-blank leaf under it, listed once, and listed by every non-blank parent between
    /// them; and every non-blank parent node is parent-hash valid through exactly one child chain. Returns a detail
    /// naming the first node that fails.
    /// </summary>
    /// <exception cref="NotSupportedException">The suite's hash is not known here.</exception>
    public bool TryVerifyParentHashes(MlsCipherSuite suite, out string detail)
    {
        lock (_hashLock)
        {
            UseSuite(suite);
            return CheckUnmergedLeaves(out detail) && CheckParentHashCoverage(out detail);
        }
    }

    /// <summary>
    /// The leaf index <see cref="AddLeaf"/> would give a new leaf now: the leftmost blank leaf, or <see cref="LeafCount"/>
    /// when none is blank (an external joiner's leaf index, which its leaf node signs, RFC 9420 §12.4.2).
    /// </summary>
    public uint FirstBlankLeaf()
    {
        var index = _leaves.IndexOf(null);
        return index < 0 ? LeafCount : (uint)index;
    }

    /// <summary>
    /// Adds a leaf (RFC 9420 §7.7): into the leftmost blank leaf, or at the right of a tree doubled in size when none is
    /// blank; the leaf's index joins the unmerged leaves of every non-blank parent above it. Returns the leaf index.
    /// </summary>
    public uint AddLeaf(MlsLeafNode leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var index = _leaves.IndexOf(null);
        if (index < 0)
        {
            index = _leaves.Count;
            Extend();
        }

        _leaves[index] = leaf;
        var node = (uint)index * 2;
        foreach (var above in MlsTreeMath.DirectPath(node, LeafCount))
        {
            if (_parents[(int)(above >> 1)] is { } parent)
            {
                _parents[(int)(above >> 1)] = parent with { UnmergedLeaves = new ValueArray<uint>(parent.UnmergedLeaves.Items.Add((uint)index)) };
            }
        }

        Changed(node);
        return (uint)index;
    }

    /// <summary>
    /// Removes a member (RFC 9420 §7.7, §12.1.3): blanks its leaf and every node above it, then halves the tree while
    /// the right half of the root has no leaf.
    /// </summary>
    /// <exception cref="ArgumentException">The leaf is blank or outside the tree.</exception>
    public void RemoveLeaf(uint leaf)
    {
        CheckOccupied(leaf);
        _leaves[(int)leaf] = null;
        BlankDirectPath(leaf * 2);
        Changed(leaf * 2);
        Truncate();
    }

    /// <summary>Replaces a member's leaf node and blanks every node above it (RFC 9420 §12.1.2, an Update).</summary>
    /// <exception cref="ArgumentException">The leaf is blank or outside the tree.</exception>
    public void UpdateLeaf(uint leaf, MlsLeafNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        CheckOccupied(leaf);
        _leaves[(int)leaf] = node;
        BlankDirectPath(leaf * 2);
        Changed(leaf * 2);
    }

    /// <summary>
    /// Merges a commit's UpdatePath into the tree (RFC 9420 §7.5, §7.9, §12.4.2) when no member was added by the commit.
    /// See <see cref="TryMergeUpdatePath(MlsCipherSuite, uint, MlsUpdatePath, IReadOnlyCollection{uint}, out string)"/>.
    /// </summary>
    public bool TryMergeUpdatePath(MlsCipherSuite suite, uint sender, MlsUpdatePath path, out string detail) =>
        TryMergeUpdatePath(suite, sender, path, [], out detail);

    /// <summary>
    /// Merges a commit's UpdatePath into the tree (RFC 9420 §7.5, §7.9, §12.4.2), on the tree with the commit's proposals
    /// applied. What a server can check is checked first, and the tree is left as it was when a check fails: one
    /// UpdatePathNode per node of the sender's filtered direct path; in each, one encrypted path secret per node of the
    /// copath child's resolution other than the leaves <paramref name="addedLeaves"/> the commit added (§7.6); a leaf of
    /// source <c>commit</c>; none of the path's public keys already in a node of the tree (the sender's own leaf aside
    /// when it already holds the path's leaf node, as after an external joiner's leaf was added) nor twice in the path;
    /// and the leaf's <c>parent_hash</c> equal to the one computed from the path. Then every node of the direct path is
    /// blanked, the filtered ones get the path's keys, their computed parent hashes and no unmerged leaves, and the
    /// sender's leaf becomes the path's. The leaf node itself is checked by <see cref="MlsLeafNodeRules"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The suite's hash is not known here.</exception>
    public bool TryMergeUpdatePath(MlsCipherSuite suite, uint sender, MlsUpdatePath path, IReadOnlyCollection<uint> addedLeaves, out string detail)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(addedLeaves);
        if (sender >= LeafCount)
        {
            detail = $"The committer's leaf {sender} is outside the tree of {LeafCount} leaves.";
            return false;
        }

        var filtered = FilteredDirectPath(sender);
        if (path.Nodes.Count != filtered.Count)
        {
            detail = $"The UpdatePath has {path.Nodes.Count} nodes; the committer's filtered direct path has {filtered.Count}.";
            return false;
        }

        for (var i = 0; i < filtered.Count; i++)
        {
            var expected = ResolutionSize(filtered[i].Copath, addedLeaves);
            var actual = path.Nodes[i].EncryptedPathSecret.Count;
            if (actual != expected)
            {
                detail = $"UpdatePath node {i} (tree node {filtered[i].Node}) has {actual} encrypted path secrets; the resolution of its copath child {filtered[i].Copath} has {expected} recipients.";
                return false;
            }
        }

        if (path.LeafNode.Source != MlsLeafNodeSource.Commit)
        {
            detail = $"The UpdatePath's leaf node has source {path.LeafNode.Source}, not commit.";
            return false;
        }

        if (FindReusedPathKey(sender, path) is { } reused)
        {
            detail = reused;
            return false;
        }

        byte[][] parentHashes;
        lock (_hashLock)
        {
            UseSuite(suite);

            // Top down: the highest node's parent hash is empty; each node's is the parent hash of the one above it,
            // whose copath child is unchanged by the merge and has no unmerged leaves to leave out.
            parentHashes = new byte[filtered.Count][];
            var above = Array.Empty<byte>();
            for (var i = filtered.Count - 1; i >= 0; i--)
            {
                parentHashes[i] = above;
                var next = new byte[_hashSize];
                ParentHashOf(path.Nodes[i].EncryptionKey.Span, above, NodeHash(filtered[i].Copath), next);
                above = next;
            }

            if (!path.LeafNode.ParentHash.Span.SequenceEqual(above))
            {
                detail = "The UpdatePath's leaf node has a parent_hash other than the one computed from the path (RFC 9420 §7.9).";
                return false;
            }
        }

        BlankDirectPath(sender * 2);
        for (var i = 0; i < filtered.Count; i++)
        {
            _parents[(int)(filtered[i].Node >> 1)] = new MlsParentNode(path.Nodes[i].EncryptionKey, ByteString.Wrap(parentHashes[i]), default);
        }

        _leaves[(int)sender] = path.LeafNode;
        Changed(sender * 2);
        detail = string.Empty;
        return true;
    }

    /// <summary>
    /// The sender's filtered direct path (RFC 9420 §4.1.2): each node above its leaf whose child off the path (the
    /// copath child) has a non-empty resolution, lowest first, with that copath child.
    /// </summary>
    internal List<(uint Node, uint Copath)> FilteredDirectPath(uint leaf)
    {
        var path = new List<(uint, uint)>();
        var root = RootNode;
        for (var node = leaf * 2; node != root;)
        {
            var parent = MlsTreeMath.Parent(node, LeafCount);
            var copath = MlsTreeMath.Sibling(node, LeafCount);
            if (ResolutionSize(copath, []) > 0)
            {
                path.Add((parent, copath));
            }

            node = parent;
        }

        return path;
    }

    private bool IsBlank(uint node) =>
        MlsTreeMath.IsLeaf(node) ? _leaves[(int)(node / 2)] is null : _parents[(int)(node >> 1)] is null;

    private void CheckOccupied(uint leaf)
    {
        if (LeafAt(leaf) is null)
        {
            throw new ArgumentException($"Leaf {leaf} is blank or outside the tree of {LeafCount} leaves.", nameof(leaf));
        }
    }

    private IReadOnlyList<MlsTreeLeaf> ListMembers()
    {
        var members = new List<MlsTreeLeaf>();
        for (var i = 0; i < _leaves.Count; i++)
        {
            if (_leaves[i] is { } leaf)
            {
                members.Add(new MlsTreeLeaf((uint)i, leaf));
            }
        }

        return members.AsReadOnly();
    }

    private void AddResolution(uint node, List<uint> into)
    {
        if (MlsTreeMath.IsLeaf(node))
        {
            if (_leaves[(int)(node / 2)] is not null)
            {
                into.Add(node);
            }

            return;
        }

        if (_parents[(int)(node >> 1)] is { } parent)
        {
            into.Add(node);
            foreach (var leaf in parent.UnmergedLeaves)
            {
                into.Add(leaf * 2);
            }

            return;
        }

        AddResolution(MlsTreeMath.Left(node), into);
        AddResolution(MlsTreeMath.Right(node), into);
    }

    private int ResolutionSize(uint node, IReadOnlyCollection<uint> excludedLeaves)
    {
        if (MlsTreeMath.IsLeaf(node))
        {
            return _leaves[(int)(node / 2)] is not null && !excludedLeaves.Contains(node / 2) ? 1 : 0;
        }

        if (_parents[(int)(node >> 1)] is { } parent)
        {
            var size = 1;
            foreach (var leaf in parent.UnmergedLeaves)
            {
                if (!excludedLeaves.Contains(leaf))
                {
                    size++;
                }
            }

            return size;
        }

        return ResolutionSize(MlsTreeMath.Left(node), excludedLeaves) + ResolutionSize(MlsTreeMath.Right(node), excludedLeaves);
    }

    // RFC 9420 §12.4.2: none of the UpdatePath's public keys may already be in the tree.
    private string? FindReusedPathKey(uint sender, MlsUpdatePath path)
    {
        var keys = new HashSet<ByteString> { path.LeafNode.EncryptionKey };
        foreach (var node in path.Nodes)
        {
            if (!keys.Add(node.EncryptionKey))
            {
                return "The UpdatePath carries one public key twice.";
            }
        }

        for (var i = 0; i < _leaves.Count; i++)
        {
            var leaf = _leaves[i];
            if (leaf is not null && keys.Contains(leaf.EncryptionKey) && !(i == sender && leaf.Equals(path.LeafNode)))
            {
                return $"A public key of the UpdatePath is already the encryption key of leaf {i}.";
            }
        }

        for (var i = 0; i < _parents.Count; i++)
        {
            if (_parents[i] is { } parent && keys.Contains(parent.EncryptionKey))
            {
                return $"A public key of the UpdatePath is already the key of parent node {(2 * i) + 1}.";
            }
        }

        return null;
    }

    private void BlankDirectPath(uint node)
    {
        var root = RootNode;
        while (node != root)
        {
            node = MlsTreeMath.Parent(node, LeafCount);
            _parents[(int)(node >> 1)] = null;
        }
    }

    private void Extend()
    {
        var count = _leaves.Count;
        _leaves.AddRange(Enumerable.Repeat<MlsLeafNode?>(null, count));
        _parents.AddRange(Enumerable.Repeat<MlsParentNode?>(null, count));
        lock (_hashLock)
        {
            if (_hashSize > 0 && _fresh.Length < NodeCount)
            {
                // The old tree is the new left subtree, at the same node indexes: its hashes stay valid.
                Array.Resize(ref _fresh, (int)NodeCount);
                Array.Resize(ref _hashes, (int)NodeCount * _hashSize);
            }
        }
    }

    private void Truncate()
    {
        while (_leaves.Count > 1)
        {
            var half = _leaves.Count / 2;
            for (var i = half; i < _leaves.Count; i++)
            {
                if (_leaves[i] is not null)
                {
                    return;
                }
            }

            var oldWidth = (int)NodeCount;
            _leaves.RemoveRange(half, half);
            _parents.RemoveRange(half - 1, half);
            lock (_hashLock)
            {
                // The left subtree keeps its node indexes and hashes; what lay beyond it must be hashed again if the
                // tree grows back.
                if (_hashSize > 0)
                {
                    Array.Clear(_fresh, (int)NodeCount, oldWidth - (int)NodeCount);
                }
            }
        }
    }

    private void Changed(uint node)
    {
        _members = null;
        lock (_hashLock)
        {
            if (_hashSize == 0)
            {
                return;
            }

            var root = RootNode;
            while (true)
            {
                _fresh[node] = false;
                if (node == root)
                {
                    return;
                }

                node = MlsTreeMath.Parent(node, LeafCount);
            }
        }
    }

    private void UseSuite(MlsCipherSuite suite)
    {
        if (_hashSize > 0 && suite == _hashSuite)
        {
            return;
        }

        if (!MlsRefHash.TryGetHashAlgorithm(suite, out var name))
        {
            throw new NotSupportedException($"The hash of cipher suite 0x{(ushort)suite:x4} is not known here.");
        }

        _hashName = name;
        _hashSuite = suite;
        _hashSize = name == HashAlgorithmName.SHA256 ? 32 : name == HashAlgorithmName.SHA384 ? 48 : 64;
        _hashes = new byte[(int)NodeCount * _hashSize];
        _fresh = new bool[NodeCount];
    }

    // The cached tree hash of a node, computed (with the children's) when stale. Called under the hash lock.
    private ReadOnlySpan<byte> NodeHash(uint node)
    {
        var slot = _hashes.AsSpan((int)node * _hashSize, _hashSize);
        if (_fresh[node])
        {
            return slot;
        }

        if (MlsTreeMath.IsLeaf(node))
        {
            LeafHash(node / 2, _leaves[(int)(node / 2)], slot);
        }
        else
        {
            var left = NodeHash(MlsTreeMath.Left(node));
            var right = NodeHash(MlsTreeMath.Right(node));
            ParentNodeHash(_parents[(int)(node >> 1)], default, left, right, slot);
        }

        _fresh[node] = true;
        return slot;
    }

    // The tree hash of a node with the leaves in 'excluded' blanked and left out of every unmerged list: the original
    // sibling tree hash of RFC 9420 §7.9. Subtrees that hold none of them keep their cached hash.
    private void NodeHashExcluding(uint node, ValueArray<uint> excluded, Span<byte> destination)
    {
        var (first, last) = MlsTreeMath.LeafSpan(node);
        var touched = false;
        foreach (var leaf in excluded)
        {
            touched |= leaf >= first && leaf <= last;
        }

        if (!touched)
        {
            NodeHash(node).CopyTo(destination);
            return;
        }

        if (MlsTreeMath.IsLeaf(node))
        {
            LeafHash(node / 2, null, destination);
            return;
        }

        Span<byte> left = stackalloc byte[_hashSize];
        Span<byte> right = stackalloc byte[_hashSize];
        NodeHashExcluding(MlsTreeMath.Left(node), excluded, left);
        NodeHashExcluding(MlsTreeMath.Right(node), excluded, right);
        ParentNodeHash(_parents[(int)(node >> 1)], excluded, left, right, destination);
    }

    // TreeHashInput of a leaf: node_type, LeafNodeHashInput { uint32 leaf_index; optional<LeafNode> leaf_node; }.
    private void LeafHash(uint leafIndex, MlsLeafNode? leaf, Span<byte> destination)
    {
        var length = 6 + (leaf?.Encoded.Length ?? 0);
        Span<byte> stack = stackalloc byte[StackLimit];
        var input = Scratch(length, stack, out var rented);
        try
        {
            input[0] = LeafType;
            BinaryPrimitives.WriteUInt32BigEndian(input[1..], leafIndex);
            input[5] = leaf is null ? (byte)0 : (byte)1;
            leaf?.Encoded.Span.CopyTo(input[6..]);
            CryptographicOperations.HashData(_hashName, input[..length], destination);
        }
        finally
        {
            Return(rented);
        }
    }

    // TreeHashInput of a parent: node_type, ParentNodeHashInput { optional<ParentNode>; left_hash<V>; right_hash<V>; }.
    private void ParentNodeHash(MlsParentNode? parent, ValueArray<uint> excluded, ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        var length = 2 + (parent?.EncodedLength ?? 0) + MlsParentNode.VectorLength(left.Length) + MlsParentNode.VectorLength(right.Length);
        Span<byte> stack = stackalloc byte[StackLimit];
        var input = Scratch(length, stack, out var rented);
        try
        {
            input[0] = ParentType;
            input[1] = parent is null ? (byte)0 : (byte)1;
            var at = 2 + (parent?.WriteTo(input[2..], excluded) ?? 0);
            at += MlsParentNode.WriteVector(input[at..], left);
            at += MlsParentNode.WriteVector(input[at..], right);
            CryptographicOperations.HashData(_hashName, input[..at], destination);
        }
        finally
        {
            Return(rented);
        }
    }

    // ParentHashInput { encryption_key<V>; parent_hash<V>; original_sibling_tree_hash<V>; } (RFC 9420 §7.9).
    private void ParentHashOf(ReadOnlySpan<byte> key, ReadOnlySpan<byte> parentHash, ReadOnlySpan<byte> siblingHash, Span<byte> destination)
    {
        var length = MlsParentNode.VectorLength(key.Length) + MlsParentNode.VectorLength(parentHash.Length) + MlsParentNode.VectorLength(siblingHash.Length);
        Span<byte> stack = stackalloc byte[StackLimit];
        var input = Scratch(length, stack, out var rented);
        try
        {
            var at = MlsParentNode.WriteVector(input, key);
            at += MlsParentNode.WriteVector(input[at..], parentHash);
            at += MlsParentNode.WriteVector(input[at..], siblingHash);
            CryptographicOperations.HashData(_hashName, input[..at], destination);
        }
        finally
        {
            Return(rented);
        }
    }

    // The parent hash of the non-blank parent at 'node' as its child on the other side of 'copath' must carry it.
    private void ParentHashOf(uint node, uint copath, Span<byte> destination)
    {
        var parent = _parents[(int)(node >> 1)]!;
        Span<byte> sibling = stackalloc byte[_hashSize];
        if (parent.UnmergedLeaves.Count == 0)
        {
            NodeHash(copath).CopyTo(sibling);
        }
        else
        {
            NodeHashExcluding(copath, parent.UnmergedLeaves, sibling);
        }

        ParentHashOf(parent.EncryptionKey.Span, parent.ParentHash.Span, sibling, destination);
    }

    private bool CheckUnmergedLeaves(out string detail)
    {
        var listed = new Dictionary<uint, HashSet<uint>>();
        for (var p = 0; p < _parents.Count; p++)
        {
            if (_parents[p] is not { } parent)
            {
                continue;
            }

            var node = (uint)((2 * p) + 1);
            var (first, last) = MlsTreeMath.LeafSpan(node);
            var seen = new HashSet<uint>();
            foreach (var leaf in parent.UnmergedLeaves)
            {
                if (leaf < first || leaf > last)
                {
                    detail = $"Parent node {node} lists unmerged leaf {leaf}, which is not under it.";
                    return false;
                }

                if (_leaves[(int)leaf] is null)
                {
                    detail = $"Parent node {node} lists unmerged leaf {leaf}, which is blank.";
                    return false;
                }

                if (!seen.Add(leaf))
                {
                    detail = $"Parent node {node} lists unmerged leaf {leaf} twice.";
                    return false;
                }

                for (var between = MlsTreeMath.Parent(leaf * 2, LeafCount); between != node; between = MlsTreeMath.Parent(between, LeafCount))
                {
                    if (_parents[(int)(between >> 1)] is { } below && !Lists(listed, between, below, leaf))
                    {
                        detail = $"Parent node {node} lists unmerged leaf {leaf}, but parent node {between} between them does not.";
                        return false;
                    }
                }
            }
        }

        detail = string.Empty;
        return true;

        static bool Lists(Dictionary<uint, HashSet<uint>> cache, uint node, MlsParentNode parent, uint leaf)
        {
            if (!cache.TryGetValue(node, out var set))
            {
                cache[node] = set = [.. parent.UnmergedLeaves];
            }

            return set.Contains(leaf);
        }
    }

    // RFC 9420 §7.9.2, bottom up: each non-blank node that carries a parent hash vouches for its first non-blank
    // ancestor if the hash matches; every non-blank parent must be vouched for exactly once.
    private bool CheckParentHashCoverage(out string detail)
    {
        var count = _parents.Count;
        var coverage = new int[count];
        var memo = new byte[count * 2 * _hashSize];
        var memoDone = new bool[count * 2];
        var root = RootNode;
        for (var node = 0u; node < NodeCount; node++)
        {
            ReadOnlySpan<byte> claimed;
            if (MlsTreeMath.IsLeaf(node))
            {
                if (_leaves[(int)(node / 2)] is not { Source: MlsLeafNodeSource.Commit } leaf)
                {
                    continue;
                }

                claimed = leaf.ParentHash.Span;
            }
            else
            {
                if (_parents[(int)(node >> 1)] is not { } parent)
                {
                    continue;
                }

                claimed = parent.ParentHash.Span;
            }

            var ancestor = node;
            while (ancestor != root)
            {
                ancestor = MlsTreeMath.Parent(ancestor, LeafCount);
                if (_parents[(int)(ancestor >> 1)] is not null)
                {
                    break;
                }
            }

            if (ancestor == node || _parents[(int)(ancestor >> 1)] is null)
            {
                continue;
            }

            var fromLeft = node < ancestor;
            var slot = (int)(ancestor >> 1) * 2 + (fromLeft ? 0 : 1);
            var expected = memo.AsSpan(slot * _hashSize, _hashSize);
            if (!memoDone[slot])
            {
                ParentHashOf(ancestor, fromLeft ? MlsTreeMath.Right(ancestor) : MlsTreeMath.Left(ancestor), expected);
                memoDone[slot] = true;
            }

            if (claimed.SequenceEqual(expected))
            {
                coverage[ancestor >> 1]++;
            }
        }

        for (var p = 0; p < count; p++)
        {
            if (_parents[p] is not null && coverage[p] != 1)
            {
                detail = coverage[p] == 0
                    ? $"Parent node {(2 * p) + 1} is not parent-hash valid: no child chain carries its parent hash."
                    : $"Parent node {(2 * p) + 1} is not parent-hash valid: {coverage[p]} child chains carry its parent hash.";
                return false;
            }
        }

        detail = string.Empty;
        return true;
    }

    private static Span<byte> Scratch(int length, Span<byte> stack, out byte[]? rented)
    {
        if (length <= stack.Length)
        {
            rented = null;
            return stack;
        }

        rented = ArrayPool<byte>.Shared.Rent(length);
        return rented;
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
