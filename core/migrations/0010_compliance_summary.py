"""The compliance report's summary tables, kept by triggers on run_step (core/tracker/report.py)."""
from core.tracker import report


def up(migrator, db):
    report.install(db)


def down(migrator, db):
    report.uninstall(db)
