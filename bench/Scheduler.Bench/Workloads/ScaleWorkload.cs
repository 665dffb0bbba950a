namespace Scheduler.Bench.Workloads;

public sealed class ScaleWorkload : IWorkload
{
    public string Name => "scale";

    public Task RunAsync(BenchContext context) => throw new WorkloadFailedException("not yet");
}
