using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ChatOpsIncident.BrowserTests;

public sealed class WebPagesBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task List_ShowsTheSeededIncidents()
    {
        await using var context = await fixture.ContextAsync();
        var page = await context.NewPageAsync();

        var response = await page.GotoAsync("/");

        Assert.Equal(200, response!.Status);
        Assert.EndsWith("/incidents", page.Url, StringComparison.Ordinal);
        Assert.Equal("Incidents", await page.Locator("h1").InnerTextAsync());
        var row = page.Locator("table tbody tr", new() { HasText = "Checkout 5xx after deploy" });
        Assert.Equal(1, await row.CountAsync());
        Assert.Contains("SEV2", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("identified", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(3, await page.Locator("table tbody tr").CountAsync());
    }

    [Fact]
    public async Task Detail_ShowsTheTimeline_InTheReadersZoneToo()
    {
        await using var context = await fixture.ContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/incidents");

        await page.GetByRole(AriaRole.Link, new() { Name = $"INC-{fixture.Checkout.Number}", Exact = true }).ClickAsync();

        await page.WaitForURLAsync($"**/incidents/{fixture.Checkout.Id}");
        Assert.Equal($"INC-{fixture.Checkout.Number}: Checkout 5xx after deploy", await page.Locator("h1").InnerTextAsync());
        var timeline = page.Locator("ol.timeline li");
        var texts = (await timeline.AllInnerTextsAsync()).ToList();
        Assert.Contains(texts, t => t.Contains("Declared SEV2 (availability): Checkout 5xx after deploy", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("Error rate at 40% since the deploy", StringComparison.Ordinal) && t.Contains("@carol", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("Rolled back checkout to build 511", StringComparison.Ordinal));
        var pinned = timeline.Filter(new() { HasText = "Error rate at 40%" });
        Assert.Equal("https://example.slack.com/archives/C1/p1700000000000100", await pinned.GetByRole(AriaRole.Link, new() { Name = "message in chat" }).GetAttributeAsync("href"));
        Assert.True(texts.FindIndex(t => t.Contains("Declared", StringComparison.Ordinal)) < texts.FindIndex(t => t.Contains("Rolled back", StringComparison.Ordinal)));
        // The page script adds the reader's local time (Europe/Berlin here) beside each UTC time.
        await page.Locator("time[data-local] + span.local").First.WaitForAsync();
        Assert.Matches(new Regex(@"\((.*)(CET|CEST|GMT\+1|GMT\+2)\)"), await page.Locator("time[data-local] + span.local").First.InnerTextAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Link, new() { Name = "Post-incident review draft" }).CountAsync());
        Assert.Contains("Open #", await page.Locator("p.links").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("#audit + .table-wrap table tbody tr").CountAsync() >= 4);
    }

    [Fact]
    public async Task Filters_BySeverityStatusTypeAndSearch_NarrowTheList()
    {
        await using var context = await fixture.ContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/incidents");

        await page.GetByLabel("Severity").SelectOptionAsync("SEV4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForURLAsync("**/incidents?*severity=SEV4*");
        var bySeverity = await page.Locator("table tbody tr").AllInnerTextsAsync();

        await page.GetByLabel("Severity").SelectOptionAsync("");
        await page.GetByLabel("Status").SelectOptionAsync("open");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForURLAsync("**/incidents?*status=open*");
        var open = await page.Locator("table tbody tr").AllInnerTextsAsync();

        await page.GetByLabel("Status").SelectOptionAsync("");
        await page.GetByLabel("Type").SelectOptionAsync("availability");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.WaitForURLAsync("**/incidents?*type=availability*");
        var byType = await page.Locator("table tbody tr").AllInnerTextsAsync();

        await page.GetByLabel("Type").SelectOptionAsync("");
        await page.GetByLabel("Search titles").FillAsync("search results");
        await page.GetByLabel("Search titles").PressAsync("Enter");
        await page.WaitForURLAsync("**/incidents?*q=search+results*");
        var bySearch = await page.Locator("table tbody tr").AllInnerTextsAsync();

        Assert.Equal("Search results are slow", Assert.Single(bySeverity).Split('\t')[1].Trim());
        Assert.Equal(2, open.Count);
        Assert.DoesNotContain(open, r => r.Contains("Search results are slow", StringComparison.Ordinal));
        Assert.Contains("Checkout 5xx after deploy", Assert.Single(byType), StringComparison.Ordinal);
        Assert.Contains("Search results are slow", Assert.Single(bySearch), StringComparison.Ordinal);
        Assert.Equal("search results", await page.GetByLabel("Search titles").InputValueAsync());
    }

    [Fact]
    public async Task PrivateIncident_IsHiddenFromANonParticipant_AndShownToAParticipant()
    {
        await using var outsider = await fixture.ContextAsync("U0MALLORY");
        await using var participant = await fixture.ContextAsync("U0CAROL");
        var outsiderPage = await outsider.NewPageAsync();
        var participantPage = await participant.NewPageAsync();

        await outsiderPage.GotoAsync("/incidents");
        var outsiderList = await outsiderPage.Locator("main").InnerTextAsync();
        var direct = await outsiderPage.GotoAsync($"/incidents/{fixture.Secret.Id}");
        var directText = await outsiderPage.Locator("main").InnerTextAsync();
        await participantPage.GotoAsync("/incidents");
        var participantList = await participantPage.Locator("main").InnerTextAsync();

        Assert.Contains("Checkout 5xx after deploy", outsiderList, StringComparison.Ordinal);
        Assert.DoesNotContain("Leaked deploy credentials", outsiderList, StringComparison.Ordinal);
        Assert.Equal(404, direct!.Status);
        Assert.DoesNotContain("Leaked", directText, StringComparison.Ordinal);
        Assert.Contains("Leaked deploy credentials", participantList, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keyboard_SkipLinkComesFirst_AndFiltersAreReachable()
    {
        await using var context = await fixture.ContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/incidents");

        await page.Keyboard.PressAsync("Tab");
        var first = await page.EvaluateAsync<string>("document.activeElement.textContent");
        await page.Keyboard.PressAsync("Enter");
        var afterSkip = await page.EvaluateAsync<string>("document.activeElement.id");
        var labelled = await page.EvaluateAsync<int>("Array.from(document.querySelectorAll('main input, main select')).filter(e => !e.labels || e.labels.length === 0).length");

        Assert.Equal("Skip to content", first);
        Assert.Equal("main", afterSkip);
        Assert.Equal(0, labelled);
    }

    [Fact]
    public async Task OnAPhone_PagesDoNotScrollSideways()
    {
        await using var context = await fixture.ContextAsync(viewport: new ViewportSize { Width = 375, Height = 740 });
        var page = await context.NewPageAsync();

        foreach (var path in new[] { "/incidents", $"/incidents/{fixture.Checkout.Id}", $"/incidents/{fixture.Checkout.Id}/postmortem", "/reports" })
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            var overflow = await page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
            if (Environment.GetEnvironmentVariable("CHATOPS_SCREENSHOTS") is { Length: > 0 } dir)
            {
                await page.ScreenshotAsync(new() { Path = Path.Combine(dir, "phone" + path.Replace('/', '_') + ".png"), FullPage = true });
            }

            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than the phone screen");
        }
    }

    [Fact]
    public async Task Postmortem_AndMetrics_Render()
    {
        await using var context = await fixture.ContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/incidents/{fixture.Checkout.Id}/postmortem");
        var headings = await page.Locator("article h2").AllInnerTextsAsync();
        await page.GotoAsync("/reports?days=7");
        var summary = await page.Locator("main p[role=status]").InnerTextAsync();
        var bars = await page.Locator("svg#chart-count-type rect.bar").CountAsync();

        Assert.Equal(["Summary", "Impact", "Severity and type", "Key timestamps", "Roles", "Timeline", "Status updates", "Action items", "Root cause", "Contributing factors", "What went well", "What to improve", "Detection gaps"], headings);
        Assert.StartsWith("3 incidents declared", summary, StringComparison.Ordinal);
        Assert.True(bars >= 3);
    }
}
