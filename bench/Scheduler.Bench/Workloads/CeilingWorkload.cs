namespace Scheduler.Bench.Workloads;

public sealed class CeilingWorkload : IWorkload
{
    public string Name => "ceiling";

    public Task RunAsync(BenchContext context) => throw new WorkloadFailedException("not yet");
}
