using ChatOpsIncident.Teams.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ChatOpsIncident.Teams.Tests;

/// <summary>The adapter's services as the host registers them, pointed at the stub; the store is not resolved here.</summary>
internal static class TeamsTestServices
{
    public static ServiceProvider Build(BotFrameworkStub stub, TimeProvider? time = null, IDictionary<string, string?>? extra = null, Microsoft.Extensions.Logging.ILoggerProvider? logging = null)
    {
        var settings = stub.Settings();
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            b.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace);
            if (logging is not null)
            {
                b.AddProvider(logging);
            }
        });
        services.AddSingleton(time ?? TimeProvider.System);
        services.AddTeamsAdapter(configuration);
        BotFrameworkStub.TrustLogin(services);
        return services.BuildServiceProvider();
    }

    public static FakeTimeProvider Clock() => new(new DateTimeOffset(2025, 3, 14, 9, 26, 53, TimeSpan.Zero));
}
