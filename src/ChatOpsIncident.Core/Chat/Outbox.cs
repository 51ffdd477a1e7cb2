namespace ChatOpsIncident.Core.Chat;

public static class OutboxOperations
{
    /// <summary>Post <see cref="OutboxMessage.Message"/> in the channel (pin it when <see cref="OutboxMessage.Pin"/>).</summary>
    public const string Post = "post";
    /// <summary>Replace the message posted earlier under <see cref="OutboxMessage.TargetKey"/>.</summary>
    public const string Update = "update";
    /// <summary>Set the channel topic to <see cref="OutboxMessage.Text"/>.</summary>
    public const string Topic = "topic";
    /// <summary>Invite <see cref="OutboxMessage.Users"/> to the channel.</summary>
    public const string Invite = "invite";
    /// <summary>Page the on-call with <see cref="OutboxMessage.Text"/> as the reason.</summary>
    public const string Page = "page";
    /// <summary>
    /// Answer one person privately with <see cref="OutboxMessage.Message"/>: <see cref="OutboxMessage.Users"/> holds
    /// them, <see cref="OutboxMessage.ResponseUrl"/> the platform's reply address if any (Slack's response_url), the
    /// channel where a fallback (ephemeral) reply goes. Queued so a slow reply endpoint never holds up the inbox.
    /// </summary>
    public const string Respond = "respond";
}

/// <summary>
/// An outbound effect saved in the same transaction as the state change that caused it, then delivered by the
/// outbox dispatcher. The key is unique: a command that runs twice queues its effects once.
/// </summary>
public sealed record OutboxMessage(string Key, Guid IncidentId, string Platform, string Operation, string ChannelId)
{
    public ChatMessage? Message { get; init; }
    public bool Pin { get; init; }
    public string? TargetKey { get; init; }
    public string? Text { get; init; }
    public IReadOnlyList<Incidents.UserRef> Users { get; init; } = [];
    /// <summary>Where a <see cref="OutboxOperations.Respond"/> goes first; a credential, kept only until delivered.</summary>
    public string? ResponseUrl { get; init; }
}

public interface IOutbox
{
    Task<IReadOnlyList<(long Id, OutboxMessage Message, int Attempts)>> ClaimAsync(int max, TimeSpan lease, CancellationToken ct);

    Task CompleteAsync(long id, string? result, CancellationToken ct);

    Task FailAsync(long id, string error, TimeSpan retryAfter, bool dead, CancellationToken ct);

    /// <summary>The result (message id) recorded for a delivered key, or null.</summary>
    Task<string?> ResultAsync(string key, CancellationToken ct);

    /// <summary>Queues messages outside a state change (reminders, fan-out). Keys already queued are ignored.</summary>
    Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct);
}
