using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Scheduler.Web.Auth;

/// <summary>Says at start when no API key is configured: the node runs, but its API and dashboard refuse everyone.</summary>
internal sealed partial class NoKeysWarning(ApiKeyStore keys, ILogger<NoKeysWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!keys.Any)
        {
            LogNoKeys(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "No API key is configured (Scheduler:Auth:ApiKeys): the API and dashboard refuse every request; only /health answers. Create one with 'scheduler apikey new --role operator'.")]
    private static partial void LogNoKeys(ILogger logger);
}
