using Hangfire.Logging;
using Hangfire.AspNetCore;
using LogLevel = Hangfire.Logging.LogLevel;

namespace ChatOpsIncident.Host.Scheduling;

/// <summary>
/// Hangfire's log provider is a process-wide static: the last host that started owns it. When that host stops while
/// another in the same process keeps running (tests run several hosts at once), the stock provider throws
/// ObjectDisposedException from the job fetcher and that host's workers stop fetching jobs. This one logs nothing for a
/// disposed factory instead. One host per process (production) sees no difference.
/// </summary>
internal sealed class HangfireLogs(Microsoft.Extensions.Logging.ILoggerFactory factory) : ILogProvider
{
    private readonly AspNetCoreLogProvider _inner = new(factory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new Guarded(_inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Guarded(ILog inner) : ILog
    {
        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
