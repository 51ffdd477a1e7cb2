using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ChatOpsIncident.Slack.Inbound;

internal enum SignatureCheck
{
    Valid,
    Missing,
    Stale,
    Mismatch,
}

/// <summary>Slack's v0 request signature: HMAC-SHA256 over <c>v0:{timestamp}:{raw body}</c>.</summary>
internal sealed class SlackSignature
{
    public const string SignatureHeader = "X-Slack-Signature";
    public const string TimestampHeader = "X-Slack-Request-Timestamp";
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    private readonly byte[] _key;

    public SlackSignature(string signingSecret)
    {
        ArgumentException.ThrowIfNullOrEmpty(signingSecret);
        // The secret is used as UTF-8 text as-is; Slack's own example secret is not valid hex.
        _key = Encoding.UTF8.GetBytes(signingSecret);
    }

    public SignatureCheck Verify(string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return SignatureCheck.Missing;
        }

        // Replay window first: a stale request is refused without spending an HMAC on it.
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)ReplayWindow.TotalSeconds)
        {
            return SignatureCheck.Stale;
        }

        if (!signature.StartsWith("v0=", StringComparison.Ordinal) || signature.Length != 3 + 64)
        {
            return SignatureCheck.Mismatch;
        }

        Span<byte> given = stackalloc byte[32];
        if (Convert.FromHexString(signature.AsSpan(3), given, out _, out var written) != System.Buffers.OperationStatus.Done || written != 32)
        {
            return SignatureCheck.Mismatch;
        }

        Span<byte> expected = stackalloc byte[32];
        Compute(timestamp, body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    /// <summary>The header value Slack would send (tests and the benchmark sign with it).</summary>
    public string Sign(string timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[32];
        Compute(timestamp, body, mac);
        return "v0=" + Convert.ToHexStringLower(mac);
    }

    private void Compute(string timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        var prefix = Encoding.UTF8.GetBytes($"v0:{timestamp}:");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }
}
