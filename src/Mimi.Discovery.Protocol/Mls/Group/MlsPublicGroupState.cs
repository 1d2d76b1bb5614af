using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol;

/// <summary>
/// The public state of an MLS group, as a server that holds none of its secrets keeps it (RFC 9420): the GroupContext,
/// the interim transcript hash, the public ratchet tree and the proposals accepted in the current epoch. It starts from a
/// GroupInfo and its ratchet tree, and every proposal and commit is checked before it is applied: the sender is a
/// member (or an external joiner), the signature over FramedContentTBS verifies with its key and the current context
/// (§6.1), each proposal is valid (§12.1), the commit's proposal list (§12.2, §12.4.3.2 for external commits) and its
/// UpdatePath (§7.5, §7.9) hold, and the new tree hash and transcript hashes (§8.2) are computed here. What needs the
/// group's secrets (membership tags, confirmation tags, encrypted path secrets) is not checked. The state is immutable:
/// each apply returns a new state or a refusal naming the check, and leaves this one as it was.
/// </summary>
public sealed class MlsPublicGroupState
{
    private const byte StorageVersion = 1;
    private readonly ImmutableArray<MlsPendingProposal> _pending;

    private MlsPublicGroupState(MlsGroupContext context, ByteString interim, MlsPublicTree tree, ImmutableArray<MlsPendingProposal> pending)
    {
        Context = context;
        InterimTranscriptHash = interim;
        Tree = tree;
        _pending = pending;
    }

    /// <summary>The GroupContext of the current epoch.</summary>
    public MlsGroupContext Context { get; }

    /// <summary>The interim transcript hash of the current epoch.</summary>
    public ByteString InterimTranscriptHash { get; }

    /// <summary>The public ratchet tree. Treat it as read-only: the state never changes it once built.</summary>
    public MlsPublicTree Tree { get; }

    /// <summary>The members: the non-blank leaves, by leaf index.</summary>
    public IReadOnlyList<MlsTreeLeaf> Members => Tree.Leaves;

    /// <summary>The standalone proposals accepted in the current epoch, in the order they were accepted.</summary>
    public IReadOnlyList<MlsPendingProposal> PendingProposals => _pending;

    /// <summary>
    /// Starts a state from a GroupInfo and the ratchet tree it describes (at room creation, the creator's): the tree
    /// decodes, its hash is the GroupInfo's, its parent hashes verify, every leaf's signature verifies (with the group id
    /// and leaf index for update and commit leaves) and no signature or encryption key appears twice, and the GroupInfo is
    /// signed by the leaf it names. Leaf lifetimes are not checked here: they were checked when the leaves were added.
    /// </summary>
    /// <param name="groupInfo">The GroupInfo of the epoch.</param>
    /// <param name="ratchetTreeContents">The ratchet tree: the node vector's contents.</param>
    /// <param name="now">The current time (kept for symmetry with the other checks; tree leaves are not aged).</param>
    /// <param name="state">The state, when accepted.</param>
    /// <param name="refusal">Why not, otherwise.</param>
    public static bool TryCreate(
        MlsGroupInfo groupInfo,
        ReadOnlySpan<byte> ratchetTreeContents,
        DateTimeOffset now,
        [NotNullWhen(true)] out MlsPublicGroupState? state,
        out MlsGroupRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(groupInfo);
        _ = now;
        state = null;
        var suite = groupInfo.CipherSuite;
        if (!IsSupported(suite))
        {
            refusal = new(MlsGroupCheck.CipherSuite, $"Cipher suite 0x{(ushort)suite:x4} is not one the hub can check.");
            return false;
        }

        if (!MlsPublicTree.TryDecode(ratchetTreeContents, out var tree, out var error))
        {
            refusal = new(MlsGroupCheck.Decoding, $"The ratchet tree does not decode: {error.Message}");
            return false;
        }

        if (!tree.TreeHash(suite).Equals(groupInfo.Context.TreeHash))
        {
            refusal = new(MlsGroupCheck.GroupInfoTreeHash, "The ratchet tree's hash is not the GroupInfo's tree hash.");
            return false;
        }

        if (!tree.TryVerifyParentHashes(suite, out var detail))
        {
            refusal = new(MlsGroupCheck.ParentHash, detail);
            return false;
        }

        if (CheckTreeLeaves(suite, tree, groupInfo.GroupId) is { } leafRefusal)
        {
            refusal = leafRefusal;
            return false;
        }

        if (tree.LeafAt(groupInfo.Signer) is not { } signer)
        {
            refusal = new(MlsGroupCheck.GroupInfoSignature, $"The GroupInfo's signer, leaf {groupInfo.Signer}, is not a member.");
            return false;
        }

        if (groupInfo.VerifySignature(signer.SignatureKey.Span) != MlsSignatureCheck.Valid)
        {
            refusal = new(MlsGroupCheck.GroupInfoSignature, $"The GroupInfo's signature does not verify with the key of leaf {groupInfo.Signer}.");
            return false;
        }

        var interim = MlsTranscript.Interim(suite, groupInfo.Context.ConfirmedTranscriptHash.Span, groupInfo.ConfirmationTag.Span);
        state = new MlsPublicGroupState(groupInfo.Context, interim, tree, []);
        refusal = default;
        return true;
    }

    /// <summary>
    /// Decodes a state stored with <see cref="Encode"/>. Nothing is verified again: the bytes are the hub's own.
    /// Never throws on malformed input.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> data, [NotNullWhen(true)] out MlsPublicGroupState? state, out TlsError error)
    {
        state = null;
        var r = new TlsReader(data);
        if (!r.TryReadUInt8("version", out var version))
        {
            error = r.Error;
            return false;
        }

        if (version != StorageVersion)
        {
            r.FailAt(TlsErrorKind.UnknownEnumValue, "version", 0, $"stored group state version {version}");
            error = r.Error;
            return false;
        }

        if (!r.TryReadStruct<MlsGroupContext>("context", MlsGroupContext.TryRead, out var context)
            || !r.TryReadOpaque("interim_transcript_hash", TlsLengthPrefix.Varint, out ByteString interim)
            || !r.TryReadOpaque("tree", TlsLengthPrefix.Varint, out ReadOnlySpan<byte> treeContents))
        {
            error = r.Error;
            return false;
        }

        var treeOffset = r.Position - treeContents.Length;
        if (!MlsPublicTree.TryDecode(treeContents, out var tree, out var treeError))
        {
            r.FailAt(treeError.Kind, "tree." + treeError.Field, treeOffset + treeError.Offset, treeError.Message);
            error = r.Error;
            return false;
        }

        if (!r.TryReadVector<MlsPendingProposal>("pending_proposals", TlsLengthPrefix.Varint, ReadPending, out var pending) || !r.TryFinish("group_state"))
        {
            error = r.Error;
            return false;
        }

        state = new MlsPublicGroupState(context, interim, tree, pending.Items);
        error = default;
        return true;
    }

    /// <summary>Encodes the state for storage: a version byte, the context, the interim hash, the tree and the pending proposals.</summary>
    public byte[] Encode()
    {
        using var w = new TlsWriter(4096);
        w.WriteUInt8(StorageVersion);
        Context.Write(w);
        w.WriteOpaque(InterimTranscriptHash.Span, TlsLengthPrefix.Varint);
        w.WriteOpaque(Tree.EncodeContents(), TlsLengthPrefix.Varint);
        var scope = w.BeginVector(TlsLengthPrefix.Varint);
        foreach (var pending in _pending)
        {
            w.WriteOpaque(pending.Reference.Span, TlsLengthPrefix.Varint);
            w.WriteUInt64(pending.AcceptedTime);
            w.WriteOpaque(pending.Message.Encoded.Span, TlsLengthPrefix.Varint);
        }

        w.EndVector(scope);
        return w.ToArray();
    }

    /// <summary>
    /// Checks a standalone proposal (a PublicMessage) and, when it is valid, returns the state with it pending: it is for
    /// this group and epoch, its sender is a member (or an external sender of the group, or a new member proposing its
    /// own Add), its signature verifies, and the proposal is valid on its own (§12.1). PreSharedKey, ReInit and the
    /// draft-extension types are refused: the hub does not support them.
    /// </summary>
    /// <param name="proposal">The MLSMessage carrying the proposal.</param>
    /// <param name="acceptedTime">When the hub accepts it, in milliseconds since the Unix epoch.</param>
    /// <param name="now">The current time, for KeyPackage lifetimes.</param>
    /// <param name="next">The state with the proposal pending, when accepted.</param>
    /// <param name="refusal">Why not, otherwise.</param>
    public bool TryApplyProposal(MlsMessage proposal, ulong acceptedTime, DateTimeOffset now, [NotNullWhen(true)] out MlsPublicGroupState? next, out MlsGroupRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        next = null;
        if (!TryFrame(proposal, MlsContentType.Proposal, out var message, out refusal))
        {
            return false;
        }

        var sender = message.Content.Sender;
        var body = message.Content.Proposal!;
        if (!TryProposerKey(sender, body, out var key, out refusal))
        {
            return false;
        }

        if (CheckSignature(message, key, Describe(sender)) is { } bad)
        {
            refusal = bad;
            return false;
        }

        if (CheckProposal(body, sender, inline: false, now) is { } invalid)
        {
            refusal = invalid;
            return false;
        }

        // The hash is the group's: IsSupported held when the state was made.
        MlsRefHash.TryCompute(Context.CipherSuite, MlsRefHash.ProposalLabel, message.AuthenticatedContent.Span, out var reference);
        if (FindPending(reference) is not null)
        {
            refusal = new(MlsGroupCheck.ProposalReference, $"The proposal {reference.ToHex()} is already pending.");
            return false;
        }

        next = new MlsPublicGroupState(Context, InterimTranscriptHash, Tree, _pending.Add(new MlsPendingProposal(reference, proposal, sender, acceptedTime)));
        return true;
    }

    /// <summary>
    /// Checks a commit (a PublicMessage) and, when it is valid, returns the next epoch's state: the sender is a member
    /// (or, for an external commit, the joiner its UpdatePath names), the signature verifies, the proposals resolve
    /// (references to this epoch's pending proposals) and are valid alone and together (§12.1, §12.2, §12.4.3.2), a path
    /// is present where required, they are applied in the order of §12.4.2 (GroupContextExtensions, Update, Remove, Add)
    /// and the path merged with its parent hashes checked; then the new tree hash, epoch and transcript hashes are
    /// computed. The attachments, when present, must agree: the GroupInfo at the new epoch, with the computed context and
    /// the commit's confirmation tag, signed by the committer's leaf; the ratchet tree equal to the computed one. Pending
    /// proposals the commit does not cover are dropped with the epoch.
    /// </summary>
    /// <param name="commit">The MLSMessage carrying the commit.</param>
    /// <param name="attachments">The GroupInfo and ratchet tree sent with it, if any.</param>
    /// <param name="now">The current time, for KeyPackage lifetimes.</param>
    /// <param name="next">The next epoch's state, when accepted.</param>
    /// <param name="refusal">Why not, otherwise.</param>
    public bool TryApplyCommit(MlsMessage commit, MlsCommitAttachments attachments, DateTimeOffset now, [NotNullWhen(true)] out MlsPublicGroupState? next, out MlsGroupRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(attachments);
        next = null;
        if (!TryFrame(commit, MlsContentType.Commit, out var message, out refusal))
        {
            return false;
        }

        var content = message.Content;
        var body = content.Commit!;
        var external = content.Sender.Type == MlsSenderType.NewMemberCommit;
        if (!TryCommitterKey(content.Sender, body, out var key, out refusal))
        {
            return false;
        }

        if (CheckSignature(message, key, Describe(content.Sender)) is { } bad)
        {
            refusal = bad;
            return false;
        }

        if (!TryResolve(body, content.Sender, external, out var proposals, out refusal))
        {
            return false;
        }

        var listRefusal = external ? CheckExternalProposals(proposals, body.Path!.LeafNode) : CheckMemberProposals(proposals, content.Sender.Index, now);
        if (listRefusal is { } invalid)
        {
            refusal = invalid;
            return false;
        }

        if (body.Path is null && NeedsPath(proposals))
        {
            refusal = new(MlsGroupCheck.PathRequired, proposals.Count == 0
                ? "An empty commit must carry an UpdatePath."
                : "A commit covering proposals other than Add must carry an UpdatePath.");
            return false;
        }

        if (Context.Epoch == ulong.MaxValue)
        {
            refusal = new(MlsGroupCheck.Epoch, "The group is at the last epoch there is.");
            return false;
        }

        if (!TryApply(proposals, body.Path, content.Sender, external, now, out var tree, out var extensions, out var committer, out refusal))
        {
            return false;
        }

        var suite = Context.CipherSuite;
        var confirmed = MlsTranscript.Confirmed(suite, InterimTranscriptHash.Span, message);
        var context = new MlsGroupContext(suite, Context.GroupId, Context.Epoch + 1, tree.TreeHash(suite), confirmed, extensions);
        if (CheckAttachments(attachments, context, tree, committer, message.ConfirmationTag!.Value) is { } mismatch)
        {
            refusal = mismatch;
            return false;
        }

        var interim = MlsTranscript.Interim(suite, confirmed.Span, message.ConfirmationTag.Value.Span);
        next = new MlsPublicGroupState(context, interim, tree, []);
        return true;
    }

    private static bool IsSupported(MlsCipherSuite suite) => MlsSignature.IsSupported(suite) && MlsRefHash.TryGetHashAlgorithm(suite, out _);

    private static bool ReadPending(ref TlsReader r, [MaybeNullWhen(false)] out MlsPendingProposal value)
    {
        value = null;
        var start = r.Position;
        if (!r.TryReadOpaque("reference", TlsLengthPrefix.Varint, out ByteString reference)
            || !r.TryReadUInt64("accepted_time", out var acceptedTime)
            || !r.TryReadOpaque("message", TlsLengthPrefix.Varint, out ReadOnlySpan<byte> encoded))
        {
            return false;
        }

        if (!MlsMessage.TryDecode(encoded, out var message, out var error))
        {
            return r.FailAt(error.Kind, "message." + error.Field, start, error.Message);
        }

        if (message.PublicMessage is not { Content.ContentType: MlsContentType.Proposal } proposal)
        {
            return r.FailAt(TlsErrorKind.InvalidValue, "message", start, "a pending proposal is a PublicMessage carrying a proposal");
        }

        value = new MlsPendingProposal(reference, message, proposal.Content.Sender, acceptedTime);
        return true;
    }

    private static MlsGroupRefusal? CheckTreeLeaves(MlsCipherSuite suite, MlsPublicTree tree, ByteString groupId)
    {
        var signatureKeys = new HashSet<ByteString>();
        var encryptionKeys = new HashSet<ByteString>();
        foreach (var leaf in tree.Leaves)
        {
            if (!signatureKeys.Add(leaf.Node.SignatureKey) || !encryptionKeys.Add(leaf.Node.EncryptionKey))
            {
                return new(MlsGroupCheck.LeafNode, $"The leaf {leaf.LeafIndex} repeats another member's signature or encryption key.");
            }

            if (MlsLeafNodeRules.VerifySignature(suite, leaf.Node, groupId.Span, leaf.LeafIndex) != MlsSignatureCheck.Valid)
            {
                return new(MlsGroupCheck.LeafNode, $"The signature of leaf {leaf.LeafIndex} does not verify.");
            }
        }

        return null;
    }

    private static bool NeedsPath(List<Covered> proposals)
    {
        if (proposals.Count == 0)
        {
            return true;
        }

        foreach (var p in proposals)
        {
            if (p.Proposal.Type is not (MlsProposalType.Add or MlsProposalType.PreSharedKey or MlsProposalType.ReInit))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(MlsSender sender) => sender.Type switch
    {
        MlsSenderType.Member => $"leaf {sender.Index}",
        MlsSenderType.External => $"external sender {sender.Index}",
        _ => "the new member",
    };

    private bool TryFrame(MlsMessage message, MlsContentType expected, [NotNullWhen(true)] out MlsPublicMessage? publicMessage, out MlsGroupRefusal refusal)
    {
        publicMessage = message.PublicMessage;
        refusal = default;
        if (publicMessage is null)
        {
            refusal = message.WireFormat == MlsWireFormat.PrivateMessage
                ? new(MlsGroupCheck.WireFormat, "A handshake message must be a PublicMessage for the hub to check it.")
                : new(MlsGroupCheck.Decoding, $"A {message.WireFormat} message is not a proposal or a commit.");
            return false;
        }

        var content = publicMessage.Content;
        if (content.ContentType != expected)
        {
            refusal = new(MlsGroupCheck.Decoding, $"The PublicMessage carries {content.ContentType}, not {expected}.");
        }
        else if (!content.GroupId.Equals(Context.GroupId))
        {
            refusal = new(MlsGroupCheck.GroupId, "The message is for another group.");
        }
        else if (content.Epoch != Context.Epoch)
        {
            refusal = new(MlsGroupCheck.Epoch, $"The message is for epoch {content.Epoch}; the group is at epoch {Context.Epoch}.");
        }
        else
        {
            return true;
        }

        return false;
    }

    private bool TryProposerKey(MlsSender sender, MlsProposal proposal, out ByteString key, out MlsGroupRefusal refusal)
    {
        key = default;
        refusal = default;
        switch (sender.Type)
        {
            case MlsSenderType.Member:
                return TryMemberKey(sender.Index, out key, out refusal);
            case MlsSenderType.External:
                if (proposal.Type is not (MlsProposalType.Add or MlsProposalType.Remove or MlsProposalType.GroupContextExtensions))
                {
                    refusal = new(MlsGroupCheck.Sender, $"An external sender cannot propose {MlsProposalRules.Name(proposal.Type)}.");
                    return false;
                }

                return TryExternalSenderKey(sender.Index, out key, out refusal);
            case MlsSenderType.NewMemberProposal:
                if (proposal.Add is null)
                {
                    refusal = new(MlsGroupCheck.Sender, "A new member can only propose its own Add.");
                    return false;
                }

                key = proposal.Add.LeafNode.SignatureKey;
                return true;
            default:
                refusal = new(MlsGroupCheck.Sender, "A new_member_commit sender sends commits, not proposals.");
                return false;
        }
    }

    private bool TryMemberKey(uint leaf, out ByteString key, out MlsGroupRefusal refusal)
    {
        key = default;
        refusal = default;
        if (Tree.LeafAt(leaf) is not { } node)
        {
            refusal = new(MlsGroupCheck.Sender, $"Leaf {leaf} is not a member of the group.");
            return false;
        }

        key = node.SignatureKey;
        return true;
    }

    private bool TryExternalSenderKey(uint index, out ByteString key, out MlsGroupRefusal refusal)
    {
        key = default;
        refusal = default;
        foreach (var extension in Context.Extensions)
        {
            if (extension.ExtensionType != MlsExtensionTypes.ExternalSenders)
            {
                continue;
            }

            var r = new TlsReader(extension.Data.Span);
            if (!r.TryReadVector<MlsExternalSender>("external_senders", TlsLengthPrefix.Varint, MlsExternalSender.TryRead, out var senders) || !r.TryFinish("external_senders"))
            {
                refusal = new(MlsGroupCheck.Sender, $"The group's external_senders do not decode: {r.Error.Message}");
                return false;
            }

            if (index < senders.Count)
            {
                key = senders[(int)index].SignatureKey;
                return true;
            }
        }

        refusal = new(MlsGroupCheck.Sender, $"The group has no external sender {index}.");
        return false;
    }

    private bool TryCommitterKey(MlsSender sender, MlsCommit commit, out ByteString key, out MlsGroupRefusal refusal)
    {
        key = default;
        refusal = default;
        switch (sender.Type)
        {
            case MlsSenderType.Member:
                return TryMemberKey(sender.Index, out key, out refusal);
            case MlsSenderType.NewMemberCommit:
                if (commit.Path is null)
                {
                    refusal = new(MlsGroupCheck.ExternalCommit, "An external commit must carry an UpdatePath: its leaf is the joiner's.");
                    return false;
                }

                key = commit.Path.LeafNode.SignatureKey;
                return true;
            default:
                refusal = new(MlsGroupCheck.Sender, $"A commit cannot come from {Describe(sender)}.");
                return false;
        }
    }

    private MlsGroupRefusal? CheckSignature(MlsPublicMessage message, ByteString key, string sender) =>
        message.VerifySignature(Context, key.Span) switch
        {
            MlsSignatureCheck.Valid => null,
            MlsSignatureCheck.BadKey => new(MlsGroupCheck.Signature, $"The signature key of {sender} is not a key of the group's cipher suite."),
            _ => new(MlsGroupCheck.Signature, $"The signature does not verify with the key of {sender} and the epoch's group context."),
        };

    private MlsGroupRefusal? CheckProposal(MlsProposal proposal, MlsSender sender, bool inline, DateTimeOffset now)
    {
        switch (proposal.Type)
        {
            case MlsProposalType.Add:
                // A commit's inline Adds get their leaf checked against the tree as the commit changes it (TryApply).
                return inline
                    ? MlsProposalRules.CheckKeyPackage(Context.CipherSuite, proposal.Add!, now)
                    : MlsProposalRules.CheckAdd(Context, Tree, proposal.Add!, now);
            case MlsProposalType.Update:
                if (inline || sender.Type != MlsSenderType.Member)
                {
                    return new(MlsGroupCheck.Update, inline
                        ? "A commit cannot carry its committer's own Update: its UpdatePath replaces the committer's leaf."
                        : "An Update comes from the leaf's own member.");
                }

                return MlsProposalRules.CheckUpdate(Context, Tree, sender.Index, proposal.Update!, now);
            case MlsProposalType.Remove:
                return MlsProposalRules.CheckRemove(Tree, proposal.Removed!.Value);
            case MlsProposalType.GroupContextExtensions:
                return MlsProposalRules.CheckGroupContextExtensions(Tree, proposal.GroupContextExtensions);
            default:
                return MlsProposalRules.Unsupported(proposal.Type);
        }
    }

    private MlsPendingProposal? FindPending(ByteString reference)
    {
        foreach (var pending in _pending)
        {
            if (pending.Reference.Equals(reference))
            {
                return pending;
            }
        }

        return null;
    }

    private bool TryResolve(MlsCommit commit, MlsSender committer, bool external, out List<Covered> proposals, out MlsGroupRefusal refusal)
    {
        proposals = new List<Covered>(commit.Proposals.Count);
        refusal = default;
        foreach (var entry in commit.Proposals)
        {
            if (entry.Proposal is { } inline)
            {
                proposals.Add(new Covered(inline, committer, Inline: true));
                continue;
            }

            if (external)
            {
                refusal = new(MlsGroupCheck.ExternalCommit, "An external commit cannot cover proposals by reference.");
                return false;
            }

            if (FindPending(entry.Reference!.Value) is not { } pending)
            {
                refusal = new(MlsGroupCheck.ProposalReference, $"No proposal {entry.Reference.Value.ToHex()} is pending in epoch {Context.Epoch}.");
                return false;
            }

            proposals.Add(new Covered(pending.Proposal, pending.Sender, Inline: false));
        }

        return true;
    }

    // RFC 9420 §12.2 for a member's commit. Referenced proposals were checked alone when they were accepted; inline ones
    // are checked here, then the list as a whole.
    private MlsGroupRefusal? CheckMemberProposals(List<Covered> proposals, uint committer, DateTimeOffset now)
    {
        var updated = new HashSet<uint>();
        var removed = new HashSet<uint>();
        var addedKeys = new HashSet<ByteString>();
        var extensionProposals = 0;
        foreach (var (proposal, sender, inline) in proposals)
        {
            if (inline && CheckProposal(proposal, sender, inline: true, now) is { } invalid)
            {
                return invalid;
            }

            switch (proposal.Type)
            {
                case MlsProposalType.Add:
                    if (!addedKeys.Add(proposal.Add!.LeafNode.SignatureKey))
                    {
                        return new(MlsGroupCheck.ProposalList, "Two Add proposals add the same client (one signature key).");
                    }

                    break;
                case MlsProposalType.Update:
                    if (sender.Index == committer)
                    {
                        return new(MlsGroupCheck.Update, "A commit cannot cover an Update proposal of its own committer.");
                    }

                    if (!updated.Add(sender.Index) || removed.Contains(sender.Index))
                    {
                        return new(MlsGroupCheck.ProposalList, $"The commit covers more than one Update or Remove of leaf {sender.Index}.");
                    }

                    break;
                case MlsProposalType.Remove:
                    var leaf = proposal.Removed!.Value;
                    if (leaf == committer)
                    {
                        return new(MlsGroupCheck.Remove, "A commit cannot remove its own committer.");
                    }

                    if (!removed.Add(leaf) || updated.Contains(leaf))
                    {
                        return new(MlsGroupCheck.ProposalList, $"The commit covers more than one Update or Remove of leaf {leaf}.");
                    }

                    break;
                case MlsProposalType.GroupContextExtensions:
                    if (++extensionProposals > 1)
                    {
                        return new(MlsGroupCheck.ProposalList, "The commit covers more than one GroupContextExtensions proposal.");
                    }

                    break;
                default:
                    return MlsProposalRules.Unsupported(proposal.Type);
            }
        }

        return null;
    }

    // RFC 9420 §12.4.3.2: exactly one ExternalInit, and at most a Remove of the joiner's own old leaf (PSKs are not
    // supported here).
    private MlsGroupRefusal? CheckExternalProposals(List<Covered> proposals, MlsLeafNode joiner)
    {
        var externalInits = 0;
        var removes = 0;
        foreach (var (proposal, _, _) in proposals)
        {
            switch (proposal.Type)
            {
                case MlsProposalType.ExternalInit:
                    externalInits++;
                    break;
                case MlsProposalType.Remove:
                    if (MlsProposalRules.CheckRemove(Tree, proposal.Removed!.Value) is { } blank)
                    {
                        return blank;
                    }

                    if (++removes > 1 || !Tree.LeafAt(proposal.Removed.Value)!.Credential.Equals(joiner.Credential))
                    {
                        return new(MlsGroupCheck.ExternalCommit, "An external commit may only remove the joiner's own earlier leaf.");
                    }

                    break;
                case MlsProposalType.PreSharedKey:
                    return MlsProposalRules.Unsupported(proposal.Type);
                default:
                    return new(MlsGroupCheck.ExternalCommit, $"An external commit cannot carry a {MlsProposalRules.Name(proposal.Type)} proposal.");
            }
        }

        return externalInits == 1
            ? null
            : new(MlsGroupCheck.ExternalCommit, $"An external commit carries exactly one ExternalInit proposal, not {externalInits}.");
    }

    // RFC 9420 §12.4.2 on a copy of the tree: GroupContextExtensions, Updates, Removes, Adds, then the path.
    private bool TryApply(
        List<Covered> proposals,
        MlsUpdatePath? path,
        MlsSender sender,
        bool external,
        DateTimeOffset now,
        out MlsPublicTree tree,
        out ValueArray<MlsExtension> extensions,
        out uint committer,
        out MlsGroupRefusal refusal)
    {
        var suite = Context.CipherSuite;
        tree = Tree.Clone();
        extensions = Context.Extensions;
        committer = sender.Index;
        refusal = default;
        var newExtensions = false;
        foreach (var p in proposals)
        {
            if (p.Proposal.Type == MlsProposalType.GroupContextExtensions)
            {
                extensions = p.Proposal.GroupContextExtensions;
                newExtensions = true;
            }
        }

        foreach (var p in proposals)
        {
            if (p.Proposal.Type == MlsProposalType.Update)
            {
                tree.UpdateLeaf(p.Sender.Index, p.Proposal.Update!);
            }
        }

        foreach (var p in proposals)
        {
            if (p.Proposal.Type == MlsProposalType.Remove)
            {
                tree.RemoveLeaf(p.Proposal.Removed!.Value);
            }
        }

        var added = new List<uint>();
        foreach (var p in proposals)
        {
            if (p.Proposal.Type != MlsProposalType.Add)
            {
                continue;
            }

            // Against the tree as it is now: keys are unique among the members that stay and those added before.
            var leaf = p.Proposal.Add!.LeafNode;
            if (MlsProposalRules.CheckAddedLeaf(suite, tree, leaf, Context.GroupId, extensions, now) is { } invalid)
            {
                refusal = invalid;
                return false;
            }

            added.Add(tree.AddLeaf(leaf));
        }

        if (newExtensions && MlsProposalRules.CheckGroupContextExtensions(tree, extensions) is { } unsupported)
        {
            refusal = unsupported;
            return false;
        }

        if (path is null)
        {
            return true;
        }

        if (external)
        {
            committer = tree.FirstBlankLeaf();
        }

        if (MlsLeafNodeRules.Check(suite, tree, committer, path.LeafNode, Context.GroupId.Span, MlsLeafNodeSource.Commit, now, extensions) is { } badLeaf)
        {
            refusal = new(MlsGroupCheck.LeafNode, $"The UpdatePath's leaf: {badLeaf}");
            return false;
        }

        if (external)
        {
            tree.AddLeaf(path.LeafNode);
        }

        if (!tree.TryMergeUpdatePath(suite, committer, path, added, out var detail))
        {
            refusal = new(MlsGroupCheck.ParentHash, detail);
            return false;
        }

        return true;
    }

    private static MlsGroupRefusal? CheckAttachments(MlsCommitAttachments attachments, MlsGroupContext context, MlsPublicTree tree, uint committer, ByteString confirmationTag)
    {
        if (attachments.RatchetTreeContents is { } attached && !attached.AsSpan().SequenceEqual(tree.EncodeContents()))
        {
            return new(MlsGroupCheck.AttachedTree, "The attached ratchet tree is not the tree the commit yields.");
        }

        if (attachments.GroupInfo is not { } info)
        {
            return null;
        }

        if (info.Epoch != context.Epoch)
        {
            return new(MlsGroupCheck.GroupInfoEpoch, $"The GroupInfo is for epoch {info.Epoch}; the commit starts epoch {context.Epoch}.");
        }

        if (!info.Context.TreeHash.Equals(context.TreeHash))
        {
            return new(MlsGroupCheck.GroupInfoTreeHash, "The GroupInfo's tree hash is not the hash of the tree the commit yields.");
        }

        if (info.CipherSuite != context.CipherSuite || !info.GroupId.Equals(context.GroupId))
        {
            return new(MlsGroupCheck.GroupInfoContext, "The GroupInfo names another group or cipher suite.");
        }

        if (!info.Context.ConfirmedTranscriptHash.Equals(context.ConfirmedTranscriptHash))
        {
            return new(MlsGroupCheck.GroupInfoContext, "The GroupInfo's confirmed transcript hash is not the one the commit yields.");
        }

        if (info.GroupContextExtensions != context.Extensions)
        {
            return new(MlsGroupCheck.GroupInfoContext, "The GroupInfo's group context extensions are not the ones the commit yields.");
        }

        if (!info.ConfirmationTag.Equals(confirmationTag))
        {
            return new(MlsGroupCheck.GroupInfoContext, "The GroupInfo's confirmation tag is not the commit's.");
        }

        if (info.Signer != committer)
        {
            return new(MlsGroupCheck.GroupInfoSignature, $"The GroupInfo is signed by leaf {info.Signer}, not by the committer at leaf {committer}.");
        }

        return info.VerifySignature(tree.LeafAt(committer)!.SignatureKey.Span) == MlsSignatureCheck.Valid
            ? null
            : new(MlsGroupCheck.GroupInfoSignature, $"The GroupInfo's signature does not verify with the committer's key (leaf {committer}).");
    }

    private readonly record struct Covered(MlsProposal Proposal, MlsSender Sender, bool Inline);
}
