"""Each run step keeps its run's SOP code, so the compliance report reads run_step alone."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column("run_step", "code", CharField(max_length=64, default="")))
    db.execute_sql("UPDATE run_step SET code = (SELECT run.code FROM run WHERE run.id = run_step.run_id)")
    migrator.migrate(migrator.add_index("run_step", ("code", "ready_at"), False))
