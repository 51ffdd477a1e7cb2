using System.Net;
using System.Text.Json;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using static ChatOpsIncident.IntegrationTests.Sandbox.SandboxClient;

namespace ChatOpsIncident.IntegrationTests.Sandbox;

/// <summary>
/// The workspace keeps the platform contract: a retry of the same client id changes nothing (one message, one delivery,
/// one incident, one role change, one timeline entry), and a private incident's channel does not exist for outsiders.
/// </summary>
public sealed class SandboxRetryAndPrivacyTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private SandboxClient _api = null!;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        _api = new SandboxClient(_host.Client);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private IIncidentStore Store => _host.Services.GetRequiredService<IIncidentStore>();

    [Fact]
    public async Task Retries_OfTheSameIds_ChangeNothing()
    {
        var first = await _api.PostAsync("general", "alice", "/incident declare sev3 Search is slow", "declare-1");
        var again = await _api.PostAsync("general", "alice", "/incident declare sev3 Search is slow", "declare-1");
        Assert.Equal(Id(first), Id(again));
        Assert.False(first.GetProperty("duplicate").GetBoolean());
        Assert.True(again.GetProperty("duplicate").GetBoolean());

        var channel = await _api.WaitForChannelAsync("alice", c => c.GetProperty("kind").GetString() == "incident", "the incident channel");
        var incidentId = Guid.Parse(channel.GetProperty("incidentId").GetString()!);
        var kickoff = await _api.WaitForMessageAsync(Id(channel), "bob", m => m.GetProperty("buttons").GetArrayLength() > 0, "the kickoff card");
        var claim = Button(kickoff, "I'm Communications Lead");
        var clicked = await _api.ClickAsync(Id(kickoff), "bob", claim, "bob-claim");
        await WaitAsync(async () => (await Store.GetAsync(incidentId, CancellationToken.None))!.Holder(RoleKeys.Comms)?.Id == "bob", "bob holds Communications Lead");
        var reclicked = await _api.ClickAsync(Id(kickoff), "bob", claim, "bob-claim");
        Assert.Equal(clicked.GetProperty("delivery").GetString(), reclicked.GetProperty("delivery").GetString());
        Assert.True(reclicked.GetProperty("duplicate").GetBoolean());

        // The claim took its button off the card: carol clicking it from the card as she saw it (a stale page) is told
        // the button is gone, and nothing changes — not the button that moved into its place.
        await _api.WaitForMessageAsync(Id(channel), "carol", m => Id(m) == Id(kickoff) && !m.GetProperty("buttons").EnumerateArray().Any(b => b.GetProperty("label").GetString() == "I'm Communications Lead"), "the kickoff card after the claim");
        var stale = await _api.ClickRawAsync(Id(kickoff), "carol", claim, "carol-stale-claim");
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Contains("no longer there", await stale.Content.ReadAsStringAsync());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE delivery_id = 'action:user:carol:carol-stale-claim'"));

        // The card's "Post update", named from the card as it was before the claim (its id does not depend on its
        // place), opens the update form for bob alone; answering it twice posts one update.
        await _api.ClickAsync(Id(kickoff), "bob", Button(kickoff, "Post update"), "bob-open-update");
        var updateForm = await _api.WaitForMessageAsync(Id(channel), "bob", m => m.TryGetProperty("form", out var f) && f.GetProperty("form").GetProperty("kind").GetString() == "update", "the update form for bob");
        Assert.DoesNotContain(await _api.MessagesAsync(Id(channel), "carol"), m => Id(m) == Id(updateForm));
        var answered = await _api.SubmitAsync(Id(updateForm), "bob", new { status = "identified", text = "Cache cluster lost a node" });
        var reanswered = await _api.SubmitAsync(Id(updateForm), "bob", new { status = "identified", text = "Cache cluster lost a node" });
        Assert.Equal(answered.GetProperty("delivery").GetString(), reanswered.GetProperty("delivery").GetString());
        Assert.True(reanswered.GetProperty("duplicate").GetBoolean());
        await WaitAsync(async () => (await Store.GetAsync(incidentId, CancellationToken.None))!.Updates.Any(u => u.Text == "Cache cluster lost a node"), "the update from the form");

        var said = await _api.PostAsync(Id(channel), "carol", "Cache hit rate fell to 2%", "carol-1");
        Assert.Equal(Id(said), Id(await _api.PostAsync(Id(channel), "carol", "Cache hit rate fell to 2%", "carol-1")));
        await _api.ReactAsync(Id(said), "bob", "pushpin", "bob-pin");
        var repin = await _api.ReactAsync(Id(said), "bob", "pushpin", "bob-pin");
        Assert.True(repin.GetProperty("duplicate").GetBoolean());
        await WaitAsync(async () => (await Store.GetAsync(incidentId, CancellationToken.None))!.Timeline.Any(t => t.Kind == TimelineKinds.Pinned), "the pin on the timeline");
        await _api.WaitForMessageAsync(Id(channel), "carol", m => Id(m) == Id(said) && m.GetProperty("reactions").GetArrayLength() == 2, "the 📌 and the bot's acknowledgement");

        // Once everything has been processed, the retries left one of each behind.
        await WaitAsync(async () => await PendingInboxAsync() == 0, "the inbox drained");
        await WaitAsync(async () => await PendingOutboxAsync() == 0, "the outbox drained");
        var record = (await Store.GetAsync(incidentId, CancellationToken.None))!;
        Assert.Single(await Store.ListAsync(new IncidentQuery(), CancellationToken.None));
        Assert.Single(record.Roles, r => r.Role == RoleKeys.Comms);
        Assert.Equal("bob", record.Holder(RoleKeys.Comms)!.Id);
        Assert.Single(record.Timeline, t => t.Kind == TimelineKinds.Pinned);
        Assert.Single(record.Updates, u => u.Text == "Cache cluster lost a node");
        var messages = await _api.MessagesAsync(Id(channel), "carol");
        Assert.Single(messages, m => m.GetProperty("text").GetString() == "Cache hit rate fell to 2%");
        Assert.Single(messages, m => m.GetProperty("pinned").GetBoolean());
        Assert.Single(await _api.MessagesAsync("general", "alice"), m => m.GetProperty("text").GetString() == "/incident declare sev3 Search is slow");
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE platform = 'sandbox' AND delivery_id = 'message:user:alice:declare-1'"));
    }

    [Fact]
    public async Task PrivateIncident_ChannelAndMessages_DoNotExistForOutsiders()
    {
        await _api.PostAsync("general", "alice", "/incident declare sev1 type:security Leaked deploy credentials");
        var channel = await _api.WaitForChannelAsync("alice", c => c.GetProperty("kind").GetString() == "incident", "alice sees her private channel");
        Assert.True(channel.GetProperty("private").GetBoolean());
        var kickoff = await _api.WaitForMessageAsync(Id(channel), "alice", m => m.GetProperty("buttons").GetArrayLength() > 0, "the kickoff card");

        Assert.DoesNotContain(await _api.ChannelsAsync("dan"), c => Id(c) == Id(channel));
        Assert.DoesNotContain(await _api.ChannelsAsync(null), c => Id(c) == Id(channel));
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync($"/sandbox/api/channels/{Id(channel)}/messages?as=dan")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostRawAsync(Id(channel), "dan", "hello?")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.ClickRawAsync(Id(kickoff), "dan", Button(kickoff, "I'm Scribe"))).StatusCode);

        // Given a role, dan is one of the incident's people (and invited): the channel appears for him.
        await _api.PostAsync(Id(channel), "alice", "/incident role scribe <@dan|dan>");
        await _api.WaitForChannelAsync("dan", c => Id(c) == Id(channel), "dan sees the channel once he is the scribe");
    }

    [Fact]
    public async Task BadInput_GetsAClearAnswer_AndChangesNothing()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostRawAsync("general", "mallory", "hi")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.PostRawAsync("general", "alice", "   ")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.PostRawAsync("nowhere", "alice", "hi")).StatusCode);
        var hello = await _api.PostAsync("general", "alice", "hello");
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.ClickRawAsync(Id(hello), "alice", "b0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _host.Client.PostAsync($"/sandbox/api/messages/{Id(hello)}/reactions", JsonContent("{\"user\":\"alice\",\"name\":\"skull\"}"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _api.SubmitRawAsync(Id(hello), "alice", new { title = "x" })).StatusCode);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.inbox WHERE platform = 'sandbox'"));
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    private Task<long> PendingInboxAsync() => CountAsync("SELECT count(*) FROM chatops.inbox WHERE status NOT IN ('done', 'dead')");

    private Task<long> PendingOutboxAsync() => CountAsync("SELECT count(*) FROM chatops.outbox WHERE status NOT IN ('done', 'dead')");

    private async Task<long> CountAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(_host.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
