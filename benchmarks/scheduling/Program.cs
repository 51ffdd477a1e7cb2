using System.Collections.Concurrent;
using System.Globalization;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// Scheduler benchmark: an idle host's database load, then N open incidents with staggered due times.
// Usage: dotnet run -c Release -- "<admin connection string>" [incidents=10000] [spreadSeconds=100] [idleSeconds=60]
internal static class SchedulingBench
{
    public static async Task Main(string[] args)
    {
        var admin = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("CHATOPS_TEST_PG") ?? throw new ArgumentException("admin connection string required");
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var spread = TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 100);
        var idle = TimeSpan.FromSeconds(args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 60);
        var clock = TimeProvider.System;

        var dbName = "chatops_bench_" + Guid.NewGuid().ToString("N")[..8];
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await new NpgsqlCommand($"CREATE DATABASE {dbName}", conn).ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = dbName }.ConnectionString;
        var chat = new TimingChatPlatform(clock);
        // The factory looks for the host's content root beside a solution; point it at src/ChatOpsIncident.Host.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !Directory.Exists(Path.Combine(root.FullName, "src", "ChatOpsIncident.Host")))
        {
            root = root.Parent;
        }

        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_CHATOPSINCIDENT_HOST", Path.Combine(root!.FullName, "src", "ChatOpsIncident.Host"));
        var factory = new BenchFactory(connectionString, chat);
        factory.UseKestrel(0);
        factory.StartServer();
        try
        {
            await using var db = NpgsqlDataSource.Create(connectionString);

            // Idle: the host is up, nothing is due. Let start-up work settle, then count commits in this database.
            Console.WriteLine($"Host started on {dbName}; settling 20 s, then measuring idle load for {idle.TotalSeconds:0} s ...");
            await Task.Delay(TimeSpan.FromSeconds(20));
            var (idleCommits, idleSeconds) = await CommitsDuring(db, idle, clock);
            var idleRate = idleCommits / idleSeconds;

            // Load: N open incidents, next_update_due staggered evenly over the spread, starting 90 s from now (the
            // minutely sweep plans them; the window jobs post them). SEV3: 1 h cadence, so no escalation interferes.
            var start = clock.GetUtcNow() + TimeSpan.FromSeconds(90);
            await using (var conn = await db.OpenConnectionAsync())
            {
                const string Insert = """
                    INSERT INTO chatops.incidents (id, declare_key, title, severity, type, status, platform, channel_id, channel_name,
                        declared_by_id, declared_by_name, declared_at, acknowledged_at, next_update_due, nudged_at)
                    SELECT gen_random_uuid(), 'bench:' || n, 'Benchmark incident ' || n, 'SEV3', 'other', 'investigating', 'slack',
                        'B' || n, 'inc-bench-' || n, 'U1', 'alice', now() - interval '1 minute', now(),
                        @start + (@spread * n / @count), now()
                    FROM generate_series(0, @count - 1) AS n
                    """;
                await using var cmd = new NpgsqlCommand(Insert, conn);
                cmd.Parameters.AddWithValue("start", start.UtcDateTime);
                cmd.Parameters.AddWithValue("spread", spread);
                cmd.Parameters.AddWithValue("count", count);
                await cmd.ExecuteNonQueryAsync();
            }

            Console.WriteLine($"Inserted {count} incidents due from {start:HH:mm:ss.fff} over {spread.TotalSeconds:0} s ({count / spread.TotalSeconds:0.#}/s); waiting ...");
            var before = await Commits(db);
            var loadStarted = clock.GetUtcNow();
            var deadline = start + spread + TimeSpan.FromSeconds(90);
            while (chat.Reminders.Count < count && clock.GetUtcNow() < deadline)
            {
                await Task.Delay(500);
            }

            var loadSeconds = (clock.GetUtcNow() - loadStarted).TotalSeconds;
            var loadCommits = await Commits(db) - before;

            var due = new Dictionary<string, DateTimeOffset>();
            await using (var conn = await db.OpenConnectionAsync())
            await using (var cmd = new NpgsqlCommand("SELECT channel_id, next_update_due FROM chatops.incidents WHERE declare_key LIKE 'bench:%'", conn))
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    due[reader.GetString(0)] = new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
                }
            }

            var posts = chat.Reminders.ToList();
            var perChannel = posts.GroupBy(p => p.Channel).ToDictionary(g => g.Key, g => g.ToList());
            var duplicates = perChannel.Values.Sum(l => l.Count - 1);
            var lateness = perChannel.Select(kv => (kv.Value.Min(p => p.At) - due[kv.Key]).TotalSeconds).Order().ToList();
            var first = posts.Count == 0 ? default : posts.Min(p => p.At);
            var last = posts.Count == 0 ? default : posts.Max(p => p.At);
            var rate = posts.Count > 1 ? posts.Count / (last - first).TotalSeconds : 0;
            var decided = new List<double>();
            await using (var conn = await db.OpenConnectionAsync())
            await using (var cmd = new NpgsqlCommand("SELECT extract(epoch FROM t.recorded_at - i.reminded_due)::float8 FROM chatops.timeline t JOIN chatops.incidents i ON i.id = t.incident_id WHERE t.kind = 'reminder' ORDER BY 1", conn))
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    decided.Add(reader.GetDouble(0));
                }
            }

            long windowJobs;
            await using (var conn = await db.OpenConnectionAsync())
            await using (var cmd = new NpgsqlCommand("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%RunWindowAsync%'", conn))
            {
                windowJobs = (long)(await cmd.ExecuteScalarAsync())!;
            }

            Console.WriteLine();
            Console.WriteLine("| measure | value | target |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine($"| idle host, PostgreSQL commits/s (pg_stat_database.xact_commit) | {idleRate:0.00} over {idleSeconds:0} s | ≤ 10 |");
            Console.WriteLine($"| incidents / reminders posted | {count} / {perChannel.Count} | all |");
            Console.WriteLine($"| duplicate reminders | {duplicates} | 0 |");
            Console.WriteLine($"| reminder lateness p50 / p99 / max (posted − due) | {Pct(lateness, 0.50):0.000} s / {Pct(lateness, 0.99):0.000} s / {(lateness.Count == 0 ? double.NaN : lateness[^1]):0.000} s | p99 ≤ 2 s |");
            Console.WriteLine($"| reminder decided (timeline) − due, p50 / p99 / max | {Pct(decided, 0.50):0.000} s / {Pct(decided, 0.99):0.000} s / {(decided.Count == 0 ? double.NaN : decided[^1]):0.000} s | — |");
            Console.WriteLine($"| reminders posted more than 2 s late | {lateness.Count(l => l > 2)} | — |");
            Console.WriteLine($"| reminders executed per second (first→last post) | {rate:0.0} (offered {count / spread.TotalSeconds:0.#}/s) | ≥ 50 |");
            Console.WriteLine($"| Hangfire window jobs for the run | {windowJobs} | ≪ incidents |");
            Console.WriteLine($"| PostgreSQL commits/s during the run | {loadCommits / loadSeconds:0} ({loadCommits} over {loadSeconds:0} s) | — |");
        }
        finally
        {
            await factory.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await using var conn = new NpgsqlConnection(admin);
            await conn.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {dbName} WITH (FORCE)", conn).ExecuteNonQueryAsync();
        }

        static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

        async Task<long> Commits(NpgsqlDataSource db)
        {
            await using var conn = await db.OpenConnectionAsync();
            // Stats are per backend snapshot: clear it so two reads in one session differ.
            await using var cmd = new NpgsqlCommand("SELECT pg_stat_clear_snapshot(); SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            await reader.NextResultAsync();
            await reader.ReadAsync();
            return reader.GetInt64(0);
        }

        async Task<(long Commits, double Seconds)> CommitsDuring(NpgsqlDataSource db, TimeSpan span, TimeProvider time)
        {
            var c0 = await Commits(db);
            var t0 = time.GetUtcNow();
            await Task.Delay(span);
            var c1 = await Commits(db);
            // Our own two reads are two commits; do not bill them to the host.
            return (c1 - c0 - 2, (time.GetUtcNow() - t0).TotalSeconds);
        }
    }
}

internal sealed class BenchFactory(string connectionString, IChatPlatform chat) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Incidents", connectionString);
        builder.UseSetting("Api:Token", "bench-token");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Hangfire", "Warning");
        builder.ConfigureServices(s => s.AddSingleton(chat));
    }
}

/// <summary>Records when each reminder reaches the platform, by channel.</summary>
internal sealed class TimingChatPlatform(TimeProvider time) : IChatPlatform
{
    public ConcurrentQueue<(string Channel, DateTimeOffset At)> Reminders { get; } = new();

    public string Name => "slack";

    public string? FeedChannelId => null;

    public Task<PostedMessage> PostAsync(string channelId, ChatMessage message, CancellationToken ct)
    {
        if (message.Title?.StartsWith("⏰", StringComparison.Ordinal) == true)
        {
            Reminders.Enqueue((channelId, time.GetUtcNow()));
        }

        return Task.FromResult(new PostedMessage(channelId, Guid.NewGuid().ToString("N")));
    }

    public Task<ChannelInfo> CreateChannelAsync(Incident incident, string name, bool isPrivate, CancellationToken ct) => Task.FromResult(new ChannelInfo("C" + incident.Number, name, null));

    public Task InviteAsync(string channelId, IReadOnlyCollection<UserRef> users, CancellationToken ct) => Task.CompletedTask;

    public Task SetTopicAsync(string channelId, string topic, CancellationToken ct) => Task.CompletedTask;

    public Task UpdateAsync(PostedMessage posted, ChatMessage message, CancellationToken ct) => Task.CompletedTask;

    public Task PinAsync(PostedMessage posted, CancellationToken ct) => Task.CompletedTask;

    public Task<CapturedMessage?> FetchMessageAsync(SourceRef source, CancellationToken ct) => Task.FromResult<CapturedMessage?>(null);

    public Task AcknowledgeCaptureAsync(SourceRef source, CancellationToken ct) => Task.CompletedTask;

    public Task PageAsync(Guid incidentId, string channelId, string reason, CancellationToken ct) => Task.CompletedTask;
}
