namespace ChatOpsIncident.Host;

/// <summary>
/// Every event id Host logs, in one table so ids never collide: this project owns 5000–5999
/// (Core 1xxx, Postgres 2xxx, Slack 3xxx, Teams 4xxx, Host 5xxx; Host.Tests' LogEventIdTests enforces it).
/// </summary>
internal static class HostEventId
{
    public const int DatabaseUnavailable = 5000;
    public const int MigrationLockBusy = 5001;

    public const int SurfacesClosed = 5100;
    public const int SignInRefused = 5101;

    public const int BacklogUnreadable = 5200;

    public const int SchedulerReady = 5400;
    public const int WindowPlanned = 5401;
    public const int PlanningFailed = 5402;
    public const int WindowOverran = 5403;
    public const int Swept = 5404;
    public const int DashboardLoginRefused = 5405;
    public const int RetentionPurged = 5406;
    public const int WorkspaceRetentionPurged = 5750;
    public const int ClockOffset = 5430;
    public const int ClockSyncFailed = 5431;

    public const int AlertStored = 5550;
    public const int AlertRefused = 5551;
    public const int AlertNotStored = 5800;
    public const int AlertGroupsPurged = 5801;

    public const int PageRouteUnconfigured = 5830;
    public const int MergeArchivePlanned = 5831;
    public const int MergeArchiveNotPlanned = 5832;
    public const int MergeArchiveSkipped = 5833;
}
