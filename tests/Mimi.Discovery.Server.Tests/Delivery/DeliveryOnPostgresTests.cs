using System.Text;
using Mimi.Discovery.Protocol;
using Mimi.Discovery.Server.Tests.Fixtures;
using Npgsql;
using static Mimi.Discovery.Server.Tests.Delivery.DeliveryFixture;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>The delivery core's SQL on PostgreSQL (the other tests run it on SQLite): both providers on their own database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeliveryOnPostgresTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_cross_provider_add_and_messages_both_ways_work_with_both_providers_on_PostgreSQL()
    {
        var databases = new Dictionary<string, string>(StringComparer.Ordinal);
        var fixture = await DeliveryFixture.StartAsync(async name => databases[name] = await postgres.CreateDatabaseAsync());
        try
        {
            var ria = await fixture.MemberAsync(fixture.Alpha, "ria");
            var sam = await fixture.MemberAsync(fixture.Beta, "sam");
            const string room = "mimi://alpha.test/r/pg";
            await sam.Client.UploadKeyPackagesAsync([(await fixture.Mls.KeyPackageAsync("sam")).KeyPackage]);
            var created = await fixture.Mls.CreateGroupAsync("ria", room);
            await ria.Client.CreateRoomAsync("pg", created.GroupInfo, created.RatchetTree);
            var claim = Decode(await ria.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(ria, sam.UserUri, room)));
            Assert.Equal(KeyMaterialUserCode.Success, claim.UserStatus);
            var accepted = DecodeUpdate(await ria.Client.UpdateRoomAsync(room, CommitUpdate(await fixture.Mls.AddMemberAsync("ria", room, AsMessage(claim.Clients[0].KeyPackage!)))));
            Assert.Equal(UpdateResponseCode.Success, accepted.ResponseCode);

            var welcome = Assert.Single(await InboxAsync(sam.Client, 1));
            Assert.Equal((room, 1UL), await fixture.Mls.JoinAsync("sam", welcome.MessageBytes, welcome.RatchetTreeBytes));
            await ria.Client.SubmitMessageAsync(room, await fixture.Mls.EncryptAsync("ria", room, Encoding.UTF8.GetBytes("from alpha")));
            var atSam = Assert.Single(await InboxAsync(sam.Client, 1, welcome.Seq));
            Assert.Equal("from alpha", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync("sam", atSam.MessageBytes)).Plaintext!));
            await sam.Client.SubmitMessageAsync(room, await fixture.Mls.EncryptAsync("sam", room, Encoding.UTF8.GetBytes("from beta")));
            var atRia = Assert.Single(await InboxAsync(ria.Client, 1));
            Assert.Equal("from beta", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync("ria", atRia.MessageBytes)).Plaintext!));
            Assert.Empty((await sam.Client.ReadInboxAsync(atSam.Seq, TimeSpan.FromSeconds(1))).Items);
            Assert.Equal(2, await sam.Client.AckInboxAsync(atSam.Seq));

            // The rows are in the providers' PostgreSQL databases: the room and its members at the hub, the claim at both.
            Assert.Equal(2L, await ScalarAsync(databases["alpha.test"], "SELECT count(*) FROM room_members"));
            Assert.Equal(1L, await ScalarAsync(databases["beta.test"], "SELECT count(*) FROM hosted_users WHERE user_uri = 'mimi://beta.test/u/sam'"));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
