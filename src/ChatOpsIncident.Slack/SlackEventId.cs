namespace ChatOpsIncident.Slack;

/// <summary>
/// Every event id Slack logs, in one table so ids never collide: this project owns 3000–3999
/// (Core 1xxx, Postgres 2xxx, Slack 3xxx, Teams 4xxx, Host 5xxx; Host.Tests' LogEventIdTests enforces it).
/// </summary>
internal static class SlackEventId
{
    public const int SignatureRefused = 3001;
    public const int BodyTooLarge = 3002;
    public const int StoreTimedOut = 3003;
    public const int StoreFailed = 3004;
    public const int AppRateLimited = 3005;
    public const int FormFailed = 3006;
    public const int Retrying = 3010;
    public const int CircuitOpened = 3011;
    public const int CallFailed = 3012;
    public const int ChannelReused = 3020;
    public const int ChannelNameTaken = 3021;
    public const int InviteRefused = 3022;
    public const int PostUncertain = 3023;
    public const int PermalinkFailed = 3024;
    public const int UserLookupFailed = 3025;
    public const int ResponseUrlFailed = 3026;
    public const int EphemeralFailed = 3027;
    public const int DeclareTwin = 3030;
    public const int CaptureMissing = 3031;
    public const int CaptureRemoved = 3032;
    public const int CaptureEdited = 3033;
    public const int ResponseUrlRefused = 3080;
    public const int TeamRefused = 3081;
    public const int JoinedChannel = 3040;
    public const int JoinFailed = 3041;
    public const int ChannelCheck = 3042;
    public const int ChannelCheckFailed = 3050;
    public const int UserZoneLookupFailed = 3120;
    public const int DirectMessageCommand = 3121;
}
