"""Reading runs: a run's timeline and sign-offs, the inbox, and the compliance report.

Every function here runs a fixed number of queries whatever the number of runs.
"""
import collections

import peewee

from core import db, identity
from core.tracker import people
from core.tracker.models import Evidence, Run, RunStep, SopStep, SopStepRole, StepSignoff


def timeline(run):
    """All step activations of a run with their step, completer and assignee: one query."""
    Completer, Assignee = identity.User.alias(), identity.User.alias()
    return list(RunStep.select(RunStep, SopStep, Completer, Assignee)
                .join(SopStep).switch(RunStep)
                .join(Completer, peewee.JOIN.LEFT_OUTER, on=(RunStep.completed_by == Completer.id)).switch(RunStep)
                .join(Assignee, peewee.JOIN.LEFT_OUTER, on=(RunStep.assigned_to == Assignee.id))
                .where(RunStep.run == run).order_by(RunStep.id))


def evidence_of(run_steps):
    out = {}
    ids = [rs.id for rs in run_steps]
    if ids:
        for ev in Evidence.select().where(Evidence.run_step.in_(ids)).order_by(Evidence.id):
            out.setdefault(ev.run_step_id, []).append(ev)
    return out


def signoffs_of(run_steps):
    """run step id → its sign-offs with the signer (one query)."""
    out = {}
    ids = [rs.id for rs in run_steps]
    if ids:
        for s in (StepSignoff.select(StepSignoff, identity.User).join(identity.User)
                  .where(StepSignoff.run_step.in_(ids)).order_by(StepSignoff.id)):
            out.setdefault(s.run_step_id, []).append(s)
    return out


def fn_exists(subquery):
    return peewee.fn.EXISTS(subquery)


def _open_sql():
    # Literal values, not parameters: only then may SQLite use the partial index.
    return peewee.NodeList((RunStep.status, peewee.SQL("IN ('ready', 'paused')")))


def waiting_for(user_id, roles):
    """SQL: an open step is this user's to do — their role (own or acting) has not signed it yet,
    and it is not assigned to someone else. ``roles``: a list or a subquery of role codes."""
    pending_role = SopStepRole.select(SopStepRole.id).where(
        (SopStepRole.step == SopStep.id) & SopStepRole.role.in_(roles)
        & ~fn_exists(StepSignoff.select(StepSignoff.id).where((StepSignoff.run_step == RunStep.id)
                                                              & (StepSignoff.role == SopStepRole.role))))
    return (_open_sql() & fn_exists(pending_role)
            & (RunStep.assigned_to.is_null() | (RunStep.assigned_to == user_id)))


InboxStep = collections.namedtuple("InboxStep", "activity sign_off")
InboxRun = collections.namedtuple("InboxRun", "id title code")
# A row of the inbox: the shown columns of the step activation, its SOP step and its run.
InboxRow = collections.namedtuple("InboxRow", "id no status ready_at due_at starts_at assigned_to_id step run")


def _inbox_query(timed):
    user = db.param("user")
    q = (RunStep.select(RunStep.id, RunStep.no, RunStep.status, RunStep.ready_at, RunStep.due_at, RunStep.starts_at,
                        RunStep.assigned_to, SopStep.activity, SopStep.sign_off, Run.id, Run.title, Run.code)
         .join(SopStep).switch(RunStep).join(Run)
         .where(waiting_for(user, people.role_set_sql(user, db.param("day")))))
    if timed:
        q = q.where(RunStep.due_at.is_null(False)).order_by(RunStep.due_at, RunStep.id)
    else:
        q = q.where(RunStep.due_at.is_null()).order_by(RunStep.id)
    return q.limit(db.param("limit")).tuples()


# Built once (core/db.py Prepared): a page of 200 rows as tuples of the shown columns, not
# three model objects a row (that took two thirds of the page's time).
_INBOX_TIMED = db.Prepared(lambda: _inbox_query(True))
_INBOX_UNTIMED = db.Prepared(lambda: _inbox_query(False))


def inbox(user, limit=200, on=None):
    """Open steps waiting for the user, most urgent first, as ``InboxRow``s.

    Two queries whatever the number of runs: steps with a due time in due order
    (a scan of the partial index ``run_step_open_due``), then, if room is left,
    steps without a time standard. Roles include positions the user acts for.
    """
    values = {"user": user.id, "day": people._day(on)}
    rows = _INBOX_TIMED.rows(limit=limit, **values)
    if len(rows) < limit:
        rows += _INBOX_UNTIMED.rows(limit=limit - len(rows), **values)
    return [InboxRow(*t[:7], InboxStep(t[7], t[8]), InboxRun(t[9], t[10], t[11])) for t in rows]


def compliance(code=None, since=None, until=None):
    """Per SOP step: activations, finished, on time, late, open overdue, stopped (the run ended or was
    cancelled while it was open: neither on time nor late), median and standard minutes, from the
    summary kept at each step transition (core/tracker/report.py): at most steps × days rows read."""
    from core.tracker import report
    return report.compliance(code, since, until)


def run_outcomes(code=None, since=None, until=None):
    """Per SOP: how many runs are active, completed, ended early and cancelled, from the summary
    kept by triggers on ``run`` (core/tracker/report.py): one query, whatever the number of runs."""
    from core.tracker import report
    return report.run_outcomes(code, since, until)
