using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.Postgres.Tests.Conversations;

public sealed class PostgresConversationStoreTests : IAsyncLifetime
{
    private const string Channel = "19:abc@thread.tacv2";
    private readonly TestDatabase _db = new();
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _services = await _db.MigratedStoreAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _db.DisposeAsync();
    }

    private IConversationStore Store => _services.GetRequiredService<IConversationStore>();

    [Fact]
    public async Task FindConversation_Unknown_IsNull()
    {
        Assert.Null(await Store.FindConversationAsync(Channel, CancellationToken.None));
    }

    [Fact]
    public async Task UpsertConversation_LaterActivityKnowsLess_KeepsKnownValuesAndTakesNewServiceUrl()
    {
        await Store.UpsertConversationAsync(new ConversationReference(Channel, "https://smba.one/", "tenant", "team", "group", "channel", "General"), CancellationToken.None);

        await Store.UpsertConversationAsync(new ConversationReference(Channel, "https://smba.two/", null, null, null, null, null), CancellationToken.None);

        Assert.Equal(
            new ConversationReference(Channel, "https://smba.two/", "tenant", "team", "group", "channel", "General"),
            await Store.FindConversationAsync(Channel, CancellationToken.None));
    }

    [Fact]
    public async Task Installations_RemovedTeamIsGone_ReinstalledComesBack_NewestFirst()
    {
        await Store.UpsertInstallationAsync(new TeamInstallation("T1", "G1", "One", "tenant", "https://smba/"), CancellationToken.None);
        await Store.UpsertInstallationAsync(new TeamInstallation("T2", null, "Two", null, "https://smba/"), CancellationToken.None);
        // installed_at is the transaction's now(): make the order observable, not a tie.
        await _db.ScalarAsync<int>("UPDATE chatops.teams_installations SET installed_at = installed_at - interval '1 minute' WHERE team_id = 'T1'");

        Assert.Equal(["T2", "T1"], (await Store.InstallationsAsync(CancellationToken.None)).Select(i => i.TeamId));

        await Store.MarkInstallationRemovedAsync("T2", CancellationToken.None);
        Assert.Equal([new TeamInstallation("T1", "G1", "One", "tenant", "https://smba/")], await Store.InstallationsAsync(CancellationToken.None));

        await Store.UpsertInstallationAsync(new TeamInstallation("T2", "G2", null, "tenant", "https://smba.new/"), CancellationToken.None);
        Assert.Contains(new TeamInstallation("T2", "G2", "Two", "tenant", "https://smba.new/"), await Store.InstallationsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReserveChannel_SecondAttempt_GetsTheFirstReservation_RenameOnlyBeforeTheChannelExists()
    {
        var incident = Guid.NewGuid();
        var first = await Store.ReserveChannelAsync(incident, "G1", "inc-1-checkout", CancellationToken.None);
        Assert.Equal(new IncidentChannel(incident, "G1", "inc-1-checkout", null, null), first);

        Assert.Equal(first, await Store.ReserveChannelAsync(incident, "G2", "other", CancellationToken.None));

        await Store.RenameReservationAsync(incident, "inc-1-checkout-2", CancellationToken.None);
        await Store.RecordChannelAsync(incident, Channel, "inc-1-checkout-2", "https://teams/link", CancellationToken.None);
        await Store.RenameReservationAsync(incident, "too-late", CancellationToken.None);

        Assert.Equal(
            new IncidentChannel(incident, "G1", "inc-1-checkout-2", Channel, "https://teams/link"),
            await Store.ReserveChannelAsync(incident, "G1", "again", CancellationToken.None));
    }

    [Fact]
    public async Task RecordMessage_Again_ReplacesTextKeepsPostedAt_FoundInUtc()
    {
        var posted = new DateTimeOffset(2025, 3, 14, 11, 26, 53, TimeSpan.FromHours(2));
        await Store.RecordMessageAsync(new SentMessage(Channel, "m1", Channel + ";messageid=m1", "first", posted), CancellationToken.None);

        await Store.RecordMessageAsync(new SentMessage(Channel, "m1", "ignored", "second", posted.AddHours(1)), CancellationToken.None);

        var found = await Store.FindMessageAsync(Channel, "m1", CancellationToken.None);
        Assert.Equal(new SentMessage(Channel, "m1", Channel + ";messageid=m1", "second", posted), found);
        Assert.Equal(TimeSpan.Zero, found!.PostedAt.Offset);
        Assert.Null(await Store.FindMessageAsync(Channel, "m2", CancellationToken.None));
    }
}
