using System.Security.Cryptography;
using System.Text;
using ChatOpsIncident.Core.Alerts;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Processing;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Alerts;

/// <summary>
/// <c>POST /webhooks/alerts/{source}</c>: checks the source's bearer token in constant time, refuses what is too
/// big (413) or not the source's format (400), and stores the body in the inbox before the 2xx, like every inbound
/// delivery; the inbox worker does the rest. The delivery id is the body's hash, so a sender re-sending the same
/// notification (Alertmanager retries until it gets a 2xx) is stored once.
/// </summary>
internal static class AlertIntake
{
    /// <summary>1 MiB: Alertmanager's and Grafana's notifications are a few KiB; beyond this is a mistake or abuse.</summary>
    public const int MaxBody = 1024 * 1024;

    /// <summary>
    /// How long a request waits for its commit. Alertmanager's and Grafana's webhook timeouts are 10 s or more, and they
    /// retry a 5xx: past this the answer is 503, never a 2xx for a row that may not exist.
    /// </summary>
    public static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapAlertIntake(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/alerts/{source}", ReceiveAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> ReceiveAsync(string source, HttpRequest request, IOptions<AlertOptions> options, GroupCommitInbox inbox, InboxSignal signal, TimeProvider time, ILoggerFactory loggers, Api.ApiTokens apiTokens, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(AlertIntake));
        var configured = options.Value.Sources.FirstOrDefault(s => string.Equals(s.Name, source, StringComparison.OrdinalIgnoreCase));
        // An unknown source answers as a wrong token does: the path must not tell which sources exist. An Api:Tokens
        // token with alerts:write (an alert router in front of several sources) is the alternative to the source's own.
        if (configured is null || !(TokenMatches(request, configured.Token) || apiTokens.Grants(request, Api.ApiScopes.AlertsWrite)))
        {
            Log.AlertRefused(logger, source, 401);
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "A valid bearer token for this alert source is required.");
        }

        if (request.ContentLength > MaxBody)
        {
            return TooLarge(logger, configured.Name);
        }

        var body = await ReadAsync(request.Body, ct);
        if (body is null)
        {
            return TooLarge(logger, configured.Name);
        }

        string text;
        AlertNotification notification;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(body);
            notification = AlertParsers.Parse(configured.Kind, text);
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            Log.AlertRefused(logger, configured.Name, 400);
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"Not a {configured.Kind} alert notification.", detail: ex.Message);
        }

        var delivery = new InboxDelivery(AlertInboxHandler.PlatformName, AlertInboxHandler.DeliveryId(configured.Name, Convert.ToHexStringLower(SHA256.HashData(body))), configured.Kind, text)
        {
            OrderKey = AlertInboxHandler.OrderKey(configured.Name, notification.GroupKey),
        };
        // Concurrent notifications (a storm of groups) share one commit; each still waits for the commit holding its row.
        var pending = inbox.Enqueue(delivery);
        bool stored;
        try
        {
            stored = await pending.Stored.Task.WaitAsync(StoreTimeout, time, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Not stored in time (or the commit failed): say so, so the sender retries; a row that lands anyway is
            // deduplicated by its delivery id when the retry comes.
            pending.Abandon();
            Log.AlertNotStored(logger, configured.Name, ex.GetType().Name);
            request.HttpContext.Response.Headers.RetryAfter = "5";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The alert notification could not be stored; send it again.");
        }

        signal.Notify();
        Log.AlertStored(logger, configured.Name, notification.GroupKey, stored);
        return Results.Accepted(value: new AlertAccepted(stored ? "stored" : "duplicate"));
    }

    /// <summary>Compared as hashes so both sides have the same length: the comparison's time says nothing about the token.</summary>
    private static bool TokenMatches(HttpRequest request, string token)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (token.Length == 0 || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        return CryptographicOperations.FixedTimeEquals(presented, expected);
    }

    /// <summary>The body, or null once it passes <see cref="MaxBody"/> (a chunked body has no Content-Length to check first).</summary>
    private static async Task<byte[]?> ReadAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBody)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult TooLarge(ILogger logger, string source)
    {
        Log.AlertRefused(logger, source, 413);
        return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: $"Alert notifications are limited to {MaxBody} bytes.");
    }
}

/// <summary>The intake's answer: <c>stored</c>, or <c>duplicate</c> when the same body was stored before.</summary>
internal sealed record AlertAccepted(string Status);
