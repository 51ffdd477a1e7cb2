using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;

namespace ChatOpsIncident.Core.Tests.Interactions;

public sealed class ButtonValuesTests
{
    private static readonly Guid Id = Guid.Parse("0195b0a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b");
    private static readonly UserRef Megan = new("c33aafc4-646d-4543-9d4c-abd28e4d2110", "Megan Bowen");
    private readonly Core.Configuration.IncidentOptions _options = Cadence.TestOptions.Create();

    [Fact]
    public void Encode_WireValues_AreTheOnesRecordedCardsCarry()
    {
        Assert.Equal("0195b0a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b", ButtonValues.Incident(Id));
        Assert.Equal("0195b0a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b|comms", ButtonValues.ClaimRole(Id, "comms"));
        Assert.Equal("0195b0a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b|recovery|12", ButtonValues.ToggleChecklist(Id, "recovery", 12));
        Assert.Equal("0195b0a4-1c2d-7e3f-8a4b-5c6d7e8f9a0b|30", ButtonValues.Snooze(Id, 30));
    }

    [Fact]
    public void Decode_EachKnownButton_GivesItsCommand_OnItsIncident()
    {
        var claim = ButtonValues.Decode(ChatActions.ClaimRole, ButtonValues.ClaimRole(Id, "comms"), Megan, _options)!;
        var tick = ButtonValues.Decode(ChatActions.ToggleChecklist, ButtonValues.ToggleChecklist(Id, "triage", 1), Megan, _options)!;
        var snooze = ButtonValues.Decode(ChatActions.Snooze, ButtonValues.Snooze(Id, 10), Megan, _options)!;
        var resolve = ButtonValues.Decode(ChatActions.Resolve, ButtonValues.Incident(Id), Megan, _options)!;
        var form = ButtonValues.Decode(ChatActions.OpenUpdateForm, ButtonValues.Incident(Id), Megan, _options)!;

        Assert.All([claim, tick, snooze, resolve, form], i => Assert.Equal(Id, i.IncidentId));
        Assert.Equal(new AssignRole("comms", Megan), claim.Command);
        Assert.Equal(new ToggleChecklistItem("triage", 1), tick.Command);
        Assert.Equal(new SnoozeReminder(TimeSpan.FromMinutes(10)), snooze.Command);
        Assert.Equal(new Resolve(null), resolve.Command);
        Assert.IsType<OpenUpdateForm>(form.Command);
    }

    [Fact]
    public void Decode_ClaimRole_UsesTheConfiguredRoleKey_WhateverTheCase()
    {
        var claim = ButtonValues.Decode(ChatActions.ClaimRole, $"{Id}|COMMS", Megan, _options)!;

        Assert.Equal(new AssignRole("comms", Megan), claim.Command);
    }

    [Theory]
    [InlineData(ChatActions.ClaimRole, "{id}|nosuchrole")]
    [InlineData(ChatActions.ClaimRole, "{id}")]
    [InlineData(ChatActions.ClaimRole, "not-a-guid|comms")]
    [InlineData(ChatActions.ToggleChecklist, "{id}|triage|-1")]
    [InlineData(ChatActions.ToggleChecklist, "{id}|triage|one")]
    [InlineData(ChatActions.ToggleChecklist, "{id}|triage")]
    [InlineData(ChatActions.Snooze, "{id}| 10")]
    [InlineData(ChatActions.Snooze, "{id}|10|x")]
    [InlineData(ChatActions.Resolve, "{id}|extra")]
    [InlineData(ChatActions.OpenUpdateForm, "")]
    [InlineData("declare_submit", "{id}")]
    [InlineData("incident.ack", "{id}")]
    public void Decode_UnknownOrMalformed_IsNull(string actionId, string value)
    {
        Assert.Null(ButtonValues.Decode(actionId, value.Replace("{id}", Id.ToString(), StringComparison.Ordinal), Megan, _options));
    }

    [Fact]
    public void TryParse_CountsParts_AndNeedsAnIncidentId()
    {
        Assert.True(ButtonValues.TryParse($"{Id}|triage|3", 3, out var id, out var args));
        Assert.Equal(Id, id);
        Assert.Equal(["triage", "3"], args);
        Assert.False(ButtonValues.TryParse($"{Id}|triage|3", 2, out _, out _));
        Assert.False(ButtonValues.TryParse("INC-42", 1, out _, out _));
        Assert.False(ButtonValues.TryParse(null, 1, out _, out _));
    }
}
