#!/usr/bin/env bash
# Create a new job: its class and options, its test and its configuration entry, ready to build and pass.
#
#   scripts/new-job.sh NAME [--cron "0 0 * * * ?"] [--root DIR]
#
# NAME is the job's class name without "Job", in PascalCase (ExpireCarts). Creates, refusing to overwrite:
#   src/Scheduler.Jobs/NAME/NAMEJob.cs          the IJob: its work runs in the occurrence's transaction (once per fire time)
#   src/Scheduler.Jobs/NAME/NAMEOptions.cs      its settings, read from the entry's Data with defaults and bounds
#   tests/Scheduler.Tests/Jobs/NAMEJobTests.cs  its test through JobTestHarness against a real PostgreSQL
#   config/jobs/<snake_name>.json               its schedule entry, for `scheduler run --config` / `validate --config`
# Then: `dotnet build`, `scripts/test.sh --filter FullyQualifiedName~NAMEJobTests`, and
# `dotnet src/Scheduler.Host/bin/Debug/net10.0/scheduler.dll validate --offline --next 3 --config config/jobs/<snake_name>.json`.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
name=""
cron="0 0 * * * ?"
while [ $# -gt 0 ]; do
  case "$1" in
    --cron) cron=$2; shift 2 ;;
    --root) root=$(cd "$2" && pwd); shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "new-job: unknown option '$1' (see scripts/new-job.sh --help)" >&2; exit 2 ;;
    *) [ -z "$name" ] || { echo "new-job: one NAME only ('$name', then '$1')" >&2; exit 2; }; name=$1; shift ;;
  esac
done

name=${name%Job}
if ! [[ "$name" =~ ^[A-Z][A-Za-z0-9]{0,60}$ ]]; then
  echo "new-job: NAME '${name}' must be PascalCase letters and digits, starting with a capital (e.g. ExpireCarts)" >&2
  exit 2
fi
case "$cron" in *\"*|*\\*) echo "new-job: --cron '$cron' must not contain quotes or backslashes" >&2; exit 2 ;; esac

# ExpireCarts -> expire_carts: an entry name a shell can export (Scheduler__Jobs__expire_carts__Cron).
entry=$(echo "$name" | sed -E 's/([a-z0-9])([A-Z])/\1_\2/g' | tr '[:upper:]' '[:lower:]')
job_dir="$root/src/Scheduler.Jobs/$name"
job_file="$job_dir/${name}Job.cs"
options_file="$job_dir/${name}Options.cs"
test_file="$root/tests/Scheduler.Tests/Jobs/${name}JobTests.cs"
config_file="$root/config/jobs/$entry.json"
for f in "$job_file" "$options_file" "$test_file" "$config_file"; do
  if [ -e "$f" ]; then echo "new-job: ${f#"$root"/} already exists; nothing was written" >&2; exit 1; fi
done
if grep -rqs --include='*.cs' -E "class ${name}Job\b" "$root/src"; then
  echo "new-job: a class ${name}Job already exists under src/; nothing was written" >&2
  exit 1
fi
mkdir -p "$job_dir" "$(dirname "$test_file")" "$(dirname "$config_file")"

cat >"$job_file" <<CS
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;
using Scheduler.Core.Fencing;

namespace Scheduler.Jobs.${name};

/// <summary>TODO: say what one run of this job does, and what it leaves in the database.</summary>
/// <remarks>
/// Its work runs inside the occurrence's transaction: the effect and the claim commit together, so a fire time that runs
/// twice (a node recovered after a crash, a duplicate fire) has one effect. Named in configuration by its class name.
/// </remarks>
public sealed partial class ${name}Job(ILogger<${name}Job> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var options = ${name}Options.From(context.MergedJobDataMap);
        var occurrence = FencedOccurrence.Current
            ?? throw new InvalidOperationException("${name}Job runs only through the fencing middleware (a node or JobTestHarness).");
        await using var tx = await occurrence.BeginTransactionAsync(cancellationToken);
        // TODO: the job's work, on tx.Connection within tx.Transaction. The scheduled fire time is the same on every run
        // of this occurrence: use it (not the clock) to decide what the work covers.
        await using var work = new NpgsqlCommand("SELECT @limit", tx.Connection, tx.Transaction);
        work.Parameters.AddWithValue("limit", options.BatchSize);
        var handled = Convert.ToInt32(await work.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        await occurrence.CommitAsync(tx, cancellationToken);

        context.Result = JobRunReport.Succeeded(\$"{handled} items handled");
        LogDone(logger, handled, occurrence.Key.ScheduledFireTime);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "${name}: {Handled} items handled for {ScheduledFireTime:o}")]
    private static partial void LogDone(ILogger logger, int handled, DateTimeOffset scheduledFireTime);
}
CS

cat >"$options_file" <<CS
using System.Globalization;
using Quartz;

namespace Scheduler.Jobs.${name};

/// <summary>${name}Job's settings: the entry's <c>Data</c> (strings), with defaults and bounds.</summary>
public sealed record ${name}Options(int BatchSize)
{
    /// <summary>Data key: at most this many items per run (default 500, 1 to 10,000).</summary>
    public const string BatchSizeKey = "batchSize";

    public static ${name}Options From(JobDataMap data)
    {
        var batchSize = 500;
        if (data.TryGetValue(BatchSizeKey, out var raw) && raw is not null)
        {
            var text = Convert.ToString(raw, CultureInfo.InvariantCulture);
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out batchSize) || batchSize is < 1 or > 10_000)
            {
                throw new JobExecutionException(\$"Data:{BatchSizeKey} '{text}' must be a whole number from 1 to 10000.");
            }
        }

        return new ${name}Options(batchSize);
    }
}
CS

cat >"$test_file" <<CS
using Scheduler.Jobs.${name};
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Jobs;

/// <summary>${name}Job through JobTestHarness: built as a node builds it, fenced, against a real database.</summary>
public sealed class ${name}JobTests
{
    private static readonly DateTimeOffset NineOClock = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Runs_once_per_fire_time()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("${entry}");
        await using var harness = await JobTestHarness.CreateAsync(db);

        var run = await harness.RunAsync<${name}Job>(NineOClock, new() { [${name}Options.BatchSizeKey] = "20" });
        var again = await harness.RunAsync<${name}Job>(NineOClock);

        Assert.Null(run.Exception);
        Assert.Equal("20 items handled", run.Summary); // TODO: assert the job's effect in the database
        Assert.StartsWith("duplicate suppressed", again.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_batch_size_fails_the_run_naming_the_key()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("${entry}_bad");
        await using var harness = await JobTestHarness.CreateAsync(db);

        var run = await harness.RunAsync<${name}Job>(NineOClock, new() { [${name}Options.BatchSizeKey] = "lots" });

        Assert.Contains("Data:batchSize 'lots'", run.Exception?.Message, StringComparison.Ordinal);
    }
}
CS

cat >"$config_file" <<JSON
{
  "Scheduler": {
    "Jobs": {
      "$entry": {
        "Type": "${name}Job",
        "Cron": "$cron",
        "Description": "TODO: what it does",
        "Data": { "batchSize": "500" }
      }
    }
  }
}
JSON

echo "new-job: created"
for f in "$job_file" "$options_file" "$test_file" "$config_file"; do echo "  ${f#"$root"/}"; done
echo "next:"
echo "  dotnet build Scheduler.sln"
echo "  scripts/test.sh --filter FullyQualifiedName~${name}JobTests"
echo "  dotnet src/Scheduler.Host/bin/Debug/net10.0/scheduler.dll validate --offline --next 3 --config config/jobs/$entry.json"
