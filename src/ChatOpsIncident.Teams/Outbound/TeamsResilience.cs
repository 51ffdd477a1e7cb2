using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ChatOpsIncident.Teams;

internal static class TeamsHttpClients
{
    public const string OpenId = "teams-openid";
    public const string Token = "teams-token";
    public const string Connector = "teams-connector";
    public const string Graph = "teams-graph";
}

internal static class TeamsResilience
{
    /// <summary>
    /// Teams' own advice ("Optimize your bot with rate limiting"): retry 429 after Retry-After, 412/502/503/504 with
    /// jittered backoff, nothing else (a 500 is a ServiceError that will not heal). Timeouts are never retried here, and
    /// a POST is retried after a transport error only when the request provably never left (DNS, connect, TLS): a POST
    /// that may have reached the Connector is not sent twice (see <see cref="Outbound.ConnectorClient"/>).
    /// </summary>
    public static IHttpClientBuilder AddTeamsResilience(this IHttpClientBuilder builder, TimeSpan attemptTimeout)
    {
        builder.AddResilienceHandler("teams", pipeline =>
        {
            pipeline.AddTimeout(attemptTimeout * 4);
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 4,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome, args.Context.GetRequestMessage()?.Method)),
            });
            pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(15),
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            });
            pipeline.AddTimeout(attemptTimeout);
        });
        return builder;
    }

    public static bool IsTransient(Outcome<HttpResponseMessage> outcome, HttpMethod? method = null) => outcome switch
    {
        { Result: { } r } => IsRetryable(r.StatusCode),
        { Exception: HttpRequestException e } => method != HttpMethod.Post || NeverSent(e),
        _ => false,
    };

    /// <summary>The request failed before any of it reached the server: name resolution, connecting, TLS, the proxy.</summary>
    public static bool NeverSent(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError
            or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError;

    public static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
}

/// <summary>
/// Paces sends per conversation so a burst (a busy incident) stays inside Teams' per-thread limits:
/// at most 7 in any second, 8 in two seconds and 60 in thirty seconds. Waiters queue in order.
/// </summary>
internal sealed class ConversationPacer : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.CreateChained(
        Window(7, TimeSpan.FromSeconds(1), 4),
        Window(8, TimeSpan.FromSeconds(2), 4),
        Window(60, TimeSpan.FromSeconds(30), 6));

    public async Task WaitAsync(string conversation, CancellationToken ct)
    {
        using var lease = await _limiter.AcquireAsync(conversation, 1, ct);
        if (!lease.IsAcquired)
        {
            throw new HttpRequestException("Too many messages queued for one Teams conversation; retrying later.");
        }
    }

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();

    private static PartitionedRateLimiter<string> Window(int permits, TimeSpan window, int segments) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            SegmentsPerWindow = segments,
            QueueLimit = 500,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));
}
