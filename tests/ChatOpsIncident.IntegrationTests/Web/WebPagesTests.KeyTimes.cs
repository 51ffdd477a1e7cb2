using System.Globalization;
using System.Net;

namespace ChatOpsIncident.IntegrationTests.Web;

/// <summary>The incident page's key-time form, posted to the whole host like a browser would.</summary>
public sealed partial class WebPagesTests
{
    private static string Local(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    private static string Minute(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "none";

    [Fact]
    public async Task KeyTimesForm_CorrectsTimes_AuditedAsWeb_RefusesBadOnesChangingNothing()
    {
        var i = await _seed.DeclareAsync(WebSeed.Alice, "declare sev3 Queue backlog");
        using var client = Client("U0ALICE");
        var page = await client.GetStringAsync($"/incidents/{i.Id}");
        Assert.Contains($"action=\"/incidents/{i.Id}/times\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"resolved\"", page, StringComparison.Ordinal);
        var token = FormField().Match(page).Groups[1].Value;
        var impact = i.DeclaredAt.AddMinutes(-40);
        var detected = i.DeclaredAt.AddMinutes(-10);
        Dictionary<string, string> Form(string nonce, string impactText, string detectedText, string mitigated = "") => new()
        {
            ["__af"] = token,
            ["nonce"] = nonce,
            ["impact_started"] = impactText,
            ["detected"] = detectedText,
            // The form sends the acknowledged time back as shown: unchanged, not a correction.
            ["acknowledged"] = Local(i.AcknowledgedAt!.Value),
            ["mitigated"] = mitigated,
        };

        var noToken = await client.PostAsync($"/incidents/{i.Id}/times", new FormUrlEncodedContent(new Dictionary<string, string>(Form("k0", Local(impact), "")) { ["__af"] = "forged" }));
        var notATime = await client.PostAsync($"/incidents/{i.Id}/times", new FormUrlEncodedContent(Form("k1", "yesterday", "")));
        var future = await client.PostAsync($"/incidents/{i.Id}/times", new FormUrlEncodedContent(Form("k2", Local(impact), "", Local(TimeProvider.System.GetUtcNow().AddHours(2)))));
        var misordered = await client.PostAsync($"/incidents/{i.Id}/times", new FormUrlEncodedContent(Form("k3", Local(detected), Local(impact))));
        var unchanged = (await _seed.Store.GetAsync(i.Id, CancellationToken.None))!;

        var saved = await client.PostAsync($"/incidents/{i.Id}/times", new FormUrlEncodedContent(Form("k4", Local(impact), Local(detected))));
        var again = await client.PostAsync($"/incidents/{i.Id}/times", new FormUrlEncodedContent(Form("k4", Local(impact), Local(detected))));

        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notATime.StatusCode);
        Assert.Contains("'yesterday' is not a time for impact started", WebUtility.HtmlDecode(await notATime.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, future.StatusCode);
        Assert.Contains("is in the future", WebUtility.HtmlDecode(await future.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, misordered.StatusCode);
        Assert.Contains("cannot be after the detected time", WebUtility.HtmlDecode(await misordered.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Null(unchanged.Incident.ImpactStartedAt);
        Assert.DoesNotContain(unchanged.Audit, a => a.Field is "impact_started_at" or "detected_at" or "mitigated_at");

        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, WebUtility.HtmlDecode(await saved.Content.ReadAsStringAsync()));
        // Submitted twice: the second finds the times already there and changes nothing.
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already has those key times", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var record = (await _seed.Store.GetAsync(i.Id, CancellationToken.None))!;
        Assert.Equal((Minute(impact), Minute(detected)), (Minute(record.Incident.ImpactStartedAt), Minute(record.Incident.DetectedAt)));
        Assert.Single(record.Audit, a => a.Field == "impact_started_at" && a.Surface == "web" && a.Actor == "U0ALICE");
        Assert.Single(record.Audit, a => a.Field == "detected_at" && a.Surface == "web");
        Assert.DoesNotContain(record.Audit, a => a.Field == "acknowledged_at");
        Assert.Equal(2, record.Timeline.Count(e => e.Kind == "time"));
        Assert.Contains("Key times corrected.", await client.GetStringAsync(saved.Headers.Location!.OriginalString), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyTimesForm_OnAPrivateIncident_IsNotFoundToANonParticipant()
    {
        var secret = await _seed.DeclareAsync(WebSeed.Alice, "declare sev1 type:security Leaked credentials");
        var open = await _seed.DeclareAsync(WebSeed.Alice, "declare sev3 Public thing");
        using var mallory = Client("U0MALLORY");
        var token = FormField().Match(await mallory.GetStringAsync($"/incidents/{open.Id}")).Groups[1].Value;

        var response = await mallory.PostAsync($"/incidents/{secret.Id}/times", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__af"] = token,
            ["nonce"] = "m1",
            ["impact_started"] = Local(secret.DeclaredAt.AddMinutes(-5)),
        }));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null((await _seed.Store.GetAsync(secret.Id, CancellationToken.None))!.Incident.ImpactStartedAt);
    }
}
