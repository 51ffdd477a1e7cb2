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
    /// Pin the message posted under <see cref="OutboxMessage.TargetKey"/>. Queued by a delivered pinned post as its
    /// own step, so a failed pin is retried alone and never posts the message again.
    /// </summary>
    public const string PinPosted = "pin";

    /// <summary>
    /// Answer one person privately with <see cref="OutboxMessage.Message"/>: <see cref="OutboxMessage.Users"/> holds
    /// them, <see cref="OutboxMessage.ResponseUrl"/> the platform's reply address if any (Slack's response_url), the
    /// channel where a fallback (ephemeral) reply goes. Queued so a slow reply endpoint never holds up the inbox.
    /// </summary>
    public const string Respond = "respond";

    /// <summary>
    /// Send the form named by <see cref="OutboxMessage.Text"/> (<see cref="ChatForms"/>) into the conversation, for
    /// <see cref="OutboxMessage.IncidentId"/> when it is the update form. For platforms whose forms are messages (Teams
    /// cards); queued like every reply, so a slow endpoint never holds up the inbox.
    /// </summary>
    public const string Form = "form";

    /// <summary>
    /// Send <see cref="OutboxMessage.Message"/> to the one person in <see cref="OutboxMessage.Users"/> as a direct
    /// message (Slack: conversations.open + chat.postMessage; Teams: a 1:1 chat). <see cref="OutboxMessage.ChannelId"/>
    /// is the incident channel the message is about (Teams finds its service there). Delivered beside the channel's
    /// posts like <see cref="Respond"/>, so a person who cannot be reached never holds up the channel.
    /// </summary>
    public const string DirectMessage = "dm";

    /// <summary>Tell the pager the incident was acknowledged (<see cref="IPager.AcknowledgeAsync"/>).</summary>
    public const string PageAcknowledge = "page-ack";

    /// <summary>Tell the pager the incident is over (<see cref="IPager.ResolveAsync"/>).</summary>
    public const string PageResolve = "page-resolve";

    /// <summary>Archive the channel (a merged incident's, after its grace period).</summary>
    public const string Archive = "archive";

    /// <summary>Operations that go to one person and run beside the channel's queue instead of in it.</summary>
    public static bool IsPersonal(string operation) => operation is Respond or DirectMessage;
}

/// <summary>The forms a <see cref="OutboxOperations.Form"/> item can name.</summary>
public static class ChatForms
{
    public const string Declare = "declare";
    public const string Update = "update";
}

/// <summary>One claimed outbox row: <see cref="Attempts"/> counts this claim; <see cref="Claim"/> fences it.</summary>
public sealed record OutboxClaim(long Id, OutboxMessage Message, int Attempts, Guid Claim, DateTimeOffset CreatedAt)
{
    /// <summary>The W3C traceparent of the work that queued it: delivering continues that trace. Null when untraced.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>
/// The outbox row being delivered on this flow, for adapters that need what the row knows beyond the message: a
/// non-first attempt (a retry, or a takeover after a crash) of a post may have landed already, and the adapter looks
/// for it before posting again. Derived from the row, so it survives restarts and holds on every replica.
/// </summary>
public static class OutboxDelivery
{
    private static readonly AsyncLocal<OutboxClaim?> CurrentClaim = new();

    public static OutboxClaim? Current
    {
        get => CurrentClaim.Value;
        internal set => CurrentClaim.Value = value;
    }
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
    /// <summary>
    /// The incident version an <see cref="OutboxOperations.Update"/> was rendered from: an update whose target already
    /// shows this version or a newer one is skipped, so an older update retried late never overwrites a newer one.
    /// Null (older rows, non-incident messages) always sends.
    /// </summary>
    public int? Version { get; init; }
    /// <summary>Where a <see cref="OutboxOperations.Respond"/> goes first; a credential, kept only until delivered.</summary>
    public string? ResponseUrl { get; init; }
}

public interface IOutbox
{
    /// <summary>
    /// Leases up to <paramref name="max"/> due rows under a fresh claim token each (a claim counts as an attempt).
    /// Per (platform, channel) only rows with nothing older still pending are claimed, so a channel's messages go
    /// out in the order they were queued even when an older one waits for a retry.
    /// </summary>
    Task<IReadOnlyList<OutboxClaim>> ClaimAsync(int max, TimeSpan lease, CancellationToken ct);

    /// <summary>Marks the row delivered if <paramref name="claim"/> still holds it.</summary>
    Task<bool> CompleteAsync(long id, Guid claim, string? result, CancellationToken ct);

    /// <summary>Records a failure if <paramref name="claim"/> still holds the row.</summary>
    Task<bool> FailAsync(long id, Guid claim, string error, TimeSpan retryAfter, bool dead, CancellationToken ct);

    /// <summary>Extends the lease of the held rows to now + <paramref name="lease"/>; returns the ids still held.</summary>
    Task<IReadOnlySet<long>> RenewAsync(IReadOnlyList<(long Id, Guid Claim)> rows, TimeSpan lease, CancellationToken ct);

    /// <summary>Gives claimed rows back untried (the attempt is not counted), due at once.</summary>
    Task ReleaseAsync(IReadOnlyList<(long Id, Guid Claim)> rows, CancellationToken ct);

    /// <summary>
    /// Gives held rows back due at once when the host stops (the claim stays counted as an attempt, so the next holder
    /// treats a possibly half-done send as uncertain); only while each claim still holds.
    /// </summary>
    Task GiveBackAsync(IReadOnlyList<(long Id, Guid Claim)> rows, CancellationToken ct);

    /// <summary>The result (message id) recorded for a delivered key, or null.</summary>
    Task<string?> ResultAsync(string key, CancellationToken ct);

    /// <summary>The newest <see cref="OutboxMessage.Version"/> sent as an update of the message under <paramref name="key"/>, or null.</summary>
    Task<int?> SentVersionAsync(string key, CancellationToken ct);

    /// <summary>Records that the message under <paramref name="key"/> now shows <paramref name="version"/> (never lowers it).</summary>
    Task RecordSentVersionAsync(string key, int version, CancellationToken ct);

    /// <summary>Queues messages outside a state change (reminders, fan-out). Keys already queued are ignored.</summary>
    Task EnqueueAsync(IReadOnlyList<OutboxMessage> messages, CancellationToken ct);
}
