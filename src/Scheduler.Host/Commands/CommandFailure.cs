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

        if (PermissionDenied(exception) is { } denied)
        {
            Console.Error.WriteLine(
                $"scheduler {verb}: error: permission denied: the database login of ConnectionStrings:Scheduler lacks a privilege " +
                $"({denied.SqlState}: {denied.MessageText}). Read verbs (status, jobs, history) need role scheduler_readonly, actions " +
                "and nodes scheduler_runtime, migrate scheduler_owner: see sql/roles.sql.");
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

    /// <summary>The first "insufficient privilege" (42501) error in the chain, if any: worth one clear line rather than a wrapper's message.</summary>
    private static Npgsql.PostgresException? PermissionDenied(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is Npgsql.PostgresException { SqlState: "42501" } denied)
            {
                return denied;
            }
        }

        return null;
    }
}
