using System.Text.Json.Nodes;
using ChatOpsIncident.Core.Configuration;
using ChatOpsIncident.Core.Processing;
using ChatOpsIncident.Teams.Outbound;
using ChatOpsIncident.Teams.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace ChatOpsIncident.Teams.Tests.Outbound;

public sealed class ConnectorClientTests : IDisposable
{
    private const string Conversation = "19:retry0000@thread.tacv2;messageid=1";
    private readonly BotFrameworkStub _stub = new();
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ServiceProvider _services;
    private readonly ConnectorClient _connector;

    public ConnectorClientTests()
    {
        _services = TeamsTestServices.Build(_stub, logging: _logs);
        _connector = _services.GetRequiredService<ConnectorClient>();
    }

    public void Dispose()
    {
        _services.Dispose();
        _stub.Dispose();
    }

    private static JsonObject Message() => new() { ["type"] = "message", ["text"] = "hello" };

    // Matched loosely: whether WireMock sees the conversation id escaped or not is its business, not this test's.
    private static WireMock.Matchers.WildcardMatcher PathFor(string conversation) =>
        new($"/amer/v3/conversations/*{conversation.Split(':', ';')[1]}*/activities");

    [Fact]
    public async Task Send_TwoMessages_FetchesTheTokenOnce_WithTheBotFrameworkScope()
    {
        await _connector.SendToConversationAsync(_stub.ServiceUrl, "a:one", Message(), CancellationToken.None);
        await _connector.SendToConversationAsync(_stub.ServiceUrl, "a:two", Message(), CancellationToken.None);

        var token = Assert.Single(_stub.TokenRequests());
        var form = token.RequestMessage!.Body!;
        Assert.Contains("grant_type=client_credentials", form, StringComparison.Ordinal);
        Assert.Contains("scope=https%3A%2F%2Fapi.botframework.com%2F.default", form, StringComparison.Ordinal);
        Assert.Equal(2, _stub.Requests("POST", "/amer/v3/conversations/").Count);
    }

    [Fact]
    public async Task Send_Throttled429WithRetryAfter_RetriesAfterTheDelay_ThenSucceeds()
    {
        _stub.Server.Given(Request.Create().WithPath(PathFor(Conversation)).UsingPost())
            .InScenario("throttle").WillSetStateTo("open")
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody("""{"error":{"code":"Throttled","message":"slow down"}}"""));
        _stub.Server.Given(Request.Create().WithPath(PathFor(Conversation)).UsingPost())
            .InScenario("throttle").WhenStateIs("open")
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"id":"1741999999999"}"""));
        var started = Environment.TickCount64;

        var result = await _connector.SendToConversationAsync(_stub.ServiceUrl, Conversation, Message(), CancellationToken.None);

        Assert.Equal("1741999999999", result.Id);
        Assert.Equal(2, _stub.Requests("POST", "/amer/v3/conversations/").Count);
        Assert.True(Environment.TickCount64 - started >= 900, "the retry waited for Retry-After");
    }

    [Theory]
    [InlineData(403, "BotNotInConversationRoster")]
    [InlineData(404, "ConversationNotFound")]
    [InlineData(500, "ServiceError")]
    public async Task Send_NonRetryableError_FailsPermanently_WithoutRetrying(int status, string code)
    {
        _stub.Server.Given(Request.Create().WithPath(PathFor(Conversation)).UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(status).WithBody($$$"""{"error":{"code":"{{{code}}}","message":"no"}}"""));

        var ex = await Assert.ThrowsAsync<PermanentChatException>(() => _connector.SendToConversationAsync(_stub.ServiceUrl, Conversation, Message(), CancellationToken.None));

        Assert.Contains(code, ex.Message, StringComparison.Ordinal);
        Assert.Single(_stub.Requests("POST", "/amer/v3/conversations/"));
    }

    [Fact]
    public async Task Send_503Repeatedly_RetriesWithBackoff_ThenFailsTransiently()
    {
        _stub.Server.Given(Request.Create().WithPath(PathFor(Conversation)).UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(503));

        await Assert.ThrowsAsync<HttpRequestException>(() => _connector.SendToConversationAsync(_stub.ServiceUrl, Conversation, Message(), CancellationToken.None));

        Assert.Equal(5, _stub.Requests("POST", "/amer/v3/conversations/").Count);
    }

    [Fact]
    public async Task Secrets_NeverReachTheLogs_EvenWhenTheTokenRequestFails()
    {
        _stub.Login.Given(Request.Create().WithPath("/botframework.com/oauth2/v2.0/token").UsingPost()).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(401).WithBody($$"""{"error":"invalid_client","error_description":"bad secret {{BotFrameworkStub.AppPassword}}"}"""));

        var ex = await Assert.ThrowsAsync<PermanentChatException>(() => _connector.SendToConversationAsync(_stub.ServiceUrl, "a:one", Message(), CancellationToken.None));

        Assert.Contains("invalid_client", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(BotFrameworkStub.AppPassword, ex.Message, StringComparison.Ordinal);
        Assert.NotEmpty(_logs.Lines);
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(BotFrameworkStub.AppPassword, StringComparison.Ordinal));
    }

    [Fact]
    public void AddTeamsAdapter_WithoutAppId_RegistersNothing()
    {
        var services = new ServiceCollection().AddTeamsAdapter(new ConfigurationBuilder().Build());

        Assert.Empty(services);
    }
}

internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}
