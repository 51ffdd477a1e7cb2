using ChatOpsIncident.Core;
using ChatOpsIncident.Host.Api;
using ChatOpsIncident.Host.Paging;
using ChatOpsIncident.Host.Scheduling;
using ChatOpsIncident.Host.Startup;
using ChatOpsIncident.Host.Web;
using ChatOpsIncident.Postgres;
using ChatOpsIncident.Slack;
using ChatOpsIncident.Teams;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Host.Tests.Startup;

/// <summary>
/// Every bound section is validated on start (DataAnnotations + one IValidateOptions per class). These run the same
/// start-up validation the host runs and check the one line <see cref="StartupFailure"/> prints; the whole-process
/// path is covered by <see cref="StartupFailureTests"/>.
/// </summary>
public sealed class OptionsValidationTests
{
    private const string Database = "Host=localhost;Database=x;Username=x;Password=x";

    /// <summary>Registers like Program.cs does, runs the start-up validators, returns the printed line (null = starts).</summary>
    private static string? StartupLine(Dictionary<string, string?> settings)
    {
        settings.TryAdd("ConnectionStrings:Incidents", Database);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var ex = Record.Exception(() =>
        {
            var services = new ServiceCollection().AddLogging();
            services.AddSingleton<IConfiguration>(configuration);
            services
                .AddIncidentCore(configuration)
                .AddPostgresStore(configuration)
                .AddDatabaseMigration(configuration)
                .AddSlackAdapter(configuration)
                .AddTeamsAdapter(configuration)
                .AddPaging(configuration)
                .AddScheduling(configuration, new Environment())
                .AddIncidentApi(configuration)
                .AddWebPages(configuration, new Environment());
            using var provider = services.BuildServiceProvider();
            provider.GetRequiredService<IStartupValidator>().Validate();
        });
        return ex is null ? null : StartupFailure.Describe(ex) ?? throw new InvalidOperationException("not a configuration failure", ex);
    }

    [Fact]
    public void Defaults_Start()
    {
        Assert.Null(StartupLine([]));
    }

    [Theory]
    [InlineData("alice smith", false)]
    [InlineData("slack:", false)]
    [InlineData("   ", false)]
    [InlineData("U024BE7LH", true)]
    [InlineData("slack:U024BE7LH", true)]
    [InlineData("29:1XJKJMvc5GBtc2JwZq0oj8tHZmzrQgFmB39ATiQWA85gQ", true)]
    public void ApiTokenUser_MustBeAUserIdOrPlatformUser_ElseStartupNamesTheKey(string user, bool starts)
    {
        var line = StartupLine(new()
        {
            ["Api:Tokens:0:Name"] = "cli",
            ["Api:Tokens:0:Token"] = new string('t', 40),
            ["Api:Tokens:0:Scopes:0"] = "incidents:read",
            ["Api:Tokens:0:User"] = user,
        });

        if (starts)
        {
            Assert.Null(line);
        }
        else
        {
            Assert.NotNull(line);
            Assert.Contains("Api:Tokens:0:User must be a chat user id or platform:user", line, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("U024BE7LH", "U024BE7LH", null)]
    [InlineData("SLACK:U024BE7LH", "U024BE7LH", "slack")]
    [InlineData("teams:29:1abc", "29:1abc", "teams")]
    [InlineData("29:1abc", "29:1abc", null)]
    public void ApiUser_PlatformPrefixOnlyWhenItNamesAPlatform_TeamsIdsKeepTheirColons(string text, string id, string? platform)
    {
        Assert.Equal(new ApiUser(id, platform), ApiUser.Parse(text));
    }

    [Fact]
    public void ApiToken_ShorterThan32Characters_IsRefused_NamingTheKey_WithoutTheToken()
    {
        var line = StartupLine(new() { ["Api:Token"] = "short-token-31-characters-long!" });

        Assert.NotNull(line);
        Assert.StartsWith("Api:Token must be at least 32 characters", line, StringComparison.Ordinal);
        Assert.DoesNotContain("short-token", line, StringComparison.Ordinal);
        Assert.Null(StartupLine(new() { ["Api:Token"] = new string('x', 32) }));
    }

    [Fact]
    public void SlackBotTokenWithoutSigningSecret_NamesTheKey_WithoutTheToken()
    {
        var line = StartupLine(new() { ["Slack:BotToken"] = "xoxb-1" });

        Assert.Equal("Slack:SigningSecret is required when Slack:BotToken is set (it verifies every request from Slack).", line);
        Assert.DoesNotContain("xoxb-1", line, StringComparison.Ordinal);
    }

    [Fact]
    public void SlackSigningSecretWithoutBotToken_NamesTheKey_WithoutTheSecret()
    {
        var line = StartupLine(new() { ["Slack:SigningSecret"] = "s3cr3t" });

        Assert.Equal("Slack:BotToken is required when Slack:SigningSecret is set (the bot calls the Slack Web API with it).", line);
        Assert.DoesNotContain("s3cr3t", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Slack:ApiBaseUrl", "not a url", "Slack:ApiBaseUrl must be an absolute http(s) URL, e.g. https://slack.com/api/.")]
    [InlineData("Slack:ApiBaseUrl", "ftp://slack.example/api/", "Slack:ApiBaseUrl must be an absolute http(s) URL, e.g. https://slack.com/api/.")]
    [InlineData("Slack:AckTimeout", "00:00:05", "Slack:AckTimeout must be positive and under 00:00:03 (Slack's acknowledgement window).")]
    [InlineData("Slack:AckTimeout", "00:00:00", "Slack:AckTimeout must be positive and under 00:00:03 (Slack's acknowledgement window).")]
    public void SlackBadSetting_NamesTheKey(string key, string value, string expected)
    {
        Assert.Equal(expected, StartupLine(new() { ["Slack:BotToken"] = "xoxb-1", ["Slack:SigningSecret"] = "s", [key] = value }));
    }

    [Fact]
    public void SlackWrongFormat_NamesTheKey()
    {
        var line = StartupLine(new() { ["Slack:BotToken"] = "xoxb-1", ["Slack:SigningSecret"] = "s", ["Slack:AckTimeout"] = "soon" });

        Assert.Contains("'Slack:AckTimeout'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void TeamsAppIdWithoutPassword_NamesTheKey()
    {
        Assert.Equal(
            "Teams:AppPassword is required when Teams:AppId is set (the bot's client secret), unless Teams:CertificatePath or Teams:CertificateThumbprint names a certificate.",
            StartupLine(new() { ["Teams:AppId"] = "app", ["Teams:TenantId"] = "tenant" }));
    }

    [Theory]
    [InlineData("Teams:GraphBaseUrl", "graph", "Teams:GraphBaseUrl must be an absolute http(s) URL.")]
    [InlineData("Teams:OpenIdMetadataUrl", "ftp://login/metadata", "Teams:OpenIdMetadataUrl must be an absolute http(s) URL.")]
    [InlineData("Teams:RequestTimeout", "00:00:00", "Teams:RequestTimeout must be positive (at most 06:00:00).")]
    public void TeamsBadSetting_NamesTheKey(string key, string value, string expected)
    {
        Assert.Equal(expected, StartupLine(new() { ["Teams:AppId"] = "app", ["Teams:AppPassword"] = "pw", ["Teams:TenantId"] = "tenant", [key] = value }));
    }

    [Theory]
    [InlineData("https://slack.com", null, "x", "Auth:ClientId is required when Auth:Authority is set.")]
    [InlineData("https://slack.com", "id", "", "Auth:ClientSecret is required when Auth:Authority is set.")]
    [InlineData("http://login.example.com", "id", "x", "Auth:Authority must be an https URL (the OpenID Connect issuer).")]
    [InlineData("not a url", "id", "x", "Auth:Authority must be an https URL (the OpenID Connect issuer).")]
    public void HalfConfiguredSignIn_NamesTheKey(string authority, string? clientId, string secret, string expected)
    {
        Assert.Equal(expected, StartupLine(new() { ["Auth:Authority"] = authority, ["Auth:ClientId"] = clientId, ["Auth:ClientSecret"] = secret }));
    }

    [Fact]
    public void SignInOnLoopbackHttpIssuer_IsAccepted_ForLocalTesting()
    {
        Assert.Null(StartupLine(new() { ["Auth:Authority"] = "http://127.0.0.1:8080", ["Auth:ClientId"] = "id", ["Auth:ClientSecret"] = "x" }));
    }

    [Fact]
    public void BadBaseUrl_NamesTheKey()
    {
        Assert.Equal("Web:BaseUrl must be an absolute http(s) URL, not 'incidents.example.com'.", StartupLine(new() { ["Web:BaseUrl"] = "incidents.example.com" }));
    }

    [Theory]
    [InlineData("", "ConnectionStrings:Incidents is required (a PostgreSQL connection string).")]
    [InlineData("Host=localhost;Nonsense=1", "ConnectionStrings:Incidents is not a valid PostgreSQL connection string")]
    public void BadConnectionString_NamesTheKey_WithoutThePassword(string value, string expected)
    {
        var line = StartupLine(new() { ["ConnectionStrings:Incidents"] = value + (value.Length > 0 ? ";Password=hunter2" : "") });

        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Scheduling:WorkerCount", "0", "Scheduling:WorkerCount must be between 1 and 100")]
    [InlineData("Scheduling:SchedulePollingInterval", "00:05:00", "Scheduling:SchedulePollingInterval must be between 00:00:00.1 and 00:01:00")]
    [InlineData("Scheduling:QueuePollInterval", "00:00:00", "Scheduling:QueuePollInterval must be between 00:00:00.1 and 00:05:00")]
    [InlineData("Scheduling:Window", "00:02:00", "Scheduling:Window must be between 00:00:01 and 00:01:00")]
    [InlineData("Scheduling:PlanHorizon", "00:01:00", "Scheduling:PlanHorizon must be at least 00:01:30 (the sweep runs every minute)")]
    [InlineData("Scheduling:InvisibilityTimeout", "00:00:30", "Scheduling:InvisibilityTimeout must be at least 00:01:00")]
    [InlineData("Scheduling:SweepCron", " ", "Scheduling:SweepCron is required (a cron expression, default every minute)")]
    [InlineData("Paging:EventsUrl", "events.example.com", "Paging:EventsUrl must be an absolute http(s) URL")]
    [InlineData("Processing:PollInterval", "00:00:00", "Processing:PollInterval must be positive")]
    [InlineData("Processing:Lease", "00:00:01", "Processing:Lease must be at least 00:00:05")]
    [InlineData("Processing:MaxAttempts", "0", "Processing:MaxAttempts must be positive")]
    [InlineData("Processing:BatchSize", "0", "Processing:BatchSize must be positive")]
    [InlineData("Processing:Parallelism", "0", "Processing:Parallelism must be positive")]
    [InlineData("Database:StartupTimeout", "-00:00:01", "Database:StartupTimeout must not be negative")]
    [InlineData("Incident:EscalationGraceFraction", "0", "Incident:EscalationGraceFraction must be between 0 and 10")]
    [InlineData("Incident:ChannelPrefix", "Inc #", "Incident:ChannelPrefix must be 1-20 characters of a-z, 0-9, '-' or '_'")]
    public void BadSetting_NamesTheKey(string key, string value, string expected)
    {
        // Paging is on only with a routing key; the others are always on.
        Assert.Equal(expected, StartupLine(new() { ["Paging:RoutingKey"] = "rk", [key] = value }));
    }

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Production";

        public string ApplicationName { get; set; } = "ChatOpsIncident.Host";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
