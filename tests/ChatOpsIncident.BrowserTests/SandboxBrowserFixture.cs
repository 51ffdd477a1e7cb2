using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.IntegrationTests.Sandbox;
using Microsoft.Playwright;

namespace ChatOpsIncident.BrowserTests;

/// <summary>
/// The whole host with the local workspace on (Development, loopback Kestrel, its own database) and Debian's Chromium
/// driven headless by Playwright. Each person gets a browser context of their own, as two people on two machines.
/// </summary>
public sealed class SandboxBrowserFixture : IAsyncLifetime
{
    private TestHost _host = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    public TestHost Host => _host;

    public async Task InitializeAsync()
    {
        _host = await SandboxHost.StartAsync();
        BaseUrl = _host.BaseAddress.ToString().TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    /// <summary>The workspace page as <paramref name="user"/>, optionally opened on a channel.</summary>
    public async Task<IPage> OpenAsync(string user, string? channel = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "en-GB" });
        // CI shares two cores with the whole suite; give every wait more room than Playwright's 30 s default.
        context.SetDefaultTimeout(90_000);
        context.SetDefaultNavigationTimeout(90_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/sandbox?as={user}{(channel is null ? "" : "&channel=" + channel)}");
        // The picker's options arrive with the page's first fetch of the users: the element exists before its value.
        await Assertions.Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "You are" })).ToHaveValueAsync(user, new() { Timeout = 90_000 });
        return page;
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
