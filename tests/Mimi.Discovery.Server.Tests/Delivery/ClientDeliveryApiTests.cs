using System.Text;
using Microsoft.Extensions.Time.Testing;
using Mimi.Discovery.Client;
using Mimi.Discovery.Server.Tests.Hosting;
using static Mimi.Discovery.Server.Tests.Delivery.DeliveryFixture;

namespace Mimi.Discovery.Server.Tests.Delivery;

/// <summary>The client API's inbox as a server-sent event stream.</summary>
public sealed class ClientDeliveryApiTests(DeliveryFixture fixture) : IClassFixture<DeliveryFixture>
{
    [Fact]
    public async Task The_inbox_stream_yields_each_item_once_in_order_and_resumes_after_a_given_sequence_number()
    {
        var ola = await fixture.MemberAsync(fixture.Alpha, "ola");
        var pim = await fixture.MemberAsync(fixture.Beta, "pim");
        const string room = "mimi://alpha.test/r/stream";
        await pim.Client.UploadKeyPackagesAsync([(await fixture.Mls.KeyPackageAsync("pim")).KeyPackage]);
        var created = await fixture.Mls.CreateGroupAsync("ola", room);
        await ola.Client.CreateRoomAsync("stream", created.GroupInfo, created.RatchetTree);
        var claim = Decode(await ola.Client.ClaimKeyMaterialAsync(await KeyMaterialRequestAsync(ola, pim.UserUri, room)));
        await ola.Client.UpdateRoomAsync(room, CommitUpdate(await fixture.Mls.AddMemberAsync("ola", room, AsMessage(claim.Clients[0].KeyPackage!))));
        string[] texts = ["one", "two", "three"];
        foreach (var text in texts)
        {
            await ola.Client.SubmitMessageAsync(room, await fixture.Mls.EncryptAsync("ola", room, Encoding.UTF8.GetBytes(text)));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var stream = pim.Client.StreamInboxAsync(0, timeout.Token).GetAsyncEnumerator(timeout.Token);
        var items = new List<InboxItem>();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(await stream.MoveNextAsync());
            items.Add(stream.Current);
        }

        Assert.Equal(["welcome", "application", "application", "application"], items.Select(i => i.Kind));
        Assert.Equal(items.Select(i => i.Seq).Order(), items.Select(i => i.Seq));
        Assert.Equal(items.Count, items.Select(i => i.Seq).Distinct().Count());
        await fixture.Mls.JoinAsync("pim", items[0].MessageBytes, items[0].RatchetTreeBytes);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(texts[i], Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync("pim", items[i + 1].MessageBytes)).Plaintext!));
        }

        // The open stream re-reads the inbox every poll interval (1 s): a later message arrives once, and nothing else does.
        await ola.Client.SubmitMessageAsync(room, await fixture.Mls.EncryptAsync("ola", room, Encoding.UTF8.GetBytes("four")));
        Assert.True(await stream.MoveNextAsync());
        var fourth = stream.Current;
        Assert.True(fourth.Seq > items[^1].Seq);
        Assert.Equal("four", Encoding.UTF8.GetString((await fixture.Mls.ProcessAsync("pim", fourth.MessageBytes)).Plaintext!));
        var next = stream.MoveNextAsync().AsTask();
        Assert.NotSame(next, await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(2.5))));
        items.Add(fourth);

        // A new stream from the second item's sequence number starts with the third, in the same order.
        using var resumeTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var resumed = new List<InboxItem>();
        await foreach (var item in pim.Client.StreamInboxAsync(items[1].Seq, resumeTimeout.Token))
        {
            resumed.Add(item);
            if (resumed.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(items.Skip(2).Select(i => (i.Seq, i.Message)), resumed.Select(i => (i.Seq, i.Message)));
        await timeout.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
    }

    [Fact]
    public async Task Regression_the_inbox_long_poll_deadline_read_the_system_clock_instead_of_the_injected_one()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var hosted = new HostedProviderService(time: time);
        await hosted.Service.Operator().CreateHostedUserAsync("bob", "open");
        using var credentials = ClientCredentials.GenerateEs256($"mimi://{HostedProviderService.Domain}/d/bob-phone");
        await hosted.Service.Operator().AddHostedClientAsync("bob", "bob-phone", credentials.PublicJwk);
        var bob = hosted.Service.As(credentials);
        await bob.GetAccessTokenAsync();
        var started = time.GetUtcNow();

        // An empty inbox, asked to wait 20 s: the answer comes when the service's clock says so, whatever the wall clock does.
        var poll = bob.ReadInboxAsync(0, TimeSpan.FromSeconds(20));
        var wall = System.Diagnostics.Stopwatch.StartNew();
        while (!poll.IsCompleted && wall.Elapsed < TimeSpan.FromSeconds(10))
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(poll, Task.Delay(100));
        }

        Assert.True(poll.IsCompleted, $"the poll had not answered after {time.GetUtcNow() - started} on the service's clock ({wall.Elapsed} on the wall)");
        Assert.Empty((await poll).Items);
        Assert.True(time.GetUtcNow() - started >= TimeSpan.FromSeconds(20), $"answered after only {time.GetUtcNow() - started} on the service's clock");
    }
}
