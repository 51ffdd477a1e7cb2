using System.Text.Json;
using ChatOpsIncident.Slack.Inbound;
using ChatOpsIncident.Slack.Outbound;
using ChatOpsIncident.TestSupport;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatOpsIncident.Slack.Tests.Inbound;

/// <summary>Every recorded Slack payload in TestSupport/Payloads/slack parses the way the adapter reads it.</summary>
public sealed class SlackPayloadSampleTests
{
    private static readonly string Root = Samples.Path("slack");

    public static TheoryData<string> JsonFiles() =>
        Files("*.json", f => !f.EndsWith("_catalog.json", StringComparison.Ordinal));

    public static TheoryData<string> ApiFiles() =>
        Files("*.json", f => f.StartsWith("api" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !f.EndsWith("_catalog.json", StringComparison.Ordinal));

    public static TheoryData<string> EventFiles() =>
        Files("*.json", f => f.StartsWith("events" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !f.EndsWith(".response.json", StringComparison.Ordinal));

    public static TheoryData<string> FormFiles() => Files("*.form.txt", _ => true);

    private static TheoryData<string> Files(string pattern, Func<string, bool> keep)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Root, pattern, SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)).Where(keep).Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        return data;
    }

    private static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    [Theory]
    [MemberData(nameof(JsonFiles))]
    public void EveryJsonSample_Parses(string file)
    {
        using var doc = JsonDocument.Parse(Read(file));
        Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
    }

    [Theory]
    [MemberData(nameof(ApiFiles))]
    public void ApiResponse_OkAndErrorMatchTheFileName(string file)
    {
        var name = Path.GetFileName(file);
        var envelope = JsonSerializer.Deserialize<SlackResponse>(Read(file), SlackJson.Options)!;
        var parts = name.Split('.');
        var errorAt = Array.IndexOf(parts, "error");
        if (errorAt >= 0)
        {
            Assert.False(envelope.Ok);
            // "<method>.error.<code>.json", or "<code>.error.json" for the generic rate-limit body.
            Assert.Equal(parts[errorAt + 1] == "json" ? parts[0] : parts[errorAt + 1], envelope.Error);
        }
        else
        {
            Assert.True(envelope.Ok, name);
        }
    }

    [Theory]
    [InlineData("api/conversations.create.ok.json")]
    [InlineData("api/openapi-2021/conversations.create.ok.json")]
    [InlineData("api/conversations.info.ok.json")]
    [InlineData("api/recorded/conversations.info.ok.json")]
    public void ChannelResponses_CarryIdAndName(string file)
    {
        var channel = JsonSerializer.Deserialize<ChannelResponse>(Read(file), SlackJson.Options)!.Channel!;
        Assert.StartsWith("C", channel.Id, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(channel.Name));
    }

    [Fact]
    public void TypedResponses_ReadTheFieldsTheBotUses()
    {
        var post = JsonSerializer.Deserialize<PostMessageResponse>(Read("api/chat.postMessage.ok.json"), SlackJson.Options)!;
        var history = JsonSerializer.Deserialize<MessagesResponse>(Read("api/conversations.history.ok.json"), SlackJson.Options)!;
        var replies = JsonSerializer.Deserialize<MessagesResponse>(Read("api/conversations.replies.ok.json"), SlackJson.Options)!;
        var permalink = JsonSerializer.Deserialize<PermalinkResponse>(Read("api/chat.getPermalink.ok.json"), SlackJson.Options)!;
        var user = JsonSerializer.Deserialize<UserResponse>(Read("api/users.info.ok.json"), SlackJson.Options)!;
        var auth = JsonSerializer.Deserialize<AuthTestResponse>(Read("api/auth.test.ok.with_bot_token.json"), SlackJson.Options)!;
        var view = JsonSerializer.Deserialize<ViewResponse>(Read("api/views.open.ok.json"), SlackJson.Options)!;
        var invalid = JsonSerializer.Deserialize<SlackResponse>(Read("api/recorded/views.publish.error.invalid_arguments.json"), SlackJson.Options)!;

        Assert.Equal("1503435956.000247", post.Ts);
        Assert.Equal("C123ABC456", post.Channel);
        Assert.Equal("1512085950.000216", history.Messages[0].Ts);
        Assert.Equal("U123ABC456", history.Messages[0].User);
        Assert.True(history.HasMore);
        Assert.Equal("bmV4dF90czoxNTEyMDg1ODYxMDAwNTQz", history.ResponseMetadata!.NextCursor);
        Assert.NotEmpty(replies.Messages);
        Assert.StartsWith("https://", permalink.Permalink, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(user.User!.Id));
        Assert.Equal("W23456789", auth.UserId);
        Assert.Equal("https://subarachnoid.slack.com/", auth.Url);
        Assert.False(string.IsNullOrEmpty(view.View!.Id));
        Assert.NotEmpty(invalid.ResponseMetadata!.Messages!);
    }

    [Fact]
    public void RateLimitedTranscript_HasRetryAfterAndErrorBody()
    {
        var text = Read("api/ratelimited.http429.txt").ReplaceLineEndings("\n");
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var (head, body) = (text[..split], text[(split + 2)..]);

        Assert.Contains("429", head, StringComparison.Ordinal);
        Assert.Contains("Retry-After: 30", head, StringComparison.Ordinal);
        Assert.Equal("ratelimited", JsonSerializer.Deserialize<SlackResponse>(body, SlackJson.Options)!.Error);
    }

    [Theory]
    [MemberData(nameof(EventFiles))]
    public void EventEnvelope_HasTypeAndEventIdOrChallenge(string file)
    {
        var root = JsonDocument.Parse(Read(file)).RootElement;
        var type = SlackEndpoints.Str(root, "type");
        switch (type)
        {
            case "event_callback":
                Assert.False(string.IsNullOrEmpty(SlackEndpoints.Str(root, "event_id")));
                Assert.False(string.IsNullOrEmpty(SlackEndpoints.Str(root, "event", "type")));
                break;
            case "url_verification":
                Assert.False(string.IsNullOrEmpty(SlackEndpoints.Str(root, "challenge")));
                break;
            case "app_rate_limited":
                Assert.NotNull(SlackEndpoints.Str(root, "minute_rate_limited"));
                break;
            default:
                Assert.Fail($"{file}: unexpected envelope type {type}");
                break;
        }
    }

    [Fact]
    public void TimelineEvents_YieldChannelAndMessageTs()
    {
        var reaction = JsonDocument.Parse(Read("events/reaction_added.json")).RootElement.GetProperty("event");
        var pin = JsonDocument.Parse(Read("events/pin_added.json")).RootElement.GetProperty("event");
        var changed = JsonDocument.Parse(Read("events/recorded/message.message_changed.json")).RootElement.GetProperty("event");
        var deleted = JsonDocument.Parse(Read("events/recorded/message.message_deleted.json")).RootElement.GetProperty("event");

        Assert.Equal(("C123ABC456", "1360782400.498405"), (SlackEndpoints.Str(reaction, "item", "channel"), SlackEndpoints.Str(reaction, "item", "ts")));
        Assert.Equal(("C0LAN2Q65", "1539904112.000100"), (SlackEndpoints.Str(pin, "item", "channel"), SlackEndpoints.Str(pin, "item", "message", "ts")));
        Assert.Equal("message_changed", SlackEndpoints.Str(changed, "subtype"));
        Assert.False(string.IsNullOrEmpty(SlackEndpoints.Str(changed, "message", "ts")));
        Assert.Equal("1663966382.046509", SlackEndpoints.Str(deleted, "deleted_ts"));
    }

    [Theory]
    [MemberData(nameof(FormFiles))]
    public void FormBodies_Parse(string file)
    {
        var form = QueryHelpers.ParseQuery(Read(file));
        if (form.TryGetValue("payload", out var payload))
        {
            var root = JsonDocument.Parse(payload.ToString()).RootElement;
            Assert.False(string.IsNullOrEmpty(SlackEndpoints.Str(root, "type")));
            Assert.False(string.IsNullOrEmpty(SlackEndpoints.Str(root, "user", "id")));
            var decoded = Path.ChangeExtension(Path.ChangeExtension(file, null), ".json");
            if (File.Exists(Path.Combine(Root, decoded)))
            {
                Assert.Equal(SlackEndpoints.Str(JsonDocument.Parse(Read(decoded)).RootElement, "type"), SlackEndpoints.Str(root, "type"));
            }
        }
        else
        {
            Assert.False(string.IsNullOrEmpty(form["user_id"]));
            Assert.StartsWith("/", form["command"].ToString(), StringComparison.Ordinal);
            Assert.True(form.ContainsKey("text"));
            Assert.StartsWith("https://hooks.slack.com/", form["response_url"].ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ViewSubmissionSample_StateValuesAreReadByBlockAndAction()
    {
        var view = JsonDocument.Parse(Read("interactivity/view_submission.json")).RootElement.GetProperty("view");

        Assert.Equal("test", view.GetProperty("state").GetProperty("values").GetProperty("hspI").GetProperty("maBWU").GetProperty("value").GetString());
        Assert.Equal(new ModalOrigin(null, null), SlackModals.Origin(view));
    }
}
