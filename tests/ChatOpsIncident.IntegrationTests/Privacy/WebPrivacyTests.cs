using System.Net;
using System.Net.Http.Headers;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.IntegrationTests.Web;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Privacy;

/// <summary>The findings about the pages and the API, through the real host, viewed as test users.</summary>
public sealed class WebPrivacyTests : IAsyncLifetime
{
    private const string Token = "privacy-test-admin-token-0123456789abcdef";
    private const string Secret = "Leaked credentials";
    private readonly RecordingChatPlatform _chat = new("slack");
    private TestHost _host = null!;
    private WebSeed _seed = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Token"] = Token,
            ["Auth:Admins:0"] = "U0ADMIN",
        }, chat: _chat);
        _seed = new WebSeed(_host.Services, _chat);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private HttpClient Client(string asUser)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };
        // The pages are closed without the admin token outside Development; the test-user header then narrows that
        // admin to the given user (Testing only), which is whom the rule is asked about.
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        client.DefaultRequestHeaders.Add("X-ChatOps-Test-User", asUser);
        return client;
    }

    /// <summary>A message captured onto the private incident's timeline from elsewhere, written by Mallory.</summary>
    private async Task<Incident> PrivateIncidentWithMalloryOnItsTimelineAsync()
    {
        var secret = await _seed.DeclareAsync(WebSeed.Alice, $"declare sev1 type:security {Secret}");
        Assert.True(secret.IsPrivate);
        var source = new SourceRef("slack", "CELSEWHERE", "1741947000.000100");
        var capture = (Core.Timeline.TimelineCapture)_host.Services.GetService(typeof(Core.Timeline.TimelineCapture))!;
        Assert.True(await capture.CaptureAsync(secret, new CapturedMessage(source, WebSeed.Mallory, "look at this", DateTimeOffset.UtcNow), WebSeed.Mallory, CancellationToken.None));
        return secret;
    }

    [Fact]
    public async Task MessageActionAuthor_IsNotAParticipant_PrivateIncidentPagesAre404()
    {
        // The finding: writing on the timeline "makes the author a participant, who may then read the whole private
        // incident on the web".
        var secret = await PrivateIncidentWithMalloryOnItsTimelineAsync();
        using var mallory = Client(WebSeed.Mallory.Id);

        var list = await mallory.GetStringAsync("/incidents");
        var responses = new[]
        {
            await mallory.GetAsync($"/incidents/{secret.Id}"),
            await mallory.GetAsync($"/incidents/INC-{secret.Number}"),
            await mallory.GetAsync($"/incidents/{secret.Id}/postmortem"),
            await mallory.GetAsync($"/incidents/{secret.Id}/postmortem.md"),
        };

        Assert.DoesNotContain(Secret, list, StringComparison.Ordinal);
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("Leaked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PrivateIncident_Declarer_AndAdmin_SeeItsPages()
    {
        var secret = await PrivateIncidentWithMalloryOnItsTimelineAsync();
        using var alice = Client(WebSeed.Alice.Id);
        using var admin = Client("U0ADMIN");

        Assert.Contains(Secret, await alice.GetStringAsync("/incidents"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/incidents/{secret.Id}/postmortem.md")).StatusCode);
        Assert.Contains(Secret, await admin.GetStringAsync($"/incidents/{secret.Id}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsPage_ForANonParticipant_ListsNoPrivateTitle()
    {
        var secret = await PrivateIncidentWithMalloryOnItsTimelineAsync();
        // Resolved before it was acknowledged: flagged, so the metrics page lists it by name to those who may see it.
        var record = (await _seed.Store.GetAsync(secret.Id, CancellationToken.None))!;
        var broken = record.Incident.Copy();
        broken.Status = IncidentStatus.Resolved;
        broken.ResolvedAt = broken.DeclaredAt.AddMinutes(-5);
        Assert.Equal(Core.Storage.SaveOutcome.Saved, await _seed.Store.SaveAsync(broken, new Core.Storage.ChangeSet(), CancellationToken.None));
        using var mallory = Client(WebSeed.Mallory.Id);
        using var admin = Client("U0ADMIN");

        var malloryPage = await mallory.GetStringAsync("/reports");
        var adminPage = await admin.GetStringAsync("/reports");

        Assert.Contains(Secret, adminPage, StringComparison.Ordinal);
        Assert.Contains("A private incident", malloryPage, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, malloryPage, StringComparison.Ordinal);
        Assert.DoesNotContain($"INC-{secret.Number}", malloryPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_WithTheAdminToken_SeesPrivateIncidents()
    {
        var secret = await PrivateIncidentWithMalloryOnItsTimelineAsync();
        using var api = new HttpClient { BaseAddress = _host.BaseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        Assert.Contains(Secret, await api.GetStringAsync("/api/incidents"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/incidents/{secret.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/incidents/{secret.Id}/postmortem.md")).StatusCode);
    }
}
