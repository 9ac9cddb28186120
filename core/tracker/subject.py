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

The subject type is the subject's table name (``Model.audit_type()``), so the
run page links back through ``balai_record_link``.
"""
from core.i18n import _
from core.tracker import runs as runs_mod
from core.tracker.base import OPEN, StepError
from core.tracker.models import Run, RunStep


def subject_type_of(subject):
    """The subject type key: a model class's (or record's) table name, or the text given."""
    if isinstance(subject, str):
        return subject
    return subject.audit_type()


def _id(obj):
    return str(getattr(obj, "id", obj))


class Workflow:
    """The runs of one SOP (``code``) for the records of one subject type."""

    def __init__(self, code, subject):
        self.code = code
        self.subject_type = subject_type_of(subject)

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
        ids = [_id(o) for o in objs]
        if not ids:
            return {}
        out = {}
        for run in (Run.select().where((Run.subject_type == self.subject_type) & Run.subject_id.in_(ids)
                                       & (Run.code == self.code)).order_by(Run.id)):
            out[int(run.subject_id) if run.subject_id.isdigit() else run.subject_id] = run
        return out

    def runs_at(self, objs, no):
        """[(record, run)] of the records whose active run has step ``no`` open: one query."""
        by_id = {_id(o): o for o in objs}
        if not by_id:
            return []
        q = (Run.select().join(RunStep, on=(RunStep.run == Run.id))
             .where((Run.subject_type == self.subject_type) & Run.subject_id.in_(list(by_id)) & (Run.code == self.code)
                    & (Run.status == "active") & (RunStep.no == no) & RunStep.status.in_(OPEN)).distinct())
        return [(by_id[r.subject_id], r) for r in q]
