"""The partial index the task inbox scans: open run steps in due order."""


def up(migrator, db):
    db.execute_sql("CREATE INDEX IF NOT EXISTS run_step_open_due ON run_step (due_at, id) "
                   "WHERE status IN ('ready', 'paused')")


def down(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS run_step_open_due")
