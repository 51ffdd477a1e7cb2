using System.Collections.Concurrent;
using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Inbox;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Processing;

public sealed class OutboxAndInboxTests : IAsyncLifetime
{
    private readonly RecordingChatPlatform _chat = new("slack", "CFEED");
    private readonly RecordingHandler _handler = new();
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Processing:Lease"] = "00:00:05" }, s =>
        {
            s.AddSingleton<IChatPlatform>(_chat);
            s.AddSingleton<IInboxHandler>(_handler);
        });
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Declare_DeliversInviteTopicKickoffPinAndAnnouncement_Once()
    {
        var service = _host.Services.GetRequiredService<IncidentService>();
        var ctx = new CommandContext("slack", Surfaces.Slack, new UserRef("U1", "alice"), "CORIGIN", "deliv-1");

        var result = await service.DeclareAsync(ctx, new DeclareIncident("Payments failing", "SEV1", null, false), CancellationToken.None);
        await service.DeclareAsync(ctx, new DeclareIncident("Payments failing", "SEV1", null, false), CancellationToken.None);
        var channel = result.Incident!.ChannelId!;
        await RecordingChatPlatform.WaitUntilAsync(() => _chat.Pins.Count == 1 && _chat.PostsTo("CFEED").Any() && _chat.Topics.Any() && _chat.Pages.Any());
        await Task.Delay(500);

        var kickoff = Assert.Single(_chat.PostsTo(channel));
        Assert.Contains("Payments failing", kickoff.Title, StringComparison.Ordinal);
        Assert.Contains(kickoff.Actions, a => a.ActionId == ChatActions.ClaimRole);
        Assert.Single(_chat.PostsTo("CFEED"));
        Assert.Single(_chat.Channels);
        Assert.Contains(_chat.Invites, i => i.ChannelId == channel && i.User.Id == "U1");
        Assert.Single(_chat.Pages);
        Assert.Equal(0, await _host.Database.ScalarAsync<int>("SELECT count(*) FROM chatops.outbox WHERE status <> 'done'"));
    }

    [Fact]
    public async Task TransientPostFailure_IsRetried_AndDeliveredOnce()
    {
        _chat.PostFailure = new HttpRequestException("503 from the platform");
        var service = _host.Services.GetRequiredService<IncidentService>();
        var ctx = new CommandContext("slack", Surfaces.Slack, new UserRef("U1"), "CORIGIN", "deliv-2");

        var result = await service.DeclareAsync(ctx, new DeclareIncident("Search slow", "SEV3", "performance", false), CancellationToken.None);
        var channel = result.Incident!.ChannelId!;
        await RecordingChatPlatform.WaitUntilAsync(() => _chat.PostsTo(channel).Any() && _chat.PostsTo("CFEED").Any(), TimeSpan.FromSeconds(20));

        Assert.Single(_chat.PostsTo(channel));
        Assert.Single(_chat.PostsTo("CFEED"));
        Assert.True(await _host.Database.ScalarAsync<int>("SELECT max(attempts) FROM chatops.outbox") >= 1);
    }

    [Fact]
    public async Task Inbox_ItemEnqueued_IsHandledOnce_EvenWhenEnqueuedAgain()
    {
        var inbox = _host.Services.GetRequiredService<IInbox>();

        Assert.True(await inbox.EnqueueAsync("test", "E1", "event", "hello", CancellationToken.None));
        Assert.False(await inbox.EnqueueAsync("test", "E1", "event", "hello", CancellationToken.None));
        await RecordingChatPlatform.WaitUntilAsync(() => _handler.Handled.Count == 1);
        await Task.Delay(500);

        Assert.Single(_handler.Handled);
        Assert.Equal("done", await _host.Database.ScalarAsync<string>("SELECT status FROM chatops.inbox WHERE delivery_id = 'E1'"));
    }

    [Fact]
    public async Task Inbox_ItemLeasedByADeadHost_IsCompletedAfterTheLeaseLapses()
    {
        // Another host stored and leased the item (attempt 0, lease running 3 s), then died without completing it.
        await _host.Database.ScalarAsync<int>("""
            INSERT INTO chatops.inbox (platform, delivery_id, kind, payload, available_at)
            VALUES ('test', 'orphan', 'event', 'survive me', now() + interval '3 seconds')
            """);
        await Task.Delay(1000);
        Assert.DoesNotContain("survive me", _handler.Handled);

        await RecordingChatPlatform.WaitUntilAsync(() => _handler.Handled.Contains("survive me"), TimeSpan.FromSeconds(15), "lease should lapse and the live host take over");
    }

    private sealed class RecordingHandler : IInboxHandler
    {
        public string Platform => "test";

        public ConcurrentBag<string> Handled { get; } = [];

        public Task HandleAsync(InboxItem item, CancellationToken ct)
        {
            Handled.Add(item.Payload);
            return Task.CompletedTask;
        }
    }
}
