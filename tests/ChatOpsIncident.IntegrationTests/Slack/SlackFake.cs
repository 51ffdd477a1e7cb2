using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using WireMock;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Types;
using WireMock.Util;

namespace ChatOpsIncident.IntegrationTests.Slack;

/// <summary>
/// WireMock standing in for Slack: the Web API methods the bot calls, with just enough state (channels, messages)
/// to answer like Slack does, plus a response_url sink. Every request stays in the WireMock log for assertions.
/// </summary>
public sealed class SlackFake : IDisposable
{
    public const string BotUserId = "UBOT00001";
    public const string TeamUrl = "https://chatops-test.slack.com/";
    private int _channelSeq;
    private long _tsSeq;
    private int _pinFailures;

    public SlackFake()
    {
        Server = WireMockServer.Start();
        Api("auth.test", _ => Ok(new JsonObject { ["url"] = TeamUrl, ["team"] = "ChatOps Test", ["user"] = "incidentbot", ["team_id"] = "T0001", ["user_id"] = BotUserId, ["bot_id"] = "B0001" }));
        Api("conversations.create", CreateChannel);
        Api("conversations.list", _ => Ok(new JsonObject
        {
            ["channels"] = new JsonArray(Channels.Values.Select(c => (JsonNode)c.ToJson()).ToArray()),
            ["response_metadata"] = new JsonObject { ["next_cursor"] = "" },
        }));
        Api("conversations.setPurpose", a =>
        {
            Channels.Values.First(c => c.Id == a["channel"]).Purpose = a["purpose"];
            return Ok(new JsonObject());
        });
        Api("conversations.setTopic", _ => Ok(new JsonObject()));
        Api("conversations.join", a => Ok(new JsonObject { ["channel"] = new JsonObject { ["id"] = a["channel"] } }));
        Api("conversations.info", a => Channels.Values.FirstOrDefault(c => c.Id == a["channel"]) is { } known
            ? Ok(new JsonObject { ["channel"] = known.ToJson() })
            : Error("channel_not_found"));
        Api("conversations.invite", a => Ok(new JsonObject { ["channel"] = new JsonObject { ["id"] = a["channel"] } }));
        // A person's DM channel: the same id for the same person, as Slack answers (im:write).
        Api("conversations.open", a => Ok(new JsonObject { ["channel"] = new JsonObject { ["id"] = DirectChannel(a["users"]) } }));
        Api("conversations.archive", a => Channels.Values.FirstOrDefault(c => c.Id == a["channel"]) is null ? Error("channel_not_found") : Ok(new JsonObject()));
        Api("pins.add", _ => Interlocked.Decrement(ref _pinFailures) >= 0
            ? new ResponseMessage { StatusCode = 500, BodyData = new BodyData { BodyAsString = "boom", DetectedBodyType = BodyType.String } }
            : Ok(new JsonObject()));
        Api("reactions.add", _ => Ok(new JsonObject()));
        Api("chat.update", a => Ok(new JsonObject { ["channel"] = a["channel"], ["ts"] = a["ts"] }));
        Api("chat.postMessage", PostMessage);
        Api("chat.postEphemeral", _ => Ok(new JsonObject { ["message_ts"] = NextTs() }));
        Api("conversations.history", History);
        Api("conversations.replies", Replies);
        Api("chat.getPermalink", a => Ok(new JsonObject { ["channel"] = a["channel"], ["permalink"] = Permalink(a["channel"], a["message_ts"]) }));
        Api("users.info", UserInfo);
        Api("views.open", _ => Ok(new JsonObject { ["view"] = new JsonObject { ["id"] = "VMODAL1", ["hash"] = "1.abc" } }));
        Server.Given(Request.Create().WithPath("/respond/*").UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithBody("ok"));
    }

    public WireMockServer Server { get; }

    /// <summary>Users whose profile has a time zone: users.info answers them with the recorded payload, this tz in it.</summary>
    public ConcurrentDictionary<string, string> TimeZones { get; } = new(StringComparer.Ordinal);

    private ResponseMessage UserInfo(Dictionary<string, string> a)
    {
        if (!TimeZones.TryGetValue(a["user"], out var tz))
        {
            return Ok(new JsonObject { ["user"] = new JsonObject { ["id"] = a["user"], ["name"] = "user-" + a["user"].ToLowerInvariant() } });
        }

        var recorded = JsonNode.Parse(ChatOpsIncident.TestSupport.Samples.Read("slack/api/users.info.ok.json"))!.AsObject();
        recorded["user"]!["id"] = a["user"];
        recorded["user"]!["tz"] = tz;
        return Json(recorded);
    }

    public string ApiBaseUrl => Server.Url + "/api/";

    /// <summary>The DM channel conversations.open answers for <paramref name="user"/>.</summary>
    public static string DirectChannel(string user) => "D" + user;

    public string ResponseUrl(string id) => $"{Server.Url}/respond/{id}";

    public ConcurrentDictionary<string, FakeChannel> Channels { get; } = new();

    public ConcurrentQueue<FakeMessage> Messages { get; } = new();

    /// <summary>Channels whose posts land at once but are answered only after the given delay (a slow Slack).</summary>
    public ConcurrentDictionary<string, TimeSpan> SlowChannels { get; } = new();

    /// <summary>How many of the next pins.add calls answer 500.</summary>
    public void FailPins(int times) => Interlocked.Exchange(ref _pinFailures, times);

    /// <summary>Every call of a Web API method, its arguments flattened to strings (JSON or form bodies alike).</summary>
    public IReadOnlyList<Dictionary<string, string>> Calls(string method) =>
        Server.LogEntries.Where(e => e.RequestMessage?.Path == "/api/" + method).Select(e => Args(e.RequestMessage!.Body)).ToList();

    public IReadOnlyList<JsonObject> Responses(string id) =>
        Server.LogEntries.Where(e => e.RequestMessage?.Path == "/respond/" + id).Select(e => JsonNode.Parse(e.RequestMessage!.Body!)!.AsObject()).ToList();

    public IEnumerable<FakeMessage> PostsIn(string channel) => Messages.Where(m => m.Channel == channel && m.User == BotUserId);

    /// <summary>A message someone typed in a channel (what a pin reaction points at).</summary>
    public FakeMessage AddUserMessage(string channel, string user, string text, string? threadTs = null)
    {
        var message = new FakeMessage(channel, NextTs(), user, text, threadTs, null);
        Messages.Enqueue(message);
        return message;
    }

    public static string Permalink(string channel, string ts) => $"{TeamUrl}archives/{channel}/p{ts.Replace(".", "", StringComparison.Ordinal)}";

    public void Dispose() => Server.Stop();

    // Like Slack's: the posting time in seconds, made unique by a sequence, so history lookups by time (the
    // "did this post land?" guard asks for messages since the outbox row was created) find what was posted.
    private string NextTs()
    {
        var seq = Interlocked.Increment(ref _tsSeq);
        return string.Create(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{seq % 1_000_000:D6}");
    }

    private ResponseMessage CreateChannel(Dictionary<string, string> a)
    {
        var name = a["name"];
        if (Channels.ContainsKey(name))
        {
            return Error("name_taken");
        }

        var channel = new FakeChannel("C" + Interlocked.Increment(ref _channelSeq).ToString("D8", CultureInfo.InvariantCulture), name, a.GetValueOrDefault("is_private") == "true");
        if (!Channels.TryAdd(name, channel))
        {
            return Error("name_taken");
        }

        return Ok(new JsonObject { ["channel"] = channel.ToJson() });
    }

    private ResponseMessage PostMessage(Dictionary<string, string> a)
    {
        var metadata = a.TryGetValue("metadata", out var m) ? JsonNode.Parse(m) : null;
        var message = new FakeMessage(a["channel"], NextTs(), BotUserId, a.GetValueOrDefault("text") ?? "", null, metadata) { Blocks = a.GetValueOrDefault("blocks") };
        Messages.Enqueue(message);
        if (SlowChannels.TryGetValue(message.Channel, out var delay))
        {
            // Landed, but the answer comes late: the caller cannot know whether it posted.
            Thread.Sleep(delay);
        }

        return Ok(new JsonObject { ["channel"] = message.Channel, ["ts"] = message.Ts, ["message"] = message.ToJson() });
    }

    private ResponseMessage History(Dictionary<string, string> a)
    {
        var inclusive = a.GetValueOrDefault("inclusive") == "true";
        var latest = a.GetValueOrDefault("latest");
        var oldest = a.GetValueOrDefault("oldest");
        var limit = int.Parse(a.GetValueOrDefault("limit") ?? "100", CultureInfo.InvariantCulture);
        var found = Messages.Where(x => x.Channel == a["channel"] && (x.ThreadTs is null || x.ThreadTs == x.Ts))
            .Where(x => latest is null || (inclusive ? Cmp(x.Ts, latest) <= 0 : Cmp(x.Ts, latest) < 0))
            .Where(x => oldest is null || (inclusive ? Cmp(x.Ts, oldest) >= 0 : Cmp(x.Ts, oldest) > 0))
            .OrderByDescending(x => x.Ts, StringComparer.Ordinal).Take(limit)
            .Select(x => (JsonNode)x.ToJson()).ToArray();
        return Ok(new JsonObject { ["messages"] = new JsonArray(found), ["has_more"] = false });
    }

    private ResponseMessage Replies(Dictionary<string, string> a)
    {
        var ts = a["ts"];
        var thread = Messages.FirstOrDefault(x => x.Channel == a["channel"] && x.Ts == ts)?.ThreadTs ?? ts;
        var found = Messages.Where(x => x.Channel == a["channel"] && (x.Ts == thread || x.ThreadTs == thread))
            .OrderBy(x => x.Ts, StringComparer.Ordinal).Select(x => (JsonNode)x.ToJson()).ToArray();
        return found.Length == 0 ? Error("thread_not_found") : Ok(new JsonObject { ["messages"] = new JsonArray(found) });
    }

    private static int Cmp(string a, string b) => decimal.Parse(a, CultureInfo.InvariantCulture).CompareTo(decimal.Parse(b, CultureInfo.InvariantCulture));

    private void Api(string method, Func<Dictionary<string, string>, ResponseMessage> handler) =>
        Server.Given(Request.Create().WithPath("/api/" + method).UsingPost())
            .RespondWith(Response.Create().WithCallback(request =>
            {
                var args = Args(request.Body);
                return Refusals.TryGetValue(method, out var refuse) && refuse(args) is { } error ? Error(error) : handler(args);
            }));

    /// <summary>Per method: the Slack error to answer for a call's arguments, or null to answer normally.</summary>
    public ConcurrentDictionary<string, Func<Dictionary<string, string>, string?>> Refusals { get; } = new();

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal static Dictionary<string, string> Args(string? body)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(body))
        {
            return args;
        }

        if (body.TrimStart().StartsWith('{'))
        {
            foreach (var (key, value) in JsonNode.Parse(body)!.AsObject())
            {
                args[key] = value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>()
                    : value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? (b.GetValueKind() == JsonValueKind.True ? "true" : "false")
                    : value?.ToJsonString(Relaxed) ?? "";
            }

            return args;
        }

        foreach (var (key, value) in QueryHelpers.ParseQuery(body))
        {
            args[key] = value.ToString();
        }

        return args;
    }

    private static ResponseMessage Ok(JsonObject body)
    {
        body["ok"] = true;
        return Json(body);
    }

    private static ResponseMessage Error(string error) => Json(new JsonObject { ["ok"] = false, ["error"] = error });

    private static ResponseMessage Json(JsonObject body) => new()
    {
        StatusCode = 200,
        Headers = new Dictionary<string, WireMockList<string>> { ["Content-Type"] = new("application/json; charset=utf-8") },
        BodyData = new BodyData { BodyAsString = body.ToJsonString(), DetectedBodyType = BodyType.String },
    };
}

public sealed class FakeChannel(string id, string name, bool isPrivate)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public bool IsPrivate { get; } = isPrivate;
    public string Purpose { get; set; } = "";

    public JsonObject ToJson() => new()
    {
        ["id"] = Id, ["name"] = Name, ["is_private"] = IsPrivate, ["creator"] = SlackFake.BotUserId,
        ["purpose"] = new JsonObject { ["value"] = Purpose },
    };
}

public sealed record FakeMessage(string Channel, string Ts, string User, string Text, string? ThreadTs, JsonNode? Metadata)
{
    public string? Blocks { get; init; }

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["type"] = "message", ["user"] = User, ["text"] = Text, ["ts"] = Ts };
        if (ThreadTs is not null)
        {
            json["thread_ts"] = ThreadTs;
        }

        if (Metadata is not null)
        {
            json["metadata"] = Metadata.DeepClone();
        }

        return json;
    }
}
