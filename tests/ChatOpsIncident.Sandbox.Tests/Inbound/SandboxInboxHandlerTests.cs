using ChatOpsIncident.Sandbox.Inbound;

namespace ChatOpsIncident.Sandbox.Tests.Inbound;

public sealed class SandboxInboxHandlerTests
{
    [Theory]
    [InlineData("/incident declare sev2 Checkout", "declare sev2 Checkout")]
    [InlineData("  /INCIDENT help  ", "help")]
    [InlineData("/incident", "")]
    [InlineData("/incident\tstatus", "status")]
    public void CommandText_IsTheWordsAfterTheSlashCommand(string text, string expected)
    {
        Assert.Equal(expected, SandboxInboxHandler.CommandText(text));
    }

    [Theory]
    [InlineData("/incidents")]
    [InlineData("hello /incident declare")]
    [InlineData("incident declare")]
    public void CommandText_OfAnythingElse_IsNull(string text)
    {
        Assert.Null(SandboxInboxHandler.CommandText(text));
    }
}
