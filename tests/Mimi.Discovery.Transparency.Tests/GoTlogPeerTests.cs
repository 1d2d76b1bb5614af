using System.Text;
using System.Text.Json.Nodes;
using Mimi.Discovery.Transparency.Tests.Support;

namespace Mimi.Discovery.Transparency.Tests;

/// <summary>Our log, proofs and notes checked by Go's golang.org/x/mod/sumdb/tlog and sumdb/note (tests/peers/gotlog).</summary>
public class GoTlogPeerTests(GoTlogPeer go) : IClassFixture<GoTlogPeer>
{
    [Fact]
    public void Go_opens_our_signed_checkpoint_with_our_verifier_key()
    {
        var signer = NoteSigner.Generate("log.example/mimi");
        var checkpoint = new Checkpoint("log.example/mimi", 70_000, MerkleHash.LeafHash("root"u8));
        var note = SignedNote.Sign(checkpoint.Format(), signer);

        var opened = go.Call(new JsonObject
        {
            ["op"] = "open",
            ["note"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(note)),
            ["verifierKey"] = signer.VerifierKey,
        });
        Assert.Equal(checkpoint.Format(), opened["text"]!.GetValue<string>());

        // Go refuses it under another key, so the check above means something.
        var (ok, _) = go.CallAllowingError(new JsonObject
        {
            ["op"] = "open",
            ["note"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(note.Replace("70000", "70001", StringComparison.Ordinal))),
            ["verifierKey"] = signer.VerifierKey,
        });
        Assert.False(ok);
    }

    [Fact]
    public void Our_verifier_opens_a_note_go_signed_and_we_sign_it_identically()
    {
        var text = "go.example/log\n42\n" + Convert.ToBase64String(MerkleHash.LeafHash("x"u8)) + "\n";
        var signed = go.Call(new JsonObject { ["op"] = "sign", ["name"] = "go.example/log", ["text"] = text });
        var note = GoTlogPeer.Bytes(signed["note"]);
        var verifier = NoteVerifier.Parse(signed["verifierKey"]!.GetValue<string>());

        var opened = SignedNote.Open(note, [verifier]);
        Assert.Equal(NoteStatus.Verified, opened.Status);
        Assert.Equal(text, opened.Text);

        // Ed25519 is deterministic: Go's signer key, parsed by us, signs to the very same bytes.
        var signer = NoteSigner.ParseSignerKey(signed["signerKey"]!.GetValue<string>());
        Assert.Equal(verifier.VerifierKey, signer.VerifierKey);
        Assert.Equal(Encoding.UTF8.GetString(note), SignedNote.Sign(text, signer));
    }

    [Fact]
    public async Task Our_tiles_roots_and_proofs_equal_the_ones_go_computes()
    {
        go.Call(new JsonObject { ["op"] = "reset" });
        var random = new Random(2019);
        var log = new TiledLog();
        var entries = new List<byte[]>();
        var sizes = new List<long>();
        while (log.Size < 70_000)
        {
            var count = random.Next(1, 4000);
            var batch = new List<byte[]>(count);
            for (var i = 0; i < count; i++)
            {
                var entry = new byte[random.Next(0, 64)];
                random.NextBytes(entry);
                batch.Add(entry);
            }

            var oldSize = log.Size;
            var append = await log.AppendAsync([.. batch.Select(e => MerkleHash.LeafHash(e))]);
            entries.AddRange(batch);
            sizes.Add(log.Size);

            // Go hashes the records itself (RecordHash) and stores its own hashes.
            go.Call(new JsonObject { ["op"] = "append", ["records"] = GoTlogPeer.Base64Array(batch) });
            var goRoot = GoTlogPeer.Bytes(go.Call(new JsonObject { ["op"] = "root", ["size"] = log.Size })["hash"]);
            Assert.Equal(goRoot, append.Root);

            // The tiles Go publishes for this growth, minus the partial tiles it re-publishes unchanged, are ours.
            var goTiles = go.Call(new JsonObject { ["op"] = "tiles", ["old"] = oldSize, ["new"] = log.Size })["tiles"]!.AsArray();
            var changed = goTiles
                .Select(t => (Tile: new TileCoordinate(t!["level"]!.GetValue<int>(), t["index"]!.GetValue<long>(), t["width"]!.GetValue<int>()),
                    Path: t["path"]!.GetValue<string>(), Data: GoTlogPeer.Bytes(t["data"])))
                .Where(t => !TileCoordinate.Exists(t.Tile, oldSize))
                .ToList();
            Assert.Equal(changed.Select(t => t.Tile.Path).Order(StringComparer.Ordinal), append.Tiles.Select(t => t.Coordinate.Path).Order(StringComparer.Ordinal));
            foreach (var (tile, path, data) in changed)
            {
                // Go's paths carry the tile height; C2SP's leave it out.
                Assert.Equal("tile/8/" + tile.Path["tile/".Length..], path);
                Assert.Equal(data, append.Tiles.Single(t => t.Coordinate == tile).Hashes);
            }
        }

        var probeSizes = sizes.Where((_, i) => i % 3 == 0).Append(log.Size).Append(1).Append(256).Append(65_536).Distinct().Where(s => s <= log.Size);
        foreach (var size in probeSizes)
        {
            var root = await MerkleTree.RootAsync(log.Store, size);
            Assert.Equal(GoTlogPeer.Bytes(go.Call(new JsonObject { ["op"] = "root", ["size"] = size })["hash"]), root);
            for (var probe = 0; probe < 5; probe++)
            {
                var index = random.NextInt64(size);
                var proof = await MerkleTree.InclusionProofAsync(log.Store, index, size);
                var goProof = GoTlogPeer.ByteArrays(go.Call(new JsonObject { ["op"] = "proveRecord", ["index"] = index, ["size"] = size })["proof"]);
                Assert.Equal(goProof, proof);
                go.Call(new JsonObject
                {
                    ["op"] = "checkRecord",
                    ["index"] = index,
                    ["size"] = size,
                    ["root"] = Convert.ToBase64String(root),
                    ["leaf"] = Convert.ToBase64String(log.Leaves[(int)index]),
                    ["proof"] = GoTlogPeer.Base64Array(proof),
                });

                var oldSize = random.NextInt64(1, size + 1);
                var oldRoot = await MerkleTree.RootAsync(log.Store, oldSize);
                var consistency = await MerkleTree.ConsistencyProofAsync(log.Store, oldSize, size);
                var goConsistency = GoTlogPeer.ByteArrays(go.Call(new JsonObject { ["op"] = "proveTree", ["old"] = oldSize, ["new"] = size })["proof"]);
                Assert.Equal(goConsistency, consistency);
                go.Call(new JsonObject
                {
                    ["op"] = "checkTree",
                    ["old"] = oldSize,
                    ["new"] = size,
                    ["oldRoot"] = Convert.ToBase64String(oldRoot),
                    ["newRoot"] = Convert.ToBase64String(root),
                    ["proof"] = GoTlogPeer.Base64Array(consistency),
                });
            }
        }

        // And Go rejects a proof we spoiled, so its acceptance above means something.
        var spoiled = (await MerkleTree.InclusionProofAsync(log.Store, 5, log.Size)).Select(h => h.ToArray()).ToArray();
        spoiled[3][7] ^= 1;
        var (ok, _) = go.CallAllowingError(new JsonObject
        {
            ["op"] = "checkRecord",
            ["index"] = 5,
            ["size"] = log.Size,
            ["root"] = Convert.ToBase64String(await MerkleTree.RootAsync(log.Store, log.Size)),
            ["leaf"] = Convert.ToBase64String(log.Leaves[5]),
            ["proof"] = GoTlogPeer.Base64Array(spoiled),
        });
        Assert.False(ok);
    }

    [Fact]
    public void Go_hashes_records_as_our_leaf_hash()
    {
        var random = new Random(1);
        for (var i = 0; i < 20; i++)
        {
            var record = new byte[random.Next(0, 300)];
            random.NextBytes(record);
            var goHash = GoTlogPeer.Bytes(go.Call(new JsonObject { ["op"] = "leafHash", ["leaf"] = Convert.ToBase64String(record) })["hash"]);
            Assert.Equal(goHash, MerkleHash.LeafHash(record));
        }
    }
}
