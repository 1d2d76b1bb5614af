using System.Text;
using Mimi.Discovery.Protocol.Tests.Support;
using Mimi.Discovery.Protocol.Tls;

namespace Mimi.Discovery.Protocol.Tests.Mls;

/// <summary>
/// The stored ts-mls transcripts (Mls/Transcripts, made by tests/peers/mls/transcript.mjs) hold together: each step's
/// message, GroupInfo and tree decode, epochs advance one per commit, and the recorded state is the one the GroupInfo
/// signs and the tree holds. The public group state's tests replay them.
/// </summary>
public class TsMlsTranscriptTests
{
    public static TheoryData<string> Names => TsMlsTranscript.Names();

    [Fact]
    public void Both_scenarios_are_stored_for_suites_1_and_2()
    {
        var names = TsMlsTranscript.AllNames();
        foreach (var scenario in new[] { "adds-updates-removes", "big-room" })
        {
            Assert.Contains($"{scenario}-suite1", names);
            Assert.Contains($"{scenario}-suite2", names);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Transcript_steps_decode_and_their_state_matches_the_GroupInfo_and_tree(string name)
    {
        var transcript = TsMlsTranscript.Load(name);
        var suite = (MlsCipherSuite)transcript.CipherSuite;
        Assert.Contains(suite, new[] { MlsCipherSuite.X25519Aes128GcmSha256Ed25519, MlsCipherSuite.P256Aes128GcmSha256P256 });
        var groupId = Encoding.UTF8.GetBytes(transcript.GroupId);

        var creation = Context(transcript.Creation.GroupInfo);
        Assert.Equal((suite, 0UL), (creation.CipherSuite, creation.Epoch));
        var epoch = 0UL;
        foreach (var step in transcript.Steps)
        {
            var message = MlsSamples.ParseMessage(step.Message);
            Assert.Equal(MlsWireFormat.PublicMessage, message.WireFormat);
            Assert.Equal(groupId, message.GroupId.ToArray());
            Assert.Equal(epoch, message.Epoch);
            if (!step.IsCommit)
            {
                Assert.Equal(("proposal", MlsContentType.Proposal), (step.Kind, message.ContentType));
                Assert.Null(step.GroupInfo);
                Assert.Null(step.RatchetTree);
                Assert.Equal(epoch, step.Epoch);
                Assert.True(message.TryComputeProposalRef(suite, out _));
                continue;
            }

            Assert.Equal(MlsContentType.Commit, message.ContentType);
            Assert.Equal(++epoch, step.Epoch);
            var context = Context(step.GroupInfo!);
            Assert.Equal(groupId, context.GroupId.ToArray());
            Assert.Equal(step.Epoch, context.Epoch);
            Assert.Equal(step.TreeHash, Convert.ToHexStringLower(context.TreeHash.Span));
            Assert.Equal(step.ConfirmedTranscriptHash, Convert.ToHexStringLower(context.ConfirmedTranscriptHash.Span));

            Assert.True(MlsRatchetTree.TryReadExtensionData(step.RatchetTree, out var contents, out var error), $"{step.Label}: {error}");
            Assert.True(MlsRatchetTree.TryDecodeContents(contents, out var tree, out error), $"{step.Label}: {error}");
            Assert.Equal(step.Members, tree!.Leaves.Select(l => Encoding.UTF8.GetString(l.Node.Credential.Identity.Span)));
        }

        Assert.Contains(transcript.Steps, s => !s.IsCommit);
        Assert.True(transcript.Steps.Max(s => s.Members.Count) >= (name.StartsWith("big-room", StringComparison.Ordinal) ? 20 : 5));
    }

    private static MlsGroupContext Context(byte[] groupInfoMessage)
    {
        var groupInfo = MlsSamples.ParseMessage(groupInfoMessage).GroupInfo!;
        var r = new TlsReader(groupInfo.Encoded.Span);
        Assert.True(MlsGroupContext.TryRead(ref r, out var context));
        return context!;
    }
}
