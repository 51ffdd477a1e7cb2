using Dapper;
using Npgsql;

namespace ChatOpsIncident.Postgres.Clock;

/// <summary>
/// The application clock set to the database's: the base clock plus the offset last measured against PostgreSQL's
/// <c>clock_timestamp()</c>. Cadence due times are computed by the pure decisions from "now" and compared with "now"
/// in SQL by whichever replica runs the scheduler; on this clock every replica's "now" is the database's, so a replica
/// whose own clock drifts neither stores a due time early or late nor sees one overdue before the others do. Tests
/// keep their fake clocks: only the host registers this one. Timers and timestamps (durations) stay on the base clock.
/// </summary>
public sealed class DatabaseClock(NpgsqlDataSource dataSource, TimeProvider baseClock) : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far the database's clock is ahead of the base clock at the last sync.</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Volatile.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => baseClock.GetUtcNow().AddTicks(Volatile.Read(ref _offsetTicks));

    public override long GetTimestamp() => baseClock.GetTimestamp();

    public override long TimestampFrequency => baseClock.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => baseClock.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        baseClock.CreateTimer(callback, state, dueTime, period);

    /// <summary>Measures the offset: the database's time against the midpoint of the round trip that read it.</summary>
    public async Task<TimeSpan> SyncAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // A first round trip warms the connection, so the measured one is a bare query.
        await conn.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: ct));
        var before = baseClock.GetUtcNow();
        var database = await conn.ExecuteScalarAsync<DateTime>(new CommandDefinition("SELECT clock_timestamp()", cancellationToken: ct));
        var after = baseClock.GetUtcNow();
        var midpoint = before + ((after - before) / 2);
        var offset = new DateTimeOffset(DateTime.SpecifyKind(database, DateTimeKind.Utc)) - midpoint;
        Volatile.Write(ref _offsetTicks, offset.Ticks);
        return offset;
    }
}
