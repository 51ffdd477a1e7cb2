using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsIncident.Core.Processing;

/// <summary>Runs batches while there is work; otherwise sleeps until signalled or the poll interval passes.</summary>
public abstract class PollingWorker(WorkSignal signal, IOptions<ProcessingOptions> options, TimeProvider time, ILogger logger) : BackgroundService
{
    protected ProcessingOptions Options => options.Value;

    protected TimeProvider Time => time;

    /// <summary>Processes one batch and returns how many items it handled.</summary>
    protected abstract Task<int> RunBatchAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await RunBatchAsync(stoppingToken);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping cut the batch off (as a cancellation, or as whatever a cut-off call threw); the batch has
                // given its claims back.
                return;
            }
            catch (Exception ex)
            {
                // Database down or similar: back off and keep the host alive.
                Log.LoopFailed(logger, ex, GetType().Name);
                handled = 0;
                await Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }

            if (handled == 0)
            {
                try
                {
                    await signal.WaitAsync(Options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task Delay(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
