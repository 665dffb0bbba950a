namespace Scheduler.Core.Schedules;

/// <summary><c>Scheduler:Jobs:&lt;name&gt;:After</c>: run this entry's job each time another entry's job ends as named.</summary>
public sealed class ContinuationDefinition
{
    /// <summary>The name of the entry whose job comes first.</summary>
    public string Job { get; set; } = "";

    /// <summary><c>Success</c> (default), <c>Failure</c> or <c>Any</c>.</summary>
    public ContinuationWhen When { get; set; } = ContinuationWhen.Success;
}
