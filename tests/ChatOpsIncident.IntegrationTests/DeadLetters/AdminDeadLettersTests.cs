using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsIncident.Host.Web;
using ChatOpsIncident.IntegrationTests.Slack;

namespace ChatOpsIncident.IntegrationTests.DeadLetters;

/// <summary>
/// A post that dies is seen by admins (/admin/dead-letters, /readyz, the metrics) and Retry delivers it once,
/// through the real host, real HTTP and the Slack fake.
/// </summary>
public sealed partial class AdminDeadLettersTests : SlackHostTestBase
{
    private const string AdminToken = "dead-letters-admin-token-0123456789abcdef";
    private int _refuseFeed = 1;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["Api:Token"] = AdminToken,
        ["Processing:MaxAttempts"] = "2",
    };

    public override async Task InitializeAsync()
    {
        // Slack is unavailable for the feed (a transient error: tried again until MaxAttempts) until the test says so.
        Slack.Refusals["chat.postMessage"] = a => a["channel"] == Feed && Volatile.Read(ref _refuseFeed) == 1 ? "service_unavailable" : null;
        await base.InitializeAsync();
    }

    [GeneratedRegex("<form method=\"post\" action=\"(/admin/dead-letters/outbox/\\d+/retry)\"><input type=\"hidden\" name=\"__af\" value=\"([^\"]+)\">")]
    private static partial Regex RetryForm();

    private HttpClient AdminClient(string? asUser = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        if (asUser is not null)
        {
            client.DefaultRequestHeaders.Add(WebAccess.TestUserHeader, asUser);
        }

        return client;
    }

    private Task<long> DeadFeedPostsAsync() => CountAsync("SELECT count(*) FROM chatops.outbox WHERE status = 'dead' AND channel_id = @c", ("c", Feed));

    [Fact]
    public async Task DeadPost_IsListed_AndRetryDeliversItExactlyOnce()
    {
        await DeclareAsync();
        await WaitForAsync(async () => await DeadFeedPostsAsync() == 1, "the feed post died after MaxAttempts", seconds: 60);
        Assert.Equal(2, await CountAsync("SELECT attempts FROM chatops.outbox WHERE status = 'dead' AND channel_id = @c", ("c", Feed)));
        Assert.Empty(Slack.PostsIn(Feed));

        using var admin = AdminClient();
        var page = await admin.GetStringAsync("/admin/dead-letters");
        Assert.Contains("1 dead: 0 received, 1 outgoing.", page, StringComparison.Ordinal);
        Assert.Contains(Feed, page, StringComparison.Ordinal);
        Assert.Contains("outgoing · post", page, StringComparison.Ordinal);
        Assert.Contains("service_unavailable", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, page, StringComparison.Ordinal);
        Assert.DoesNotContain("/respond/", page, StringComparison.Ordinal);
        var form = RetryForm().Match(page);
        Assert.True(form.Success, "the page has a Retry form with its antiforgery token");

        Volatile.Write(ref _refuseFeed, 0);
        using var retry = await admin.PostAsync(form.Groups[1].Value, new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = WebUtility.HtmlDecode(form.Groups[2].Value) }));
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        Assert.Equal("/admin/dead-letters?done=retried", retry.Headers.Location?.OriginalString);

        await WaitUntilAsync(() => Slack.PostsIn(Feed).Any(), "the retried post reaches the feed", seconds: 30);
        await WaitForAsync(async () => await CountAsync("SELECT count(*) FROM chatops.outbox WHERE channel_id = @c AND status = 'done'", ("c", Feed)) == 1, "the row is done");
        Assert.Single(Slack.PostsIn(Feed));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM chatops.outbox WHERE status = 'dead'"));

        // A second click on the stale form changes nothing: the item is no longer dead.
        using var again = await admin.PostAsync(form.Groups[1].Value, new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = WebUtility.HtmlDecode(form.Groups[2].Value) }));
        Assert.Equal("/admin/dead-letters?done=gone", again.Headers.Location?.OriginalString);
        Assert.Single(Slack.PostsIn(Feed));
        Assert.Contains("0 dead: 0 received, 0 outgoing.", await admin.GetStringAsync("/admin/dead-letters"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadCount_InReadinessDetail_AndInTheMetrics_WhileStillReady()
    {
        Assert.Equal("ready", (await Host.WaitReadyAsync())["detail"]!.GetValue<string>());
        await DeclareAsync();
        await WaitForAsync(async () => await DeadFeedPostsAsync() == 1, "the feed post died after MaxAttempts", seconds: 60);

        using var ready = await Host.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var detail = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("ready; dead items: 0 inbox, 1 outbox (see /admin/dead-letters)", detail["detail"]!.GetValue<string>());
        Assert.Equal(1, detail["backlog"]!["deadOutbox"]!.GetValue<long>());
        Assert.Equal(0, detail["backlog"]!["deadInbox"]!.GetValue<long>());

        using var admin = AdminClient();
        var metrics = JsonNode.Parse(await admin.GetStringAsync("/api/metrics"))!;
        Assert.Equal(1, metrics["deadLetters"]!["outbox"]!.GetValue<long>());
        Assert.Equal(0, metrics["deadLetters"]!["inbox"]!.GetValue<long>());
        Assert.Equal(1, metrics["deadLetters"]!["total"]!.GetValue<long>());
        var page = await admin.GetStringAsync("/reports");
        Assert.Contains("1 item gave up for good: 0 received (commands, clicks, events) and 1 outgoing", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/admin/dead-letters\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonAdmin_GetsForbidden_ForThePageAndTheRetry()
    {
        await DeclareAsync();
        await WaitForAsync(async () => await DeadFeedPostsAsync() == 1, "the feed post died after MaxAttempts", seconds: 60);
        var id = await CountAsync("SELECT id FROM chatops.outbox WHERE status = 'dead'");

        using var someone = AdminClient(asUser: "U0NOTADMIN");
        using var get = await someone.GetAsync("/admin/dead-letters");
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.DoesNotContain(Feed, await get.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var post = await someone.PostAsync($"/admin/dead-letters/outbox/{id}/retry", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Host.BaseAddress };
        using var refused = await anonymous.GetAsync("/admin/dead-letters");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(1, await DeadFeedPostsAsync());
    }
}
