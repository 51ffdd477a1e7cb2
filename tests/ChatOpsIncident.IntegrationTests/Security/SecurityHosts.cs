using System.Collections.Concurrent;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.IntegrationTests.Security;

/// <summary>Hosts as an operator would run them for the security tests: an environment, a few keys, logs captured.</summary>
internal static class SecurityHosts
{
    public const string Token = "security-admin-token-0123456789abcdef";

    public static Task<TestHost> StartAsync(string environment, IDictionary<string, string?>? settings = null, LogCapture? logs = null) =>
        TestHost.StartAsync(settings, s =>
        {
            if (logs is not null)
            {
                s.AddSingleton<ILoggerProvider>(logs);
            }
        }, chat: new RecordingChatPlatform("slack"), environment: environment);

    /// <summary>A client that neither follows redirects nor keeps cookies: every request says exactly what it carries.</summary>
    public static HttpClient Bare(TestHost host) => new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = host.BaseAddress };
}

internal sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<(EventId Id, string Message)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue((eventId, formatter(state, exception)));
    }
}
