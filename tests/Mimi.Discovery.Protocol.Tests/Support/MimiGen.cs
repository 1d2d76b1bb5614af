using FsCheck;
using FsCheck.Fluent;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Support;

/// <summary>Generators of valid MIMI and MLS values.</summary>
internal static class MimiGen
{
    public static readonly Gen<byte> Byte = Gen.Choose(0, 255).Select(i => (byte)i);

    public static readonly Gen<ulong> UInt64 =
        from hi in Gen.Choose(int.MinValue, int.MaxValue)
        from lo in Gen.Choose(int.MinValue, int.MaxValue)
        select ((ulong)(uint)hi << 32) | (uint)lo;

    /// <summary>Byte arrays mostly short, sometimes long enough to need a two-byte varint length.</summary>
    public static readonly Gen<byte[]> Bytes =
        Gen.Frequency(
            (6, Gen.Choose(0, 70).SelectMany(n => Byte.ArrayOf(n))),
            (1, Gen.Choose(60, 300).SelectMany(n => Byte.ArrayOf(n))));

    public static readonly Gen<ByteString> Opaque = Bytes.Select(b => ByteString.CopyFrom(b));

    public static readonly Gen<string> Id =
        Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~".ToCharArray())
            .ArrayOf()
            .Where(a => a.Length > 0)
            .Select(a => new string(a));

    public static readonly Gen<string> Domain = Gen.Elements("a.example", "b.example", "hub.example", "beta.test", "alpha.test");

    public static readonly Gen<string> Uri = Gen.OneOf(
        from d in Domain from id in Id select MimiUri.User(d, id).ToString(),
        from d in Domain from id in Id select MimiUri.Client(d, id).ToString(),
        from d in Domain from id in Id select MimiUri.Room(d, id).ToString(),
        Gen.Elements("tel:+15550001111", "im:alice@a.example", "mailto:bob@b.example", "mimi://a.example/u/ünïcødé", ""));

    public static readonly Gen<string> Text = Gen.Elements("", "hello", "Grüße, 世界", "spam\nspam", new string('x', 100));

    public static readonly Gen<ushort> Code = Gen.Choose(0, 0xFFFF).Select(i => (ushort)i);

    public static readonly Gen<ValueArray<ushort>> Codes = Code.ArrayOf().Select(a => ValueArray.Create<ushort>(a));

    public static readonly Gen<MlsCipherSuite> Suite = Gen.Frequency(
        (4, Gen.Choose(1, 7).Select(i => (MlsCipherSuite)i)),
        (1, Code.Select(c => (MlsCipherSuite)c)));

    public static readonly Gen<ushort[]> Grease = Gen.Elements<ushort>(0x0A0A, 0x1A1A, 0x2A2A, 0xEAEA).ArrayOf().Select(a => a.Distinct().ToArray());

    public static readonly Gen<MlsCredential> Credential = Gen.OneOf(
        Opaque.Select(MlsCredential.Basic),
        Opaque.ArrayOf().Select(a => MlsCredential.X509(ValueArray.Create<ByteString>(a))));

    public static readonly Gen<MlsCapabilities> Capabilities =
        from v in Codes
        from s in Codes
        from e in Codes
        from p in Codes
        from c in Codes
        select new MlsCapabilities(v, s, e, p, c);

    public static readonly Gen<MlsRequiredCapabilities> RequiredCapabilities =
        from e in Codes from p in Codes from c in Codes select new MlsRequiredCapabilities(e, p, c);

    public static readonly Gen<MlsKeyPackage> KeyPackage =
        from suite in Gen.Choose(1, 7)
        from initKey in Byte.ArrayOf(32)
        from identity in Bytes
        from grease in Grease
        from signature in Byte.ArrayOf(64)
        select MlsSamples.ParseKeyPackage(MlsSamples.KeyPackage((ushort)suite, initKey, identity, grease, signature));

    public static readonly Gen<MlsWelcome> Welcome =
        from suite in Gen.Choose(1, 7)
        from refs in Byte.ArrayOf(32).ArrayOf()
        from info in Bytes
        select MlsSamples.ParseWelcome(MlsSamples.Welcome((ushort)suite, refs, info));

    public static readonly Gen<MlsGroupInfo> GroupInfo =
        from suite in Gen.Choose(1, 7)
        from groupId in Bytes
        from epoch in UInt64
        select MlsSamples.ParseGroupInfo(MlsSamples.GroupInfo((ushort)suite, groupId, epoch));

    public static Gen<MlsMessage> Private(MlsContentType type) =>
        from groupId in Bytes
        from epoch in UInt64
        from ciphertext in Bytes
        select MlsSamples.ParseMessage(MlsSamples.PrivateMessage(groupId, epoch, type, ciphertext));

    public static Gen<MlsMessage> Public(MlsContentType type) =>
        from groupId in Bytes
        from epoch in UInt64
        from path in Gen.Elements(true, false)
        select MlsSamples.ParseMessage(MlsSamples.PublicMessage(groupId, epoch, type, path));

    public static readonly Gen<MlsMessage> Application = Private(MlsContentType.Application);

    public static readonly Gen<MlsMessage> Commit = Gen.OneOf(Public(MlsContentType.Commit), Private(MlsContentType.Commit));

    public static readonly Gen<MlsMessage> Proposal = Gen.OneOf(Public(MlsContentType.Proposal), Private(MlsContentType.Proposal));

    public static readonly Gen<MlsMessage> WelcomeMessage =
        Welcome.Select(w => MlsSamples.ParseMessage(MlsSamples.Wrap(MlsWireFormat.Welcome, w.Encoded.ToArray())));

    public static readonly Gen<ValueArray<MlsMessage>> Proposals = Proposal.ArrayOf(2).Select(a => ValueArray.Create<MlsMessage>(a)).Or(Gen.Constant(ValueArray<MlsMessage>.Empty));

    public static readonly Gen<MlsExtension> Extension = from t in Code from d in Opaque select new MlsExtension(t, d);

    public static readonly Gen<AppDataDictionary> Dictionary =
        from ids in Code.ArrayOf()
        from data in Opaque
        select new AppDataDictionary(ValueArray.From(ids.Distinct().Order().Select(id => new ComponentData(id, data))));

    public static readonly Gen<Frank> Frank =
        from f in Byte.ArrayOf(32)
        from s in Suite
        from sig in Opaque
        select new Frank(ByteString.CopyFrom(f), s, sig);

    public static readonly Gen<RatchetTreeOption> RatchetTree = Gen.OneOf(
        Opaque.Select(t => new RatchetTreeOption(RatchetTreeRepresentation.Full, t, null, default)),
        from u in Uri from s in Opaque select new RatchetTreeOption(RatchetTreeRepresentation.HttpsUri, default, "https://" + u, s),
        Opaque.Select(s => new RatchetTreeOption(RatchetTreeRepresentation.OutOfBand, default, null, s)),
        Gen.Constant(RatchetTreeOption.ByDistributionService));

    public static readonly Gen<GroupInfoOption> GroupInfoOption = Gen.OneOf(
        GroupInfo.Select(Protocol.GroupInfoOption.Full),
        from p in Gen.Choose(0, 3)
        from e in Extension.ArrayOf()
        from s in Opaque
        select Protocol.GroupInfoOption.Partial(new PartialGroupInfo((RatchetTreePresence)p, ValueArray.Create<MlsExtension>(e), s)));

    public static readonly Gen<string?> OptionalUri = Gen.OneOf(Uri.Select(u => (string?)u), Gen.Constant<string?>(null));

    // ---- MIMI messages ----

    public static readonly Gen<KeyMaterialRequest> KeyMaterialRequest =
        from a in Uri
        from b in Uri
        from room in Uri
        from suites in Suite.ArrayOf()
        from req in RequiredCapabilities
        from key in Opaque
        from cred in Credential
        from sig in Opaque
        select new KeyMaterialRequest(MimiProtocol.Mls10, a, b, room, ValueArray.Create<MlsCipherSuite>(suites), req, key, cred, sig);

    public static readonly Gen<ClientKeyMaterial> ClientKeyMaterial = Gen.OneOf(
        from u in Uri from kp in KeyPackage select Protocol.ClientKeyMaterial.Claimed(u, kp),
        from u in Uri select new ClientKeyMaterial(KeyMaterialClientCode.KeyMaterialExhausted, u, null, null),
        from u in Uri from c in Capabilities.OrNull() select new ClientKeyMaterial(KeyMaterialClientCode.NothingCompatible, u, null, c));

    public static readonly Gen<KeyMaterialResponse> KeyMaterialResponse = Gen.OneOf(
        from status in Gen.Elements(KeyMaterialUserCode.Success, KeyMaterialUserCode.PartialSuccess, KeyMaterialUserCode.NoCompatibleMaterial)
        from u in Uri
        from clients in ClientKeyMaterial.ArrayOf()
        select new KeyMaterialResponse(MimiProtocol.Mls10, status, u, ValueArray.Create<ClientKeyMaterial>(clients)),
        from status in Gen.Elements(KeyMaterialUserCode.NoConsent, KeyMaterialUserCode.NoConsentForThisRoom, KeyMaterialUserCode.UserUnknown, KeyMaterialUserCode.UserDeleted, KeyMaterialUserCode.IncompatibleProtocol)
        from u in Uri
        select new KeyMaterialResponse(MimiProtocol.Mls10, status, u, default));

    public static readonly Gen<ConsentScope> ConsentScope =
        from a in Uri from b in Uri from room in OptionalUri select new ConsentScope(a, b, room);

    public static readonly Gen<ConsentEntry> ConsentEntry =
        from op in Gen.Elements(ConsentOperation.Cancel, ConsentOperation.Request, ConsentOperation.Grant, ConsentOperation.Revoke)
        from scope in ConsentScope
        from kps in KeyPackage.ArrayOf()
        from ext in Dictionary
        select new ConsentEntry(op, scope.RequesterUri, scope.TargetUri, scope.RoomId,
            op == ConsentOperation.Grant ? ValueArray.Create<MlsKeyPackage>(kps) : default, ext);

    public static readonly Gen<HandshakeBundle> HandshakeBundle = Gen.OneOf(
        from commit in Commit
        from welcome in Welcome.OrNull()
        from gi in GroupInfoOption
        from tree in RatchetTree
        select Protocol.HandshakeBundle.ForCommit(commit, welcome, gi, tree),
        from proposal in Proposal
        from more in Proposals
        select Protocol.HandshakeBundle.ForProposals(proposal, more));

    public static readonly Gen<UpdateRequest> UpdateRequest = HandshakeBundle.Select(b => new UpdateRequest(b));

    public static readonly Gen<UpdateRoomResponse> UpdateRoomResponse =
        from code in Gen.Elements(UpdateResponseCode.Success, UpdateResponseCode.WrongEpoch, UpdateResponseCode.NotAllowed, UpdateResponseCode.InvalidProposal)
        from text in Text
        from n in UInt64
        from refs in Opaque.ArrayOf()
        select new UpdateRoomResponse(code, text,
            code == UpdateResponseCode.Success ? n : 0,
            code == UpdateResponseCode.WrongEpoch ? n : 0,
            code == UpdateResponseCode.InvalidProposal ? ValueArray.Create<ByteString>(refs) : default);

    public static readonly Gen<SubmitMessageRequest> SubmitMessageRequest =
        from m in Application from u in Uri select new SubmitMessageRequest(MimiProtocol.Mls10, m, u);

    public static readonly Gen<SubmitMessageResponse> SubmitMessageResponse = Gen.OneOf(
        from t in UInt64 from f in Frank.OrNull() select Protocol.SubmitMessageResponse.Accepted(t, f),
        Gen.Constant(new SubmitMessageResponse(MimiProtocol.Mls10, SubmitResponseCode.NotAllowed, 0, null, 0)),
        UInt64.Select(e => new SubmitMessageResponse(MimiProtocol.Mls10, SubmitResponseCode.EpochTooOld, 0, null, e)));

    public static readonly Gen<FanoutMessage> FanoutMessage = Gen.OneOf(
        from t in UInt64 from m in Application from f in Frank.OrNull() select new FanoutMessage(t, m, f, null, default, default),
        from t in UInt64 from m in WelcomeMessage from tree in RatchetTree select new FanoutMessage(t, m, null, tree, default, default),
        from t in UInt64 from m in Proposal from more in Proposals select new FanoutMessage(t, m, null, null, more, default),
        from t in UInt64 from m in Commit from ext in Proposals select new FanoutMessage(t, m, null, null, default, ext));

    public static readonly Gen<GroupInfoRequest> GroupInfoRequest =
        from s in Suite
        from k in Opaque
        from c in Credential
        from h in Opaque
        from code in Opaque
        from sig in Opaque
        select new GroupInfoRequest(MimiProtocol.Mls10, s, k, c, h, code, sig);

    public static readonly Gen<GroupInfoResponse> GroupInfoResponse = Gen.OneOf(
        from room in Uri
        from s in Suite
        from key in Opaque
        from cred in Credential
        from kem in Opaque
        from ct in Opaque
        from sig in Opaque
        select new GroupInfoResponse(MimiProtocol.Mls10, room, GroupInfoCode.Success, s, new MlsExternalSender(key, cred), new HpkeCiphertext(kem, ct), sig),
        from room in Uri
        from code in Gen.Elements(GroupInfoCode.NotAuthorized, GroupInfoCode.NoSuchRoom)
        select Protocol.GroupInfoResponse.Failure(room, code));

    public static readonly Gen<GroupInfoRatchetTreeTbe> GroupInfoRatchetTreeTbe =
        from gi in GroupInfo
        from tree in RatchetTree
        from pending in (from p in Proposal from t in UInt64 select new PendingProposal(p, t)).ArrayOf(2)
        select new GroupInfoRatchetTreeTbe(gi, tree, ValueArray.Create<PendingProposal>(pending));

    public static readonly Gen<QueryElement> QueryElement =
        from type in Gen.Choose(1, 8).Select(i => (SearchIdentifierType)i)
        from name in Text
        from value in Text
        select new QueryElement(type, type is SearchIdentifierType.OidcStdClaim or SearchIdentifierType.VcardField ? "given_name" + name : null, value);

    public static readonly Gen<IdentifierRequest> IdentifierRequest =
        from q in QueryElement.ArrayOf() from ext in Dictionary select new IdentifierRequest(ValueArray.Create<QueryElement>(q), ext);

    public static readonly Gen<IdentifierResponse> IdentifierResponse =
        from code in Gen.Choose(0, 4).Select(i => (IdentifierQueryCode)i)
        from uris in Uri.ArrayOf()
        from profiles in (from u in Uri
                          from fields in (from src in Gen.Elements(FieldSource.OidcStdClaim, FieldSource.VcardField) from n in Text from v in Opaque select new ProfileField(src, n, v)).ArrayOf()
                          select new UserProfile(u, ValueArray.Create<ProfileField>(fields))).ArrayOf()
        from ext in Dictionary
        select new IdentifierResponse(code, ValueArray.Create<string>(uris), ValueArray.Create<UserProfile>(profiles), ext);

    public static readonly Gen<AbuseReport> AbuseReport =
        from a in Uri
        from b in Uri
        from reason in Byte
        from note in Text
        from messages in (from c in Opaque from f in Frank from t in UInt64 select new AbusiveMessage(c, f, t)).ArrayOf()
        from ext in Dictionary
        select new AbuseReport(a, b, reason, note, ValueArray.Create<AbusiveMessage>(messages), ext);
}
