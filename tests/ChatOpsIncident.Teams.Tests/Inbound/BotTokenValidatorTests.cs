using ChatOpsIncident.Teams.Activities;
using ChatOpsIncident.Teams.Inbound;
using ChatOpsIncident.Teams.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ChatOpsIncident.Teams.Tests.Inbound;

/// <summary>Our own RSA keys, published by WireMock as the Bot Framework OpenID metadata + JWKS (with endorsements).</summary>
public sealed class BotTokenValidatorTests : IDisposable
{
    private readonly BotFrameworkStub _stub = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = TeamsTestServices.Clock();
    private readonly ServiceProvider _services;
    private readonly BotTokenValidator _validator;

    public BotTokenValidatorTests()
    {
        // Only the validator reads the fake clock. Registered in DI it would also drive Polly's HTTP pipelines, whose
        // dispose waits for in-flight calls (the background key refresh) with Task.Delay on that clock: a hang.
        _services = TeamsTestServices.Build(_stub);
        _validator = new BotTokenValidator(
            _services.GetRequiredService<IHttpClientFactory>(),
            _services.GetRequiredService<IOptions<TeamsOptions>>(),
            _clock,
            _services.GetRequiredService<ILogger<BotTokenValidator>>());
    }

    public void Dispose()
    {
        _services.Dispose();
        _stub.Dispose();
    }

    private Activity Activity(string? serviceUrl = null, string channel = "msteams") =>
        new() { Type = "message", ServiceUrl = serviceUrl ?? _stub.ServiceUrl, ChannelId = channel };

    private async Task<AuthOutcome> CheckAsync(string? header, Activity? activity = null)
    {
        var (outcome, token) = await _validator.AuthenticateAsync(header, CancellationToken.None);
        return outcome != AuthOutcome.Valid ? outcome : await _validator.AuthorizeAsync(token!, activity ?? Activity(), CancellationToken.None);
    }

    private string Token(SecurityKey? key = null, string issuer = BotFrameworkStub.Issuer, string audience = BotFrameworkStub.AppId, TimeSpan? age = null, TimeSpan? lifetime = null, string? serviceUrl = null) =>
        "Bearer " + _stub.CreateToken(serviceUrl, key, issuer, audience, _clock.GetUtcNow().UtcDateTime, lifetime, age);

    [Fact]
    public async Task Validate_GoodToken_Passes()
    {
        Assert.Equal(AuthOutcome.Valid, await CheckAsync(Token()));
    }

    [Fact]
    public async Task Validate_WrongIssuer_Rejects401()
    {
        Assert.Equal(AuthOutcome.Unauthenticated, await CheckAsync(Token(issuer: "https://sts.windows.net/evil/")));
    }

    [Fact]
    public async Task Validate_WrongAudience_Rejects401()
    {
        Assert.Equal(AuthOutcome.Unauthenticated, await CheckAsync(Token(audience: "00000000-0000-0000-0000-000000000000")));
    }

    [Fact]
    public async Task Validate_Expired_Rejects401_ButWithinFiveMinutesSkew_Passes()
    {
        // Lifetime 1 h: issued 1 h 6 min ago is 6 minutes past expiry; 1 h 4 min ago is inside the 5-minute skew.
        Assert.Equal(AuthOutcome.Unauthenticated, await CheckAsync(Token(age: TimeSpan.FromMinutes(66))));
        Assert.Equal(AuthOutcome.Valid, await CheckAsync(Token(age: TimeSpan.FromMinutes(64))));
    }

    [Fact]
    public async Task Validate_NotYetValid_Rejects401()
    {
        Assert.Equal(AuthOutcome.Unauthenticated, await CheckAsync(Token(age: TimeSpan.FromMinutes(-10))));
    }

    [Fact]
    public async Task Validate_SignedByUnpublishedKey_Rejects401()
    {
        Assert.Equal(AuthOutcome.Unauthenticated, await CheckAsync(Token(key: _stub.UnpublishedKey)));
    }

    [Fact]
    public async Task Validate_KeyNotEndorsedForMsteams_Rejects403()
    {
        Assert.Equal(AuthOutcome.Forbidden, await CheckAsync(Token(key: _stub.SkypeOnlyKey)));
    }

    [Fact]
    public async Task Validate_ServiceUrlMismatch_Rejects403()
    {
        var token = Token(serviceUrl: "https://smba.trafficmanager.net/emea/");
        Assert.Equal(AuthOutcome.Forbidden, await CheckAsync(token));
    }

    [Fact]
    public async Task Validate_ChannelOtherThanEndorsed_Rejects403()
    {
        Assert.Equal(AuthOutcome.Forbidden, await CheckAsync(Token(), Activity(channel: "webchat")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer not-a-jwt")]
    public async Task Validate_MissingOrMalformedHeader_Rejects401(string? header)
    {
        Assert.Equal(AuthOutcome.Unauthenticated, await CheckAsync(header));
    }

    [Fact]
    public async Task Validate_TamperedPayload_Rejects401()
    {
        var parts = Token()["Bearer ".Length..].Split('.');
        var forged = Base64UrlEncoder.Encode(Base64UrlEncoder.Decode(parts[1]).Replace(BotFrameworkStub.AppId, "11111111-2222-3333-4444-555555555555", StringComparison.Ordinal));
        Assert.Equal(AuthOutcome.Unauthenticated, await CheckAsync($"Bearer {parts[0]}.{forged}.{parts[2]}"));
    }

    [Fact]
    public async Task Validate_KeysAreCached_MetadataFetchedOnce()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(AuthOutcome.Valid, await CheckAsync(Token()));
        }

        Assert.Single(_stub.Requests("GET", "/v1/.well-known/openidconfiguration"));
    }
}
