using System.Net;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.IntegrationTests.Api;
using ChatOpsIncident.IntegrationTests.Teams.Support;
using ChatOpsIncident.Teams.Testing;

namespace ChatOpsIncident.IntegrationTests.Teams;

/// <summary>A change posted before a declare is in the Teams kickoff card itself (Adaptive Card), not a later message.</summary>
public sealed class TeamsKickoffChangesTests : IAsyncLifetime
{
    private TeamsScenario _teams = null!;

    public async Task InitializeAsync() => _teams = await TeamsScenario.StartAsync(settings =>
    {
        foreach (var (key, value) in ApiTestClient.Settings())
        {
            settings[key] = value;
        }
    });

    public async Task DisposeAsync() => await _teams.DisposeAsync();

    [Fact]
    public async Task ChangePostedBeforeADeclare_IsInTheKickoffCard()
    {
        var posted = await ApiTestClient.SendAsync(_teams.Host.Client, HttpMethod.Post, "/api/changes", new { kind = "flag", service = "search", summary = "new-ranker 50%", author = "flagbot" }, ApiTestClient.Deployer);
        Assert.Equal(HttpStatusCode.Created, posted.Response.StatusCode);

        var channel = await _teams.DeclareAsync();

        var kickoff = Assert.Single(_teams.PostsTo(channel, "Triage checklist"));
        var text = BotFrameworkStub.CardText(kickoff["activity"]!["attachments"]![0]!);
        Assert.Contains(IncidentMessages.RecentChangesTitle, text, StringComparison.Ordinal);
        Assert.Contains("flag search: new-ranker 50% (by flagbot)", text, StringComparison.Ordinal);
        await _teams.OutboxDrainedAsync("every post of the declaration is out");
        Assert.Single(_teams.PostsTo(channel, "new-ranker"));
    }
}
