using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;

namespace ChatOpsIncident.Core.Tests.Decisions;

public sealed class DeclarationTests
{
    private readonly DecisionBuilder _sut = new();

    private (Incident Incident, Storage.ChangeSet Set) CreateSut(DeclareIncident declare) =>
        IncidentDeclaration.Declare(declare, _sut.Context with { ChannelId = "CORIGIN" }, "slack", _sut.Now, _sut.Options);

    [Fact]
    public void Declare_Defaults_CommanderIsDeclarer_FirstEntryKeyedByDelivery()
    {
        var (incident, set) = CreateSut(new DeclareIncident("  Checkout 5xx  ", null, null, false));

        Assert.Equal(("Checkout 5xx", "SEV3", "other", IncidentStatus.Investigating, "CORIGIN"), (incident.Title, incident.Severity, incident.Type, incident.Status, incident.OriginChannelId));
        Assert.Equal((_sut.Now, (DateTimeOffset?)_sut.Now, (DateTimeOffset?)_sut.Now.AddHours(1)), (incident.DeclaredAt, incident.AcknowledgedAt, incident.NextUpdateDue));
        Assert.Equal(_sut.Now.ToUnixTimeMilliseconds(), ExtractUnixMs(incident.Id));
        Assert.Equal(["Declared SEV3 (other): Checkout 5xx", "<@U0IC|ic> is Incident Commander"], set.Timeline.Select(e => e.Text));
        Assert.Equal(["cmd:D123", null], set.Timeline.Select(e => e.DedupeKey));
        var role = Assert.Single(set.RolesAssigned);
        Assert.Equal((RoleKeys.Commander, DecisionBuilder.Commander), (role.Role, role.Holder));
        Assert.Equal([("incident", "declared SEV3 other"), ("role:commander", "U0IC")], set.Audit.Select(a => (a.Field, a.NewValue!)));
        Assert.Empty(set.Outbox);
    }

    [Fact]
    public void Declare_NamedCommander_PrivateType_Private()
    {
        var (incident, set) = CreateSut(new DeclareIncident("Leak", "sev1", "security", false, Commander: [DecisionBuilder.Responder]));

        Assert.True(incident.IsPrivate);
        Assert.Equal(("SEV1", "security"), (incident.Severity, incident.Type));
        Assert.Equal(DecisionBuilder.Responder, set.RolesAssigned[0].Holder);
    }

    [Fact]
    public void OpenChannel_QueuesInviteKickoffTopicAnnounce_WithIncidentKeys()
    {
        _sut.Incident.ChannelId = null;
        _sut.WithCommander(DecisionBuilder.Responder);
        var channel = new ChannelInfo("CNEW", "inc-42-checkout-5xx", "https://chat.example/CNEW");

        var (opened, set) = IncidentDeclaration.OpenChannel(_sut.Record, channel, "CFEED", _sut.Now, _sut.Options);

        Assert.Equal(("CNEW", "inc-42-checkout-5xx", "https://chat.example/CNEW"), (opened.ChannelId, opened.ChannelName, opened.ChannelUrl));
        Assert.Null(_sut.Incident.ChannelId);
        var id = _sut.Incident.Id;
        Assert.Equal([$"inc:{id}:invite", $"inc:{id}:kickoff", $"inc:{id}:topic", $"inc:{id}:announce"], set.Outbox.Select(o => o.Key));
        Assert.Equal(["U0RESP", "U0IC"], set.Outbox[0].Users.Select(u => u.Id));
        Assert.True(set.Outbox[1].Pin);
        Assert.Equal("SEV3 | investigating | IC: resp | Checkout 5xx", set.Outbox[2].Text);
        Assert.Equal("CFEED", set.Outbox[3].ChannelId);
        var entry = Assert.Single(set.Timeline);
        Assert.Equal(("channel-opened", "Channel #inc-42-checkout-5xx opened", (UserRef?)null), (entry.DedupeKey, entry.Text, entry.Author));
    }

    [Fact]
    public void OpenChannel_PrivatePagingSeverity_NoAnnouncement_Pages()
    {
        _sut.Incident.IsPrivate = true;
        _sut.Incident.Severity = "SEV1";

        var (_, set) = IncidentDeclaration.OpenChannel(_sut.Record, new ChannelInfo("CNEW", "n", null), "CFEED", _sut.Now, _sut.Options);

        var page = set.Outbox.Single(o => o.Operation == OutboxOperations.Page);
        Assert.Equal(($"inc:{_sut.Incident.Id}:page:declared", "SEV1 declared: Checkout 5xx", "CNEW"), (page.Key, page.Text, page.ChannelId));
        Assert.DoesNotContain(set.Outbox, o => o.Key.EndsWith(":announce", StringComparison.Ordinal));
    }

    [Fact]
    public void ChannelName_NeutralParts_FromOptions()
    {
        _sut.Options.ChannelPrefix = "incident";

        Assert.Equal(new ChannelNameRequest("incident", 42, "Checkout 5xx"), IncidentDeclaration.ChannelName(_sut.Incident, _sut.Options));
    }

    [Theory]
    [InlineData("Checkout 5xx after deploy", "inc-7-checkout-5xx-after-deploy")]
    [InlineData("EU_west: 5xx / timeouts!", "inc-7-eu_west-5xx-timeouts")]
    [InlineData("!!!", "inc-7")]
    public void Slugged_LowercaseAsciiWords(string title, string expected)
    {
        Assert.Equal(expected, new ChannelNameRequest("inc", 7, title).Slugged(80));
    }

    [Fact]
    public void Slugged_LongTitle_CutWithinLimit_NoTrailingHyphen()
    {
        var name = new ChannelNameRequest("inc", 1234, new string('x', 70) + " y").Slugged(80);

        Assert.Equal("inc-1234-" + new string('x', 70), name);
    }

    // A version 7 GUID starts with the Unix milliseconds of its timestamp.
    private static long ExtractUnixMs(Guid id) => Convert.ToInt64(id.ToString("N")[..12], 16);
}
