"""The compliance report from a summary kept at every step transition.

Reading every run step of the period (≈300,000 rows at 100,000 runs) took
0.6–2 s per request. Instead, database triggers on ``run_step`` keep three
small tables up to date in the same transaction as each change, whatever
path wrote it (the tracker's audited service, a plugin's demo back-dating,
a migration):

- ``compliance_day``: per (SOP code, step no, day the step became ready, UTC):
  activations, finished (done or returned), on time, late, stopped (the run
  ended or was cancelled while the step was open), largest standard;
- ``compliance_minutes``: per (code, no, day, bucket) the number of finished
  steps whose working minutes fall in the bucket: the histogram the median
  comes from. Buckets are exact below 16 minutes, then 8 per doubling
  (16, 18, 20 … 28, 32, 36 …), so the median is within 12.5 % below the true one;
- ``compliance_open``: per (code, no, day, due day) the open steps, so
  "open and overdue" is a sum for past due days plus a count of today's.

- ``run_outcome_day``: per (code, day the run started, status) the number of runs, kept by
  triggers on ``run``: the report's active / completed / ended / cancelled counts (reading the
  100,000 runs for them took ~100 ms, more than the rest of the report).

The report reads at most (steps × days) rows, whatever the number of runs.
``recompute`` rebuilds the same figures from ``run_step`` (for the test that
the summary never drifts, and for ``install`` on an existing database).
"""
import datetime

import peewee

from core import db

STATUSES = ("done", "returned", "skipped", "ready", "paused", "stopped")      # counted as activations
FINISHED = ("done", "returned")
OPEN = ("ready", "paused")
TABLES = ("compliance_day", "compliance_minutes", "compliance_open", "run_outcome_day")


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def bucket_sql(minutes):
    """The histogram bucket of a number of working minutes (its lower bound), in SQL."""
    cases = [f"WHEN {minutes} < 16 THEN {minutes}"]
    for k in range(1, 22):
        cases.append(f"WHEN {minutes} < {2 ** (k + 4)} THEN ({minutes} / {2 ** k}) * {2 ** k}")
    return f"(CASE {' '.join(cases)} ELSE ({minutes} / {2 ** 22}) * {2 ** 22} END)"


def _day(column, sqlite):
    return f"date({column})" if sqlite else f"CAST({column} AS date)"


def _flag(cond):
    return f"(CASE WHEN {cond} THEN 1 ELSE 0 END)"


# ---------------------------------------------------------------- the summary tables and triggers

def _tables(sqlite):
    day_type = "TEXT" if sqlite else "DATE"
    return [
        f"CREATE TABLE IF NOT EXISTS compliance_day (code VARCHAR(64) NOT NULL, no INTEGER NOT NULL, day {day_type} NOT NULL, "
        "total INTEGER NOT NULL DEFAULT 0, finished INTEGER NOT NULL DEFAULT 0, on_time INTEGER NOT NULL DEFAULT 0, "
        "late INTEGER NOT NULL DEFAULT 0, stopped INTEGER NOT NULL DEFAULT 0, standard INTEGER, PRIMARY KEY (code, no, day))",
        f"CREATE TABLE IF NOT EXISTS compliance_minutes (code VARCHAR(64) NOT NULL, no INTEGER NOT NULL, day {day_type} NOT NULL, "
        "bucket INTEGER NOT NULL, n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (code, no, day, bucket))",
        f"CREATE TABLE IF NOT EXISTS compliance_open (code VARCHAR(64) NOT NULL, no INTEGER NOT NULL, day {day_type} NOT NULL, "
        f"due_day {day_type} NOT NULL, n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (code, no, day, due_day))",
        f"CREATE TABLE IF NOT EXISTS run_outcome_day (code VARCHAR(64) NOT NULL, day {day_type} NOT NULL, "
        "status VARCHAR(12) NOT NULL, n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (code, day, status))",
        "CREATE INDEX IF NOT EXISTS compliance_day_day ON compliance_day (day)",
        "CREATE INDEX IF NOT EXISTS compliance_minutes_day ON compliance_minutes (day)",
        "CREATE INDEX IF NOT EXISTS compliance_open_due ON compliance_open (due_day)",
    ]


def _apply(r, sign, sqlite):
    """Statements adding (sign 1) or removing (sign -1) the contribution of row ``r`` (new/old)."""
    finished = _in(f"{r}.status", FINISHED)
    day = _day(f"{r}.ready_at", sqlite)
    standard = f"{r}.standard_minutes" if sign > 0 else "NULL"     # a largest value is kept, not taken back
    stopped = _flag(f"{r}.status = 'stopped'")
    return [
        f"INSERT INTO compliance_day (code, no, day, total, finished, on_time, late, stopped, standard) "
        f"SELECT {r}.code, {r}.no, {day}, {sign}, {sign} * {_flag(finished)}, "
        f"{sign} * {_flag(f'{finished} AND {r}.on_time = TRUE')}, {sign} * {_flag(f'{finished} AND {r}.on_time = FALSE')}, "
        f"{sign} * {stopped}, "
        f"{standard} WHERE {_in(f'{r}.status', STATUSES)} "
        f"ON CONFLICT (code, no, day) DO UPDATE SET total = compliance_day.total + excluded.total, "
        f"finished = compliance_day.finished + excluded.finished, on_time = compliance_day.on_time + excluded.on_time, "
        f"late = compliance_day.late + excluded.late, stopped = compliance_day.stopped + excluded.stopped, standard = CASE WHEN compliance_day.standard IS NULL "
        f"OR excluded.standard > compliance_day.standard THEN COALESCE(excluded.standard, compliance_day.standard) "
        f"ELSE compliance_day.standard END",
        f"INSERT INTO compliance_minutes (code, no, day, bucket, n) "
        f"SELECT {r}.code, {r}.no, {day}, {bucket_sql(f'{r}.elapsed_minutes')}, {sign} "
        f"WHERE {finished} AND {r}.elapsed_minutes IS NOT NULL "
        f"ON CONFLICT (code, no, day, bucket) DO UPDATE SET n = compliance_minutes.n + excluded.n",
        f"INSERT INTO compliance_open (code, no, day, due_day, n) "
        f"SELECT {r}.code, {r}.no, {day}, {_day(f'{r}.due_at', sqlite)}, {sign} "
        f"WHERE {_in(f'{r}.status', OPEN)} AND {r}.due_at IS NOT NULL "
        f"ON CONFLICT (code, no, day, due_day) DO UPDATE SET n = compliance_open.n + excluded.n",
    ]


def _apply_run(r, sign, sqlite):
    """The statement adding (1) or removing (-1) run ``r``'s count in run_outcome_day."""
    return [f"INSERT INTO run_outcome_day (code, day, status, n) SELECT {r}.code, {_day(f'{r}.started_at', sqlite)}, "
            f"{r}.status, {sign} ON CONFLICT (code, day, status) DO UPDATE SET n = run_outcome_day.n + excluded.n"]


RUN_WATCHED = "status, started_at, code"
WATCHED = "status, ready_at, due_at, on_time, elapsed_minutes, standard_minutes, code, no"


def _triggers(sqlite):
    if sqlite:
        body = lambda stmts: " ".join(s + ";" for s in stmts)   # noqa: E731
        return [
            f"CREATE TRIGGER IF NOT EXISTS run_step_summary_ai AFTER INSERT ON run_step BEGIN "
            f"{body(_apply('new', 1, True))} END",
            f"CREATE TRIGGER IF NOT EXISTS run_step_summary_ad AFTER DELETE ON run_step BEGIN "
            f"{body(_apply('old', -1, True))} END",
            f"CREATE TRIGGER IF NOT EXISTS run_step_summary_au AFTER UPDATE OF {WATCHED} ON run_step BEGIN "
            f"{body(_apply('old', -1, True) + _apply('new', 1, True))} END",
            f"CREATE TRIGGER IF NOT EXISTS run_summary_ai AFTER INSERT ON run BEGIN {body(_apply_run('new', 1, True))} END",
            f"CREATE TRIGGER IF NOT EXISTS run_summary_ad AFTER DELETE ON run BEGIN {body(_apply_run('old', -1, True))} END",
            f"CREATE TRIGGER IF NOT EXISTS run_summary_au AFTER UPDATE OF {RUN_WATCHED} ON run BEGIN "
            f"{body(_apply_run('old', -1, True) + _apply_run('new', 1, True))} END",
        ]
    body = lambda stmts: " ".join(s + ";" for s in stmts)       # noqa: E731
    return [
        "CREATE OR REPLACE FUNCTION run_step_summary() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {body(_apply('OLD', -1, False))} END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {body(_apply('NEW', 1, False))} END IF; "
        "RETURN NULL; END; $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS run_step_summary ON run_step",
        f"CREATE TRIGGER run_step_summary AFTER INSERT OR DELETE OR UPDATE OF {WATCHED} ON run_step "
        "FOR EACH ROW EXECUTE FUNCTION run_step_summary()",
        "CREATE OR REPLACE FUNCTION run_summary() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {body(_apply_run('OLD', -1, False))} END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {body(_apply_run('NEW', 1, False))} END IF; "
        "RETURN NULL; END; $$ LANGUAGE plpgsql",
        "DROP TRIGGER IF EXISTS run_summary ON run",
        f"CREATE TRIGGER run_summary AFTER INSERT OR DELETE OR UPDATE OF {RUN_WATCHED} ON run "
        "FOR EACH ROW EXECUTE FUNCTION run_summary()",
    ]


def install(database):
    """Create the tables and triggers and fill them from the run steps already there (a migration calls this)."""
    sqlite = db.is_sqlite(database)
    for sql in _tables(sqlite):
        database.execute_sql(sql)
    rebuild(database)
    for sql in _triggers(sqlite):
        database.execute_sql(sql)


def drop_triggers(database):
    """Stop maintaining the summary (bulk loads); ``install`` rebuilds it and starts again."""
    if db.is_sqlite(database):
        for suffix in ("ai", "ad", "au"):
            database.execute_sql(f"DROP TRIGGER IF EXISTS run_step_summary_{suffix}")
            database.execute_sql(f"DROP TRIGGER IF EXISTS run_summary_{suffix}")
    else:
        database.execute_sql("DROP TRIGGER IF EXISTS run_step_summary ON run_step")
        database.execute_sql("DROP TRIGGER IF EXISTS run_summary ON run")


def uninstall(database):
    drop_triggers(database)
    if not db.is_sqlite(database):
        database.execute_sql("DROP FUNCTION IF EXISTS run_step_summary()")
        database.execute_sql("DROP FUNCTION IF EXISTS run_summary()")
    for table in TABLES:
        database.execute_sql(f"DROP TABLE IF EXISTS {table}")


def _recompute_sql(sqlite):
    """(table, SELECT giving its rows from run_step): the summary computed from scratch."""
    finished = _in("status", FINISHED)
    stopped = _flag("status = 'stopped'")
    day = _day("ready_at", sqlite)
    return {
        "compliance_day": (
            f"SELECT code, no, {day}, COUNT(*), SUM({_flag(finished)}), SUM({_flag(f'{finished} AND on_time = TRUE')}), "
            f"SUM({_flag(f'{finished} AND on_time = FALSE')}), SUM({stopped}), MAX(standard_minutes) FROM run_step "
            f"WHERE {_in('status', STATUSES)} GROUP BY code, no, {day}"),
        "compliance_minutes": (
            f"SELECT code, no, {day}, {bucket_sql('elapsed_minutes')}, COUNT(*) FROM run_step "
            f"WHERE {finished} AND elapsed_minutes IS NOT NULL GROUP BY code, no, {day}, {bucket_sql('elapsed_minutes')}"),
        "compliance_open": (
            f"SELECT code, no, {day}, {_day('due_at', sqlite)}, COUNT(*) FROM run_step "
            f"WHERE {_in('status', OPEN)} AND due_at IS NOT NULL GROUP BY code, no, {day}, {_day('due_at', sqlite)}"),
        "run_outcome_day": (
            f"SELECT code, {_day('started_at', sqlite)}, status, COUNT(*) FROM run GROUP BY code, {_day('started_at', sqlite)}, status"),
    }


def rebuild(database):
    """Refill the summary tables from run_step."""
    for table, select in _recompute_sql(db.is_sqlite(database)).items():
        database.execute_sql(f"DELETE FROM {table}")
        database.execute_sql(f"INSERT INTO {table} {select}")


def _rows(database, sql):
    """Rows as a set of tuples of plain values (dates as ISO text on both databases)."""
    return {tuple(v.isoformat() if isinstance(v, datetime.date) else v for v in row)
            for row in database.execute_sql(sql).fetchall()}


def stored(database):
    """The summary tables' rows per table (rows that removals brought back to zero left out)."""
    columns = {"compliance_day": "code, no, day, total, finished, on_time, late, stopped, standard",
               "compliance_minutes": "code, no, day, bucket, n", "compliance_open": "code, no, day, due_day, n",
               "run_outcome_day": "code, day, status, n"}
    out = {}
    for table, cols in columns.items():
        counts = slice(3, 8) if table == "compliance_day" else slice(-1, None)
        out[table] = {r for r in _rows(database, f"SELECT {cols} FROM {table}") if any(r[counts])}
    return out


def recompute(database):
    """The same rows computed from run_step now."""
    return {table: _rows(database, select) for table, select in _recompute_sql(db.is_sqlite(database)).items()}


# ---------------------------------------------------------------- the report

class _Table(peewee.Model):
    code = peewee.CharField()
    no = peewee.IntegerField()
    day = peewee.DateField()

    class Meta:
        database = db.database
        primary_key = False


class ComplianceDay(_Table):
    total = peewee.IntegerField()
    finished = peewee.IntegerField()
    on_time = peewee.IntegerField()
    late = peewee.IntegerField()
    stopped = peewee.IntegerField()
    standard = peewee.IntegerField(null=True)

    class Meta:
        table_name = "compliance_day"


class ComplianceMinutes(_Table):
    bucket = peewee.IntegerField()
    n = peewee.IntegerField()

    class Meta:
        table_name = "compliance_minutes"


class RunOutcomeDay(peewee.Model):
    code = peewee.CharField()
    day = peewee.DateField()
    status = peewee.CharField()
    n = peewee.IntegerField()

    class Meta:
        database = db.database
        primary_key = False
        table_name = "run_outcome_day"


class ComplianceOpen(_Table):
    due_day = peewee.DateField()
    n = peewee.IntegerField()

    class Meta:
        table_name = "compliance_open"


def _range(model, code, since, until):
    cond = peewee.Value(True)
    if code:
        cond &= model.code == code
    if since:
        cond &= model.day >= since
    if until:
        cond &= model.day <= until
    return cond


def median_of(histogram):
    """Median of a sorted [(bucket, count)] histogram: the mean of the middle value(s)' buckets."""
    total = sum(n for _b, n in histogram)
    if not total:
        return None
    wanted = sorted({(total + 1) // 2, (total + 2) // 2})
    values, seen = [], 0
    for bucket, n in histogram:
        seen += n
        while wanted and wanted[0] <= seen:
            values.append(bucket)
            wanted.pop(0)
    return sum(values) / len(values)


def compliance(code=None, since=None, until=None, now=None):
    """Per SOP step: activations, finished, on time, late, open overdue, median and standard minutes.

    Three queries on the summary, at most steps × days (× buckets) rows each, and one
    on the open steps due earlier today.
    """
    from core.tracker.models import RunStep
    now = now or db.utcnow()
    rows = (ComplianceDay.select(ComplianceDay.code, ComplianceDay.no,
                                 peewee.fn.SUM(ComplianceDay.total).alias("total"),
                                 peewee.fn.SUM(ComplianceDay.finished).alias("finished"),
                                 peewee.fn.SUM(ComplianceDay.on_time).alias("on_time"),
                                 peewee.fn.SUM(ComplianceDay.late).alias("late"),
                                 peewee.fn.SUM(ComplianceDay.stopped).alias("stopped"),
                                 peewee.fn.MAX(ComplianceDay.standard).alias("standard"))
            .where(_range(ComplianceDay, code, since, until))
            .group_by(ComplianceDay.code, ComplianceDay.no).order_by(ComplianceDay.code, ComplianceDay.no).dicts())
    result = {(r["code"], r["no"]): dict(r, overdue=0, median=None) for r in rows if r["total"]}
    histograms = {}
    for code_, no, bucket, n in (ComplianceMinutes.select(ComplianceMinutes.code, ComplianceMinutes.no,
                                                          ComplianceMinutes.bucket, peewee.fn.SUM(ComplianceMinutes.n))
                                 .where(_range(ComplianceMinutes, code, since, until) & (ComplianceMinutes.n != 0))
                                 .group_by(ComplianceMinutes.code, ComplianceMinutes.no, ComplianceMinutes.bucket)
                                 .order_by(ComplianceMinutes.code, ComplianceMinutes.no, ComplianceMinutes.bucket).tuples()):
        histograms.setdefault((code_, no), []).append((bucket, int(n)))
    for key, histogram in histograms.items():
        if key in result:
            result[key]["median"] = median_of(histogram)
    # Open and overdue: due on an earlier day (summary), or earlier today (the open-steps index).
    today = now.date()
    for code_, no, n in (ComplianceOpen.select(ComplianceOpen.code, ComplianceOpen.no, peewee.fn.SUM(ComplianceOpen.n))
                         .where(_range(ComplianceOpen, code, since, until) & (ComplianceOpen.due_day < today))
                         .group_by(ComplianceOpen.code, ComplianceOpen.no).tuples()):
        if (code_, no) in result:
            result[(code_, no)]["overdue"] += int(n)
    # Today's: through the partial index of open steps by due time. The period is tested in
    # the SUM, not the WHERE: a range on ready_at there lets the planner pick the
    # (code, ready_at) index and read every activation of the period (0.5 s at 100,000 runs).
    is_open = peewee.NodeList((RunStep.status, peewee.SQL("IN ('ready', 'paused')")))   # literal: the partial index
    in_period = peewee.Value(True)
    if since:
        in_period &= RunStep.ready_at >= datetime.datetime.combine(since, datetime.time())
    if until:
        in_period &= RunStep.ready_at < datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time())
    for code_, no, n in (RunStep.select(RunStep.code, RunStep.no, peewee.fn.SUM(peewee.Case(None, [(in_period, 1)], 0)))
                         .where(is_open & (RunStep.due_at >= datetime.datetime.combine(today, datetime.time()))
                                & (RunStep.due_at < now))
                         .group_by(RunStep.code, RunStep.no).tuples()):
        if (code_, no) in result:
            result[(code_, no)]["overdue"] += int(n or 0)
    out = list(result.values())
    for r in out:
        for key in ("total", "finished", "on_time", "late", "stopped"):
            r[key] = int(r[key] or 0)
        r["on_time_pct"] = round(100.0 * r["on_time"] / r["finished"], 1) if r["finished"] else None
    return out


def run_outcomes(code=None, since=None, until=None):
    """Per SOP: how many runs (started in the period) are active, completed, ended early and
    cancelled: one query on run_outcome_day, at most codes × days × 4 rows."""
    q = (RunOutcomeDay.select(RunOutcomeDay.code, RunOutcomeDay.status, peewee.fn.SUM(RunOutcomeDay.n))
         .where(_range(RunOutcomeDay, code, since, until)).group_by(RunOutcomeDay.code, RunOutcomeDay.status))
    out = {}
    for code_, status, n in q.tuples():
        if n:
            out.setdefault(code_, {"active": 0, "completed": 0, "ended": 0, "cancelled": 0})[status] = int(n)
    return out
