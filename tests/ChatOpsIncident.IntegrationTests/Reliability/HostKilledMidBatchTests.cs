using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.IntegrationTests.Slack;
using ChatOpsIncident.TestSupport;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;

namespace ChatOpsIncident.IntegrationTests.Reliability;

/// <summary>
/// The real host as a process, killed (SIGKILL, not a stop) while it holds a batch: declarations acknowledged, the
/// feed channel's posts in flight against a Slack that answers that channel slowly. A second host on the same
/// database then takes over once the lease lapses. Nothing acknowledged may be lost and nothing posted twice.
/// </summary>
public sealed class HostKilledMidBatchTests : IAsyncLifetime
{
    private const string Feed = SlackHostTestBase.Feed;
    private readonly TestDatabase _db = new();
    private readonly SlackFake _slack = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public async Task DisposeAsync()
    {
        _slack.Dispose();
        await _db.DisposeAsync();
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["ConnectionStrings:Incidents"] = _db.ConnectionString,
        ["Slack:BotToken"] = SlackHostTestBase.Token,
        ["Slack:SigningSecret"] = SlackHostTestBase.Secret,
        ["Slack:ApiBaseUrl"] = _slack.ApiBaseUrl,
        ["Slack:FeedChannel"] = Feed,
        ["Slack:Http:PostInterval"] = "00:00:00.020",
        ["Slack:Http:RetryDelay"] = "00:00:00.020",
        ["Slack:ResponseUrlPrefixes:0"] = _slack.ResponseUrl(""),
        ["Processing:Lease"] = "00:00:05",
        ["Processing:PollInterval"] = "00:00:00.200",
    };

    [Fact]
    public async Task HostProcessKilledMidBatch_SecondHostTakesOver_NothingLostNothingTwiceInOrder()
    {
        // Feed posts land at once but are answered after 3 s (inside the 4 s call budget of a 5 s lease): the kill
        // falls between a post landing and its answer, the case where only the stored row can tell it landed.
        _slack.SlowChannels[Feed] = TimeSpan.FromSeconds(3);
        var titles = new[] { "Kill alpha", "Kill bravo", "Kill charlie", "Kill delta", "Kill echo" };
        int heldAtKill;
        await using (var first = await ChildProcessHost.StartAsync(Settings().ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value!)))
        {
            try
            {
                foreach (var title in titles[..3])
                {
                    await DeclareAsync(first.Client, title);
                }

                // The first feed post has landed and is waiting for its answer; two more declarations arrive now and
                // are acknowledged (stored) just before the process dies.
                await WaitAsync(() => Task.FromResult(_slack.PostsIn(Feed).Any()), "a feed post in flight");
                foreach (var title in titles[3..])
                {
                    await DeclareAsync(first.Client, title);
                }

                await first.KillAsync();
            }
            catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
            {
                throw new InvalidOperationException("The first host failed:\n" + first.Output, ex);
            }

            heldAtKill = await _db.ScalarAsync<int>("SELECT count(*)::int FROM chatops.outbox WHERE status = 'pending' AND claim_token IS NOT NULL");
        }

        // The kill really fell mid-batch: the dead host still held claims nobody gave back.
        Assert.True(heldAtKill > 0, "the killed host held no outbox claim; the test did not kill it mid-batch");

        await using var second = TestHost.Start(_db, Settings());
        await WaitAsync(
            async () => await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.incidents WHERE channel_id IS NOT NULL") == titles.Length
                && await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox WHERE status <> 'done'") == 0
                && await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.outbox WHERE status <> 'done'") == 0
                && _slack.PostsIn(Feed).Count() >= titles.Length,
            "the second host finished the killed host's work");

        // Every acknowledged declaration applied exactly once: one incident and one channel each.
        Assert.Equal(titles.Length, await _db.ScalarAsync<long>("SELECT count(*) FROM chatops.inbox"));
        Assert.Equal(titles.Order(), (await TextsAsync("SELECT title FROM chatops.incidents")).Order());
        Assert.Equal(titles.Length, _slack.Channels.Count);

        // Every message posted exactly once and in queue order, per channel: the bot's messages in each channel are
        // exactly the delivered post rows' messages, in outbox order.
        var channels = _slack.Messages.Where(m => m.User == SlackFake.BotUserId).Select(m => m.Channel).Distinct().ToList();
        Assert.Contains(Feed, channels);
        foreach (var channel in channels)
        {
            var delivered = (await TextsAsync("SELECT result FROM chatops.outbox WHERE operation = 'post' AND channel_id = @channel ORDER BY id", channel))
                .Select(r => JsonNode.Parse(r)!["MessageId"]!.GetValue<string>()).ToList();
            Assert.Equal(delivered, _slack.PostsIn(channel).Select(m => m.Ts).ToList());
        }

        // The feed announces each declaration once, in the order the announcements were queued.
        var feed = _slack.PostsIn(Feed).Select(m => titles.Single(t => m.Text.Contains(t, StringComparison.Ordinal))).ToList();
        Assert.Equal(titles.Order(), feed.Order());
        var queued = (await TextsAsync("SELECT body::text FROM chatops.outbox WHERE operation = 'post' AND channel_id = @channel ORDER BY id", Feed))
            .Select(b => titles.Single(t => b.Contains(t, StringComparison.Ordinal))).ToList();
        Assert.Equal(queued, feed);
    }

    private async Task DeclareAsync(HttpClient client, string title)
    {
        var form = QueryHelpers.ParseQuery(Samples.Read("slack/commands/slash_command.bolt-python-test.form.txt"))
            .ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        form["command"] = "/incident";
        form["text"] = "declare sev3 " + title;
        form["channel_id"] = "CORIGIN01";
        form["user_id"] = SlackHostTestBase.Declarer;
        form["user_name"] = "declarer";
        form["trigger_id"] = Guid.NewGuid().ToString("N");
        form["response_url"] = _slack.ResponseUrl(title.Replace(' ', '-'));
        var body = string.Join('&', form.Select(kv => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(kv.Value)}"));
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/slack/commands", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", SlackHostTestBase.Sign(timestamp, body));
        using var response = await client.SendAsync(request);
        // Acknowledged: from here on the declaration must not be lost.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<IReadOnlyList<string>> TextsAsync(string sql, string? channel = null)
    {
        await using var command = _db.DataSource.CreateCommand(sql);
        if (channel is not null)
        {
            command.Parameters.Add(new NpgsqlParameter("channel", channel));
        }

        var texts = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            texts.Add(reader.GetString(0));
        }

        return texts;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string because)
    {
        // Generous: the lease must lapse and the slow channel drain on a loaded box.
        var deadline = Environment.TickCount64 + (long)TimeSpan.FromMinutes(3).TotalMilliseconds;
        while (!await condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException("Condition not met in time: " + because);
            }

            await Task.Delay(100);
        }
    }
}
