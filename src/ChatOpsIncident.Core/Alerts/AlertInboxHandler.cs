using ChatOpsIncident.Core.Inbox;

namespace ChatOpsIncident.Core.Alerts;

/// <summary>
/// Alert deliveries in the inbox: platform <see cref="Platform"/>, kind = the source's kind, delivery id
/// <c>{source}:{sha256 of the body}</c> (an identical re-delivery is stored once), payload = the body as received.
/// </summary>
public sealed class AlertInboxHandler(AlertService alerts) : IInboxHandler
{
    public const string PlatformName = "alerts";

    public string Platform => PlatformName;

    public static string DeliveryId(string source, string bodyHash) => $"{source}:{bodyHash}";

    /// <summary>Deliveries of one group run one at a time, in arrival order (a firing never overtakes its resolution).</summary>
    public static string OrderKey(string source, string groupKey) => $"alerts:{source}:{groupKey}";

    public Task HandleAsync(InboxItem item, CancellationToken ct)
    {
        var colon = item.DeliveryId.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"alert delivery id '{item.DeliveryId}' names no source");
        }

        return alerts.HandleAsync(item.DeliveryId[..colon], AlertParsers.Parse(item.Kind, item.Payload), item.DeliveryId, ct);
    }
}
