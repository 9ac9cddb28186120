"""Demo data only: a run's clock moved as if it had started earlier (or later).

A demo shows runs of every age — a guest served last week, a step overdue by three days — but
its data is made today. These functions move the stored times of a run and its steps directly,
without audit rows: the audit log records what was done, and nothing was done then. Never call
them outside ``balai_demo_data``.
"""
from core.tracker.base import aware, naive, standard_for
from core.tracker.models import Run, RunStep


def _moved(value, delta):
    return value + delta if value is not None else None


def shift_run(run, delta):
    """Move every time of the run and of its steps by ``delta`` (a timedelta; negative: earlier)."""
    Run.update(started_at=run.started_at + delta, completed_at=_moved(run.completed_at, delta)).where(
        Run.id == run.id).execute()
    for rs in RunStep.select().where(RunStep.run == run.id):
        RunStep.update(ready_at=rs.ready_at + delta, due_at=_moved(rs.due_at, delta),
                       completed_at=_moved(rs.completed_at, delta), starts_at=_moved(rs.starts_at, delta)).where(
            RunStep.id == rs.id).execute()


def restart_step(app, run_step, ready_at, params=None):
    """As if the open step ``run_step`` had become ready at ``ready_at`` (naive UTC): its due time
    recomputed by the tracker's own rule (working calendar and the step's time standard)."""
    due = app.calendar.due(aware(ready_at), standard_for(run_step.step, params or {}))
    RunStep.update(ready_at=ready_at, due_at=naive(due) if due is not None else None).where(
        RunStep.id == run_step.id).execute()
