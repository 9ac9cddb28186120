"""One subject-workflow helper: the glue between a plugin's record and its SOP run.

A plugin whose record (a guest visit, a test event, a survey wave) owns one run
of its SOP declares it once::

    from core.tracker.subject import Workflow
    FLOW = Workflow("KDI-PM-06", GuestVisit)          # or a subject type text

    run = FLOW.start(visit, "Tamu: Budi", app=app)     # the run of the SOP in force
    FLOW.run_of(visit)                                 # its latest run, or None
    FLOW.at_step(visit, 6)                             # the run if step 6 is open, else None
    FLOW.require_step(visit, 6, error=ServiceDeskError)  # … or a refusal saying where the run is
    FLOW.complete(visit, 6, user)                      # a person (holding the role) does step 6
    FLOW.complete(visit, 6, rule=_("angkatan selesai"))  # the step is done by a plugin rule, no actor
    FLOW.runs(visits)                                  # {subject id: latest run}, one query for a list
    FLOW.runs_at(visits, 3)                            # [(visit, run)] whose step 3 is open, one query
    FLOW.stop(batch_visit, "Angkatan dibatalkan")      # cancel (or end) its active runs
    FLOW.guard(2, lambda visit: visit.phone, lazy("Nomor telepon belum diisi."))  # a condition of step 2

For list pages of records whose runs may be of any SOP (case files), or a step's deadline shown
beside each record, the module functions answer in one query: ``runs_of(CaseFile, rows)``,
``open_step_due(WorkPlan, plans, 7, code=CODE)``, ``overdue_runs(run_ids)``.

The subject type is the subject's table name (``Model.audit_type()``), so the
run page links back through ``balai_record_link``.
"""
from core import db
from core.i18n import _
from core.tracker import runs as runs_mod
from core.tracker import guards
from core.tracker.base import OPEN, StepError, aware
from core.tracker.models import Run, RunStep


def subject_type_of(subject):
    """The subject type key: a model class's (or record's) table name, or the text given."""
    if isinstance(subject, str):
        return subject
    return subject.audit_type()


def _id(obj):
    return str(getattr(obj, "id", obj))


def _key(subject_id):
    return int(subject_id) if subject_id.isdigit() else subject_id


# ---------------------------------------------------------------- lists of records (one query each)

def runs_of(subject, records, code=None):
    """{subject id (int when numeric): its latest run} for records (or ids) of one subject type,
    of one SOP when ``code`` is given, else of any: one query."""
    ids = [_id(o) for o in records]
    if not ids:
        return {}
    q = Run.select().where((Run.subject_type == subject_type_of(subject)) & Run.subject_id.in_(ids))
    if code:
        q = q.where(Run.code == code)
    return {_key(run.subject_id): run for run in q.order_by(Run.id)}     # later runs overwrite earlier


def open_step_due(subject, records, no, code=None):
    """{subject id: due time (aware UTC)} of step ``no`` while it is open in the record's active run
    (records whose step has no due time are left out): one query. E.g. the last day for replies
    the tracker computed from the step's time standard, shown beside each record."""
    ids = [_id(o) for o in records]
    if not ids:
        return {}
    q = (RunStep.select(RunStep.due_at, Run.subject_id).join(Run, on=(RunStep.run == Run.id))
         .where((Run.subject_type == subject_type_of(subject)) & Run.subject_id.in_(ids) & (Run.status == "active")
                & (RunStep.no == no) & RunStep.status.in_(OPEN) & RunStep.due_at.is_null(False)))
    if code:
        q = q.where(Run.code == code)
    return {_key(sid): aware(due) for due, sid in q.tuples()}


def overdue_runs(run_ids, now=None):
    """The ids of those runs with an open step past its due time: one query."""
    if not run_ids:
        return set()
    now = now or db.utcnow()
    return {r for (r,) in RunStep.select(RunStep.run).where(
        RunStep.run.in_(list(run_ids)) & RunStep.status.in_(OPEN) & (RunStep.due_at < now)).tuples()}


class Workflow:
    """The runs of one SOP (``code``) for the records of one subject type."""

    def __init__(self, code, subject):
        self.code = code
        self.subject_type = subject_type_of(subject)
        self.model = subject if isinstance(subject, type) else None

    def guard(self, no, check, message):
        """A condition of step ``no`` on the run's record: completing it (a button, the run page, the
        API) is refused with ``message`` while ``check(record)`` is false; the run page shows it.

            FLOW.guard(2, lambda vacancy: candidates(vacancy, "matched").exists(),
                       lazy("Belum ada lulusan yang dicocokkan."))
        """
        model = self.model
        if model is None:
            raise TypeError(f"Workflow({self.code!r}, ...).guard needs the subject's model, not its type text")

        def condition(app, run, step):
            record = model.get_or_none(model._meta.primary_key == int(run.subject_id))
            return [(record is not None and check(record), message)]
        guards.register(self.code, no, condition)
        return self

    # ------------------------------------------------ one record
    def run_of(self, obj):
        return runs_mod.run_for(self.subject_type, _id(obj), self.code)

    def start(self, obj, title, params=None, app=None, first_no=None):
        return runs_mod.start_run(self.code, self.subject_type, _id(obj), str(title), params=params, app=app,
                                  first_no=first_no)

    def open_nos(self, obj, run=None):
        """Numbers of the open steps of the record's active run (empty when none)."""
        run = run if run is not None else self.run_of(obj)
        if run is None or run.status != "active":
            return set()
        return {rs.no for rs in runs_mod.open_steps(run)}

    def at_step(self, obj, *numbers):
        """The record's run if one of these steps is open, else None."""
        run = self.run_of(obj)
        return run if self.open_nos(obj, run) & set(numbers) else None

    def require_step(self, obj, *numbers, error=StepError):
        """The record's run at one of these steps, else ``error`` with a message saying where it is."""
        run = self.run_of(obj)
        nos = self.open_nos(obj, run)
        if nos & set(numbers):
            return run
        if not nos:
            raise error(_("Run SOP ini sudah selesai; tidak ada langkah yang dapat dikerjakan."))
        raise error(_("Tindakan ini tidak tersedia sekarang: langkah yang terbuka adalah {no}.",
                      no=", ".join(str(n) for n in sorted(nos))))

    def complete(self, obj, no, user=None, rule=None, notes="", links=(), files=(), branch=None, app=None,
                 error=StepError):
        """Complete step ``no`` (refused with ``error`` when it is not open). Either a ``user`` holding the
        step's role does it, or a plugin ``rule`` says why it is done (then ``user`` is who triggered it, or None)."""
        if user is None and rule is None:
            raise ValueError("complete a step as a user or by a rule")
        run = self.require_step(obj, no, error=error)
        return runs_mod.complete(run, user, notes=notes, links=list(links), files=list(files), branch=branch,
                                 expect_no=no, app=app, rule=rule)

    def complete_if_at(self, obj, no, user=None, rule=None, **kwargs):
        """Like ``complete`` but does nothing (None) when step ``no`` is not open."""
        if self.at_step(obj, no) is None:
            return None
        return self.complete(obj, no, user=user, rule=rule, **kwargs)

    def stop(self, obj, reason, status="cancelled", user=None, rule=None):
        """Cancel (or, with ``status="ended"``, end) the record's active runs: its subject was cancelled."""
        return runs_mod.stop_runs(self.subject_type, _id(obj), reason, status=status, code=self.code, user=user,
                                  rule=rule or reason)

    # ------------------------------------------------ lists (one query each)
    def runs(self, objs):
        """{subject id (int when numeric): its latest run} for a list of records: one query."""
        return runs_of(self.subject_type, objs, self.code)

    def runs_at(self, objs, no):
        """[(record, run)] of the records whose active run has step ``no`` open: one query."""
        by_id = {_id(o): o for o in objs}
        if not by_id:
            return []
        q = (Run.select().join(RunStep, on=(RunStep.run == Run.id))
             .where((Run.subject_type == self.subject_type) & Run.subject_id.in_(list(by_id)) & (Run.code == self.code)
                    & (Run.status == "active") & (RunStep.no == no) & RunStep.status.in_(OPEN)).distinct())
        return [(by_id[r.subject_id], r) for r in q]
