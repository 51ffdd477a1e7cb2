using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Teams.Outbound;

namespace ChatOpsIncident.Teams.Tests.Outbound;

public sealed class TeamsChannelNamesTests
{
    [Theory]
    [InlineData("inc-12-checkout-5xx", "inc-12-checkout-5xx")]
    [InlineData("_inc-1-x.", "inc-1-x")]
    [InlineData("a:b/c?d#e|f", "a-b-c-d-e-f")]
    [InlineData("..hidden..name..", "hidden.name")]
    [InlineData("CON", "incident-CON")]
    public void From_AppliesTeamsRules(string input, string expected)
    {
        var name = TeamsChannelNames.From(input);

        Assert.Equal(expected, name);
        Assert.True(TeamsChannelNames.IsValid(name));
    }

    [Fact]
    public void For_LongTitle_FitsIn50_AndSuffixStaysValid()
    {
        var name = TeamsChannelNames.For(new ChannelNameRequest("inc", 1234, new string('x', 120) + " checkout"));
        var suffixed = TeamsChannelNames.WithSuffix(name, 17);

        Assert.True(name.Length <= TeamsChannelNames.MaxLength);
        Assert.True(TeamsChannelNames.IsValid(suffixed));
        Assert.EndsWith("-17", suffixed, StringComparison.Ordinal);
        Assert.StartsWith("inc-1234-", suffixed, StringComparison.Ordinal);
    }
}
