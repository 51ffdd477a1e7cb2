using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ChatOpsIncident.BrowserTests;

/// <summary>
/// The whole host on real Kestrel (loopback, no sign-in configured; the browser presents the admin token, so it is an
/// admin unless it carries the Testing-only user cookie) on its own PostgreSQL database, with seeded incidents, and Debian's Chromium driven
/// headless by Playwright.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly UserRef Alice = new("U0ALICE", "alice");
    public static readonly UserRef Carol = new("U0CAROL", "carol");
    private const string AdminToken = "browser-admin-token-browser-admin-token";
    private readonly RecordingChatPlatform _chat = new("slack");
    private TestHost _host = null!;
    private IPlaywright _playwright = null!;
    private int _delivery;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public Incident Checkout { get; private set; } = null!;

    public Incident Search { get; private set; } = null!;

    public Incident Secret { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        // Outside Development nothing is open without the admin token; the browser presents it on every request.
        _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Api:Token"] = AdminToken }, chat: _chat);
        BaseUrl = _host.BaseAddress.ToString().TrimEnd('/');

        await SeedAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            // As root in a container, without network: no sandbox, and no background calls home that the machine refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    private async Task SeedAsync()
    {
        var service = _host.Services.GetRequiredService<IncidentService>();
        var parser = _host.Services.GetRequiredService<CommandParser>();

        async Task<Incident> Declare(UserRef actor, string text) =>
            (await service.DeclareAsync(Ctx(actor, "CORIGIN"), (DeclareIncident)parser.Parse(text, actor).Command!, CancellationToken.None)).Incident!;

        async Task Run(Incident i, UserRef actor, string text)
        {
            var parsed = parser.Parse(text, actor);
            Assert.True(parsed.Ok, parsed.Error);
            var result = await service.ExecuteAsync(Ctx(actor, i.ChannelId!), parsed.Command!, CancellationToken.None);
            Assert.False(result.Refused, result.Reply?.Text);
        }

        Checkout = await Declare(Alice, "declare sev2 type:availability Checkout 5xx after deploy");
        await Run(Checkout, Alice, "role ops <@U0CAROL|carol>");
        var at = DateTimeOffset.UtcNow;
        var source = new SourceRef("slack", Checkout.ChannelId!, "1700000000.000100", "https://example.slack.com/archives/C1/p1700000000000100");
        await _host.Services.GetRequiredService<Core.Timeline.TimelineCapture>().CaptureAsync(Checkout, new CapturedMessage(source, Carol, "Error rate at 40% since the deploy", at), Carol, CancellationToken.None);
        await Run(Checkout, Alice, "update identified Checkout fails for 40% of customers");
        await Run(Checkout, Carol, "mitigate Rolled back checkout to build 511");

        Search = await Declare(Alice, "declare sev4 type:performance Search results are slow");
        await Run(Search, Alice, "resolve --force cache warmed by hand");

        Secret = await Declare(Alice, "declare sev1 type:security Leaked deploy credentials");
        await Run(Secret, Alice, "role scribe <@U0CAROL|carol>");
        Assert.True(Secret.IsPrivate);
    }

    private CommandContext Ctx(UserRef actor, string channel) => new("slack", Surfaces.Slack, actor, channel, $"browser-seed-{Interlocked.Increment(ref _delivery)}");

    /// <summary>A fresh browser context (own cookies); <paramref name="asUser"/> views the pages as that chat user.</summary>
    public async Task<IBrowserContext> ContextAsync(string? asUser = null, ViewportSize? viewport = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {AdminToken}" }, ViewportSize = viewport, Locale = "en-GB", TimezoneId = "Europe/Berlin" });
        // CI shares two cores with the whole suite; give navigations more room than Playwright's 30 s default.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        if (asUser is not null)
        {
            await context.AddCookiesAsync([new Cookie { Name = "chatops-test-user", Value = asUser, Url = BaseUrl }]);
        }

        return context;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _host.DisposeAsync();
    }
}
