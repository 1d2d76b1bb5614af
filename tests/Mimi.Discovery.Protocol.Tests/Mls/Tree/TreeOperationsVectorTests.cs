namespace Mimi.Discovery.Protocol.Tests.Mls.Tree;

public class TreeOperationsVectorTests
{
    [MlsVectorFact]
    public void Each_proposal_turns_tree_before_into_tree_after_with_the_published_hashes()
    {
        var entries = MlsVectors.Load("tree-operations");
        Assert.NotEmpty(entries);
        var types = new HashSet<byte>();
        foreach (var entry in entries)
        {
            var suite = TreeVectors.Suite(entry);
            var tree = TreeVectors.Tree(entry, "tree_before");
            Assert.Equal((string)entry["tree_hash_before"]!, tree.TreeHash(suite).ToHex());

            var proposal = MlsVectors.Hex(entry, "proposal");
            types.Add(proposal[1]);
            TreeVectors.Apply(tree, proposal, (uint)entry["proposal_sender"]!);

            Assert.Equal(TreeVectors.Contents(entry, "tree_after"), tree.EncodeContents());
            Assert.Equal((string)entry["tree_hash_after"]!, tree.TreeHash(suite).ToHex());

            // The cached hashes agree with a tree decoded afresh.
            Assert.Equal(TreeVectors.Tree(entry, "tree_after").TreeHash(suite), tree.TreeHash(suite));
        }

        Assert.Equal(new byte[] { 1, 2, 3 }, types.Order());
    }
}
