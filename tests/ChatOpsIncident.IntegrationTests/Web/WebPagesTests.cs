using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Review;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.IntegrationTests.Web;

public sealed partial class WebPagesTests : IAsyncLifetime
{
    private const string Token = "web-test-token-456-web-test-token-456";
    private readonly RecordingChatPlatform _chat = new("slack");
    private TestHost _host = null!;
    private WebSeed _seed = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            ["Api:Token"] = Token,
            ["Web:BaseUrl"] = "https://incidents.example.com/",
            ["Auth:Admins:0"] = "U0ADMIN",
        }, chat: _chat);
        _seed = new WebSeed(_host.Services, _chat);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    /// <summary>
    /// A browser-like client: keeps cookies, does not follow redirects, presents the admin token (outside Development
    /// nothing is open without it), optionally narrowed to a test user.
    /// </summary>
    private HttpClient Client(string? asUser = null, bool withToken = true)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = _host.BaseAddress };
        if (withToken)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        if (asUser is not null)
        {
            client.DefaultRequestHeaders.Add("X-ChatOps-Test-User", asUser);
        }

        return client;
    }

    [Fact]
    public async Task List_ShowsIncidents_AndFiltersByStatusSeverityTypeAndSearch()
    {
        var checkout = await _seed.DeclareAsync(WebSeed.Alice, "declare sev2 type:availability Checkout 5xx");
        var search = await _seed.DeclareAsync(WebSeed.Alice, "declare sev4 type:performance Search is slow");
        await _seed.RunAsync(search, WebSeed.Alice, "resolve --force fixed by cache warmup");
        using var client = Client();

        var all = await client.GetStringAsync("/incidents");
        var sev2 = await client.GetStringAsync("/incidents?severity=SEV2");
        var resolved = await client.GetStringAsync("/incidents?status=resolved");
        var open = await client.GetStringAsync("/incidents?status=open");
        var perf = await client.GetStringAsync("/incidents?type=performance");
        var found = await client.GetStringAsync("/incidents?q=checkout");
        var none = await client.GetStringAsync("/incidents?q=nothing-like-this");

        Assert.Contains("Checkout 5xx", all, StringComparison.Ordinal);
        Assert.Contains("Search is slow", all, StringComparison.Ordinal);
        Assert.Contains("2 incidents.", all, StringComparison.Ordinal);
        Assert.Contains($"href=\"/incidents/{checkout.Id}\"", sev2, StringComparison.Ordinal);
        Assert.DoesNotContain("Search is slow", sev2, StringComparison.Ordinal);
        Assert.Contains("Search is slow", resolved, StringComparison.Ordinal);
        Assert.DoesNotContain("Checkout 5xx", resolved, StringComparison.Ordinal);
        Assert.DoesNotContain("Search is slow", open, StringComparison.Ordinal);
        Assert.DoesNotContain("Checkout 5xx", perf, StringComparison.Ordinal);
        Assert.Contains("Checkout 5xx", found, StringComparison.Ordinal);
        Assert.DoesNotContain("Search is slow", found, StringComparison.Ordinal);
        Assert.Contains("No incidents match.", none, StringComparison.Ordinal);
        Assert.Contains("<option value=\"SEV2\" selected>", sev2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_BadFilter_Answers400_WithAClearMessage()
    {
        using var client = Client();

        var response = await client.GetAsync("/incidents?status=exploded&severity=SEV9");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown status &#x27;exploded&#x27;. Unknown severity &#x27;SEV9&#x27;.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_ShowsRolesTimelineUpdatesActionsAuditAndChannelLink()
    {
        var i = await _seed.ScriptedAsync();
        using var client = Client();

        // Cells carry their column name for the phone layout; the assertions read the table without it.
        var html = DataLabel().Replace(await client.GetStringAsync($"/incidents/{i.Id}"), "");

        var record = (await _seed.Store.GetAsync(i.Id, CancellationToken.None))!;
        Assert.Contains($"<a href=\"https://chat.example/{i.ChannelId}\">Open #{i.ChannelName} in Slack</a>", html, StringComparison.Ordinal);
        foreach (var e in PostmortemDraft.OrderedTimeline(record))
        {
            Assert.Contains(Html(PostmortemDraft.Mentions(e.Text)), html, StringComparison.Ordinal);
        }

        Assert.Equal(PostmortemDraft.OrderedTimeline(record).Count, TimelineItem().Matches(html).Count);
        Assert.Contains("Communications Lead</th><td>@bob</td>", html, StringComparison.Ordinal);
        Assert.Contains("Checkout fails for about 40% of customers.", html, StringComparison.Ordinal);
        Assert.Contains("Add a canary stage", html, StringComparison.Ordinal);
        Assert.Contains("<td>U0ALICE</td><td>slack</td><td>status</td><td>monitoring</td><td>resolved</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>U0CAROL</td><td>slack</td><td>mitigation</td>", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"https://example.slack.com/archives/{i.ChannelId}/p", html, StringComparison.Ordinal);
        Assert.Contains("<time datetime=\"", html, StringComparison.Ordinal);
    }

    [GeneratedRegex(" data-label=\"[^\"]*\"")]
    private static partial Regex DataLabel();

    [GeneratedRegex("<li data-kind=")]
    private static partial Regex TimelineItem();

    private static string Html(string text) => System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text);

    [Fact]
    public async Task PostmortemMarkdown_Api_RequiresToken_AndHasTheScriptedItemsInOrder()
    {
        var i = await _seed.ScriptedAsync();
        using var client = Client(withToken: false);

        var anonymous = await client.GetAsync($"/api/incidents/{i.Id}/postmortem.md");
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/incidents/INC-{i.Number}/postmortem.md");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await client.SendAsync(request);
        var md = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/markdown", response.Content.Headers.ContentType?.MediaType);
        var record = (await _seed.Store.GetAsync(i.Id, CancellationToken.None))!;
        var at = md.IndexOf("## Timeline", StringComparison.Ordinal);
        foreach (var e in PostmortemDraft.OrderedTimeline(record))
        {
            var found = md.IndexOf(PostmortemDraft.Inline(PostmortemDraft.Mentions(e.Text)), at, StringComparison.Ordinal);
            Assert.True(found > at, $"{e.Kind}: {e.Text}");
            at = found;
        }

        Assert.Equal(3, record.Timeline.Count(e => e.Kind == TimelineKinds.Pinned));
        Assert.Equal(3, record.Updates.Count);
        Assert.Equal(2, record.Actions.Count);
        foreach (var pin in record.Timeline.Where(e => e.Kind == TimelineKinds.Pinned))
        {
            Assert.Contains($"@{pin.Author!.Name}: {PostmortemDraft.Inline(pin.Text)} ([message]({pin.Source!.Permalink}))", md, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PostmortemPage_RendersTheDraft_WithoutScriptsOrUnsafeLinks()
    {
        var i = await _seed.DeclareAsync(WebSeed.Alice, "declare sev3 <img src=x onerror=alert(1)> [x](javascript:alert(2))");
        await _seed.RunAsync(i, WebSeed.Alice, "note <script>alert(3)</script> <javascript:alert(4)>");
        using var client = Client();

        var response = await client.GetAsync($"/incidents/{i.Id}/postmortem");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h2>Root cause</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<h2>Timeline</h2>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<time datetime=", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateIncident_HiddenFromNonParticipant_ShownToParticipantAndAdmin()
    {
        var secret = await _seed.DeclareAsync(WebSeed.Alice, "declare sev1 type:security Leaked credentials");
        await _seed.RunAsync(secret, WebSeed.Alice, "role ops <@U0CAROL|carol>");
        var open = await _seed.DeclareAsync(WebSeed.Alice, "declare sev3 Public thing");
        Assert.True(secret.IsPrivate);
        using var mallory = Client("U0MALLORY");
        using var carol = Client("U0CAROL");
        using var admin = Client("U0ADMIN");

        var malloryList = await mallory.GetStringAsync("/incidents");
        var malloryDetail = await mallory.GetAsync($"/incidents/{secret.Id}");
        var malloryDraft = await mallory.GetAsync($"/incidents/{secret.Id}/postmortem.md");
        var malloryByNumber = await mallory.GetAsync($"/incidents/INC-{secret.Number}");
        var carolList = await carol.GetStringAsync("/incidents");
        var carolDetail = await carol.GetAsync($"/incidents/{secret.Id}");
        var adminDetail = await admin.GetAsync($"/incidents/{secret.Id}");

        Assert.DoesNotContain("Leaked credentials", malloryList, StringComparison.Ordinal);
        Assert.Contains("Public thing", malloryList, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, malloryDetail.StatusCode);
        Assert.DoesNotContain("Leaked", await malloryDetail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, malloryDraft.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malloryByNumber.StatusCode);
        Assert.Contains("Leaked credentials", carolList, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, carolDetail.StatusCode);
        Assert.Equal(HttpStatusCode.OK, adminDetail.StatusCode);
        Assert.Contains("(admin)", await adminDetail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await mallory.GetAsync($"/incidents/{open.Id}")).StatusCode);
    }

    [Fact]
    public async Task WebForm_AddsAndCompletesActions_Once_AuditedAsWeb()
    {
        var i = await _seed.DeclareAsync(WebSeed.Alice, "declare sev3 Queue backlog");
        using var client = Client("U0ALICE");
        var page = await client.GetStringAsync($"/incidents/{i.Id}");
        var token = FormField().Match(page).Groups[1].Value;
        var nonce = NonceField().Match(page).Groups[1].Value;
        var form = new Dictionary<string, string> { ["__af"] = token, ["nonce"] = nonce, ["text"] = "Add queue depth alert", ["owner"] = "U0BOB", ["due"] = "2026-12-24", ["priority"] = "critical" };

        var first = await client.PostAsync($"/incidents/{i.Id}/actions", new FormUrlEncodedContent(form));
        var again = await client.PostAsync($"/incidents/{i.Id}/actions", new FormUrlEncodedContent(form));
        var noToken = await client.PostAsync($"/incidents/{i.Id}/actions", new FormUrlEncodedContent(new Dictionary<string, string> { ["text"] = "sneaky" }));
        var badDate = await client.PostAsync($"/incidents/{i.Id}/actions", new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["nonce"] = "n2", ["due"] = "next week" }));
        var done = await client.PostAsync($"/incidents/{i.Id}/actions/1/done", new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = token, ["nonce"] = "n3" }));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal($"/incidents/{i.Id}?done=action#actions", first.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badDate.StatusCode);
        Assert.Contains("is not a date", await badDate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var record = (await _seed.Store.GetAsync(i.Id, CancellationToken.None))!;
        var action = Assert.Single(record.Actions);
        Assert.Equal(("Add queue depth alert", "U0BOB", new DateOnly(2026, 12, 24), ActionPriority.Critical), (action.Text, action.Owner!.Id, action.DueDate!.Value, action.Priority));
        Assert.True(action.Done);
        Assert.Contains(record.Audit, a => a.Field == "action:1" && a.NewValue == "Add queue depth alert" && a.Surface == Surfaces.Web && a.Actor == "U0ALICE");
        Assert.Contains(record.Audit, a => a.Field == "action:1" && a.NewValue == "done" && a.Surface == Surfaces.Web);
    }

    [GeneratedRegex("name=\"__af\" value=\"([^\"]+)\"")]
    private static partial Regex FormField();

    [GeneratedRegex("name=\"nonce\" value=\"([^\"]+)\"")]
    private static partial Regex NonceField();

    [Fact]
    public async Task PostmortemCommand_PostsTheLinkInTheChannel_ThroughTheOutbox()
    {
        var i = await _seed.DeclareAsync(WebSeed.Alice, "declare sev3 Queue backlog");

        await _seed.RunAsync(i, WebSeed.Bob, "postmortem");

        await RecordingChatPlatform.WaitUntilAsync(() => _chat.PostsTo(i.ChannelId!).Any(m => m.Title?.Contains("review draft", StringComparison.Ordinal) == true), because: "the draft link is posted");
        var message = _chat.PostsTo(i.ChannelId!).Single(m => m.Title?.Contains("review draft", StringComparison.Ordinal) == true);
        Assert.Equal($"https://incidents.example.com/incidents/{i.Id}/postmortem", message.Links[0].Url);
    }

    [Fact]
    public async Task MetricsApi_CraftedIncidents_AveragesCleanOnes_FlagsTheRest()
    {
        var t0 = DateTimeOffset.UtcNow.AddDays(-3);
        await CraftAsync("SEV2", t0, 2, 20, 60);
        await CraftAsync("SEV2", t0.AddHours(1), 4, 40, 120);
        var bad = await CraftAsync("SEV2", t0.AddHours(2), 1, 90, 30);
        await CraftAsync("SEV2", t0.AddDays(-60), 1, 1, 1);
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/metrics?days=30");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var badRequest = new HttpRequestMessage(HttpMethod.Get, "/api/metrics?from=yesterday");
        badRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);

        var json = JsonDocument.Parse(await (await client.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;
        var invalid = await client.SendAsync(badRequest);
        var page = await Client().GetStringAsync("/reports?days=30");

        var sev2 = json.GetProperty("bySeverity").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "SEV2");
        Assert.Equal(3, sev2.GetProperty("incidents").GetInt32());
        Assert.Equal(1, sev2.GetProperty("flagged").GetInt32());
        Assert.Equal(180, sev2.GetProperty("timeToAcknowledge").GetProperty("meanSeconds").GetDouble());
        Assert.Equal(1800, sev2.GetProperty("timeToMitigate").GetProperty("meanSeconds").GetDouble());
        Assert.Equal(5400, sev2.GetProperty("timeToResolve").GetProperty("meanSeconds").GetDouble());
        Assert.Equal("1h 30m", sev2.GetProperty("timeToResolve").GetProperty("mean").GetString());
        var flagged = Assert.Single(json.GetProperty("flagged").EnumerateArray());
        Assert.Equal(bad.Id, flagged.GetProperty("id").GetGuid());
        Assert.StartsWith("The resolved time", flagged.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("id=\"chart-ttr-sev\"", page, StringComparison.Ordinal);
        Assert.Contains("3 incidents declared", page, StringComparison.Ordinal);
        Assert.Contains("1 flagged", page, StringComparison.Ordinal);
    }

    private async Task<Incident> CraftAsync(string severity, DateTimeOffset declared, int ack, int mit, int res)
    {
        var incident = new Incident
        {
            Id = Guid.NewGuid(),
            Title = $"crafted {declared:O}",
            Severity = severity,
            Type = "availability",
            Status = IncidentStatus.Resolved,
            Platform = "slack",
            DeclaredBy = WebSeed.Alice,
            DeclaredAt = declared,
            AcknowledgedAt = declared.AddMinutes(ack),
            MitigatedAt = declared.AddMinutes(mit),
            ResolvedAt = declared.AddMinutes(res),
        };
        var (saved, _) = await _seed.Store.CreateAsync(incident, new Core.Storage.ChangeSet(), $"craft:{incident.Id}", CancellationToken.None);
        return saved;
    }
}
