using System.Collections;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using ChatOpsIncident.IntegrationTests.Slack;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace ChatOpsIncident.IntegrationTests.Telemetry;

/// <summary>One trace from Slack's request through the inbox, the worker, the outbox and the call back to Slack.</summary>
public sealed class TraceTests : SlackHostTestBase
{
    private readonly LockedList _spans = new();

    protected override void ConfigureServices(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(_spans));

    [Fact]
    public async Task SlashCommand_OneTraceId_FromTheRequestThroughInboxAndOutboxToSlack()
    {
        // Slack sends no trace context; a proxy in front may. The request's trace is the one to continue.
        var traceId = ActivityTraceId.CreateRandom();
        var body = CommandBody("declare sev2 Checkout 5xx after deploy", "CORIGIN01", responseId: "declare");
        var timestamp = Now();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/commands") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", Sign(timestamp, body));
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        (await Host.Client.SendAsync(request)).EnsureSuccessStatusCode();

        await WaitUntilAsync(() => Slack.Calls("pins.add").Count > 0, "kickoff posted and pinned", 90);
        Activity[] Trace() => _spans.Snapshot().Where(a => a.TraceId == traceId).ToArray();
        static bool IsPost(Activity a) => a.Kind == ActivityKind.Client && Url(a).Contains("/api/chat.postMessage", StringComparison.Ordinal);
        // A client span is exported when it ends, its delivery span a moment later: wait for both.
        await WaitUntilAsync(
            () => Trace() is var t && t.Any(IsPost) && t.Where(IsPost).All(p => t.Any(d => d.SpanId == p.ParentSpanId)),
            "the Slack posts and their deliveries exported", 30);

        var spans = Trace();
        var server = Assert.Single(spans, a => a.Kind == ActivityKind.Server);
        Assert.Equal("/slack/commands", server.GetTagItem("url.path"));
        var inbox = Assert.Single(spans, a => a.DisplayName == "inbox process");
        Assert.Equal(server.SpanId, inbox.ParentSpanId);
        foreach (var post in spans.Where(IsPost))
        {
            // Each call to Slack is made by an outbox delivery of the same trace.
            Assert.Equal("outbox deliver", Assert.Single(spans, a => a.SpanId == post.ParentSpanId).DisplayName);
        }

        // The delivery continues the inbox item's span (the row stored it), possibly through an earlier delivery (the pin).
        Assert.Contains(spans, a => a.DisplayName == "outbox deliver" && a.ParentSpanId == inbox.SpanId);
        Assert.Contains(spans, a => a.Source.Name == "Npgsql" && a.ParentSpanId == inbox.SpanId);
    }

    private static string Url(Activity a) => a.GetTagItem("url.full") as string ?? "";

    /// <summary>The exporter adds from the exporting thread while the test reads.</summary>
    private sealed class LockedList : ICollection<Activity>
    {
        private readonly List<Activity> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public Activity[] Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(Activity item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(Activity item) => Snapshot().Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(Activity item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => ((IEnumerable<Activity>)Snapshot()).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
