namespace Scheduler.Bench.Workloads;

/// <summary>A workload that did not complete: the run exits non-zero.</summary>
public sealed class WorkloadFailedException : Exception
{
    public WorkloadFailedException()
    {
    }

    public WorkloadFailedException(string message) : base(message)
    {
    }

    public WorkloadFailedException(string message, Exception inner) : base(message, inner)
    {
    }
}
