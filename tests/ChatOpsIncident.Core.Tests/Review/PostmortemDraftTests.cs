using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.TestSupport;
using ChatOpsIncident.Core.Review;

namespace ChatOpsIncident.Core.Tests.Review;

public sealed class PostmortemDraftTests : DatabaseTest
{
    private static readonly UserRef Alice = new("U0ALICE", "alice");
    private static readonly UserRef Bob = new("U0BOB", "bob");
    private static readonly UserRef Carol = new("U0CAROL", "carol");
    private static readonly UserRef Dave = new("U0DAVE", "dave");

    /// <summary>
    /// The scripted incident: declare, roles, 3 pins, 2 updates, a mitigation, the recovery checklist, resolve and 2
    /// actions; it starts at 23:40 and ends after midnight, so dates matter.
    /// </summary>
    internal async Task<ReviewHarness> ScriptedAsync()
    {
        var h = new ReviewHarness(Db);
        await h.DeclareAsync(Alice, "declare sev2 type:availability Checkout 5xx after deploy");
        h.Advance(TimeSpan.FromMinutes(2));
        await h.RunAsync(Alice, "role comms <@U0BOB|bob>");
        await h.RunAsync(Alice, "role ops <@U0CAROL|carol>");
        h.Advance(TimeSpan.FromMinutes(1));
        Assert.True(await h.PinAsync(Carol, "Error rate at 40% since 23:35, all regions", "1741563780.000100"));
        h.Advance(TimeSpan.FromMinutes(2));
        await h.RunAsync(Bob, "update identified Checkout fails for about 40% of customers; a bad deploy is the suspect.");
        h.Advance(TimeSpan.FromMinutes(3));
        Assert.True(await h.PinAsync(Dave, "Rolling back build 512 now", "1741564080.000200"));
        h.Advance(TimeSpan.FromMinutes(2));
        await h.RunAsync(Carol, "mitigate Rolled back checkout to build 511");
        h.Advance(TimeSpan.FromMinutes(10));
        Assert.True(await h.PinAsync(Alice, "Error rate back to baseline across regions", "1741564800.000300"));
        h.Advance(TimeSpan.FromMinutes(5));
        await h.RunAsync(Bob, "update monitoring Error rates are back to normal; we are monitoring.");
        for (var n = 0; n < 5; n++)
        {
            await h.ToggleAsync(Carol, "recovery", n);
        }

        h.Advance(TimeSpan.FromMinutes(35));
        await h.RunAsync(Alice, "resolve Rolled back the bad deploy; checkout is healthy");
        h.Advance(TimeSpan.FromMinutes(5));
        await h.RunAsync(Alice, "action Add a canary stage to checkout deploys <@U0CAROL|carol> due:2026-03-20 critical");
        await h.RunAsync(Alice, "action Alert on the checkout 5xx rate <@U0BOB|bob> high");
        return h;
    }

    private static void InOrder(string text, IEnumerable<string> parts)
    {
        var at = 0;
        foreach (var part in parts)
        {
            var found = text.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"Not found in order after offset {at}: {part}\n---\n{text}");
            at = found + part.Length;
        }
    }

    private static string Section(string md, string heading)
    {
        var start = md.IndexOf($"## {heading}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, heading);
        var end = md.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? md[start..] : md[start..end];
    }

    [Fact]
    public async Task Draft_OfScriptedIncident_HasEverySectionInOrder()
    {
        var h = await ScriptedAsync();
        var md = new PostmortemDraft(h.Options).Render(await h.RecordAsync(), h.Time.GetUtcNow());

        InOrder(md, ["# Post-incident review: INC-1 — Checkout 5xx after deploy\n", "## Summary", "## Impact", "## Severity and type", "## Key timestamps",
            "## Roles", "## Timeline", "## Status updates", "## Action items", "## Root cause", "## Contributing factors", "## What went well",
            "## What to improve", "## Detection gaps"]);
        Assert.Contains("Rolled back the bad deploy; checkout is healthy", Section(md, "Summary"), StringComparison.Ordinal);
        Assert.Contains("| Severity | SEV2 — Major: significant degradation for many customers |", md, StringComparison.Ordinal);
        Assert.Contains("| Type | availability — Service down or erroring |", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draft_OfScriptedIncident_KeyTimesAndDurations_MatchTheRecord_WithDates()
    {
        var h = await ScriptedAsync();
        var record = await h.RecordAsync();
        var i = record.Incident;
        var md = new PostmortemDraft(h.Options).Render(record, h.Time.GetUtcNow());

        var times = Section(md, "Key timestamps");
        InOrder(times, [
            $"| Declared | {PostmortemDraft.Time(i.DeclaredAt)} | — |",
            $"| Acknowledged | {PostmortemDraft.Time(i.AcknowledgedAt)} | 0s |",
            $"| Mitigated | {PostmortemDraft.Time(i.MitigatedAt)} | 10m |",
            $"| Resolved | {PostmortemDraft.Time(i.ResolvedAt)} | 1h 00m |",
            "| Closed | — | — |",
        ]);
        Assert.Equal("2026-03-09 23:40 UTC", PostmortemDraft.Time(i.DeclaredAt));
        Assert.Equal("2026-03-10 00:40 UTC", PostmortemDraft.Time(i.ResolvedAt));
        Assert.Contains("time to mitigate: **10m** · time to resolve: **1h 00m**", times, StringComparison.Ordinal);
        Assert.DoesNotContain("⚠️", times, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draft_OfScriptedIncident_RolesShowWhoHeldThemWhen()
    {
        var h = await ScriptedAsync();
        var record = await h.RecordAsync();
        var md = new PostmortemDraft(h.Options).Render(record, h.Time.GetUtcNow());

        var roles = Section(md, "Roles");
        foreach (var r in record.Roles)
        {
            Assert.Contains($"| {h.Options.FindRole(r.Role)!.Name} | @{r.Holder.Name} | {PostmortemDraft.Time(r.AssignedAt)} | still holds it |", roles, StringComparison.Ordinal);
        }

        Assert.Equal(3, record.Roles.Count);
    }

    [Fact]
    public async Task Draft_OfScriptedIncident_TimelineHasEveryRecordEntryInOrder_WithPinAuthorsAndPermalinks()
    {
        var h = await ScriptedAsync();
        var record = await h.RecordAsync();
        var md = new PostmortemDraft(h.Options).Render(record, h.Time.GetUtcNow());
        var timeline = Section(md, "Timeline");

        // Compare against the record: every entry, in the order it happened, each on its own line.
        var entries = PostmortemDraft.OrderedTimeline(record);
        InOrder(timeline, entries.Select(e => $"- **{PostmortemDraft.Time(e.OccurredAt)}** · "));
        InOrder(timeline, entries.Select(e => PostmortemDraft.Inline(PostmortemDraft.Mentions(e.Text))));
        Assert.Equal(entries.Count, timeline.Split('\n').Count(l => l.StartsWith("- **", StringComparison.Ordinal)));

        // And against the script: each scripted item is on the record and in the draft, in the scripted order.
        var scripted = new (string Kind, string Text)[]
        {
            (TimelineKinds.Declared, "Declared SEV2 (availability): Checkout 5xx after deploy"),
            (TimelineKinds.Role, "<@U0BOB|bob> is now Communications Lead"),
            (TimelineKinds.Role, "<@U0CAROL|carol> is now Operations"),
            (TimelineKinds.Pinned, "Error rate at 40% since 23:35, all regions"),
            (TimelineKinds.Update, "Status update (identified): Checkout fails for about 40% of customers; a bad deploy is the suspect."),
            (TimelineKinds.Pinned, "Rolling back build 512 now"),
            (TimelineKinds.Mitigation, "Rolled back checkout to build 511"),
            (TimelineKinds.Pinned, "Error rate back to baseline across regions"),
            (TimelineKinds.Update, "Status update (monitoring): Error rates are back to normal; we are monitoring."),
            (TimelineKinds.Resolved, "Resolved: Rolled back the bad deploy; checkout is healthy"),
            (TimelineKinds.Action, "Action added: #1 ⬜ Add a canary stage to checkout deploys — <@U0CAROL|carol>, due 2026-03-20, critical"),
            (TimelineKinds.Action, "Action added: #2 ⬜ Alert on the checkout 5xx rate — <@U0BOB|bob>, due not set, high"),
        };
        var onRecord = scripted.Select(s => entries.FindIndex(e => e.Kind == s.Kind && e.Text == s.Text)).ToList();
        Assert.DoesNotContain(-1, onRecord);
        Assert.Equal(onRecord.Order(), onRecord);
        InOrder(timeline, scripted.Select(s => PostmortemDraft.Inline(PostmortemDraft.Mentions(s.Text))));

        foreach (var pin in entries.Where(e => e.Kind == TimelineKinds.Pinned))
        {
            Assert.Contains($"· 📌 pinned — @{pin.Author!.Name}: {PostmortemDraft.Inline(pin.Text)} ([message]({pin.Source!.Permalink}))", timeline, StringComparison.Ordinal);
        }

        Assert.Equal(3, entries.Count(e => e.Kind == TimelineKinds.Pinned));
        Assert.Contains("2026-03-10", timeline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draft_OfScriptedIncident_UpdatesAsSent_AndActions_InOrder()
    {
        var h = await ScriptedAsync();
        var record = await h.RecordAsync();
        var md = new PostmortemDraft(h.Options).Render(record, h.Time.GetUtcNow());

        var updates = Section(md, "Status updates");
        Assert.Equal(3, record.Updates.Count);
        InOrder(updates, record.Updates.SelectMany(u => new[]
        {
            $"**{PostmortemDraft.Time(u.PostedAt)} — {u.Status.ToWire()}** (@{u.Author.Name})",
            "> " + PostmortemDraft.Inline(u.Text),
        }));
        Assert.Equal(["identified", "monitoring", "resolved"], record.Updates.Select(u => u.Status.ToWire()));

        var actions = Section(md, "Action items");
        InOrder(actions, [
            "| 1 | Add a canary stage to checkout deploys | @carol | 2026-03-20 | critical | open |",
            "| 2 | Alert on the checkout 5xx rate | @bob | **not set** | high | open |",
        ]);
    }

    [Fact]
    public async Task Draft_EscapesMarkdownAndHtmlInWhatPeopleTyped()
    {
        var h = new ReviewHarness(Db);
        await h.DeclareAsync(Alice, "declare sev3 <script>alert(1)</script> [click](javascript:alert(2)) *bold*");
        await h.RunAsync(Alice, "note line | with pipe ![img](http://x/y.png)");

        var md = new PostmortemDraft(h.Options).Render(await h.RecordAsync(), h.Time.GetUtcNow());

        Assert.DoesNotContain("<script>", md, StringComparison.Ordinal);
        Assert.DoesNotContain("[click](javascript:", md, StringComparison.Ordinal);
        Assert.Contains(@"\<script\>", md, StringComparison.Ordinal);
        Assert.Contains(@"\[click\](javascript:alert(2)) \*bold\*", md, StringComparison.Ordinal);
        Assert.Contains(@"line \| with pipe \!\[img\](http://x/y.png)", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Draft_FlagsOutOfOrderTimes()
    {
        var h = new ReviewHarness(Db);
        await h.DeclareAsync(Alice, "declare sev3 Clock skew");
        var record = await h.RecordAsync();
        record.Incident.Status = IncidentStatus.Resolved;
        record.Incident.MitigatedAt = record.Incident.DeclaredAt.AddMinutes(-5);
        record.Incident.ResolvedAt = record.Incident.DeclaredAt.AddMinutes(30);

        var md = new PostmortemDraft(h.Options).Render(record, h.Time.GetUtcNow());

        Assert.Contains("> ⚠️ The mitigated time (2026-03-09 23:35 UTC) is before the declared time (2026-03-09 23:40 UTC).", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostmortemCommand_PostsTheDraftLinkInTheChannel_AndNotesIt()
    {
        var h = new ReviewHarness(Db);
        await h.DeclareAsync(Alice, "declare sev3 Search latency");

        var result = await h.RunAsync(Bob, "postmortem");

        var url = $"https://incidents.example.com/incidents/{h.Incident.Id}/postmortem";
        var posted = Assert.Single(await h.OutboxAsync(), o => o.Key.EndsWith(":postmortem", StringComparison.Ordinal));
        Assert.Equal(h.Incident.ChannelId, posted.ChannelId);
        Assert.Equal([url, url + ".md"], posted.Message!.Links.Select(l => l.Url));
        Assert.Contains(url, result.Reply!.Text, StringComparison.Ordinal);
        Assert.Contains((await h.RecordAsync()).Timeline, e => e.Kind == TimelineKinds.Note && e.Text == "Post-incident review draft requested" && e.Author == Bob);
    }

    [Fact]
    public async Task PostmortemCommand_WithoutWebAddress_NamesTheApiPath()
    {
        var h = new ReviewHarness(Db, baseUrl: null);
        await h.DeclareAsync(Alice, "declare sev3 Search latency");

        await h.RunAsync(Bob, "postmortem");

        var posted = Assert.Single(await h.OutboxAsync(), o => o.Key.EndsWith(":postmortem", StringComparison.Ordinal)).Message!;
        Assert.Empty(posted.Links);
        Assert.Contains($"GET /api/incidents/{h.Incident.Id}/postmortem.md", posted.Text, StringComparison.Ordinal);
    }
}
