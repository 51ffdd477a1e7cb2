using System.Collections.Concurrent;
using ChatOpsIncident.Slack.Outbound;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Slack.Tests;

/// <summary>The adapter's outbound services built the way the host builds them, pointed at a WireMock "Slack".</summary>
internal static class SlackTestServices
{
    public const string Token = "xoxb-test-0000-secret-token";
    public const string Secret = "test-signing-secret";

    public static ServiceProvider Build(string apiBaseUrl, LogSink? logs = null, IDictionary<string, string?>? extra = null, TimeProvider? time = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Slack:BotToken"] = Token,
            ["Slack:SigningSecret"] = Secret,
            ["Slack:ApiBaseUrl"] = apiBaseUrl,
            ["Slack:Http:AttemptTimeout"] = "00:00:05",
            ["Slack:Http:RetryDelay"] = "00:00:00.010",
            ["Slack:Http:MaxRetries"] = "2",
            ["Slack:Http:PostInterval"] = "00:00:00",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddLogging(b =>
        {
            b.SetMinimumLevel(LogLevel.Trace);
            if (logs is not null)
            {
                b.AddProvider(logs);
            }
        });
        services.AddSlackAdapter(configuration);
        return services.BuildServiceProvider();
    }

    public static SlackApiClient Client(this IServiceProvider sp) => sp.GetRequiredService<SlackApiClient>();
}

/// <summary>Collects every log line (all levels), to prove secrets never reach them.</summary>
internal sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Sink(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Sink(LogSink owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner.Lines.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    owner.Lines.Enqueue($"  {key}={value}");
                }
            }
        }
    }
}
