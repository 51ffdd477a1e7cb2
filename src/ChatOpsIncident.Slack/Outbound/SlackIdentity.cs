namespace ChatOpsIncident.Slack.Outbound;

/// <summary>Who the bot is (auth.test): its user id, to ignore its own events and invites, and the workspace URL for links.</summary>
internal sealed class SlackIdentity(SlackApiClient api)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AuthTestResponse? _auth;

    public async Task<AuthTestResponse> GetAsync(CancellationToken ct)
    {
        if (_auth is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(ct);
        try
        {
            // Failures are not cached: the next caller asks again.
            return _auth ??= await api.AuthTestAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<string?> BotUserIdAsync(CancellationToken ct) => (await GetAsync(ct)).UserId;

    public async Task<string?> ChannelUrlAsync(string channelId, CancellationToken ct) =>
        (await GetAsync(ct)).Url is { Length: > 0 } url ? $"{url.TrimEnd('/')}/archives/{channelId}" : null;
}
