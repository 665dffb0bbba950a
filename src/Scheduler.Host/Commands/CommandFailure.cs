namespace Scheduler.Host.Commands;

/// <summary>Turns a failed verb into its exit code and one clear line on stderr.</summary>
internal static class CommandFailure
{
    /// <summary>Exit code of a verb that failed.</summary>
    public const int ExitCode = 1;

    /// <summary>Writes <c>scheduler VERB: error: …</c> (with the inner reasons) to stderr and returns <see cref="ExitCode"/>.</summary>
    public static int Report(string verb, Exception exception)
    {
        if (exception is Microsoft.Extensions.Options.OptionsValidationException invalid)
        {
            foreach (var failure in invalid.Failures)
            {
                Console.Error.WriteLine($"scheduler {verb}: {failure}");
            }

            Console.Error.WriteLine($"scheduler {verb}: error: {invalid.Failures.Count()} configuration problem(s); the node does not start with this configuration.");
            return ExitCode;
        }

        var message = exception.Message;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!message.Contains(inner.Message, StringComparison.Ordinal))
            {
                message += $" ({inner.Message})";
            }
        }

        Console.Error.WriteLine($"scheduler {verb}: error: {message}");
        return ExitCode;
    }
}
