using ChatOpsIncident.Core.Chat;
using ChatOpsIncident.Core.Commands;
using ChatOpsIncident.Core.Incidents;
using ChatOpsIncident.IntegrationTests.Infrastructure;
using ChatOpsIncident.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOpsIncident.IntegrationTests.Scheduling;

/// <summary>Hosts with a seconds-long SEV4 cadence and a recording chat platform, on one test database.</summary>
internal static class SchedulingHarness
{
    public static readonly UserRef Alice = new("U1", "alice");
    public static readonly UserRef Bob = new("U2", "bob");

    /// <summary>SEV4 (index 3): a reminder <paramref name="cadenceSeconds"/> after each update, escalation half a cadence later, paging.</summary>
    public static Dictionary<string, string?> Settings(int cadenceSeconds = 3, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Incident:Severities:3:UpdateCadence"] = TimeSpan.FromSeconds(cadenceSeconds).ToString(),
            ["Incident:Severities:3:Page"] = "true",
            ["Incident:RoleNudgeAfter"] = "01:00:00",
            // One escalation per missed due time in these tests; the repeat has its own (SlackEscalationTests, CadenceEscalationTests).
            ["Incident:EscalationRepeat"] = "01:00:00",
            ["Scheduling:SchedulePollingInterval"] = "00:00:01",
            ["Scheduling:QueuePollInterval"] = "00:00:02",
            ["Scheduling:Window"] = "00:00:02",
            ["Logging:LogLevel:Hangfire"] = "Warning",
            ["Logging:LogLevel:ChatOpsIncident"] = "Debug",
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        return settings;
    }

    public static TestHost Start(TestDatabase db, RecordingChatPlatform chat, int cadenceSeconds = 3, IDictionary<string, string?>? extra = null) =>
        TestHost.Start(db, Settings(cadenceSeconds, extra), chat: chat);

    public static async Task<Incident> DeclareAsync(TestHost host, string title, string delivery, string severity = "SEV4")
    {
        var service = host.Services.GetRequiredService<IncidentService>();
        var result = await service.DeclareAsync(new CommandContext("slack", Surfaces.Slack, Alice, "C0", delivery), new DeclareIncident(title, severity, null, false), CancellationToken.None);
        Assert.False(result.Refused, result.Reply?.Text);
        return result.Incident!;
    }

    public static Task<CommandResult> RunAsync(TestHost host, Incident incident, IncidentCommand command, string delivery, UserRef? actor = null) =>
        host.Services.GetRequiredService<IncidentService>().ExecuteOnAsync(
            new CommandContext("slack", Surfaces.Slack, actor ?? Alice, incident.ChannelId, delivery), incident.Id, command, CancellationToken.None);

    public static bool IsReminder(ChatMessage m) => m.Title?.StartsWith("⏰", StringComparison.Ordinal) == true;

    public static bool IsEscalation(ChatMessage m) => m.Title?.StartsWith("🚨 Status update overdue", StringComparison.Ordinal) == true;

    public static IEnumerable<ChatMessage> Reminders(this RecordingChatPlatform chat, string channel) => chat.PostsTo(channel).Where(IsReminder);

    public static IEnumerable<ChatMessage> Escalations(this RecordingChatPlatform chat, string channel) => chat.PostsTo(channel).Where(IsEscalation);

    /// <summary>Waits like <see cref="RecordingChatPlatform.WaitUntilAsync"/>; on a timeout prints the scheduler's state for the diagnosis.</summary>
    public static async Task WaitOrDumpAsync(TestDatabase db, Func<bool> condition, TimeSpan timeout, string because)
    {
        try
        {
            await RecordingChatPlatform.WaitUntilAsync(condition, timeout, because);
        }
        catch (TimeoutException)
        {
            await using var conn = await db.DataSource.OpenConnectionAsync();
            foreach (var sql in new[]
            {
                "SELECT j.id, s.name, s.createdat, s.reason, j.invocationdata::text FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid ORDER BY s.id",
                "SELECT window_end, open, jobs FROM chatops.cadence_windows",
                "SELECT number, channel_id, declared_at, next_update_due, reminded_due, escalated_due, nudged_at, now() FROM chatops.incidents",
            })
            {
                await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
                await using var reader = await cmd.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    Console.WriteLine("SCHEDULER-STATE " + string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) is DateTime d ? d.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : reader.GetValue(i).ToString())));
                }
            }

            throw;
        }
    }
}
