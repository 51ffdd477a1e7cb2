using ChatOpsIncident.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Infrastructure;

/// <summary>
/// The whole host on real Kestrel (a dynamic loopback port) against its own PostgreSQL database.
/// Settings go in as configuration, exactly as an operator would set them.
/// </summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly Factory _factory;

    private TestHost(Factory factory, TestDatabase database)
    {
        _factory = factory;
        Database = database;
    }

    public TestDatabase Database { get; }

    public IServiceProvider Services => _factory.Services;

    public HttpClient Client { get; private set; } = null!;

    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>Starts a host on <paramref name="database"/> (already initialized) with extra settings.</summary>
    public static TestHost Start(TestDatabase database, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
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

        var factory = new Factory(all, services);
        factory.UseKestrel(0);
        factory.StartServer();
        var host = new TestHost(factory, database);
        host.Client = factory.CreateClient();
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class Factory(IDictionary<string, string?> settings, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            if (services is not null)
            {
                builder.ConfigureServices(services);
            }
        }
    }
}
