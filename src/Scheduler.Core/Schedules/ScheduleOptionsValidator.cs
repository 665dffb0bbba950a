using Microsoft.Extensions.Options;

namespace Scheduler.Core.Schedules;

/// <summary>Runs <see cref="ScheduleValidator"/> at start (ValidateOnStart): one failure per problem, each naming the entry.</summary>
public sealed class ScheduleOptionsValidator(ScheduleValidator validator) : IValidateOptions<ScheduleOptions>
{
    public ValidateOptionsResult Validate(string? name, ScheduleOptions options)
    {
        var problems = options.ReadProblems.Concat(validator.Validate(options.Jobs)).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
