using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;

// benchmarks/slack/SlackBench: one binary, four roles (see benchmarks/README.md):
//   bare       --port P                      a bare Kestrel endpoint that reads the body and answers 200 (the ceiling)
//   fake-slack --port P                      a zero-latency Slack Web API; records when each channel gets its first post
//   load       --url U --kind K ...          closed-loop HTTP load: forged | event | mixed; prints one JSON line
//   declare    --url U --fake F --count N    signed declares one at a time; declare-to-kickoff latency
var opts = Args.Parse(args.Skip(1));
switch (args.FirstOrDefault())
{
    case "bare":
        await Bare.RunAsync(opts.Int("port"));
        break;
    case "fake-slack":
        await FakeSlack.RunAsync(opts.Int("port"));
        break;
    case "load":
        await Load.RunAsync(opts);
        break;
    case "declare":
        await Declare.RunAsync(opts);
        break;
    default:
        Console.Error.WriteLine("usage: SlackBench bare|fake-slack|load|declare [--key value ...]");
        return 2;
}

return 0;

internal sealed class Args(Dictionary<string, string> values)
{
    public static Args Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < list.Count; i += 2)
        {
            values[list[i].TrimStart('-')] = list[i + 1];
        }

        return new Args(values);
    }

    public string Str(string key, string? fallback = null) => values.TryGetValue(key, out var v) ? v : fallback ?? throw new ArgumentException($"--{key} is required");

    public int Int(string key, int? fallback = null) => values.TryGetValue(key, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback ?? throw new ArgumentException($"--{key} is required");
}

internal static class Slack
{
    public static string Sign(string secret, string timestamp, string body)
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}"), mac);
        return "v0=" + Convert.ToHexStringLower(mac);
    }

    public static string Now() => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>A reaction_added envelope in the shape of shared/protocol-samples/slack/events/reaction_added.json.</summary>
    public static string PinEvent(string eventId) =>
        $$"""{"token":"XXYYZZ","team_id":"T123ABC456","api_app_id":"A123ABC456","event":{"type":"reaction_added","user":"U123ABC456","reaction":"pushpin","item_user":"U222222222","item":{"type":"message","channel":"CBENCH0001","ts":"1360782400.498405","channel_type":"channel"},"event_ts":"1360782804.083113"},"type":"event_callback","authorizations":[{"team_id":"T123ABC456","user_id":"U123ABC456","is_bot":false,"is_enterprise_install":false}],"event_id":"{{eventId}}","event_time":1360782804}""";

    public static string Command(string text, string channel, string trigger, string responseUrl) =>
        string.Join('&', new Dictionary<string, string>
        {
            ["token"] = "verification_token", ["team_id"] = "T111", ["team_domain"] = "bench", ["channel_id"] = channel,
            ["channel_name"] = "bench", ["user_id"] = "UBENCH001", ["user_name"] = "bench", ["command"] = "/incident",
            ["text"] = text, ["response_url"] = responseUrl, ["trigger_id"] = trigger, ["api_app_id"] = "A111",
        }.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}"));
}

internal static class Bare
{
    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/slack/events", async (HttpContext http) =>
        {
            // Same work a server must do at minimum: read the whole body, answer 200.
            var buffer = new byte[16 * 1024];
            while (await http.Request.Body.ReadAsync(buffer) > 0)
            {
            }

            return Results.Ok();
        });
        await app.RunAsync();
    }
}

internal static class FakeSlack
{
    private static readonly ConcurrentDictionary<string, string> ChannelByName = new();
    private static readonly ConcurrentDictionary<string, long> FirstPostMs = new();
    private static long _seq;

    public static async Task RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapPost("/api/{method}", async (string method, HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            var a = ReadArgs(body);
            var ok = new JsonObject { ["ok"] = true };
            switch (method)
            {
                case "auth.test":
                    ok["user_id"] = "UBOTBENCH";
                    ok["url"] = "https://bench.slack.com/";
                    break;
                case "conversations.create":
                    var id = "C" + Interlocked.Increment(ref _seq).ToString("D9", CultureInfo.InvariantCulture);
                    ChannelByName[a["name"]] = id;
                    ok["channel"] = new JsonObject { ["id"] = id, ["name"] = a["name"], ["creator"] = "UBOTBENCH", ["purpose"] = new JsonObject { ["value"] = "" } };
                    break;
                case "chat.postMessage":
                    FirstPostMs.TryAdd(a["channel"], TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());
                    ok["channel"] = a["channel"];
                    ok["ts"] = $"1700000000.{Interlocked.Increment(ref _seq) % 1_000_000:D6}";
                    break;
                case "conversations.history" or "conversations.replies":
                    ok["messages"] = new JsonArray();
                    break;
                case "conversations.list":
                    ok["channels"] = new JsonArray();
                    break;
            }

            return Results.Text(ok.ToJsonString(), "application/json");
        });
        app.MapPost("/respond/{id}", () => Results.Ok());
        // When did the channel whose name contains the slug get its first post (unix ms), or 404.
        app.MapGet("/bench/first-post", (string slug) =>
            ChannelByName.FirstOrDefault(kv => kv.Key.Contains(slug, StringComparison.Ordinal)) is { Value: { } channel }
            && FirstPostMs.TryGetValue(channel, out var at) ? Results.Text(at.ToString(CultureInfo.InvariantCulture)) : Results.NotFound());
        await app.RunAsync();
    }

    private static Dictionary<string, string> ReadArgs(string body)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.StartsWith('{'))
        {
            foreach (var (k, v) in JsonNode.Parse(body)!.AsObject())
            {
                args[k] = v is JsonValue value && value.TryGetValue<string>(out var s) ? s : v?.ToJsonString() ?? "";
            }
        }
        else
        {
            foreach (var (k, v) in QueryHelpers.ParseQuery(body))
            {
                args[k] = v.ToString();
            }
        }

        return args;
    }
}

internal static class Load
{
    public static async Task RunAsync(Args o)
    {
        var url = o.Str("url");
        var kind = o.Str("kind");
        var connections = o.Int("connections", 32);
        var seconds = o.Int("seconds", 10);
        var warmup = o.Int("warmup", 2);
        var secret = o.Str("secret", "bench-secret");
        var responseUrl = o.Str("response-url", "http://127.0.0.1:1/respond/x");
        var ackedFile = o.Str("acked-file", "");
        var run = o.Str("run", Guid.NewGuid().ToString("N")[..8]);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        var statuses = new ConcurrentDictionary<int, int>();
        var acked = new ConcurrentBag<string>();
        var tryAgain = 0;
        var latencies = new List<double>[connections];
        var measureFrom = Stopwatch.GetTimestamp() + (long)(warmup * (double)Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(seconds * (double)Stopwatch.Frequency);
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            for (var n = 0; Stopwatch.GetTimestamp() < stopAt; n++)
            {
                var ts = Slack.Now();
                var eventId = $"EvB{run}{w:D3}{n:D7}";
                var isCommand = kind == "mixed" && n % 8 == 7;
                string body, path, contentType;
                if (isCommand)
                {
                    body = Slack.Command("note bench " + n, "CBENCH0001", $"{run}.{w}.{n}", responseUrl);
                    (path, contentType) = ("/slack/commands", "application/x-www-form-urlencoded");
                }
                else
                {
                    body = Slack.PinEvent(eventId);
                    (path, contentType) = (kind == "bare" ? "/slack/events" : "/slack/events", "application/json");
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, url.TrimEnd('/') + path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
                request.Headers.Add("X-Slack-Request-Timestamp", ts);
                request.Headers.Add("X-Slack-Signature", kind is "forged" or "bare" ? "v0=" + new string('0', 64) : Slack.Sign(secret, ts, body));
                var start = Stopwatch.GetTimestamp();
                int status;
                string text = "";
                try
                {
                    using var response = await http.SendAsync(request);
                    status = (int)response.StatusCode;
                    if (isCommand)
                    {
                        text = await response.Content.ReadAsStringAsync();
                    }
                    else
                    {
                        await response.Content.LoadIntoBufferAsync();
                    }
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }
                catch (TaskCanceledException)
                {
                    status = -1;
                }

                var end = Stopwatch.GetTimestamp();
                if (start < measureFrom && kind != "mixed")
                {
                    continue;
                }

                mine.Add((end - start) * 1000.0 / Stopwatch.Frequency);
                statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                if (isCommand && text.Contains("try again", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref tryAgain);
                }

                if (!isCommand && status is >= 200 and < 300)
                {
                    acked.Add(eventId);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double P(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
        var measured = kind == "mixed" ? seconds + warmup : seconds;
        if (ackedFile.Length > 0)
        {
            await File.WriteAllLinesAsync(ackedFile, acked);
        }

        var result = new JsonObject
        {
            ["kind"] = kind,
            ["connections"] = connections,
            ["seconds"] = measured,
            ["requests"] = all.Length,
            ["rps"] = Math.Round(all.Length / (double)measured, 1),
            ["p50_ms"] = Math.Round(P(0.50), 2),
            ["p99_ms"] = Math.Round(P(0.99), 2),
            ["max_ms"] = Math.Round(all.LastOrDefault(), 2),
            ["statuses"] = new JsonObject(statuses.OrderBy(s => s.Key).Select(s => KeyValuePair.Create(s.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)s.Value))),
            ["try_again"] = tryAgain,
        };
        Console.WriteLine(result.ToJsonString());
    }
}

internal static class Declare
{
    public static async Task RunAsync(Args o)
    {
        var url = o.Str("url").TrimEnd('/');
        var fake = o.Str("fake").TrimEnd('/');
        var count = o.Int("count", 40);
        var gapMs = o.Int("gap-ms", 1200);
        var secret = o.Str("secret", "bench-secret");
        var run = o.Str("run", Guid.NewGuid().ToString("N")[..6]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var latencies = new List<double>();
        var acks = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var slug = $"bench-{run}-{i}";
            var body = Slack.Command($"declare sev3 Bench {run} {i}", "CBENCHORIG", $"{run}.decl.{i}", $"{fake}/respond/{slug}");
            var ts = Slack.Now();
            using var request = new HttpRequestMessage(HttpMethod.Post, url + "/slack/commands") { Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded") };
            request.Headers.Add("X-Slack-Request-Timestamp", ts);
            request.Headers.Add("X-Slack-Signature", Slack.Sign(secret, ts, body));
            var sent = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
            var watch = Stopwatch.StartNew();
            using (var response = await http.SendAsync(request))
            {
                acks.Add(watch.Elapsed.TotalMilliseconds);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Console.Error.WriteLine($"declare {i}: HTTP {(int)response.StatusCode}");
                }
            }

            long? kickoff = null;
            while (kickoff is null && watch.Elapsed < TimeSpan.FromSeconds(10))
            {
                using var poll = await http.GetAsync($"{fake}/bench/first-post?slug={slug}");
                if (poll.StatusCode == HttpStatusCode.OK)
                {
                    kickoff = long.Parse(await poll.Content.ReadAsStringAsync(), CultureInfo.InvariantCulture);
                }
                else
                {
                    await Task.Delay(2);
                }
            }

            latencies.Add(kickoff is { } k ? k - sent : 10_000);
            // Incidents are declared minutes apart in real life; a gap keeps this a latency test, not a flood.
            await Task.Delay(Math.Max(0, gapMs - (int)watch.ElapsedMilliseconds));
        }

        var sorted = latencies.Order().ToArray();
        double P(double[] a, double q) => a[Math.Min(a.Length - 1, (int)Math.Ceiling(q * a.Length) - 1)];
        var ackSorted = acks.Order().ToArray();
        Console.WriteLine(new JsonObject
        {
            ["declares"] = count,
            ["kickoff_p50_ms"] = Math.Round(P(sorted, 0.5), 1),
            ["kickoff_p95_ms"] = Math.Round(P(sorted, 0.95), 1),
            ["kickoff_max_ms"] = Math.Round(sorted[^1], 1),
            ["ack_p95_ms"] = Math.Round(P(ackSorted, 0.95), 1),
            ["missing"] = latencies.Count(l => l >= 10_000),
        }.ToJsonString());
    }
}
