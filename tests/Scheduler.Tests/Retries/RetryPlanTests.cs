using Quartz;
using Scheduler.Core.Retries;
using Scheduler.Core.Schedules;

namespace Scheduler.Tests.Retries;

/// <summary>Backoff, jitter and where a job's plan comes from.</summary>
public sealed class RetryPlanTests
{
    [Fact]
    public void Exponential_waits_grow_by_the_factor_and_stop_at_the_ceiling()
    {
        var plan = new RetryPlan(RetryBackoff.Exponential, 6, TimeSpan.FromSeconds(2), Factor: 3, MaxDelay: TimeSpan.FromSeconds(60));

        Assert.Equal([2, 6, 18, 54, 60, 60], Enumerable.Range(1, 6).Select(n => plan.WaitBefore(n, 0.5).TotalSeconds));
    }

    [Fact]
    public void Fixed_waits_are_all_the_delay()
    {
        var plan = new RetryPlan(RetryBackoff.Fixed, 3, TimeSpan.FromSeconds(5));

        Assert.All(Enumerable.Range(1, 3), n => Assert.Equal(TimeSpan.FromSeconds(5), plan.WaitBefore(n, 0.9)));
    }

    [Theory]
    [InlineData(1, 0.2)]
    [InlineData(3, 0.5)]
    [InlineData(5, 1.0)]
    public void Jittered_waits_stay_inside_their_bounds_and_spread_across_them(int retry, double jitter)
    {
        var plan = new RetryPlan(RetryBackoff.Exponential, 5, TimeSpan.FromSeconds(10), Factor: 2, MaxDelay: TimeSpan.FromMinutes(1), Jitter: jitter);
        var nominal = Math.Min(10 * Math.Pow(2, retry - 1), 60);
        var random = new Random(11);

        var waits = Enumerable.Range(0, 2000).Select(_ => plan.WaitBefore(retry, random.NextDouble()).TotalSeconds).ToList();

        Assert.All(waits, w => Assert.InRange(w, nominal * (1 - jitter), Math.Min(nominal * (1 + jitter), 60)));
        Assert.True(waits.Min() < nominal * (1 - (jitter / 2)), $"lowest wait {waits.Min()} s: jitter does not reach down");
        Assert.True(waits.Max() > Math.Min(nominal * (1 + (jitter / 2)), 59), $"highest wait {waits.Max()} s: jitter does not reach up");
    }

    [Fact]
    public void A_plan_is_stored_in_job_data_and_read_back_unchanged()
    {
        var plan = RetryPlan.From(new RetryDefinition
        {
            Policy = RetryBackoff.Fixed,
            Attempts = 4,
            Delay = TimeSpan.FromSeconds(3),
            Jitter = 0.1,
            NoRetryOn = ["ArgumentException"],
        });
        var job = JobBuilder.Create<AttributedJob>().UsingJobData(RetryPlan.JobDataKey, plan.ToJson()).Build();

        var read = RetryPlan.For(job)!;

        Assert.Equal((RetryBackoff.Fixed, 4, TimeSpan.FromSeconds(3), 0.1), (read.Backoff, read.Attempts, read.Delay, read.Jitter));
        Assert.Equal(["ArgumentException"], read.NoRetryOn!);
    }

    [Fact]
    public void A_job_class_declares_its_plan_with_an_attribute_and_configuration_wins()
    {
        var declared = RetryPlan.For(JobBuilder.Create<AttributedJob>().Build())!;
        var configured = RetryPlan.For(JobBuilder.Create<AttributedJob>()
            .UsingJobData(RetryPlan.JobDataKey, new RetryPlan(RetryBackoff.Fixed, 1, TimeSpan.Zero).ToJson()).Build())!;

        Assert.Equal((RetryBackoff.Fixed, 2, TimeSpan.FromMilliseconds(300)), (declared.Backoff, declared.Attempts, declared.Delay));
        Assert.Equal([typeof(InvalidOperationException).FullName!], declared.NoRetryOn!);
        Assert.Equal(1, configured.Attempts);
        Assert.Null(RetryPlan.For(JobBuilder.Create<Schedules.AlwaysFailingJob>().Build()));
    }
}
