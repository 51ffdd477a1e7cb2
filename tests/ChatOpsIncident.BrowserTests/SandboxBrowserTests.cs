using System.Text.RegularExpressions;
using ChatOpsIncident.IntegrationTests.Sandbox;
using Microsoft.Playwright;

namespace ChatOpsIncident.BrowserTests;

/// <summary>
/// The local workspace end to end in real headless Chromium, as people would use it: typing, forms as dialogs, buttons,
/// reactions, live arrival without reloading, and the incident pages it links to.
/// </summary>
public sealed partial class SandboxBrowserTests(SandboxBrowserFixture fixture) : IClassFixture<SandboxBrowserFixture>
{
    private const string Pinned = "Error rate at 40% since the deploy";
    private const string Update = "Checkout fails for 40% of customers";

    [Fact]
    public async Task Drill_TwoPeopleRunAWholeIncident_ThePostmortemCarriesThePinAndTheUpdate()
    {
        // alice declares SEV2 with the form.
        var alice = await fixture.OpenAsync("alice");
        await SayAsync(alice, "/incident declare");
        var dialog = alice.GetByRole(AriaRole.Dialog, new() { Name = "Declare an incident" });
        await dialog.GetByLabel("Title").FillAsync("Checkout 5xx after deploy");
        await dialog.GetByLabel("Severity").SelectOptionAsync("SEV2");
        await dialog.GetByLabel("Type").SelectOptionAsync("availability");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Declare" }).ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Hidden });

        var channelButton = alice.GetByRole(AriaRole.Navigation, new() { Name = "Channels" }).GetByRole(AriaRole.Button, new() { NameRegex = IncidentChannel() });
        await channelButton.ClickAsync();
        var incidentLink = alice.GetByRole(AriaRole.Link, new() { NameRegex = IncidentPage() });
        var incidentUrl = await incidentLink.GetAttributeAsync("href");
        var channel = Regex.Match(alice.Url, "channel=([^&]+)").Groups[1].Value;

        // bob claims Communications Lead with the kickoff card's button.
        var bob = await fixture.OpenAsync("bob", channel);
        await bob.GetByRole(AriaRole.Button, new() { Name = "I'm Communications Lead" }).ClickAsync();
        await alice.GetByRole(AriaRole.Log, new() { Name = "Messages" }).GetByText("Communications Lead: @bob").First.WaitForAsync();

        // carol says something; alice pins it with 📌; the bot acknowledges it with ✅.
        var carol = await fixture.OpenAsync("carol", channel);
        await SayAsync(carol, Pinned);
        var said = alice.GetByRole(AriaRole.Listitem).Filter(new() { HasText = Pinned }).Last;
        await said.GetByRole(AriaRole.Button, new() { Name = "React with 📌 pushpin" }).ClickAsync();
        await said.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("white_check_mark, 1 \\(chatops\\)") }).WaitForAsync();
        await alice.ScreenshotAsync(new() { Path = Screenshot("sandbox-mid-incident.png") });

        // bob posts an update; the reminder then arrives live on his page after the short cadence, without a reload.
        await SayAsync(bob, $"/incident update identified {Update}");
        await bob.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^📣 Status update: identified") }).WaitForAsync();
        var reminders = bob.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^⏰ Status update due") });
        await reminders.Last.WaitForAsync(new() { Timeout = 180_000 });

        // alice resolves through the recovery checklist, answered only to her.
        await SayAsync(alice, "/incident resolve");
        var checklist = alice.GetByRole(AriaRole.Listitem).Filter(new() { Has = alice.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Recovery checklist") }) }).Last;
        await checklist.GetByText("Only visible to you").WaitForAsync();
        Assert.Equal(0, await bob.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^Recovery checklist") }).CountAsync());
        var items = checklist.GetByRole(AriaRole.List, new() { Name = "Checklist" }).GetByRole(AriaRole.Button);
        Assert.Equal(5, await items.CountAsync());
        for (var i = 0; i < 5; i++)
        {
            await items.Nth(i).ClickAsync();
        }

        await SayAsync(alice, "/incident resolve");
        await bob.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex("^✅ Resolved:") }).WaitForAsync();

        // The channel links to its incident page; the postmortem carries the pin and the update.
        await alice.GotoAsync(incidentUrl!);
        await alice.ScreenshotAsync(new() { Path = Screenshot("incident-page.png"), FullPage = true });
        await alice.GotoAsync(incidentUrl + "/postmortem");
        var review = await alice.Locator("main").InnerTextAsync();
        Assert.Contains(Pinned, review, StringComparison.Ordinal);
        Assert.Contains(Update, review, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivateIncident_ItsChannelIsNotListed_ForANonMember()
    {
        var alice = await fixture.OpenAsync("alice");
        await SayAsync(alice, "/incident declare sev1 type:security Leaked deploy credentials");
        var secret = alice.GetByRole(AriaRole.Navigation, new() { Name = "Channels" }).GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^🔒 .*leaked-deploy-credentials") });
        await secret.WaitForAsync();

        // dan opens the workspace after the channel exists: his list is loaded (general is there) and it is not in it.
        var dan = await fixture.OpenAsync("dan");
        var channels = dan.GetByRole(AriaRole.Navigation, new() { Name = "Channels" });
        await channels.GetByRole(AriaRole.Button, new() { Name = "# general" }).WaitForAsync();
        Assert.Equal(0, await channels.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("leaked-deploy-credentials") }).CountAsync());
        Assert.Equal(0, await channels.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^🔒") }).CountAsync());
    }

    private static async Task SayAsync(IPage page, string text)
    {
        var box = page.GetByRole(AriaRole.Textbox, new() { Name = "Message" });
        await box.FillAsync(text);
        await box.PressAsync("Enter");
        // The box empties once the workspace stored the message (it keeps the text when sending failed).
        await Assertions.Expect(box).ToHaveValueAsync("");
    }

    /// <summary>Screenshots for the README go where CHATOPS_SCREENSHOTS says, else beside the test output.</summary>
    private static string Screenshot(string name)
    {
        var dir = Environment.GetEnvironmentVariable("CHATOPS_SCREENSHOTS") ?? Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    [GeneratedRegex("^# inc-\\d+-checkout")]
    private static partial Regex IncidentChannel();

    [GeneratedRegex("^INC-\\d+ incident page$")]
    private static partial Regex IncidentPage();
}
