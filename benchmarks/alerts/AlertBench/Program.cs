using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

// Sends a burst of distinct Alertmanager notifications (one alert group each) at once and prints, as JSON, how long
// it took until every one was acknowledged, and the status codes. Usage:
//   AlertBench --url http://127.0.0.1:PORT --token TOKEN --sample PATH [--groups 1000] [--connections 64]
var args2 = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a[2..], p => p.i + 1 < args.Length ? args[p.i + 1] : "");
var url = args2["url"].TrimEnd('/') + "/webhooks/alerts/bench";
var token = args2["token"];
var groups = int.Parse(args2.GetValueOrDefault("groups", "1000"), CultureInfo.InvariantCulture);
var connections = int.Parse(args2.GetValueOrDefault("connections", "64"), CultureInfo.InvariantCulture);
var sample = JsonNode.Parse(File.ReadAllText(args2["sample"]))!.AsObject();
var run = Guid.NewGuid().ToString("N")[..8];

// Bodies are built before the clock starts: the burst measures the host, not JSON writing.
var bodies = Enumerable.Range(0, groups).Select(i =>
{
    var body = sample.DeepClone().AsObject();
    var name = string.Create(CultureInfo.InvariantCulture, $"BenchAlert{run}-{i}");
    body["groupKey"] = $"{{}}:{{alertname=\"{name}\"}}";
    body["groupLabels"]!["alertname"] = name;
    body["commonLabels"]!["alertname"] = name;
    // Not critical: the default rule prompts, so the burst exercises the storm card, not 1 000 channels.
    body["commonLabels"]!["severity"] = "warning";
    body["alerts"]![0]!["labels"]!["alertname"] = name;
    body["alerts"]![0]!["labels"]!["severity"] = "warning";
    return Encoding.UTF8.GetBytes(body.ToJsonString());
}).ToList();

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    Timeout = TimeSpan.FromSeconds(30),
};
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

// Warm the connections and the host's first-request paths with one request per connection outside the measurement.
await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
{
    using var r = await http.GetAsync(args2["url"].TrimEnd('/') + "/healthz");
}));

var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
var latencies = new double[groups];
var clock = Stopwatch.StartNew();
await Task.WhenAll(bodies.Select(async (body, i) =>
{
    var start = clock.Elapsed;
    using var content = new ByteArrayContent(body);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    using var response = await http.PostAsync(url, content);
    latencies[i] = (clock.Elapsed - start).TotalMilliseconds;
    statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
}));
var elapsed = clock.Elapsed.TotalMilliseconds;
Array.Sort(latencies);
double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * q))];
Console.WriteLine(new JsonObject
{
    ["groups"] = groups,
    ["connections"] = connections,
    ["burst_ms"] = Math.Round(elapsed, 1),
    ["p50_ms"] = Math.Round(P(0.50), 1),
    ["p99_ms"] = Math.Round(P(0.99), 1),
    ["max_ms"] = Math.Round(latencies[^1], 1),
    ["statuses"] = new JsonObject(statuses.Select(kv => KeyValuePair.Create(kv.Key.ToString(CultureInfo.InvariantCulture), (JsonNode?)kv.Value))),
}.ToJsonString());
