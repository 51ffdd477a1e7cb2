namespace ChatOpsIncident.Teams;

/// <summary>
/// Every event id Teams logs, in one table so ids never collide: this project owns 4000–4999
/// (Core 1xxx, Postgres 2xxx, Slack 3xxx, Teams 4xxx, Host 5xxx; Host.Tests' LogEventIdTests enforces it).
/// </summary>
internal static class TeamsEventId
{
    public const int TokenRejected = 4000;
    public const int TokenForbidden = 4001;
    public const int MetadataUnavailable = 4002;
    public const int TokenFailed = 4003;
    public const int TokenAcquired = 4004;
    public const int CallFailed = 4005;
    public const int ChannelNameTaken = 4006;
    public const int ChannelCreated = 4007;
    public const int DuplicateActivity = 4008;
    public const int Ignored = 4009;
    public const int TeamInstalled = 4010;
    public const int TeamRemoved = 4011;
    public const int Malformed = 4012;
    public const int CommandRefusedByTeams = 4013;
    public const int AmbiguousPost = 4014;
    public const int PrivateReplyFallback = 4020;
    public const int ChannelUnknown = 4021;
    public const int ChannelCheckFailed = 4022;
    public const int ActivityRefused = 4080;
    public const int ServiceUrlRefused = 4081;
    public const int CardActionRefused = 4082;
    public const int TokenClientCreated = 4100;
}
