using System.Text.Json;
using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.Core.Interactions;
using ChatOpsIncident.Slack.Rendering;

namespace ChatOpsIncident.Slack.Inbound;

/// <summary>Where a modal came from, carried in <c>private_metadata</c> so the submission can answer there.</summary>
internal sealed record ModalOrigin(string? ChannelId, string? ResponseUrl, Guid? IncidentId = null);

/// <summary>The declare and status-update modals: their views and what their submissions mean.</summary>
internal static class SlackModals
{
    public const string DeclareCallback = "chatops_declare";
    public const string UpdateCallback = "chatops_update";
    private const string Value = "value";

    public static JsonObject DeclareView(IncidentOptions options, ModalOrigin origin, string? title = null)
    {
        var severities = options.Severities.Select(s => Option($"{s.Name} — {s.Description}", s.Name)).ToList();
        var types = options.Types.Select(t => Option(t.Name, t.Name)).ToList();
        var defaultSeverity = options.FindSeverity(options.DefaultSeverity)?.Name ?? options.Severities[^1].Name;
        var defaultType = options.FindType(options.DefaultType)?.Name ?? options.Types[0].Name;
        var titleInput = new JsonObject
        {
            ["type"] = "plain_text_input", ["action_id"] = Value, ["max_length"] = 200,
            ["placeholder"] = BlockKit.PlainText("Checkout 5xx after deploy"),
        };
        if (!string.IsNullOrWhiteSpace(title))
        {
            titleInput["initial_value"] = title;
        }

        return Modal(DeclareCallback, "Declare incident", "Declare", origin,
        [
            Input("title", "Title", titleInput),
            Input("severity", "Severity", Select(severities, severities.FirstOrDefault(o => o["value"]!.GetValue<string>() == defaultSeverity))),
            Input("type", "Type", Select(types, types.FirstOrDefault(o => o["value"]!.GetValue<string>() == defaultType))),
            Input("commander", "Incident commander (default: you)", new JsonObject { ["type"] = "users_select", ["action_id"] = Value }, optional: true),
            Input("private", "Visibility", new JsonObject
            {
                ["type"] = "checkboxes", ["action_id"] = Value,
                ["options"] = new JsonArray(Option("Private channel (security, sensitive data)", "private")),
            }, optional: true),
            Input("description", "What is happening?", new JsonObject { ["type"] = "plain_text_input", ["action_id"] = Value, ["multiline"] = true, ["max_length"] = 3000 }, optional: true),
        ]);
    }

    public static JsonObject UpdateView(ModalOrigin origin)
    {
        var statuses = new[] { IncidentStatus.Investigating, IncidentStatus.Identified, IncidentStatus.Monitoring }
            .Select(s => Option(s.ToWire(), s.ToWire())).ToList();
        return Modal(UpdateCallback, "Post status update", "Post", origin,
        [
            Input("status", "Status", Select(statuses, statuses[0])),
            Input("text", "Update", new JsonObject { ["type"] = "plain_text_input", ["action_id"] = Value, ["multiline"] = true, ["max_length"] = 3000 }),
        ]);
    }

    /// <summary>The answers of a declare-modal submission, as Core's neutral form.</summary>
    public static DeclareForm ReadDeclare(JsonElement view)
    {
        var commander = State(view, FormFields.Commander) is { } c && c.TryGetProperty("selected_user", out var u) ? u.GetString() : null;
        var isPrivate = State(view, FormFields.Private) is { } p && p.TryGetProperty("selected_options", out var opts)
            && opts.ValueKind == JsonValueKind.Array && opts.EnumerateArray().Any(o => o.GetProperty("value").GetString() == "private");
        return new DeclareForm(Text(view, FormFields.Title), Selected(view, FormFields.Severity), Selected(view, FormFields.Type), isPrivate,
            Text(view, FormFields.Description), commander);
    }

    public static UpdateForm ReadUpdate(JsonElement view) => new(Selected(view, FormFields.Status), Text(view, FormFields.Text));

    /// <summary>Core's field errors worded for the modal, by block id (the blocks are named after the fields).</summary>
    public static Dictionary<string, string> Errors(IReadOnlyList<FormError> errors) =>
        errors.DistinctBy(e => e.Field).ToDictionary(e => e.Field, e => (e.Field, e.Problem) switch
        {
            (FormFields.Title, FormProblem.TooLong) => "Keep the title under 200 characters; put details in the description.",
            (FormFields.Title, _) => "Give the incident a title.",
            (FormFields.Severity, _) => "Pick a severity.",
            (FormFields.Type, _) => "Pick a type.",
            (FormFields.Text, _) => "Write the update.",
            (FormFields.Status, _) => "Pick investigating, identified or monitoring.",
            _ => "Check this field.",
        });

    public static ModalOrigin Origin(JsonElement view)
    {
        var meta = view.TryGetProperty("private_metadata", out var m) ? m.GetString() : null;
        if (string.IsNullOrEmpty(meta))
        {
            return new ModalOrigin(null, null);
        }

        try
        {
            return JsonSerializer.Deserialize<ModalOrigin>(meta, Outbound.SlackJson.Options) ?? new ModalOrigin(null, null);
        }
        catch (JsonException)
        {
            return new ModalOrigin(null, null);
        }
    }

    public static JsonObject ErrorsAck(Dictionary<string, string> errors)
    {
        var obj = new JsonObject();
        foreach (var (block, message) in errors)
        {
            obj[block] = message;
        }

        return new JsonObject { ["response_action"] = "errors", ["errors"] = obj };
    }

    private static JsonElement? State(JsonElement view, string block) =>
        view.TryGetProperty("state", out var state) && state.TryGetProperty("values", out var values)
        && values.TryGetProperty(block, out var b) && b.TryGetProperty(Value, out var v) ? v : null;

    private static string? Text(JsonElement view, string block) =>
        State(view, block) is { } v && v.TryGetProperty("value", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;

    private static string? Selected(JsonElement view, string block) =>
        State(view, block) is { } v && v.TryGetProperty("selected_option", out var o) && o.ValueKind == JsonValueKind.Object
        && o.TryGetProperty("value", out var val) ? val.GetString() : null;

    private static JsonObject Modal(string callback, string title, string submit, ModalOrigin origin, JsonObject[] blocks) => new()
    {
        ["type"] = "modal",
        ["callback_id"] = callback,
        ["title"] = BlockKit.PlainText(title),
        ["submit"] = BlockKit.PlainText(submit),
        ["close"] = BlockKit.PlainText("Cancel"),
        ["private_metadata"] = JsonSerializer.Serialize(origin, Outbound.SlackJson.Options),
        ["blocks"] = new JsonArray(blocks.Cast<JsonNode>().ToArray()),
    };

    private static JsonObject Input(string blockId, string label, JsonObject element, bool optional = false) => new()
    {
        ["type"] = "input",
        ["block_id"] = blockId,
        ["optional"] = optional,
        ["label"] = BlockKit.PlainText(label),
        ["element"] = element,
    };

    private static JsonObject Select(List<JsonObject> options, JsonObject? initial)
    {
        var select = new JsonObject { ["type"] = "static_select", ["action_id"] = Value, ["options"] = new JsonArray(options.Cast<JsonNode>().ToArray()) };
        if (initial is not null)
        {
            select["initial_option"] = initial.DeepClone();
        }

        return select;
    }

    private static JsonObject Option(string text, string value) =>
        new() { ["text"] = BlockKit.PlainText(BlockKit.Truncate(text, 75)), ["value"] = value };
}
