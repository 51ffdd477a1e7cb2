namespace ChatOpsIncident.Sandbox.Inbound;

/// <summary>The kinds of workspace deliveries the inbox holds.</summary>
internal static class SandboxInboxKinds
{
    /// <summary>A message starting with /incident.</summary>
    public const string Command = "command";

    /// <summary>A click on one of the bot's buttons.</summary>
    public const string Action = "action";

    /// <summary>An answered form.</summary>
    public const string Form = "form";

    /// <summary>The timeline reaction added to or taken off a message.</summary>
    public const string Reaction = "reaction";
}

/// <summary>
/// One acknowledged workspace delivery, as stored in the inbox before the API answered 202: who, where, and what
/// (the command text, the button's neutral action and value, the form's answers, the reacted message).
/// </summary>
internal sealed record SandboxDelivery(string User, string ChannelId)
{
    public string? MessageId { get; init; }
    public string? Text { get; init; }
    public string? ActionId { get; init; }
    public string? Value { get; init; }
    public Dictionary<string, string?>? Values { get; init; }
    public string? Reaction { get; init; }
}
