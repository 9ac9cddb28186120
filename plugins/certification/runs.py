"""The certification run glue: the refusal type, the SOP run of a test event and its status,
the archive lock (changes to an archived file need a reason), the test-day rule, who acts as the
Kepala TUK of an event (the head linked to its TUK)."""

import functools

from core.toolkit import Refusal, _, audit, current_app, db, events, format_date, local_today, people, tracker
from plugins.certification.models import STATUS_BY_STEP, Signature, TestEvent, Tuk
from plugins.certification.sop import SOP

CODE = SOP["code"]
TUK_ROLE = "kepala_tuk"
SUBJECT = TestEvent.audit_type()
ADMIN_ROLE = "bagian_administrasi"


class CertError(Refusal):
    """A refusal the user can read; ``field`` names the form field it concerns (or None). A toolkit
    ``Refusal``: ``submit_form`` and ``run_action`` show it without being told."""


def transactional(fn):
    """Run a service function in one savepoint: a refusal half-way leaves nothing behind."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with db.write():
            return fn(*args, **kwargs)
    return wrapper


def options(app=None):
    return (app or current_app()).config.plugin("certification")


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:          # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


# ---------------------------------------------------------------- the run

FLOW = tracker.Workflow(CODE, TestEvent)


def run_of(event):
    return FLOW.run_of(event)


def current_no(event):
    run = run_of(event)
    return run.current_no if run is not None and run.status == "active" else None


def status_for(run):
    if run is None:
        return "scheduled"
    if run.status == "completed":
        return "archived"
    return STATUS_BY_STEP.get(run.current_no, "scheduled")


def sync_status(event):
    status = status_for(run_of(event))
    if event.status != status:
        audit.update(event, status=status)
    return event


def follow_run(subject_id):
    """After a step of an event's run moved (possibly on the generic run page): keep the status in step."""
    event = TestEvent.get_or_none(TestEvent.id == int(subject_id))
    if event is None:
        return
    with db.write():
        was = event.status
        sync_status(event)
        if event.status == "archived" and was != "archived":
            events.emit("certification.event_archived", event_id=event.id, batch_id=event.batch_id or None)


@transactional
def complete_step(event, no, user, notes="", links=(), rule=None):
    """Complete step ``no`` of the event's run as ``user`` (refused when another step is open)."""
    run = run_of(event)
    if run is None or run.status != "active":
        raise CertError(_("Run SOP uji kompetensi ini sudah selesai."))
    if run.current_no != no:
        raise CertError(_("Langkah yang terbuka sekarang adalah langkah {n}, bukan langkah {m}.",
                          n=run.current_no, m=no))
    with db.write():
        tracker.complete(run, user, notes=notes, links=list(links) or [(_("Jadwal uji"), event_url(event))],
                         expect_no=no, rule=rule)
        sync_status(event)
    return current_no(event) != no      # False while a joint step waits for the other roles' sign-off


def event_url(event):
    return f"/certification/events/{event.id}"


# ---------------------------------------------------------------- the archive lock

def reopen_if_archived(event, reason, what):
    """Changes to an archived event need a reason; the change is then recorded as a reopening."""
    if event.status != "archived":
        return
    reason = (reason or "").strip()
    if not reason:
        raise CertError(_("Berkas uji ini sudah diarsipkan: perubahan hanya dapat disimpan dengan alasan "
                          "membuka kembali."), "reopen_reason")
    audit.event("reopened", SUBJECT, event.id, {"reason": reason[:1000], "change": what})


def require_unsigned(event):
    """What the berita acara reports (schedule, assessors, candidates, results) is final once anyone signed it:
    refused then, also on an archived event with a reopening reason (the signatures would no longer match)."""
    if Signature.select().where(Signature.event == event).exists():
        raise CertError(_("Berita acara uji ini sudah ditandatangani: jadwal, asesor, peserta dan hasil yang "
                          "tercantum di dalamnya tidak dapat diubah lagi."))


def require_open_until(event, last_no, message, reason=None, what=""):
    """Allow a change while the run is at or before ``last_no``, or on an archived event with a reason."""
    if event.status == "archived":
        reopen_if_archived(event, reason, what)
        return
    no = current_no(event)
    if no is None or no > last_no:
        raise CertError(message)


def require_test_day(event, message):
    """Refuse what can only happen on or after the test day (``message`` has ``{d}``)."""
    if local_today() < event.date:
        raise CertError(message.format(d=format_date(event.date)) if "{d}" in message else message)


# ---------------------------------------------------------------- the Kepala TUK of an event

def acts_as_tuk_head(user):
    """Whether ``user`` holds (or acts for, today) the Kepala TUK role: what the tracker would sign as."""
    return TUK_ROLE in people.roles_on(user)


def head_refusal(event, user, refusal):
    """Why ``user`` may not act as the Kepala TUK of the event's TUK, or None: only the head linked to the TUK
    does (readiness, berita acara, review, papers). ``refusal(name)``: the message for anyone else."""
    tuk = Tuk.get_by_id(event.tuk_id)
    if not tuk.head_user_id:
        return _("{t} belum ditautkan ke akun Kepala TUK; tautkan dulu di data TUK.", t=tuk.name)
    if tuk.head_user_id != getattr(user, "id", None):
        return refusal(tuk.name)
    return None


def tuk_head_pending(event, no):
    """Whether open step ``no`` of the event's run still waits for the Kepala TUK's sign-off."""
    run = run_of(event)
    rs = next((r for r in tracker.open_steps(run) if r.no == no), None) if run is not None else None
    return rs is not None and not any(s.role == TUK_ROLE for s in tracker.signoffs_of([rs]).get(rs.id, []))
