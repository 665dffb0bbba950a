using System.CommandLine;
using Scheduler.Core.Operations;

namespace Scheduler.Host.Commands;

/// <summary>Runs an operator verb: opens the context, maps a refusal to exit code 2 and anything else to 1, with one line on stderr.</summary>
internal static class OperatorVerb
{
    /// <summary>Exit code of a request refused (unknown key, wrong state, bad input).</summary>
    public const int RefusedExitCode = 2;

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON (the HTTP API's shape) instead of a table." };

    public static async Task<int> RunAsync(string verb, FileInfo? config, Func<OperatorContext, Task> body)
    {
        OperatorContext? context = null;
        try
        {
            context = OperatorContext.Open(config);
            await body(context);
            return 0;
        }
        catch (OperatorException e)
        {
            Console.Error.WriteLine($"scheduler {verb}: {e.Message}");
            return RefusedExitCode;
        }
        catch (Exception e)
        {
            return CommandFailure.Report(verb, e);
        }
        finally
        {
            // Never in place of the verb's own error: a scheduler that failed to open has nothing left to shut down.
            if (context is not null)
            {
                await context.DisposeQuietlyAsync();
            }
        }
    }
}
