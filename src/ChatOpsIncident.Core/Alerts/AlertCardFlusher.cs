using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatOpsIncident.Core.Alerts;

/// <summary>
/// Posts the groups that arrived while the feed's card interval was closed: a storm becomes one card per interval.
/// Every replica runs it; the store's single feed row lets one of them post each card.
/// </summary>
internal sealed class AlertCardFlusher(AlertService alerts, TimeProvider time, ILogger<AlertCardFlusher> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Every, time, stoppingToken);
                await alerts.PostCardsAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                Log.CardFlushFailed(logger, ex);
            }
        }
    }
}
