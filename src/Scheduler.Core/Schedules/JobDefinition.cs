namespace Scheduler.Core.Schedules;

/// <summary>
/// One entry of <c>Scheduler:Jobs:&lt;name&gt;</c>: a job, its cron triggers and the Quartz policies it runs under.
/// Bound from configuration; checked by <see cref="ScheduleValidator"/> before anything is scheduled.
/// </summary>
public sealed class JobDefinition
{
    /// <summary>The entry's key under <c>Scheduler:Jobs</c>; also the Quartz job name.</summary>
    public string Name { get; set; } = "";

    /// <summary>A built-in kind (<c>sql</c>, <c>http</c>, <c>heartbeat</c>, …) or an <c>IJob</c> class name (short or full).</summary>
    public string? Type { get; set; }

    /// <summary>Quartz job and trigger group (default <c>config</c>).</summary>
    public string Group { get; set; } = "config";

    public string? Description { get; set; }

    /// <summary>Quartz cron expressions (seconds first), one trigger each. From <c>Cron</c> as one string or an array.</summary>
    public IReadOnlyList<string> Cron { get; set; } = [];

    /// <summary>IANA time zone the cron expressions are read in (default UTC).</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>False removes the entry's job from the store (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>True stores the triggers paused (applied when the entry is added or changed).</summary>
    public bool Paused { get; set; }

    /// <summary><c>Smart</c> (default), <c>FireNow</c>, <c>DoNothing</c> (skip missed fires) or <c>CatchUp</c> (run every missed fire).</summary>
    public MisfireSetting Misfire { get; set; } = MisfireSetting.Smart;

    /// <summary>Quartz retry policy for a failed fire; none by default.</summary>
    public RetryDefinition? Retry { get; set; }

    /// <summary>How long one run may take: the statement timeout of <c>sql</c>, the request timeout of <c>http</c>.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>What a fire does while the trigger's previous fire still runs: <c>Allow</c> (default), <c>Skip</c>, <c>Wait</c>, <c>CancelPrevious</c>.</summary>
    public OverlapSetting Overlap { get; set; } = OverlapSetting.Allow;

    /// <summary>True: never two runs of this job at once anywhere in the cluster (Quartz DisallowConcurrentExecution).</summary>
    public bool NoConcurrentExecution { get; set; }

    /// <summary>Quartz execution group, whose concurrency <c>Scheduler:ExecutionLimits:&lt;group&gt;</c> bounds.</summary>
    public string? ExecutionGroup { get; set; }

    /// <summary>Re-run a fire interrupted by a node crash on another node (default true).</summary>
    public bool RequestsRecovery { get; set; } = true;

    /// <summary>Quartz trigger priority among fires due at the same time (default 5).</summary>
    public int Priority { get; set; } = 5;

    /// <summary>Job data handed to the job, as strings.</summary>
    public Dictionary<string, string> Data { get; set; } = [];

    /// <summary>
    /// Job data keys whose values are secrets: when an operator passes one while triggering the job by hand, the audit
    /// records its SHA-256 instead of the value.
    /// </summary>
    public List<string> SecretData { get; set; } = [];

    /// <summary><c>sql</c> kind: the statement or procedure call.</summary>
    public string? Sql { get; set; }

    /// <summary><c>sql</c> kind: name of a connection string to run against instead of the scheduler database.</summary>
    public string? Connection { get; set; }

    /// <summary><c>http</c> kind: the URL; <c>${NAME}</c> placeholders expand from the environment at run time.</summary>
    public string? Url { get; set; }

    /// <summary><c>http</c> kind: method (default GET).</summary>
    public string? Method { get; set; }

    /// <summary><c>http</c> kind: headers; values may hold <c>${NAME}</c> placeholders for secrets.</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary><c>http</c> kind: request body.</summary>
    public string? Body { get; set; }

    /// <summary><c>http</c> kind: accepted status codes, e.g. <c>200-299</c> or <c>200,204</c>.</summary>
    public string? ExpectedStatus { get; set; }

    /// <summary>
    /// How long the job may go without a successful run before alerting says so: exported as
    /// <c>scheduler_job_success_window_seconds</c> beside <c>scheduler_job_success_age_seconds</c> (rule SchedulerJobSuccessOverdue).
    /// Unset: no expectation.
    /// </summary>
    public TimeSpan? SucceedWithin { get; set; }

    /// <summary>Run this job after another entry's job ends (a recurring chain).</summary>
    public ContinuationDefinition? After { get; set; }
}
