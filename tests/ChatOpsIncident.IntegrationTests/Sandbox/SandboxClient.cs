using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace ChatOpsIncident.IntegrationTests.Sandbox;

/// <summary>
/// Drives the workspace through its JSON API exactly as the page and a scripted drill do, reading answers as JSON
/// (the wire format, not the server's types). Shared with the browser tests.
/// </summary>
public sealed class SandboxClient(HttpClient http)
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public async Task<List<JsonElement>> ChannelsAsync(string? user)
    {
        var json = await GetAsync(user is null ? "/sandbox/api/channels" : $"/sandbox/api/channels?as={user}");
        return json.GetProperty("channels").EnumerateArray().ToList();
    }

    /// <summary>Every message of the channel <paramref name="user"/> sees, following the cursor to the end, oldest first.</summary>
    public async Task<List<JsonElement>> MessagesAsync(string channel, string user)
    {
        var all = new Dictionary<string, JsonElement>();
        long after = 0;
        while (true)
        {
            var page = await GetAsync($"/sandbox/api/channels/{channel}/messages?as={user}&after={after}");
            foreach (var m in page.GetProperty("messages").EnumerateArray())
            {
                all[m.GetProperty("id").GetString()!] = m;
            }

            after = page.GetProperty("cursor").GetInt64();
            if (!page.GetProperty("more").GetBoolean())
            {
                return all.Values.OrderBy(m => m.GetProperty("seq").GetInt64()).ToList();
            }
        }
    }

    public Task<HttpResponseMessage> PostRawAsync(string channel, string user, string text, string? clientMessageId = null) =>
        http.PostAsJsonAsync($"/sandbox/api/channels/{channel}/messages", new { user, text, clientMessageId });

    public async Task<JsonElement> PostAsync(string channel, string user, string text, string? clientMessageId = null) =>
        await ReadAsync(await PostRawAsync(channel, user, text, clientMessageId));

    public async Task<JsonElement> ReactAsync(string messageId, string user, string name, string? clientId = null) =>
        await ReadAsync(await http.PostAsJsonAsync($"/sandbox/api/messages/{messageId}/reactions", new { user, name, clientId }));

    public Task<HttpResponseMessage> ClickRawAsync(string messageId, string user, string actionId, string? clientId = null) =>
        http.PostAsJsonAsync($"/sandbox/api/messages/{messageId}/actions", new { user, actionId, clientId });

    public async Task<JsonElement> ClickAsync(string messageId, string user, string actionId, string? clientId = null) =>
        await ReadAsync(await ClickRawAsync(messageId, user, actionId, clientId));

    public Task<HttpResponseMessage> SubmitRawAsync(string formId, string user, object values) =>
        http.PostAsJsonAsync($"/sandbox/api/forms/{formId}", new { user, values });

    public async Task<JsonElement> SubmitAsync(string formId, string user, object values) => await ReadAsync(await SubmitRawAsync(formId, user, values));

    /// <summary>Waits for a message <paramref name="user"/> sees in the channel that matches (the bot answers after the 202).</summary>
    public async Task<JsonElement> WaitForMessageAsync(string channel, string user, Func<JsonElement, bool> match, string because, TimeSpan? timeout = null)
    {
        JsonElement? found = null;
        await WaitAsync(async () => (found = (await MessagesAsync(channel, user)).LastOrDefault(match)) is { ValueKind: JsonValueKind.Object }, because, timeout);
        return found!.Value;
    }

    public async Task<JsonElement> WaitForChannelAsync(string user, Func<JsonElement, bool> match, string because)
    {
        JsonElement? found = null;
        await WaitAsync(async () => (found = (await ChannelsAsync(user)).FirstOrDefault(match)) is { ValueKind: JsonValueKind.Object }, because);
        return found!.Value;
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = Environment.TickCount64 + (long)(timeout ?? Patience).TotalMilliseconds;
        while (!await condition())
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"Not in time: {because}");
            }

            await Task.Delay(100);
        }
    }

    public static string Title(JsonElement message) =>
        message.TryGetProperty("card", out var card) && card.TryGetProperty("title", out var title) ? title.GetString() ?? "" : "";

    public static string Id(JsonElement element) => element.GetProperty("id").GetString()!;

    /// <summary>The actionId of the message's button labelled <paramref name="label"/>.</summary>
    public static string Button(JsonElement message, string label) =>
        message.GetProperty("buttons").EnumerateArray().Single(b => b.GetProperty("label").GetString() == label).GetProperty("actionId").GetString()!;

    /// <summary>The actionIds of the message's checklist items, in order.</summary>
    public static List<string> ChecklistActions(JsonElement message) =>
        message.GetProperty("card").GetProperty("sections").EnumerateArray()
            .Where(s => s.TryGetProperty("checklist", out _))
            .SelectMany(s => s.GetProperty("checklist").EnumerateArray())
            .Select(i => i.GetProperty("actionId").GetString()!)
            .ToList();

    private async Task<JsonElement> GetAsync(string url)
    {
        using var response = await http.GetAsync(url);
        return await ReadAsync(response);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from the workspace: {body}", null, response.StatusCode);
        }

        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static bool Is(HttpResponseMessage response, HttpStatusCode code) => response.StatusCode == code;
}
