using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Scheduler.Data.Schedules;

namespace Scheduler.Core.Schedules;

/// <summary>Registers configured schedules: reading, validation at start, compilation and the reconcile at start.</summary>
public static class ScheduleHostingExtensions
{
    /// <summary>Call before Quartz's hosted service is added, so the reconcile runs before the scheduler starts.</summary>
    public static IHostApplicationBuilder AddSchedulerSchedules(this IHostApplicationBuilder builder, JobKindRegistry kinds)
    {
        builder.Services.AddSingleton(kinds);
        builder.Services.AddSingleton<ScheduleValidator>();
        builder.Services.AddSingleton<ScheduleCompiler>();
        builder.Services.AddSingleton<ScheduleReconciler>();
        builder.Services.TryAddSingleton<ConfigJobStore>();
        kinds.RegisterServices(builder.Services);

        var configuration = builder.Configuration;
        builder.Services.AddSingleton<IValidateOptions<ScheduleOptions>, ScheduleOptionsValidator>();
        builder.Services.AddOptions<ScheduleOptions>()
            .Configure(o =>
            {
                var (definitions, problems) = ScheduleReader.Read(configuration);
                o.Jobs = definitions;
                o.ReadProblems = problems;
            })
            .ValidateOnStart();
        builder.Services.AddHostedService<ScheduleReconcileService>();
        return builder;
    }
}
