"""The compliance report's run counts (active, completed, ended, cancelled) from a summary kept by
triggers on ``run`` (core/tracker/report.py), as the step figures already are (0010)."""
from core.tracker import report


def up(migrator, db):
    report.install(db)          # idempotent: creates what is missing, refills every summary table


def down(migrator, db):
    from core import db as core_db
    if core_db.is_sqlite(db):
        for suffix in ("ai", "ad", "au"):
            db.execute_sql(f"DROP TRIGGER IF EXISTS run_summary_{suffix}")
    else:
        db.execute_sql("DROP TRIGGER IF EXISTS run_summary ON run")
        db.execute_sql("DROP FUNCTION IF EXISTS run_summary()")
    db.execute_sql("DROP TABLE IF EXISTS run_outcome_day")
