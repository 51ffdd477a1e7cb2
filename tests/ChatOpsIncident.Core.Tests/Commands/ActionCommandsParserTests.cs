using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Tests.Commands;

/// <summary>The action verbs added to the grammar: <c>action &lt;n&gt; …</c> edits, <c>undone</c>, <c>catchup</c>.</summary>
public sealed class ActionCommandsParserTests
{
    private static readonly UserRef Actor = new("U0ACTOR", "actor");

    private static readonly CommandParser Parser = new(Options.Create(CommandParserTests.Defaults()));

    private static ParseResult Parse(string text) => Parser.Parse(text, Actor);

    [Theory]
    [InlineData("action 3 <@U0BOB|bob>", "U0BOB", null, null)]
    [InlineData("action 3 due:2026-12-20", null, "2026-12-20", null)]
    [InlineData("action #3 low", null, null, ActionPriority.Low)]
    [InlineData("action 3 medium", null, null, ActionPriority.Normal)]
    [InlineData("action 3 CRITICAL due:2026-12-20 <@U0BOB|bob>", "U0BOB", "2026-12-20", ActionPriority.Critical)]
    [InlineData("action 3 me high", "U0ACTOR", null, ActionPriority.High)]
    public void ActionWithNumber_IsAnEdit_OfAnySubset(string text, string? owner, string? due, ActionPriority? priority)
    {
        var result = Parse(text);

        Assert.True(result.Ok, result.Error);
        var edit = Assert.IsType<EditAction>(result.Command);
        Assert.Equal((3, owner, due is null ? (DateOnly?)null : DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture), priority), (edit.Number, edit.Owner?.Id, edit.Due, edit.Priority));
    }

    [Theory]
    [InlineData("action 3 due:2026-13-40", "'2026-13-40' is not a date: write due:YYYY-MM-DD.")]
    [InlineData("action 3 urgent", "'urgent' is not an @owner, a due:YYYY-MM-DD or a priority (critical, high, medium, low).")]
    [InlineData("action 3 bob", "'bob' is not an @owner")]
    [InlineData("action 0 <@U0BOB|bob>", "'0' is not an action number")]
    [InlineData("action 3", "Say what to change on action #3")]
    [InlineData("action 3 high low", "The priority is given twice.")]
    [InlineData("action 3 <@U0A|a> <@U0B|b>", "An action has one owner.")]
    public void ActionEdit_BadInput_IsAClearUsageError(string text, string expected)
    {
        var result = Parse(text);

        Assert.False(result.Ok);
        Assert.StartsWith(expected, result.Error, StringComparison.Ordinal);
        Assert.Contains("Usage: action <n> [@owner] [due:YYYY-MM-DD] [critical|high|medium|low]", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ActionWithText_StillAddsOne_WithTheNewPriorities()
    {
        var add = Assert.IsType<AddAction>(Parse("action Tidy the dashboards low").Command);

        Assert.Equal(("Tidy the dashboards", ActionPriority.Low), (add.Text, add.Priority));
    }

    [Fact]
    public void Undone_TakesOneActionNumber()
    {
        Assert.Equal(4, Assert.IsType<ReopenAction>(Parse("undone #4").Command).Number);
        Assert.StartsWith("'undone' needs one action number.", Parse("undone").Error, StringComparison.Ordinal);
        Assert.StartsWith("'undone' needs one action number.", Parse("undone four").Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("catchup")]
    [InlineData("catch up")]
    [InlineData("Catch Up")]
    [InlineData("summary")]
    [InlineData("catch-up")]
    public void CatchUp_AndItsAliases(string text) => Assert.IsType<ShowCatchUp>(Parse(text).Command);

    [Fact]
    public void CatchUp_TakesNoArguments() => Assert.StartsWith("'catchup' takes no arguments.", Parse("catchup now").Error, StringComparison.Ordinal);

    [Fact]
    public void Help_NamesTheNewVerbs()
    {
        var help = CommandParser.HelpText(CommandParserTests.Defaults());

        Assert.Contains("action <n> [@owner] [due:YYYY-MM-DD] [critical|high|medium|low]", help, StringComparison.Ordinal);
        Assert.Contains("undone <action-number>", help, StringComparison.Ordinal);
        Assert.Contains("catchup", help, StringComparison.Ordinal);
    }
}
