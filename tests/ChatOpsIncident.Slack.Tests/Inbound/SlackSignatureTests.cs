using System.Text;
using System.Text.Json;
using ChatOpsIncident.Slack.Inbound;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.Slack.Tests.Inbound;

public sealed class SlackSignatureTests
{
    private static readonly JsonElement Vector = JsonDocument.Parse(Samples.Read("slack/signing-vector.json")).RootElement;
    private static readonly string Secret = Vector.GetProperty("signing_secret").GetString()!;
    private static readonly string Timestamp = Vector.GetProperty("timestamp").GetString()!;
    private static readonly string Expected = Vector.GetProperty("expected_signature").GetString()!;
    // The byte-exact raw body of the official example (no trailing newline).
    private static readonly byte[] Body = File.ReadAllBytes(Samples.Path("slack/commands/slash_command.signing-vector.form.txt"));
    private static readonly DateTimeOffset NearVector = DateTimeOffset.FromUnixTimeSeconds(1531420618 + 30);

    [Fact]
    public void Verify_OfficialVector_ClockFrozenNearIt_IsValid()
    {
        var signature = new SlackSignature(Secret);

        Assert.Equal(SignatureCheck.Valid, signature.Verify(Timestamp, Expected, Body, NearVector));
        Assert.Equal(Expected, signature.Sign(Timestamp, Body));
        Assert.Equal(Vector.GetProperty("body").GetString(), Encoding.UTF8.GetString(Body));
    }

    [Fact]
    public void Verify_OfficialVector_WithRealClock_IsStale()
    {
        var signature = new SlackSignature(Secret);

        Assert.Equal(SignatureCheck.Stale, signature.Verify(Timestamp, Expected, Body, TimeProvider.System.GetUtcNow()));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void Verify_OutsideFiveMinutes_IsStale(int offsetSeconds)
    {
        var signature = new SlackSignature(Secret);
        var now = DateTimeOffset.FromUnixTimeSeconds(1531420618 + offsetSeconds);

        Assert.Equal(SignatureCheck.Stale, signature.Verify(Timestamp, Expected, Body, now));
    }

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void Verify_AtTheEdgeOfTheWindow_IsValid(int offsetSeconds)
    {
        var signature = new SlackSignature(Secret);

        Assert.Equal(SignatureCheck.Valid, signature.Verify(Timestamp, Expected, Body, DateTimeOffset.FromUnixTimeSeconds(1531420618 + offsetSeconds)));
    }

    [Fact]
    public void Verify_TamperedBody_IsMismatch()
    {
        var signature = new SlackSignature(Secret);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Body).Replace("user_name=roadrunner", "user_name=coyote", StringComparison.Ordinal));

        Assert.Equal(SignatureCheck.Mismatch, signature.Verify(Timestamp, Expected, tampered, NearVector));
    }

    [Fact]
    public void Verify_TimestampPlusOne_IsMismatch_AndMatchesItsDerivedVector()
    {
        var derived = Vector.GetProperty("derived_vectors")[1];
        var signature = new SlackSignature(Secret);

        Assert.Equal(SignatureCheck.Mismatch, signature.Verify("1531420619", Expected, Body, NearVector));
        Assert.Equal(derived.GetProperty("expected_signature").GetString(), signature.Sign("1531420619", Body));
    }

    [Fact]
    public void Sign_DerivedVectors_MatchTheSamples()
    {
        var signature = new SlackSignature(Secret);
        foreach (var derived in Vector.GetProperty("derived_vectors").EnumerateArray())
        {
            var body = Encoding.UTF8.GetBytes(derived.GetProperty("body").GetString()!);
            var ts = derived.GetProperty("timestamp").GetString()!;
            Assert.Equal(derived.GetProperty("expected_signature").GetString(), signature.Sign(ts, body));
            Assert.Equal(SignatureCheck.Valid, signature.Verify(ts, derived.GetProperty("expected_signature").GetString(), body, NearVector));
        }
    }

    [Fact]
    public void Verify_WrongSecret_IsMismatch()
    {
        Assert.Equal(SignatureCheck.Mismatch, new SlackSignature("another-secret").Verify(Timestamp, Expected, Body, NearVector));
    }

    [Theory]
    [InlineData(null, "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "Missing")]
    [InlineData("1531420618", null, "Missing")]
    [InlineData("", "", "Missing")]
    [InlineData("not-a-number", "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "Stale")]
    [InlineData("1531420618", "v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "Mismatch")]
    [InlineData("1531420618", "v0=a2114d57", "Mismatch")]
    [InlineData("1531420618", "v0=zz114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503", "Mismatch")]
    public void Verify_MissingOrMalformedHeaders_AreRefused(string? timestamp, string? header, string expected)
    {
        Assert.Equal(expected, new SlackSignature(Secret).Verify(timestamp, header, Body, NearVector).ToString());
    }
}
