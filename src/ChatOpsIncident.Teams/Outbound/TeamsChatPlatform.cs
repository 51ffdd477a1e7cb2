using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Core.Storage;
using ChatOpsIncident.Teams.Activities;
using ChatOpsIncident.Teams.Cards;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Teams.Outbound;

/// <summary>
/// The core's chat port on Teams. Channels are Graph team channels; every top-level post starts a Connector
/// conversation in the channel (a new thread), replies and chats are sent into their conversation, all proactively
/// from the stored conversation reference.
/// </summary>
internal sealed class TeamsChatPlatform(
    ConnectorClient connector,
    GraphClient graph,
    IConversationStore store,
    IIncidentStore incidents,
    ConversationPacer pacer,
    IOutbox outbox,
    OutboxSignal outboxSignal,
    IOptions<TeamsOptions> options,
    IOptions<IncidentOptions> incidentOptions,
    TimeProvider time,
    ILogger<TeamsChatPlatform> logger) : IChatPlatform
{
    public const string PlatformName = "teams";
    private const int MaxNameAttempts = 5;

    public string Name => PlatformName;

    /// <summary>Teams has no slash commands: people mention the bot (the manifest's short name).</summary>
    public string CommandPrefix => "@Incident";

    public string? FeedChannelId => string.IsNullOrWhiteSpace(options.Value.FeedChannel) ? null : options.Value.FeedChannel;

    public async Task<ChannelInfo> CreateChannelAsync(Incident incident, ChannelNameRequest request, bool isPrivate, CancellationToken ct)
    {
        var (teamId, reference) = await TeamForAsync(incident, ct);
        var reservation = await store.ReserveChannelAsync(incident.Id, teamId, TeamsChannelNames.For(request), ct);
        if (reservation.ChannelId is not null)
        {
            await RememberChannelAsync(reservation.ChannelId, reservation.DisplayName, reservation.AadGroupId, reference, ct);
            return new ChannelInfo(reservation.ChannelId, reservation.DisplayName, reservation.WebUrl);
        }

        // The description carries the incident id: after a crash between Graph's 201 and our record, the name
        // conflict on the retry finds the channel and the marker proves it is ours, not someone else's.
        var marker = Marker(incident.Id);
        var description = Truncate($"{incident.PublicId} [{incident.Severity}] {incident.Title}", 900) + " " + marker;
        var owner = isPrivate ? OwnerOf(incident) : null;
        var baseName = reservation.DisplayName;
        for (var attempt = 1; attempt <= MaxNameAttempts; attempt++)
        {
            var candidate = attempt == 1 ? baseName : TeamsChannelNames.WithSuffix(baseName, attempt);
            var created = await graph.CreateChannelAsync(reservation.AadGroupId, candidate, description, isPrivate, owner, ct);
            if (created is null)
            {
                var existing = await graph.FindChannelByNameAsync(reservation.AadGroupId, candidate, ct);
                if (existing?.Description?.Contains(marker, StringComparison.Ordinal) != true)
                {
                    Log.ChannelNameTaken(logger, candidate, incident.PublicId);
                    await store.RenameReservationAsync(incident.Id, TeamsChannelNames.WithSuffix(baseName, attempt + 1), ct);
                    continue;
                }

                created = existing;
            }

            var display = created.DisplayName ?? candidate;
            await store.RecordChannelAsync(incident.Id, created.Id, display, created.WebUrl, ct);
            await RememberChannelAsync(created.Id, display, reservation.AadGroupId, reference, ct);
            Log.ChannelCreated(logger, display, incident.PublicId);
            return new ChannelInfo(created.Id, display, created.WebUrl);
        }

        throw new PermanentChatException($"No free channel name for {incident.PublicId} after {MaxNameAttempts} attempts (last tried from '{baseName}').");
    }

    public async Task InviteAsync(string channelId, IReadOnlyCollection<UserRef> users, CancellationToken ct)
    {
        // Everyone in the team sees a standard channel; only private channels have a member list to add to.
        var incident = await incidents.FindByChannelAsync(PlatformName, channelId, ct);
        if (incident is not { IsPrivate: true })
        {
            return;
        }

        var reference = await ReferenceAsync(channelId, ct);
        if (reference.AadGroupId is null)
        {
            throw new PermanentChatException("The team of a private incident channel is unknown; cannot add members.");
        }

        foreach (var user in users.Where(u => Guid.TryParse(u.Id, out _)))
        {
            await graph.AddMemberAsync(reference.AadGroupId, channelId, user.Id, ct);
        }
    }

    public async Task SetTopicAsync(string channelId, string topic, CancellationToken ct)
    {
        // Teams channels have no topic; the description (shown in the channel header) plays that part.
        var reference = await ReferenceAsync(channelId, ct);
        if (!Conversations.IsChannel(channelId) || reference.AadGroupId is null)
        {
            return;
        }

        var incident = await incidents.FindByChannelAsync(PlatformName, channelId, ct);
        var marker = incident is null ? "" : " " + Marker(incident.Id);
        await graph.SetDescriptionAsync(reference.AadGroupId, channelId, Truncate(topic, 900) + marker, ct);
    }

    public Task<PostedMessage> PostAsync(string channelId, ChatMessage message, CancellationToken ct) =>
        PostActivityAsync(channelId, AdaptiveCards.Activity(message), message.Text, message.IncidentId, ct);

    /// <summary>Posts an activity: a new thread in a team channel, or into the conversation (a chat or a thread) itself.</summary>
    internal async Task<PostedMessage> PostActivityAsync(string channelId, JsonObject activity, string text, Guid? incidentId, CancellationToken ct)
    {
        var reference = await ReferenceAsync(channelId, ct);
        await pacer.WaitAsync(Conversations.RootOf(channelId)!, ct);
        string messageId;
        string conversationId;
        if (Conversations.IsChannel(channelId))
        {
            var parameters = new JsonObject
            {
                ["isGroup"] = true,
                ["channelData"] = new JsonObject
                {
                    ["channel"] = new JsonObject { ["id"] = channelId },
                    ["tenant"] = reference.TenantId is null ? null : new JsonObject { ["id"] = reference.TenantId },
                },
                ["activity"] = activity,
                ["tenantId"] = reference.TenantId,
                ["bot"] = new JsonObject { ["id"] = "28:" + options.Value.AppId },
            };
            var created = await connector.CreateConversationAsync(reference.ServiceUrl, parameters, ct);
            messageId = created.ActivityId ?? MessageIdOf(created.Id)
                ?? throw new PermanentChatException("The Bot Connector created the conversation but returned no activity id.");
            conversationId = created.Id ?? Conversations.Thread(channelId, messageId);
        }
        else
        {
            var sent = await connector.SendToConversationAsync(reference.ServiceUrl, channelId, activity, ct);
            messageId = sent.Id ?? throw new PermanentChatException("The Bot Connector accepted the message but returned no id.");
            conversationId = channelId;
        }

        var root = Conversations.RootOf(channelId)!;
        await store.RecordMessageAsync(new SentMessage(root, messageId, conversationId, text, time.GetUtcNow(), incidentId), ct);
        return new PostedMessage(root, messageId);
    }

    public async Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken ct)
    {
        var root = Conversations.RootOf(posted.ChannelId)!;
        var reference = await ReferenceAsync(root, ct);
        var sent = await store.FindMessageAsync(root, posted.MessageId, ct);
        var conversationId = sent?.ConversationId ?? (Conversations.IsChannel(root) ? Conversations.Thread(root, posted.MessageId) : root);
        var activity = AdaptiveCards.Activity(message);
        activity["id"] = posted.MessageId;
        await pacer.WaitAsync(root, ct);
        await connector.UpdateActivityAsync(reference.ServiceUrl, conversationId, posted.MessageId, activity, ct);
        await store.RecordMessageAsync(new SentMessage(root, posted.MessageId, conversationId, message.Text, sent?.PostedAt ?? time.GetUtcNow(), message.IncidentId ?? sent?.IncidentId), ct);
    }

    public async Task SendFormAsync(string channelId, string form, Guid incidentId, CancellationToken ct)
    {
        var card = form switch
        {
            ChatForms.Declare => AdaptiveCards.DeclareForm(incidentOptions.Value),
            ChatForms.Update => AdaptiveCards.UpdateForm((await incidents.GetAsync(incidentId, ct)
                ?? throw new PermanentChatException($"The incident of an update form ({incidentId}) does not exist")).Incident),
            _ => throw new PermanentChatException($"unknown form '{form}'"),
        };
        var message = new JsonObject { ["type"] = "message", ["attachments"] = new JsonArray(AdaptiveCards.Attachment(card)) };
        await PostActivityAsync(channelId, message, "form", incidentId == Guid.Empty ? null : incidentId, ct);
    }

    /// <summary>Bots cannot pin channel messages in Teams; the kickoff card is the thread everyone lands on instead.</summary>
    public Task PinAsync(PostedMessage posted, CancellationToken ct) => Task.CompletedTask;

    public async Task<CapturedMessage?> FetchMessageAsync(SourceRef source, CancellationToken ct)
    {
        // Reactions reach the bot only for its own messages, and carry no content: it is the copy we kept when posting.
        if (source.MessageId is null)
        {
            return null;
        }

        var sent = await store.FindMessageAsync(Conversations.RootOf(source.ChannelId)!, source.MessageId, ct);
        return sent is null ? null : new CapturedMessage(source, null, sent.Text, sent.PostedAt);
    }

    public async Task AcknowledgeCaptureAsync(SourceRef source, CancellationToken ct)
    {
        if (source.MessageId is null)
        {
            return;
        }

        // A reply is not a no-op the second time the way Slack's reaction is: it goes through the outbox under a key per
        // message, so a repeated capture or a re-run answers once.
        var incident = await incidents.FindByChannelAsync(PlatformName, source.ChannelId, ct);
        var thread = Conversations.IsChannel(source.ChannelId) ? Conversations.Thread(source.ChannelId, source.ThreadId ?? source.MessageId) : source.ChannelId;
        await outbox.EnqueueAsync(
            [new OutboxMessage($"teams:captured:{source.ChannelId}:{source.MessageId}", incident?.Id ?? Guid.Empty, PlatformName, OutboxOperations.Post, thread) { Message = CaptureAcknowledgement }],
            ct);
        outboxSignal.Notify();
    }

    public static ChatMessage CaptureAcknowledgement { get; } = ChatMessage.Plain("📌 Added to the incident timeline.");

    public async Task PageAsync(Guid incidentId, string channelId, string reason, CancellationToken ct)
    {
        // Teams has no paging of its own: a loud card in the channel; on-call paging belongs to the pager integration.
        await PostAsync(channelId, new ChatMessage($"📟 Page: {reason}")
        {
            Title = "📟 Paging the on-call",
            Tone = MessageTone.Danger,
            Sections = [new(Text: reason)],
        }, ct);
    }

    /// <summary>
    /// Teams has no ephemeral message: a private answer is a 1:1 chat with the person, opened by the bot. Where Teams
    /// refuses that (the app is not installed for them), the answer goes into the conversation the person wrote in,
    /// as every other Teams reply does, rather than nowhere.
    /// </summary>
    public async Task RespondAsync(string channelId, UserRef user, string? responseUrl, ChatMessage message, CancellationToken ct)
    {
        var reference = await ReferenceAsync(channelId, ct);
        if (reference.Kind == "personal")
        {
            await PostAsync(channelId, message, ct);
            return;
        }

        string chat;
        try
        {
            var parameters = new JsonObject
            {
                ["isGroup"] = false,
                ["bot"] = new JsonObject { ["id"] = "28:" + options.Value.AppId },
                ["members"] = new JsonArray(new JsonObject { ["id"] = user.Id }),
                ["tenantId"] = reference.TenantId,
                ["channelData"] = new JsonObject { ["tenant"] = reference.TenantId is null ? null : new JsonObject { ["id"] = reference.TenantId } },
            };
            chat = (await connector.CreateConversationAsync(reference.ServiceUrl, parameters, ct)).Id
                ?? throw new PermanentChatException("The Bot Connector opened the chat but returned no conversation id.");
        }
        catch (PermanentChatException ex)
        {
            Log.PrivateReplyFallback(logger, user.Id, ex.Message, channelId);
            await PostAsync(channelId, message, ct);
            return;
        }

        // The chat is new: it has no stored reference of its own, so it is sent through the conversation's service.
        await pacer.WaitAsync(chat, ct);
        await connector.SendToConversationAsync(reference.ServiceUrl, chat, AdaptiveCards.Activity(message), ct);
    }

    /// <summary>
    /// A direct message is a 1:1 chat with the person, opened by the bot through the incident channel's service (the
    /// same call a private answer makes). Unlike a private answer it has no fallback: the channel already has the post,
    /// so a person Teams will not open a chat with is told nothing twice; the failure is the outbox row's.
    /// </summary>
    public async Task DirectMessageAsync(string channelId, UserRef user, ChatMessage message, CancellationToken ct)
    {
        var reference = await ReferenceAsync(channelId, ct);
        var parameters = new JsonObject
        {
            ["isGroup"] = false,
            ["bot"] = new JsonObject { ["id"] = "28:" + options.Value.AppId },
            ["members"] = new JsonArray(new JsonObject { ["id"] = user.Id }),
            ["tenantId"] = reference.TenantId,
            ["channelData"] = new JsonObject { ["tenant"] = reference.TenantId is null ? null : new JsonObject { ["id"] = reference.TenantId } },
        };
        var chat = (await connector.CreateConversationAsync(reference.ServiceUrl, parameters, ct)).Id
            ?? throw new PermanentChatException("The Bot Connector opened the chat but returned no conversation id.");
        await pacer.WaitAsync(chat, ct);
        await connector.SendToConversationAsync(reference.ServiceUrl, chat, AdaptiveCards.Activity(message), ct);
    }

    /// <summary>The stored reference for a channel or chat, or the configured defaults for one the bot has not seen.</summary>
    internal async Task<ConversationReference> ReferenceAsync(string channelId, CancellationToken ct)
    {
        var root = Conversations.RootOf(channelId)!;
        return await store.FindConversationAsync(root, ct)
            ?? new ConversationReference(root, options.Value.DefaultServiceUrl, options.Value.TenantId, null, options.Value.TeamId, null, null);
    }

    private async Task<(string TeamId, ConversationReference? Reference)> TeamForAsync(Incident incident, CancellationToken ct)
    {
        var origin = incident.OriginChannelId is null ? null : await store.FindConversationAsync(Conversations.RootOf(incident.OriginChannelId)!, ct);
        var installations = await store.InstallationsAsync(ct);
        var teamId = !string.IsNullOrWhiteSpace(options.Value.TeamId) ? options.Value.TeamId
            : origin?.AadGroupId ?? installations.FirstOrDefault(i => i.AadGroupId is not null)?.AadGroupId;
        if (teamId is null)
        {
            throw new PermanentChatException("No team to create the incident channel in: set Teams:TeamId or add the bot to a team.");
        }

        var installed = installations.FirstOrDefault(i => string.Equals(i.AadGroupId, teamId, StringComparison.OrdinalIgnoreCase));
        var reference = installed is not null
            ? new ConversationReference(installed.TeamId, installed.ServiceUrl, installed.TenantId, installed.TeamId, installed.AadGroupId, "channel", installed.Name)
            : origin;
        return (teamId, reference);
    }

    private async Task RememberChannelAsync(string channelId, string name, string aadGroupId, ConversationReference? team, CancellationToken ct) =>
        await store.UpsertConversationAsync(new ConversationReference(
            channelId,
            team?.ServiceUrl ?? options.Value.DefaultServiceUrl,
            team?.TenantId ?? options.Value.TenantId,
            team?.TeamId,
            aadGroupId,
            "channel",
            name), ct);

    private static string? OwnerOf(Incident incident) =>
        Guid.TryParse(incident.DeclaredBy.Id, out _)
            ? incident.DeclaredBy.Id
            : throw new PermanentChatException($"A private Teams channel needs an owner's Entra object id; {incident.DeclaredBy.Display} has none on record.");

    private static string? MessageIdOf(string? conversationId)
    {
        const string Marker = ";messageid=";
        var at = conversationId?.IndexOf(Marker, StringComparison.OrdinalIgnoreCase) ?? -1;
        return at < 0 ? null : conversationId![(at + Marker.Length)..];
    }

    private static string Marker(Guid incidentId) => $"[chatops:{incidentId:N}]";

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
