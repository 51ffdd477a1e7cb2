using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;

namespace ChatOpsIncident.Core.Tests.Interactions;

public sealed class TwinDeclarationsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);
    private static readonly UserRef Alice = new("U0ALICE", "alice");
    private static readonly CommandContext Ctx = new("slack", Surfaces.Slack, Alice, "CORIGIN", "d2");

    private static Incident Declared(string title, DateTimeOffset at, string platform = "slack", string by = "U0ALICE") => new()
    {
        Id = Guid.NewGuid(),
        Number = 7,
        Title = title,
        Severity = "SEV2",
        Type = "availability",
        Platform = platform,
        DeclaredBy = new UserRef(by),
        DeclaredAt = at,
    };

    [Fact]
    public void SamePersonSameTitle_WithinTwoMinutes_IsTheTwin_WhateverTheCaseAndSpaces()
    {
        var first = Declared("Checkout 5xx after deploy", Now - TimeSpan.FromSeconds(119));

        Assert.Same(first, TwinDeclarations.Find([first], Ctx, "  checkout 5XX after deploy ", Now));
    }

    [Fact]
    public void OlderThanTheWindow_AnotherPerson_AnotherPlatform_OrAnotherTitle_IsNoTwin()
    {
        var candidates = new[]
        {
            Declared("Checkout 5xx after deploy", Now - TimeSpan.FromSeconds(121)),
            Declared("Checkout 5xx after deploy", Now, by: "U0BOB"),
            Declared("Checkout 5xx after deploy", Now, platform: "teams"),
            Declared("Checkout 5xx after deploy again", Now),
        };

        Assert.Null(TwinDeclarations.Find(candidates, Ctx, "Checkout 5xx after deploy", Now));
    }

    [Fact]
    public void Candidates_SearchTheTrimmedTitle_SinceTheWindowStarted()
    {
        var query = TwinDeclarations.Candidates("  Checkout 5xx ", Now);

        Assert.Equal("Checkout 5xx", query.Search);
        Assert.Equal(Now - TimeSpan.FromMinutes(2), query.DeclaredFrom);
    }
}
