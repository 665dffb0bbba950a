#!/usr/bin/env python3
"""Runs EXPLAIN (ANALYZE, BUFFERS) on every sql/README.md query, the views and the operator surface's lists; prints a table.

Called by scripts/dba-volume.sh with REPO and PORT set; reads database `volume` on 127.0.0.1 as postgres.
"""
import json
import os
import re
import subprocess
import sys

REPO = os.environ["REPO"]
PORT = os.environ["PORT"]
NOW_TICKS = "((extract(epoch FROM now()) * 10000000)::bigint + 621355968000000000)"
DAY_TICKS = "864000000000"


def readme_queries():
    """The same statements the test suite runs as scheduler_readonly: ```sql blocks of two README sections."""
    text = open(os.path.join(REPO, "sql", "README.md"), encoding="utf-8").read()
    queries = []
    for title, body in re.findall(r"^## (.+?)\n(.*?)(?=^## |\Z)", text, re.M | re.S):
        if not any(title.startswith(s) for s in ("Queries a DBA asks first", "Retention and sizing", "Locks the service takes")):
            continue
        for block in re.findall(r"```sql\n(.*?)```", body, re.S):
            for statement in block.split(";\n"):
                statement = statement.strip().rstrip(";")
                if statement:
                    queries.append(statement)
    return queries


# The operator surface's lists, as the node sends them (Quartz's SQL captured with log_statement = all; ours from
# src/Scheduler.Data), with literals for the parameters. Quartz adds FIRED_TIME >= <retention cut-off> itself.
EH_COLUMNS = ("INSTANCE_NAME, JOB_NAME, JOB_GROUP, TRIGGER_NAME, TRIGGER_GROUP, FIRED_TIME, RUN_TIME, SUCCEEDED, ERROR_MESSAGE, "
              "RETRY_ATTEMPT, RETRY_SCHEDULED, ENTRY_ID, RESULT, SUMMARY, METRICS, MANUAL, FIRE_INSTANCE_ID, JOB_INPUT_TOO_LARGE")
CUTOFF = f"{NOW_TICKS} - 14 * {DAY_TICKS}"
FAILED = "((RESULT = 1 OR (RESULT IS NULL AND SUCCEEDED = false)))"
APP = [
    ("API/CLI executions, newest 50",
     f"SELECT {EH_COLUMNS} FROM QRTZ_EXECUTION_HISTORY WHERE SCHED_NAME = 'scheduler' AND FIRED_TIME >= {CUTOFF} "
     "ORDER BY FIRED_TIME DESC, ENTRY_ID DESC OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY"),
    ("API/CLI executions, page 100 (skip 5000)",
     f"SELECT {EH_COLUMNS} FROM QRTZ_EXECUTION_HISTORY WHERE SCHED_NAME = 'scheduler' AND FIRED_TIME >= {CUTOFF} "
     "ORDER BY FIRED_TIME DESC, ENTRY_ID DESC OFFSET 5000 ROWS FETCH NEXT 51 ROWS ONLY"),
    ("Dashboard failures: failed executions, 24 h",
     f"SELECT {EH_COLUMNS} FROM QRTZ_EXECUTION_HISTORY WHERE SCHED_NAME = 'scheduler' AND FIRED_TIME >= {CUTOFF} "
     f"AND FIRED_TIME >= {NOW_TICKS} - {DAY_TICKS} AND {FAILED} ORDER BY FIRED_TIME DESC, ENTRY_ID DESC OFFSET 0 ROWS FETCH NEXT 101 ROWS ONLY"),
    ("CLI history --failed",
     f"SELECT {EH_COLUMNS} FROM QRTZ_EXECUTION_HISTORY WHERE SCHED_NAME = 'scheduler' AND FIRED_TIME >= {CUTOFF} "
     f"AND {FAILED} ORDER BY FIRED_TIME DESC, ENTRY_ID DESC OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY"),
    ("API/CLI executions of one job",
     f"SELECT {EH_COLUMNS} FROM QRTZ_EXECUTION_HISTORY WHERE SCHED_NAME = 'scheduler' AND FIRED_TIME >= {CUTOFF} "
     "AND JOB_GROUP = 'load' AND JOB_NAME = 'job-7' ORDER BY FIRED_TIME DESC, ENTRY_ID DESC OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY"),
    ("API executions of one node",
     f"SELECT {EH_COLUMNS} FROM QRTZ_EXECUTION_HISTORY WHERE SCHED_NAME = 'scheduler' AND FIRED_TIME >= {CUTOFF} "
     "AND INSTANCE_NAME = 'node-2' ORDER BY FIRED_TIME DESC, ENTRY_ID DESC OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY"),
    ("API job statistics window (one job, 24 h)",
     f"SELECT count(*), max(RUN_TIME) FROM QRTZ_EXECUTION_HISTORY WHERE SCHED_NAME = 'scheduler' AND JOB_GROUP = 'load' "
     f"AND JOB_NAME = 'job-7' AND FIRED_TIME >= {NOW_TICKS} - {DAY_TICKS}"),
    ("API misfires of one job",
     f"SELECT * FROM QRTZ_MISFIRE_HISTORY WHERE SCHED_NAME = 'scheduler' AND JOB_GROUP = 'load' AND JOB_NAME = 'job-7' "
     "ORDER BY MISFIRE_TIME DESC OFFSET 0 ROWS FETCH NEXT 21 ROWS ONLY"),
    ("Dashboard misfires, newest 20",
     "SELECT * FROM QRTZ_MISFIRE_HISTORY WHERE SCHED_NAME = 'scheduler' ORDER BY MISFIRE_TIME DESC OFFSET 0 ROWS FETCH NEXT 21 ROWS ONLY"),
    ("Dashboard/API failed occurrences (ledger)",
     "SELECT job_group, job_name, trigger_group, trigger_name, scheduled_fire_time, state, claimed_by, claimed_at, completed_at, "
     "attempts, duplicates_suppressed FROM scheduler_occurrences WHERE sched_name = 'scheduler' AND state = 'failed' "
     "ORDER BY scheduled_fire_time DESC, job_group, job_name, trigger_group, trigger_name OFFSET 0 LIMIT 50"),
    ("API occurrences of one job (ledger)",
     "SELECT job_group, job_name, trigger_group, trigger_name, scheduled_fire_time, state FROM scheduler_occurrences "
     "WHERE sched_name = 'scheduler' AND job_group = 'load' AND job_name = 'job-7' "
     "ORDER BY scheduled_fire_time DESC, job_group, job_name, trigger_group, trigger_name OFFSET 0 LIMIT 50"),
    ("API job statistics: claim lateness (ledger, 24 h)",
     "SELECT count(*), percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM claimed_at - scheduled_fire_time)) "
     "FROM scheduler_occurrences WHERE sched_name = 'scheduler' AND job_group = 'load' AND job_name = 'job-7' "
     "AND scheduled_fire_time >= now() - interval '24 hours' AND scheduled_fire_time < now()"),
    ("Replay: one occurrence by key (ledger)",
     "SELECT state FROM scheduler_occurrences WHERE sched_name = 'scheduler' AND job_group = 'load' AND job_name = 'job-7' "
     "AND trigger_group = 'load' AND trigger_name = 'trigger-7' AND scheduled_fire_time = now() - interval '3 days'"),
    ("Dashboard/API audit, newest 50",
     "SELECT id, at, actor, role, action, target, reason, detail::text, source, node, outcome FROM scheduler_audit "
     "ORDER BY id DESC OFFSET 0 LIMIT 50"),
    ("API triggers in ERROR",
     "SELECT TRIGGER_NAME, TRIGGER_GROUP FROM QRTZ_TRIGGERS WHERE SCHED_NAME = 'scheduler' AND TRIGGER_STATE = 'ERROR' "
     "ORDER BY TRIGGER_GROUP, TRIGGER_NAME OFFSET 0 ROWS FETCH NEXT 101 ROWS ONLY"),
    ("API/CLI jobs, first page",
     "SELECT JOB_NAME, JOB_GROUP, DESCRIPTION, JOB_CLASS_NAME FROM QRTZ_JOB_DETAILS WHERE SCHED_NAME = 'scheduler' "
     "ORDER BY JOB_GROUP, JOB_NAME OFFSET 0 ROWS FETCH NEXT 51 ROWS ONLY"),
    ("Retention: one ledger batch (5,000 rows)",
     "DELETE FROM scheduler_occurrences WHERE ctid = ANY (ARRAY(SELECT ctid FROM scheduler_occurrences "
     "WHERE claimed_at < now() - interval '13 days' AND state <> 'claimed' LIMIT 5000))"),
    ("Retention: one history batch (Quartz's own prune is by fired_time)",
     f"DELETE FROM QRTZ_EXECUTION_HISTORY WHERE SCHED_NAME = 'scheduler' AND FIRED_TIME < {NOW_TICKS} - 14 * {DAY_TICKS} + {DAY_TICKS} / 24"),
]

VIEWS = [
    ("view scheduler_executions, newest 50", "SELECT * FROM scheduler_executions ORDER BY fired_at DESC LIMIT 50"),
    ("view scheduler_misfires, newest 50", "SELECT * FROM scheduler_misfires ORDER BY misfired_at DESC LIMIT 50"),
    ("view scheduler_lateness, newest 50", "SELECT * FROM scheduler_lateness ORDER BY scheduled_at DESC LIMIT 50"),
    ("view scheduler_triggers (all)", "SELECT * FROM scheduler_triggers"),
    ("view scheduler_job_status (all)", "SELECT * FROM scheduler_job_status"),
    ("view scheduler_nodes", "SELECT * FROM scheduler_nodes"),
    ("view scheduler_running", "SELECT * FROM scheduler_running"),
    ("view scheduler_paused_groups", "SELECT * FROM scheduler_paused_groups"),
]


def explain(sql):
    # A DELETE is measured inside a transaction that is rolled back, so every run sees the same rows.
    body = f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}"
    drops = "".join(f"DROP INDEX {name};\n" for name in os.environ.get("WITHOUT_INDEXES", "").split(",") if name)
    if drops or sql.lstrip().upper().startswith("DELETE"):
        script = f"BEGIN;\n{drops}{body};\nROLLBACK;\n"
    else:
        script = body + ";\n"
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", PORT, "-U", "postgres",
                          "-d", "volume"], input=script, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{sql}\n{out.stderr}")
    plan = json.loads(out.stdout[out.stdout.index("["):out.stdout.rindex("]") + 1])[0]
    return plan


def describe(node):
    """The scan that read the most buffers, e.g. 'Index Scan idx_qrtz_eh_failed_at': where the query spends its time."""
    best, best_buffers, stack = None, -1, [node]
    while stack:
        n = stack.pop()
        if "Relation Name" in n or "Index Name" in n:
            buffers = n.get("Shared Hit Blocks", 0) + n.get("Shared Read Blocks", 0)
            if buffers > best_buffers:
                best, best_buffers = n, buffers
        stack.extend(n.get("Plans", []))
    return f"{best['Node Type']} {best.get('Index Name') or best.get('Relation Name')}" if best else node["Node Type"]


def main():
    rows = []
    for i, q in enumerate(readme_queries(), 1):
        first = " ".join(q.split())[:70]
        rows.append((f"README {i}: {first}", q))
    rows += VIEWS + APP
    width = 62
    print(f"{'query':<{width}} {'ms':>9} {'buffers':>9}  scan reading the most buffers")
    for label, sql in rows:
        for _ in range(3):
            plan = explain(sql)
        root = plan["Plan"]
        buffers = root.get("Shared Hit Blocks", 0) + root.get("Shared Read Blocks", 0)
        print(f"{label[:width]:<{width}} {plan['Execution Time']:>9.1f} {buffers:>9}  {describe(root)}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
