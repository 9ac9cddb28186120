"""The service desk's rules: what the screens and event subscribers call.

Each guest visit owns one run of KDI-PM-06. The screens complete the steps
whose action they are (saving the guest completes step 1 with the routing
decision, registering completes step 2, re-registration (daftar ulang) completes
step 3 — an applicant not accepted ends the run there —, saving minutes completes step 4, the
head's approval of both RAB and PKS completes step 5); the training plugin's
``training.batch_ended`` completes step 6 and the LSP result (recorded by hand,
or the ``certification`` plugin's ``certification.event_archived``) step 7.

The rules of step 2–3 (registration, selection) are in ``selection.py``, of steps
4–5 (minutes, RAB, PKS, approvals, ID Billing) in ``cooperation.py``, of the
public-service duties (SKM, complaints) in ``skm.py``; this module keeps the run
of a visit, its hand-over to a training batch (step 6) and the competency test (step 7).

Refusals raise ``ServiceDeskError`` (or the tracker's ``StepError`` / the
training plugin's ``TrainingError``) with a message for the user.
"""
import json
import logging

from core.toolkit import _, actor, audit, current_app, db, format_date, local_today, tracker
from plugins.service_desk.models import Cooperation, GuestVisit, TestResult
from plugins.service_desk.sop import SOP
from plugins.training.models import Batch, Programme


log = logging.getLogger("balai.service_desk")
CODE = SOP["code"]
SUBJECT = GuestVisit.audit_type()         # "service_desk_visit"
FLOW = tracker.Workflow(CODE, SUBJECT)
EMPOWER = "sub_koordinator_pemberdayaan"
DELIVERY = "sub_koordinator_penyelenggaraan"
HEAD = "kepala_bpvp"

# The routing decisions: purpose → the branch label of step 1; the selection outcome
# of step 3 and the kind of cooperation of step 4 → theirs (labels as in sop.py).
_BRANCHES = {s["no"]: [b["label"] for b in s.get("branches", ())] for s in SOP["steps"]}
BRANCH = dict(zip(("registration", "cooperation", "information", "complaint"), _BRANCHES[1]))
ACCEPTED, NOT_ACCEPTED = _BRANCHES[3]
KIND_BRANCH = dict(zip(("training_certification", "placement"), _BRANCHES[4]))


class ServiceDeskError(Exception):
    """A refusal the user can read; ``field`` names the form field it concerns (shown next to it)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field

# ---------------------------------------------------------------- runs

def run_of(visit):
    return FLOW.run_of(visit)


def at_step(run, no):
    return run is not None and run.status == "active" and run.current_no == no


def runs_at(visits, no):
    """(visit, run) of the given visits whose run waits at step ``no`` (one query)."""
    return FLOW.runs_at(visits, no)


def visit_url(visit):
    return f"/service-desk/visits/{visit.id}"


def create_visit(app, user, data):
    """Enter a guest in the guest book: starts the run and completes step 1 with
    the routing decision (the officer holds the step's role, or StepError)."""
    with db.write():
        visit = audit.create(GuestVisit, day=local_today(app), name=data["name"], category=data["category"],
                             organisation=data.get("organisation") or "", phone=data.get("phone") or "",
                             purpose=data["purpose"], consent=True, notes=data.get("notes") or "",
                             received_by=user.id)
        branch = BRANCH[visit.purpose]
        run = tracker.start_run(CODE, SUBJECT, visit.id, _("Tamu: {n} ({p})", n=visit.name, p=branch), app=app)
        tracker.complete(run, user, notes=_("Tamu dicatat di buku tamu."), branch=branch,
                         links=[(_("Buku tamu"), visit_url(visit))], app=app)
        from plugins.service_desk import skm
        skm.open_link(visit, user)           # the satisfaction survey offered after the visit (link/QR)
        if visit.purpose == "cooperation":
            audit.create(Cooperation, visit=visit)
        if visit.purpose == "complaint":
            skm.open_complaint(app, user, {"name": visit.name, "contact": visit.phone, "channel": "langsung",
                                           "subject": _("Pengaduan tamu {n}", n=visit.name), "text": visit.notes},
                               visit=visit)
    return visit


def skm_link(app, visit):
    """The visit's satisfaction-survey address (a core public link: expires, answered once), or ""."""
    from core.toolkit import documents
    from plugins.service_desk import skm
    link = skm.link_of(visit)
    return f"{documents.base_url(app)}/layanan/skm?t={link.token}" if link is not None else ""


def set_batch(visit, batch):
    """Hand the run over to a training batch: step 6's standard becomes the programme's JP."""
    with db.write():
        if visit.batch_id != batch.id:
            audit.update(visit, batch=batch.id)
        run = run_of(visit)
        if run is None:
            return
        jp = Programme.get_by_id(batch.programme_id).total_jp
        params = json.loads(run.params or "{}")
        if params.get("JP") != jp:
            params["JP"] = jp
            audit.update(run, params=json.dumps(params))
        # Step 6's clock is the batch's own last day (anchor ``akhir_pelatihan``).
        tracker.reanchor(run, current_app())


def batch_of(visit):
    """The training batch the visit's run was handed over to."""
    return Batch.get_by_id(visit.batch_id)


def step_anchor(run, step):
    """``balai_step_anchor``: step 6 records the training, so its clock is the batch's own
    last day (runs of the earlier revision, anchored ``mulai_pelatihan``, keep its first day)."""
    if run.code != CODE or step.anchor not in ("akhir_pelatihan", "mulai_pelatihan"):
        return None
    visit = GuestVisit.get_or_none(GuestVisit.id == int(run.subject_id))
    if visit is None or not visit.batch_id:
        return None
    batch = Batch.get_by_id(visit.batch_id)
    return batch.end_date if step.anchor == "akhir_pelatihan" else batch.start_date


def step_guards(run, step):
    """``balai_step_guards``: step 6 records a training that has ended."""
    if run.code != CODE or step.no != 6:
        return []
    visit = GuestVisit.get_or_none(GuestVisit.id == int(run.subject_id))
    batch = Batch.get_by_id(visit.batch_id) if visit and visit.batch_id else None
    if batch is None:
        return [_("Tautkan dulu angkatan pelatihan.")]
    if batch.status != "ended":
        return [_("Pelatihan {b} belum selesai (berakhir {d}).", b=str(batch), d=format_date(batch.end_date))]
    return []

def sync_training_step(visit, user):
    """Step 6 is done as soon as its batch has ended (also when it ended before step 6 opened)."""
    if not visit.batch_id:
        return False
    batch = Batch.get_by_id(visit.batch_id)
    run = run_of(visit)
    if batch.status != "ended" or not at_step(run, 6):
        return False
    tracker.complete(run, user, expect_no=6, rule=_("angkatan pelatihan sudah selesai"),
                     notes=_("Pelatihan {b} selesai ({d}).", b=str(batch), d=format_date(batch.end_date)),
                     links=[(str(batch), f"/training/batches/{batch.id}")])
    return True


def on_batch_ended(batch_id):
    """``training.batch_ended``: complete step 6 of every run handed over to that batch."""
    user = actor()      # the user who ended the batch, or the system (a job, the CLI)
    visits = list(GuestVisit.select().where(GuestVisit.batch == batch_id))
    done = 0
    for visit, _run in runs_at(visits, 6):
        try:
            done += sync_training_step(visit, user)
        except tracker.StepError:
            log.exception("could not complete step 6 of visit %s", visit.id)
    return done

# ---------------------------------------------------------------- the visit's cooperation (steps 4–5: cooperation.py)

def cooperation_of(visit):
    return Cooperation.get_or_none(Cooperation.visit == visit)

# ---------------------------------------------------------------- step 7: competency test

def payment_problem(visit):
    """Why the competency test may not be scheduled for this visit, or None."""
    if visit.purpose != "cooperation":
        return None
    coop = cooperation_of(visit)
    if coop is None or not coop.billing_id:
        return _("Uji kompetensi belum dapat dijadwalkan: ID Billing biaya sertifikasi belum diterbitkan.")
    if not coop.paid:
        return _("Uji kompetensi belum dapat dijadwalkan: tagihan ID Billing {b} belum dibayar.", b=coop.billing_id)
    return None


def test_ready(visit):
    if not visit.batch_id:
        raise ServiceDeskError(_("Tautkan dulu angkatan pelatihan (langkah 6)."))
    problem = payment_problem(visit)
    if problem:
        raise ServiceDeskError(problem)


def test_result_of(batch_id):
    return TestResult.get_or_none(TestResult.batch == batch_id) if batch_id else None


def complete_tests(app, batch_id, user, first=None, files=(), notes="", links=(), rule=None):
    """Complete step 7 of the runs of this batch (paid ones), ``first`` before the others."""
    visits = list(GuestVisit.select().where(GuestVisit.batch == batch_id))
    pairs = sorted(runs_at(visits, 7), key=lambda p: p[0].id != (first.id if first else None))
    done = 0
    for visit, run in pairs:
        if payment_problem(visit):
            continue
        tracker.complete(run, user, expect_no=7, app=app, files=files, notes=notes, links=links, rule=rule)
        done += 1
    return done


def record_test_by_hand(app, visit, user, data, upload):
    """The LSP's result recorded by hand (certification plugin not enabled)."""
    test_ready(visit)
    if not at_step(run_of(visit), 7):
        raise ServiceDeskError(_("Run tamu ini belum sampai di langkah 7 (uji kompetensi)."))
    if data["passed"] > data["candidates"]:
        raise ServiceDeskError(_("Jumlah yang lulus tidak boleh melebihi jumlah peserta uji."))
    batch = Batch.get_by_id(visit.batch_id)
    fields = dict(ba_number=data["ba_number"], ba_date=data["ba_date"], candidates=data["candidates"],
                  passed=data["passed"], file_name=upload["filename"], file_sha256=upload["sha256"],
                  file_size=upload["size"], file_type=upload["content_type"], recorded_by=user.id,
                  recorded_at=db.utcnow())
    with db.write():
        db.lock(Batch, batch.id)                 # one result per batch: two clerks saving, one after the other
        existing = test_result_of(visit.batch_id)
        result = audit.update(existing, **fields) if existing else audit.create(TestResult, batch=visit.batch_id, **fields)
        done = complete_tests(app, visit.batch_id, user, first=visit, files=[upload],
                               notes=_("Berita acara LSP {n} tanggal {d}: {p} dari {c} peserta kompeten.",
                                       n=data["ba_number"], d=format_date(data["ba_date"]), p=data["passed"],
                                       c=data["candidates"]))
    return result, done

# ---------------------------------------------------------------- recap and chart

def visits_of_day(day):
    return list(GuestVisit.select().where(GuestVisit.day == day).order_by(GuestVisit.visited_at))


def counts(since, until):
    """{(category, purpose): n} of visits in the period (one grouped query)."""
    from peewee import fn
    q = (GuestVisit.select(GuestVisit.category, GuestVisit.purpose, fn.COUNT(GuestVisit.id))
         .where((GuestVisit.day >= since) & (GuestVisit.day <= until))
         .group_by(GuestVisit.category, GuestVisit.purpose).tuples())
    return {(c, p): n for c, p, n in q}


def current_steps(visits):
    """visit id → its run: one query."""
    return FLOW.runs(visits)


def overdue_run_ids(run_ids):
    return tracker.overdue_runs(run_ids)
