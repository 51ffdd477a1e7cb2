using System.Net;
using ChatOpsIncident.Teams.Outbound;
using Polly;
using Polly.Timeout;

namespace ChatOpsIncident.Teams.Tests.Outbound;

/// <summary>Which failures may be retried: a POST only when it provably never left; idempotent calls always.</summary>
public sealed class AmbiguousFailureTests
{
    [Theory]
    [InlineData(HttpRequestError.ConnectionError, true)]
    [InlineData(HttpRequestError.NameResolutionError, true)]
    [InlineData(HttpRequestError.SecureConnectionError, true)]
    [InlineData(HttpRequestError.ResponseEnded, false)]
    [InlineData(HttpRequestError.Unknown, false)]
    public void Post_TransportError_RetriedOnlyWhenNothingWasSent(HttpRequestError error, bool retried)
    {
        var outcome = Outcome.FromException<HttpResponseMessage>(new HttpRequestException(error, "boom"));

        Assert.Equal(retried, TeamsResilience.IsTransient(outcome, HttpMethod.Post));
        Assert.True(TeamsResilience.IsTransient(outcome, HttpMethod.Put));
        Assert.Equal(!retried, ConnectorClient.IsAmbiguous(new HttpRequestException(error, "boom")));
    }

    [Fact]
    public void Timeouts_AreAmbiguous_AndStatusCodesFollowTeamsAdvice()
    {
        Assert.True(ConnectorClient.IsAmbiguous(new TimeoutRejectedException()));
        Assert.True(ConnectorClient.IsAmbiguous(new TaskCanceledException()));
        Assert.False(ConnectorClient.IsAmbiguous(new InvalidOperationException()));
        Assert.False(TeamsResilience.IsTransient(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), HttpMethod.Put));
        Assert.True(TeamsResilience.IsTransient(Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.TooManyRequests)), HttpMethod.Post));
        Assert.False(TeamsResilience.IsTransient(Outcome.FromResult(new HttpResponseMessage(HttpStatusCode.InternalServerError)), HttpMethod.Post));
    }
}
