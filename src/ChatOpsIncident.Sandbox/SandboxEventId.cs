namespace ChatOpsIncident.Sandbox;

/// <summary>
/// Every event id the sandbox logs, in one table so ids never collide: this project owns 6000–6199
/// (Core 1xxx, Postgres 2xxx, Slack 3xxx, Teams 4xxx, Host 5xxx; Host.Tests' LogEventIdTests enforces it).
/// </summary>
internal static class SandboxEventId
{
    public const int Enabled = 6000;
    public const int ChannelCreated = 6001;
    public const int ChannelNameTaken = 6002;
    public const int FormOpened = 6003;
    public const int UnknownButton = 6004;
    public const int DemoSeeded = 6100;
    public const int DemoFailed = 6101;
}
