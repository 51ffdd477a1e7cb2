using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Infrastructure;

/// <summary>
/// The whole host on real Kestrel (loopback, <c>port</c> 0 picks a free one) against a PostgreSQL database: the one
/// way every whole-host test starts it (Slack, Teams, scheduling, web pages, browser). Settings go in as
/// configuration, exactly as an operator would set them; <c>chat</c> swaps the chat platforms for a recording one.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly Factory _factory;
    private readonly bool _ownsDatabase;

    private TestHost(Factory factory, TestDatabase database, bool ownsDatabase)
    {
        _factory = factory;
        Database = database;
        _ownsDatabase = ownsDatabase;
        Client = factory.CreateClient();
    }

    public TestDatabase Database { get; }

    public IServiceProvider Services => _factory.Services;

    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>
    /// Starts a host on <paramref name="database"/> (already initialized, and still the caller's: several hosts may
    /// share one, as replicas or across a restart).
    /// </summary>
    public static TestHost Start(
        TestDatabase database,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        IChatPlatform? chat = null,
        string environment = "Testing",
        int port = 0) =>
        Start(database, ownsDatabase: false, settings, services, chat, environment, port);

    /// <summary>Starts a host on a fresh database of its own, dropped when the host is disposed.</summary>
    public static async Task<TestHost> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        IChatPlatform? chat = null,
        string environment = "Testing",
        int port = 0)
    {
        var database = new TestDatabase();
        await database.InitializeAsync();
        try
        {
            return Start(database, ownsDatabase: true, settings, services, chat, environment, port);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    private static TestHost Start(
        TestDatabase database,
        bool ownsDatabase,
        IDictionary<string, string?>? settings,
        Action<IServiceCollection>? services,
        IChatPlatform? chat,
        string environment,
        int port)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Incidents"] = database.ConnectionString,
            ["Processing:PollInterval"] = "00:00:00.200",
        };
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            all[k] = v;
        }

        var factory = new Factory(all, environment, s =>
        {
            if (chat is not null)
            {
                s.AddSingleton<IChatPlatform>(chat);
            }

            services?.Invoke(s);
        });
        factory.UseKestrel(port);
        factory.StartServer();
        return new TestHost(factory, database, ownsDatabase);
    }

    /// <summary>
    /// Polls <c>/readyz</c> until it answers 200 (the Hangfire server registers a moment after start) and returns its
    /// JSON detail; fails with the last answer after <paramref name="timeout"/> (default 30 s).
    /// </summary>
    public async Task<System.Text.Json.Nodes.JsonNode> WaitReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await Client.GetAsync("/readyz");
            var body = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode)
            {
                return System.Text.Json.Nodes.JsonNode.Parse(body)!;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"/readyz never answered 200; last {(int)response.StatusCode}: {body}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        if (_ownsDatabase)
        {
            await Database.DisposeAsync();
        }
    }

    private sealed class Factory(IDictionary<string, string?> settings, string environment, Action<IServiceCollection> services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(environment);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureServices(services);
        }
    }
}
