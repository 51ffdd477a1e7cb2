namespace ChatOpsIncident.Core;

/// <summary>
/// Every event id Core logs, in one table so ids never collide: this project owns 1000–1999
/// (Core 1xxx, Postgres 2xxx, Slack 3xxx, Teams 4xxx, Host 5xxx; Host.Tests' LogEventIdTests enforces it).
/// </summary>
internal static class CoreEventId
{
    public const int Declared = 1001;
    public const int CommandApplied = 1002;
    public const int Conflict = 1003;
    public const int Captured = 1004;
    public const int InboxFailed = 1010;
    public const int InboxDead = 1011;
    public const int OutboxFailed = 1012;
    public const int OutboxDead = 1013;
    public const int NoHandler = 1014;
    public const int LoopFailed = 1015;
    public const int LeaseRenewFailed = 1020;
    public const int LeaseLost = 1021;
    public const int DeadObserverFailed = 1022;
    public const int DeadLetterNotifyFailed = 1016;
    public const int ClaimsGivenBack = 1030;
    public const int GiveBackFailed = 1031;
    public const int StaleUpdateSkipped = 1045;

    public const int AlertDeclared = 1070;
    public const int AlertCardQueued = 1071;
    public const int AlertNoPlatform = 1072;
    public const int AlertCardFlushFailed = 1073;

    public const int GroupCommitFailed = 1550;
    public const int AlertEntryRefused = 1551;

    public const int CadenceApplied = 1400;
    public const int ActionsReminded = 1401;
}
