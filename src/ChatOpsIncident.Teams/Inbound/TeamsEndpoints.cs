using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Teams.Activities;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Teams.Inbound;

/// <summary>An activity that passed authentication, with the exact body that was signed for.</summary>
internal sealed record InboundActivity(Activity Activity, string Body);

/// <summary>
/// Fail-closed gate in front of <c>/api/messages</c>: token first (401), then the body (400), then whether the token
/// covers this activity (403). Nothing is stored or parsed further for a request that fails.
/// </summary>
internal sealed class BotAuthenticationFilter(BotTokenValidator validator, IOptions<TeamsOptions> options, ILogger<BotAuthenticationFilter> logger) : IEndpointFilter
{
    // Teams messages are capped near 28 KB; invokes with card inputs stay well below this.
    private const int MaxBody = 256 * 1024;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var ct = http.RequestAborted;
        var (outcome, token) = await validator.AuthenticateAsync(http.Request.Headers.Authorization.ToString() is { Length: > 0 } h ? h : null, ct);
        if (outcome != AuthOutcome.Valid || token is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            http.Items[RequestRefusal.ItemKey] = new RequestRefusal("teams", RequestRefusal.BadToken);
            return Results.Problem("A valid Bot Framework token is required.", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (http.Request.ContentLength > MaxBody)
        {
            return Results.Problem("The activity is too large.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        string body;
        using (var reader = new StreamReader(http.Request.Body, Encoding.UTF8))
        {
            var buffer = new char[MaxBody + 1];
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), ct);
            if (read > MaxBody)
            {
                return Results.Problem("The activity is too large.", statusCode: StatusCodes.Status413PayloadTooLarge);
            }

            body = new string(buffer, 0, read);
        }

        Activity activity;
        try
        {
            activity = TeamsJson.Parse(body);
        }
        catch (JsonException ex)
        {
            Log.Malformed(logger, ex.Message);
            return Results.Problem("The body is not a Bot Framework activity.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (string.IsNullOrEmpty(activity.Type) || string.IsNullOrEmpty(activity.ServiceUrl))
        {
            return Results.Problem("The activity needs a type and a serviceUrl.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (await validator.AuthorizeAsync(token, activity, ct) != AuthOutcome.Valid)
        {
            http.Items[RequestRefusal.ItemKey] = new RequestRefusal("teams", RequestRefusal.TokenMismatch);
            return Results.Problem("The token does not cover this activity.", statusCode: StatusCodes.Status403Forbidden);
        }

        if (Refusal(activity, options.Value) is { } reason)
        {
            Log.ActivityRefused(logger, activity.Type, activity.TenantId ?? "", activity.ChannelId ?? "", reason);
            http.Items[RequestRefusal.ItemKey] = new RequestRefusal("teams", reason.Contains("tenant", StringComparison.Ordinal) ? RequestRefusal.ForeignTenant : RequestRefusal.ForeignChannel);
            return Results.Problem("This bot does not serve this tenant or channel.", statusCode: StatusCodes.Status403Forbidden);
        }

        http.Items[typeof(InboundActivity)] = new InboundActivity(activity, body);
        return await next(context);
    }

    /// <summary>
    /// A valid token only says the Bot Framework sent it: any organisation can sideload a manifest with our bot id, and
    /// the service may carry other channels. Only Teams activities from our own tenants, on a Connector host, get in.
    /// </summary>
    internal static string? Refusal(Activity activity, TeamsOptions options)
    {
        if (!string.Equals(activity.ChannelId, "msteams", StringComparison.Ordinal))
        {
            return "the channel is not msteams";
        }

        // channelData.tenant and conversation.tenantId both name the tenant; a mismatch is a forged activity.
        var declared = new[] { activity.ChannelData?.Tenant?.Id, activity.Conversation?.TenantId }.Where(t => !string.IsNullOrEmpty(t)).ToList();
        if (declared.Count == 0 || !declared.All(options.AllowsTenant))
        {
            return "the tenant is not one of Teams:AllowedTenants";
        }

        return options.AllowsServiceUrl(activity.ServiceUrl) ? null : "the serviceUrl is not on one of Teams:ServiceUrlHosts";
    }
}

internal static class TeamsEndpoints
{
    public const string Path = "/api/messages";

    /// <summary>Activity types worth keeping; anything else (typing, message edits, unknown new types) gets a bare 200.</summary>
    private static readonly HashSet<string> Stored = new(StringComparer.OrdinalIgnoreCase)
    {
        ActivityTypes.Message, ActivityTypes.MessageReaction, ActivityTypes.ConversationUpdate, ActivityTypes.InstallationUpdate, ActivityTypes.Invoke,
    };

    public static IEndpointRouteBuilder MapTeamsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync).AddEndpointFilter<BotAuthenticationFilter>().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext http,
        IInbox inbox,
        InboxSignal signal,
        InvokeResponder responder,
        ILoggerFactory loggers,
        CancellationToken ct)
    {
        var (activity, body) = (InboundActivity)http.Items[typeof(InboundActivity)]!;
        var logger = loggers.CreateLogger(typeof(TeamsEndpoints));
        var isInvoke = activity.Type == ActivityTypes.Invoke;
        if (!Stored.Contains(activity.Type!) || (isInvoke && !InvokeResponder.Handles(activity.Name)))
        {
            Log.Ignored(logger, activity.Type!, activity.Name ?? "not handled");
            return isInvoke ? Results.Json(new { }, statusCode: 200) : Results.Ok();
        }

        // The Connector redelivers activities it thinks were not received: the inbox keeps the first, drops the rest.
        var kind = isInvoke ? $"{activity.Type}:{activity.Name}" : activity.Type!;
        // Ordered by conversation root (the incident channel, or the chat): one channel's commands, clicks and
        // reactions are applied one at a time in arrival order, on every replica.
        var delivery = new InboxDelivery("teams", DeliveryId(activity, body), kind, body) { OrderKey = OrderKey(activity) };
        if ((await inbox.EnqueueManyAsync([delivery], ct))[0])
        {
            signal.Notify();
        }
        else
        {
            Log.DuplicateActivity(logger, DeliveryId(activity, body));
        }

        if (isInvoke)
        {
            var (status, answer) = await responder.RespondAsync(activity, ct);
            return Results.Json(answer, statusCode: status);
        }

        return Results.Ok();
    }

    internal static string? OrderKey(Activity activity) => activity.ChannelKey is { Length: > 0 } channel ? $"teams:{channel}" : null;

    /// <summary>
    /// Activity ids are unique within a conversation (protocol §9), so the key is type + conversation + id. An activity
    /// without an id (seen in some docs samples) is keyed by its body's hash: a redelivery carries the same body.
    /// </summary>
    internal static string DeliveryId(Activity activity, string body)
    {
        if (string.IsNullOrEmpty(activity.Id))
        {
            return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        }

        var id = $"{activity.Type}|{activity.Conversation?.Id}|{activity.Id}";
        // The inbox key is text without a length limit, but keep it compact for the unique index.
        return id.Length <= 400 ? id : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
    }
}
