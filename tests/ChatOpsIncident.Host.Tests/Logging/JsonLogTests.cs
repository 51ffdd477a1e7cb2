using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.Host.Tests.Logging;

/// <summary>
/// The real host process with the documented setting Logging:Console:FormatterName=json (the container's default):
/// a log line written while serving a request is one JSON object carrying that request's trace id.
/// </summary>
public sealed partial class JsonLogTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();

    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task JsonFormatter_RequestLogLine_CarriesTheTraceId()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ChatOpsIncident.Host.dll");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Incidents"] = _db.ConnectionString;
        start.Environment["Api__Token"] = "json-log-test-token-0001-0001-0001-01";
        start.Environment["Slack__BotToken"] = "xoxb-json-log-test";
        start.Environment["Slack__SigningSecret"] = "json-log-test-signing-secret";
        start.Environment["Slack__ApiBaseUrl"] = "http://127.0.0.1:9/api/";
        start.Environment["Scheduling__Enabled"] = "false";
        start.Environment["Logging__Console__FormatterName"] = "json";
        start.Environment["Logging__LogLevel__ChatOpsIncident.Slack.Inbound.SlackSignatureMiddleware"] = "Debug";

        using var process = Process.Start(start)!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                lines.Enqueue(line);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var listening = await WaitForAsync(lines, l => Listening().Match(l) is { Success: true } m ? m.Groups[1].Value : null, "the host listens");
            var traceId = ActivityTraceId.CreateRandom().ToString();
            using var http = new HttpClient { BaseAddress = new Uri(listening) };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/commands") { Content = new StringContent("text=status", Encoding.UTF8, "application/x-www-form-urlencoded") };
            request.Headers.Add("X-Slack-Request-Timestamp", TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("X-Slack-Signature", "v0=forged");
            request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);

            var refused = await WaitForAsync(lines, l => l.Contains("\"EventId\":3001", StringComparison.Ordinal) ? l : null, "the refusal logged");
            using var entry = JsonDocument.Parse(refused);
            Assert.Equal("Debug", entry.RootElement.GetProperty("LogLevel").GetString());
            var scopes = entry.RootElement.GetProperty("Scopes").EnumerateArray().ToList();
            Assert.Contains(scopes, s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out var t) && t.GetString() == traceId);
            Assert.Contains(scopes, s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("SpanId", out var span) && span.GetString()!.Length == 16);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static async Task<string> WaitForAsync(System.Collections.Concurrent.ConcurrentQueue<string> lines, Func<string, string?> find, string because)
    {
        var deadline = Environment.TickCount64 + 90_000;
        while (Environment.TickCount64 < deadline)
        {
            foreach (var line in lines)
            {
                if (find(line) is { } found)
                {
                    return found;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Not seen in the host's output: {because}. Output:\n{string.Join('\n', lines)}");
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
