using System.Globalization;
using System.Text.Json;
using ChatOpsIncident.Core.Chat;

namespace ChatOpsIncident.Core.Alerts;

/// <summary>
/// Reads the three webhook formats into an <see cref="AlertNotification"/>; a body that is not one throws
/// <see cref="FormatException"/> (the intake answers 400 and stores nothing). The same code runs on the request path,
/// to refuse a bad body, and in the worker, so what was acknowledged is what gets processed.
/// </summary>
public static class AlertParsers
{
    private const int MaxTitle = 150;

    public static AlertNotification Parse(string kind, string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("the body is not a JSON object");
            }

            return kind switch
            {
                AlertSourceKinds.Alertmanager => Alertmanager(root),
                AlertSourceKinds.Grafana => Grafana(root),
                AlertSourceKinds.Generic => Generic(root),
                _ => throw new FormatException($"unknown alert source kind '{kind}'"),
            };
        }
        catch (JsonException ex)
        {
            throw new FormatException("the body is not JSON: " + ex.Message, ex);
        }
        catch (InvalidOperationException ex)
        {
            // A field of the wrong JSON type (GetString on a number, EnumerateObject on an array).
            throw new FormatException("a field has the wrong type: " + ex.Message, ex);
        }
    }

    /// <summary>Alertmanager's webhook, version 4 (the only version it has sent since 0.x).</summary>
    private static AlertNotification Alertmanager(JsonElement root)
    {
        if (Str(root, "version") != "4")
        {
            throw new FormatException("Alertmanager webhook version must be \"4\"");
        }

        return Grouped(root, fallbackTitle: null);
    }

    /// <summary>Grafana Alerting's webhook: Alertmanager's shape plus title/message (deprecated) and orgId.</summary>
    private static AlertNotification Grafana(JsonElement root) => Grouped(root, fallbackTitle: Str(root, "title"));

    private static AlertNotification Grouped(JsonElement root, string? fallbackTitle)
    {
        var groupKey = Required(root, "groupKey");
        var status = Status(Required(root, "status"));
        if (!root.TryGetProperty("alerts", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("alerts must be an array");
        }

        var alerts = list.EnumerateArray().Select(ReadAlert).ToList();
        var common = Map(root, "commonLabels");
        var labels = new Dictionary<string, string>(Map(root, "groupLabels"));
        foreach (var (k, v) in common)
        {
            labels[k] = v;
        }

        // A group whose alerts share nothing still routes on something: the first alert's labels.
        if (labels.Count == 0 && alerts.Count > 0)
        {
            labels = new Dictionary<string, string>(alerts[0].Labels);
        }

        var annotations = Map(root, "commonAnnotations");
        var first = alerts.FirstOrDefault();
        var alertName = common.GetValueOrDefault("alertname") ?? first?.Labels.GetValueOrDefault("alertname");
        var title = annotations.GetValueOrDefault("summary")
            ?? (alertName is null ? null : alerts.Count > 1 && !common.ContainsKey("alertname") ? $"{alertName} (+{alerts.Count - 1} more)" : alertName)
            ?? fallbackTitle
            ?? groupKey;
        var description = annotations.GetValueOrDefault("description") ?? first?.Annotations.GetValueOrDefault("description");
        var links = alerts.Where(a => a.GeneratorUrl is { Length: > 0 }).Select(a => a.GeneratorUrl!).Distinct().Take(3)
            .Select(url => new ChatLink("Source", url)).ToList();
        return new AlertNotification(groupKey, status, Trim(title), description, labels, alerts, links);
    }

    /// <summary>The documented generic JSON: title, severity, status, dedupeKey, description, startsAt, labels, links.</summary>
    private static AlertNotification Generic(JsonElement root)
    {
        var title = Required(root, "title");
        var key = Required(root, "dedupeKey");
        var status = Str(root, "status") is { } s ? Status(s) : AlertStatus.Firing;
        var labels = new Dictionary<string, string>(Map(root, "labels"));
        if (Str(root, "severity") is { Length: > 0 } severity)
        {
            labels["severity"] = severity;
        }

        var links = new List<ChatLink>();
        if (root.TryGetProperty("links", out var l) && l.ValueKind == JsonValueKind.Array)
        {
            foreach (var link in l.EnumerateArray())
            {
                var url = link.ValueKind == JsonValueKind.String ? link.GetString() : Str(link, "url");
                if (url is { Length: > 0 })
                {
                    links.Add(new ChatLink(link.ValueKind == JsonValueKind.Object ? Str(link, "label") ?? "Link" : "Link", url));
                }
            }
        }

        var alert = new Alert(status, labels, new Dictionary<string, string>(), Time(root, "startsAt"), Time(root, "endsAt"), key, null);
        return new AlertNotification(key, status, Trim(title), Str(root, "description"), labels, [alert], links);
    }

    private static Alert ReadAlert(JsonElement a) => new(
        Status(Required(a, "status")),
        Map(a, "labels"),
        Map(a, "annotations"),
        Time(a, "startsAt"),
        Time(a, "endsAt"),
        Str(a, "fingerprint"),
        Str(a, "generatorURL"));

    private static AlertStatus Status(string text) => text switch
    {
        "firing" => AlertStatus.Firing,
        "resolved" => AlertStatus.Resolved,
        _ => throw new FormatException($"status must be firing or resolved, not '{text}'"),
    };

    private static string Required(JsonElement e, string name) =>
        Str(e, name) is { Length: > 0 } value ? value : throw new FormatException($"{name} is missing");

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static Dictionary<string, string> Map(JsonElement e, string name)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (e.TryGetProperty(name, out var obj) && obj.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in obj.EnumerateObject())
            {
                map[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
        }

        return map;
    }

    /// <summary>An RFC 3339 time; Go's zero time (Alertmanager's "not ended") is no time.</summary>
    private static DateTimeOffset? Time(JsonElement e, string name)
    {
        if (Str(e, name) is not { Length: > 0 } text)
        {
            return null;
        }

        // Go writes nanoseconds; .NET parses at most seven fraction digits.
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                text = text[..(dot + 8)] + text[end..];
            }
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            throw new FormatException($"{name} is not a time: '{text}'");
        }

        return at.Year <= 1 ? null : at.ToUniversalTime();
    }

    private static string Trim(string title)
    {
        var t = title.Trim();
        return t.Length <= MaxTitle ? t : t[..(MaxTitle - 1)] + "…";
    }
}
