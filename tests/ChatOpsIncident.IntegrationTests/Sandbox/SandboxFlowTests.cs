using System.Net;
using System.Text.Json;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static ChatOpsIncident.IntegrationTests.Sandbox.SandboxClient;

namespace ChatOpsIncident.IntegrationTests.Sandbox;

/// <summary>
/// A whole incident scripted through the workspace's JSON API, on the whole host: every step goes API → inbox → core
/// → outbox → workspace, and the answers are read back the way the page reads them.
/// </summary>
public sealed class SandboxFlowTests : IAsyncLifetime
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
    public async Task Drill_DeclareClaimPinUpdateRemindResolve_PostmortemCarriesPinAndUpdate()
    {
        // alice declares SEV2 with the form.
        await _api.PostAsync("general", "alice", "/incident declare", "alice-1");
        var form = await _api.WaitForMessageAsync("general", "alice", m => m.TryGetProperty("form", out _), "the declare form for alice");
        Assert.Equal("alice", form.GetProperty("ephemeralFor").GetString());
        Assert.DoesNotContain(await _api.MessagesAsync("general", "bob"), m => Id(m) == Id(form));
        var formId = form.GetProperty("form").GetProperty("id").GetString()!;
        var refused = await _api.SubmitRawAsync(formId, "alice", new { title = "", severity = "SEV2" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("\"title\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await _api.SubmitAsync(formId, "alice", new { title = "Checkout 5xx after deploy", severity = "SEV2", type = "availability", @private = false });

        var channel = await _api.WaitForChannelAsync("bob", c => c.GetProperty("kind").GetString() == "incident", "the incident channel");
        var channelId = Id(channel);
        var incidentId = Guid.Parse(channel.GetProperty("incidentId").GetString()!);
        Assert.Equal($"/incidents/{incidentId}", channel.GetProperty("incidentUrl").GetString());
        var incident = (await Store.GetAsync(incidentId, CancellationToken.None))!.Incident;
        Assert.Equal(("SEV2", "sandbox", "alice"), (incident.Severity, incident.Platform, incident.DeclaredBy.Id));
        await _api.WaitForMessageAsync("incidents", "dan", m => m.GetProperty("text").GetString()!.Contains(incident.PublicId, StringComparison.Ordinal), "the feed announcement");

        // bob claims Communications Lead with the kickoff card's button.
        var kickoff = await _api.WaitForMessageAsync(channelId, "bob", m => m.GetProperty("buttons").EnumerateArray().Any(b => b.GetProperty("label").GetString() == "I'm Communications Lead"), "the kickoff card");
        Assert.True(kickoff.GetProperty("pinned").GetBoolean() || await PinnedSoonAsync(channelId, Id(kickoff)));
        await _api.ClickAsync(Id(kickoff), "bob", Button(kickoff, "I'm Communications Lead"), "bob-claim");
        await WaitAsync(async () => (await Store.GetAsync(incidentId, CancellationToken.None))!.Holder(RoleKeys.Comms)?.Id == "bob", "bob holds Communications Lead");
        await _api.WaitForMessageAsync(channelId, "bob", m => Id(m) == Id(kickoff) && !m.GetProperty("buttons").EnumerateArray().Any(b => b.GetProperty("label").GetString() == "I'm Communications Lead"), "the kickoff card without the claimed role's button");

        // carol's message, pinned with 📌 by alice, lands on the timeline; the bot acknowledges it.
        var said = await _api.PostAsync(channelId, "carol", "Error rate at 40% since the deploy", "carol-1");
        await _api.ReactAsync(Id(said), "alice", "📌", "alice-pin");
        await WaitAsync(async () => (await Store.GetAsync(incidentId, CancellationToken.None))!.Timeline.Any(t => t.Kind == TimelineKinds.Pinned && t.Text == "Error rate at 40% since the deploy" && t.Author?.Id == "carol"), "the pinned message on the timeline");
        await _api.WaitForMessageAsync(channelId, "dan", m => Id(m) == Id(said) && m.GetProperty("reactions").EnumerateArray().Any(r => r.GetProperty("name").GetString() == "white_check_mark" && r.GetProperty("users")[0].GetString() == "chatops"), "the bot's acknowledgement");

        // bob posts an update; then, with nothing newer, the reminder arrives after the short cadence.
        await _api.PostAsync(channelId, "bob", "/incident update identified Checkout fails for 40% of customers", "bob-update");
        var update = await _api.WaitForMessageAsync(channelId, "dan", m => Title(m).StartsWith("📣 Status update", StringComparison.Ordinal), "the update in the channel");
        await _api.WaitForMessageAsync("stakeholders", "dan", m => m.GetProperty("text").GetString()!.Contains("Checkout fails for 40% of customers", StringComparison.Ordinal) || Title(m).Contains(incident.PublicId, StringComparison.Ordinal), "the stakeholder fan-out");
        var reminder = await _api.WaitForMessageAsync(channelId, "bob", m => Title(m).StartsWith("⏰ Status update due", StringComparison.Ordinal) && Seq(m) > Seq(update), "the update reminder after the update", TimeSpan.FromMinutes(3));
        Assert.Contains("<@bob", reminder.GetProperty("text").GetString(), StringComparison.Ordinal);

        // alice resolves through the recovery checklist.
        await _api.PostAsync(channelId, "alice", "/incident resolve", "alice-resolve-1");
        var checklist = await _api.WaitForMessageAsync(channelId, "alice", m => Title(m).StartsWith("Recovery checklist", StringComparison.Ordinal), "the recovery checklist");
        Assert.Equal("alice", checklist.GetProperty("ephemeralFor").GetString());
        var items = ChecklistActions(checklist);
        Assert.Equal(5, items.Count);
        foreach (var (item, n) in items.Select((item, n) => (item, n)))
        {
            await _api.ClickAsync(Id(checklist), "alice", item, $"alice-tick-{n}");
        }

        await WaitAsync(async () => (await Store.GetAsync(incidentId, CancellationToken.None))!.Checklists.Count(c => c.Checklist == IncidentMessages.RecoveryChecklist && c.DoneAt is not null) == 5, "all five recovery items ticked");
        await _api.PostAsync(channelId, "alice", "/incident resolve", "alice-resolve-2");
        await WaitAsync(async () => (await Store.GetAsync(incidentId, CancellationToken.None))!.Incident.Status == IncidentStatus.Resolved, "the incident resolved");

        // The postmortem page (a local admin in Development) carries the pin and the update.
        var postmortem = await _host.Client.GetStringAsync($"/incidents/{incidentId}/postmortem");
        Assert.Contains("Error rate at 40% since the deploy", postmortem, StringComparison.Ordinal);
        Assert.Contains("Checkout fails for 40% of customers", postmortem, StringComparison.Ordinal);
    }

    private static long Seq(JsonElement message) => message.GetProperty("seq").GetInt64();

    private async Task<bool> PinnedSoonAsync(string channelId, string messageId)
    {
        await WaitAsync(async () => (await _api.MessagesAsync(channelId, "bob")).Any(m => Id(m) == messageId && m.GetProperty("pinned").GetBoolean()), "the kickoff card pinned");
        return true;
    }
}
