using System.Collections;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using ChatOpsIncident.IntegrationTests.Slack;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace ChatOpsIncident.IntegrationTests.Telemetry;

/// <summary>A Slack host whose finished spans land in <see cref="Spans"/> (the exporter listens process-wide).</summary>
public abstract class TracedSlackHostTestBase : SlackHostTestBase
{
    public const string Collection = "process-wide trace listeners";

    protected LockedList Spans { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));

    /// <summary>A signed declare carrying <c>traceparent</c>, as a tracing proxy in front of the bot would send it.</summary>
    protected async Task DeclareWithTraceParentAsync(ActivityTraceId traceId, string parentSpan)
    {
        var body = CommandBody("declare sev2 Checkout 5xx after deploy", "CORIGIN01", responseId: "declare");
        var timestamp = Now();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/slack/commands") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        request.Headers.Add("X-Slack-Request-Timestamp", timestamp);
        request.Headers.Add("X-Slack-Signature", Sign(timestamp, body));
        request.Headers.Add("traceparent", $"00-{traceId}-{parentSpan}-01");
        // This process traces its own HttpClient calls too; with no propagator the header above reaches the host as
        // written instead of being replaced by the client span's.
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = Host.BaseAddress };
        (await client.SendAsync(request)).EnsureSuccessStatusCode();
    }

    /// <summary>The exporter adds from the exporting thread while the test reads.</summary>
    protected sealed class LockedList : ICollection<Activity>
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

/// <summary>One trace from Slack's request through the inbox, the worker, the outbox and the call back to Slack.</summary>
/// <remarks>
/// Activity listeners are process-wide: a provider that records makes every provider in the process see the span.
/// The recording and the non-recording test share a collection so they never run at the same time.
/// </remarks>
[Collection(TracedSlackHostTestBase.Collection)]
public sealed class TraceTests : TracedSlackHostTestBase
{
    // Without an OTLP endpoint spans are only recorded when asked (UnrecordedTraceTests shows the default).
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?> { ["Telemetry:RecordTraces"] = "true" };

    [Fact]
    public async Task SlashCommand_OneTraceId_FromTheRequestThroughInboxAndOutboxToSlack()
    {
        // Slack sends no trace context; a proxy in front may. The request's trace is the one to continue.
        var traceId = ActivityTraceId.CreateRandom();
        var parent = ActivitySpanId.CreateRandom().ToHexString();
        await DeclareWithTraceParentAsync(traceId, parent);

        await WaitUntilAsync(() => Slack.Calls("pins.add").Count > 0, "kickoff posted and pinned", 90);
        Activity[] Trace() => Spans.Snapshot().Where(a => a.TraceId == traceId).ToArray();
        static bool IsPost(Activity a) => a.Kind == ActivityKind.Client && Url(a).Contains("/api/chat.postMessage", StringComparison.Ordinal);
        // A client span is exported when it ends, its delivery span a moment later: wait for both.
        try
        {
            await WaitUntilAsync(
                () => Trace() is var t && t.Any(IsPost) && t.Where(IsPost).All(p => t.Any(d => d.SpanId == p.ParentSpanId))
                    && t.Any(a => Url(a).Contains("/api/pins.add", StringComparison.Ordinal)),
                "the Slack posts and their deliveries exported", 30);
        }
        catch (TimeoutException ex)
        {
            var seen = string.Join('\n', Spans.Snapshot().Where(a => a.Source.Name != "Npgsql").Select(a => $"{a.TraceId} {a.SpanId} <- {a.ParentSpanId} {a.Kind} {a.Source.Name} '{a.DisplayName}' {Url(a)}"));
            throw new TimeoutException($"{ex.Message}; trace {traceId}; spans seen:\n{seen}", ex);
        }

        var spans = Trace();
        // (WireMock answers inside this process too: its server spans join the trace as the platform's side.)
        var server = Assert.Single(spans, a => a.Kind == ActivityKind.Server && a.Source.Name == "Microsoft.AspNetCore" && Equals(a.GetTagItem("url.path"), "/slack/commands"));
        Assert.Equal(ActivitySpanId.CreateFromString(parent), server.ParentSpanId);
        var inbox = Assert.Single(spans, a => a.DisplayName == "inbox process");
        Assert.Equal(server.SpanId, inbox.ParentSpanId);
        foreach (var post in spans.Where(IsPost))
        {
            // Each call to Slack is made by an outbox delivery of the same trace.
            Assert.Equal("outbox deliver", Assert.Single(spans, a => a.SpanId == post.ParentSpanId).DisplayName);
        }

        // The delivery continues the inbox item's span (the row stored it), possibly through an earlier delivery (the pin).
        Assert.Contains(spans, a => a.DisplayName == "outbox deliver" && a.ParentSpanId == inbox.SpanId);
        // The pin is queued by the post's delivery: its own delivery continues the same trace.
        Assert.Contains(spans, a => a.Kind == ActivityKind.Client && Url(a).Contains("/api/pins.add", StringComparison.Ordinal));
        Assert.Contains(spans, a => a.Source.Name == "Npgsql" && a.ParentSpanId == inbox.SpanId);
    }

    private static string Url(Activity a) => a.GetTagItem("url.full") as string ?? "";
}

/// <summary>
/// No OTLP endpoint and no <c>Telemetry:RecordTraces</c>: nothing is recorded (a span nobody exports costs every request
/// and every statement), yet the W3C context still travels: the inbox row keeps the caller's trace id.
/// </summary>
[Collection(TracedSlackHostTestBase.Collection)]
public sealed class UnrecordedTraceTests : TracedSlackHostTestBase
{
    [Fact]
    public async Task NoExporterConfigured_RecordsNoSpans_ButStoresTheCallersTraceContext()
    {
        var traceId = ActivityTraceId.CreateRandom();
        await DeclareWithTraceParentAsync(traceId, ActivitySpanId.CreateRandom().ToHexString());
        await WaitUntilAsync(() => Slack.Calls("pins.add").Count > 0, "kickoff posted and pinned", 90);

        var stored = await Db.ScalarAsync<string>("SELECT trace_parent FROM chatops.inbox WHERE kind = 'command' ORDER BY id DESC LIMIT 1");
        Assert.Contains(traceId.ToHexString(), stored, StringComparison.Ordinal);
        // Spans end before the call they wrap returns; a short grace lets a late exporter batch show itself.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(Spans.Snapshot(), a => a.TraceId == traceId);
        Assert.DoesNotContain(Spans.Snapshot(), a => a.DisplayName is "inbox process" or "outbox deliver");
    }
}
