using ChatOpsIncident.Core.Alerts;
using ChatOpsIncident.TestSupport;

namespace ChatOpsIncident.Core.Tests.Alerts;

public sealed class AlertParsersTests
{
    [Fact]
    public void Alertmanager_RecordedV4_GroupKeyStatusLabelsAndStart()
    {
        var n = AlertParsers.Parse(AlertSourceKinds.Alertmanager, Samples.Read("alerts/alertmanager.v4.firing.json"));

        Assert.Equal("{}/{severity=\"critical\"}:{alertname=\"ProbeFailure\"}", n.GroupKey);
        Assert.Equal(AlertStatus.Firing, n.Status);
        Assert.Equal("BlackBox Probe Failure: https://server.example.org", n.Title);
        Assert.Equal("critical", n.Labels["severity"]);
        Assert.Equal("ProbeFailure", n.Labels["alertname"]);
        var alert = Assert.Single(n.Alerts);
        Assert.Equal("1a30ba71cca2921f", alert.Fingerprint);
        Assert.Null(alert.EndsAt);
        Assert.Equal(new DateTimeOffset(2023, 2, 6, 13, 8, 45, 828, TimeSpan.Zero), n.StartsAt);
        Assert.Equal("http://prometheus.example.org:9090/graph?g0.expr=probe_success+%3D%3D+0&g0.tab=1", Assert.Single(n.Links).Url);
    }

    [Fact]
    public void Alertmanager_DocsExample_NanosecondTimesAndOffsets()
    {
        var n = AlertParsers.Parse(AlertSourceKinds.Alertmanager, Samples.Read("alerts/alertmanager.v4.webhook-docs.json"));

        Assert.Equal("{}:{alertname=\"Test\", job=\"prometheus24\"}", n.GroupKey);
        Assert.Equal("Test", n.Title);
        Assert.Equal("some description", n.Description);
        Assert.Equal(new DateTimeOffset(2018, 8, 3, 7, 52, 26, TimeSpan.Zero).AddTicks(7392668), n.StartsAt);
    }

    [Fact]
    public void Grafana_DocsExample_TwoAlertsOneGroup()
    {
        var n = AlertParsers.Parse(AlertSourceKinds.Grafana, Samples.Read("alerts/grafana.webhook.firing.json"));

        Assert.Equal("{}:{}", n.GroupKey);
        Assert.Equal(2, n.FiringCount);
        Assert.Equal("High memory usage (+1 more)", n.Title);
        Assert.Equal("blue", n.Labels["team"]);
        Assert.Equal(2, n.Links.Count);
    }

    [Fact]
    public void Generic_DocumentedFields()
    {
        var n = AlertParsers.Parse(AlertSourceKinds.Generic, Samples.Read("alerts/generic.firing.json"));

        Assert.Equal("checkout-5xx", n.GroupKey);
        Assert.Equal("Checkout error rate above 5%", n.Title);
        Assert.Equal("critical", n.Labels["severity"]);
        Assert.Equal("checkout", n.Labels["service"]);
        Assert.Equal("Dashboard", Assert.Single(n.Links).Label);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 15, 0, TimeSpan.Zero), n.StartsAt);
    }

    [Theory]
    [InlineData(AlertSourceKinds.Alertmanager, "{")]
    [InlineData(AlertSourceKinds.Alertmanager, "[]")]
    [InlineData(AlertSourceKinds.Alertmanager, """{"version":"4","status":"firing","alerts":[]}""")]
    [InlineData(AlertSourceKinds.Alertmanager, """{"version":"4","groupKey":"g","status":"burning","alerts":[]}""")]
    [InlineData(AlertSourceKinds.Alertmanager, """{"version":"4","groupKey":"g","status":"firing","alerts":{}}""")]
    [InlineData(AlertSourceKinds.Alertmanager, """{"version":"4","groupKey":"g","status":"firing","alerts":[{"status":"firing","startsAt":"yesterday"}]}""")]
    [InlineData(AlertSourceKinds.Grafana, """{"status":"firing","alerts":[]}""")]
    [InlineData(AlertSourceKinds.Generic, """{"title":"t"}""")]
    [InlineData(AlertSourceKinds.Generic, """{"dedupeKey":"k"}""")]
    public void Malformed_IsAFormatException(string kind, string body) =>
        Assert.Throws<FormatException>(() => AlertParsers.Parse(kind, body));
}
