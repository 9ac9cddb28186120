"""Meeting (step 8), the training itself (step 9) and the implementation report (steps 10–11)."""
import datetime
import os

from core.toolkit import (_, actor, audit, current_app, db, format_date, format_number, format_rupiah, local_today,
                          tracker)
from plugins.training.models import PAPER_STATUS, Attendance, Enrolment, Person
from plugins.training_delivery import papers
from plugins.training_delivery.flow import FLOW, DeliveryError, at_step, complete, run_of
from plugins.training_delivery.models import Addressee, ReportPhoto, WorkPlan
from plugins.training_delivery.planning import budget_lines_of, members_of
from plugins.training_delivery.signing import letters_of, signer_of
from plugins.training_delivery.sop import SOP


# ---------------------------------------------------------------- meeting (step 8), training (step 9)

def save_meeting(plan, data, user):
    with db.write():
        run = at_step(plan, 8, 9, 10)
        audit.update(plan, meeting_date=data["meeting_date"], meeting_place=data.get("meeting_place") or "",
                     meeting_attendees=data["meeting_attendees"], meeting_minutes=data["meeting_minutes"])
        papers.issue_meeting(current_app(), plan, user, members_of(plan))
        if run.current_no == 8:
            complete(plan, 8, user, notes=_("Rapat internal {d}: {n} peserta rapat.", d=format_date(data["meeting_date"]),
                                             n=len([x for x in data["meeting_attendees"].splitlines() if x.strip()])),
                      links=[(_("Hasil rapat"), f"/delivery/plans/{plan.id}/meeting")])


def training_days(plan, cal):
    """The days of the training that need a daily attendance: its working days (every day when
    the training runs only on days off)."""
    days, d = [], plan.start_date
    while d <= plan.end_date and len(days) < 400:
        days.append(d)
        d += datetime.timedelta(days=1)
    working = [d for d in days if cal.is_working_day(d)]
    return working or days


def training_problem(plan, app=None, check_date=True):
    """Why step 9 cannot be completed yet (the training has not ended, or a day has no attendance), or None.
    The tracker asks it as the step's guard (``balai_step_guards``); ``check_date=False`` where the
    step is anchored to the last training day (the tracker refuses the date itself)."""
    app = app or current_app()
    today = local_today(app)
    if check_date and today < plan.end_date:
        return _("Pelatihan belum selesai: hari terakhir pelatihan {d}.", d=format_date(plan.end_date))
    if plan.batch_id is None:
        return _("Rencana kerja ini belum terhubung dengan angkatan pelatihan.")
    recorded = set(papers.training_days(plan.batch_id))
    missing = [d for d in training_days(plan, app.calendar) if d not in recorded]
    if missing:
        shown = ", ".join(format_date(d) for d in missing[:5]) + (" …" if len(missing) > 5 else "")
        return _("Daftar hadir belum diisi untuk {n} hari pelatihan: {d}.", n=format_number(len(missing), 0), d=shown)
    return None


def finish_training(plan, user, note=""):
    """Step 9 by the committee; the tracker refuses it before the last training day or without
    the daily attendance (its guard, ``training_problem``)."""
    with db.write():
        complete(plan, 9, user, notes=note or _("Pelatihan selesai dilaksanakan."),
                  links=[(_("Angkatan pelatihan"), f"/training/batches/{plan.batch_id}")] if plan.batch_id else ())


def on_batch_ended(batch_id):
    """``training.batch_ended``: step 9 of each plan at it is done by rule, under whoever ended the batch (or none)."""
    who = actor()
    user = who if getattr(who, "id", None) else None
    for plan in WorkPlan.select().where(WorkPlan.batch == batch_id):
        if FLOW.at_step(plan, 9) is None:
            continue
        try:
            FLOW.complete(plan, 9, user=user, rule=_("angkatan pelatihan dinyatakan selesai di modul Pelatihan"),
                          notes=_("Otomatis: angkatan pelatihan dinyatakan selesai di modul Pelatihan."),
                          links=[(_("Angkatan pelatihan"), f"/training/batches/{batch_id}")])
        except tracker.StepError:
            continue      # the batch was closed early (a day without attendance): step 9 waits for the facts


# ---------------------------------------------------------------- report (step 10, 11)

def attendance_summary(batch_id):
    """Per enrolment: (enrolment, person, days present, days recorded); two queries."""
    rows = list(Enrolment.select(Enrolment, Person).join(Person).where(Enrolment.batch == batch_id)
                .order_by(Person.name))
    counts = {}
    if rows:
        for eid, status in (Attendance.select(Attendance.enrolment, Attendance.status)
                            .where(Attendance.enrolment.in_([e.id for e in rows])).tuples()):
            present, total = counts.get(eid, (0, 0))
            counts[eid] = (present + (status == "H"), total + 1)
    return [(e, counts.get(e.id, (0, 0))) for e in rows]


def assemble_report(plan, app=None):
    """The implementation report as text, from what was recorded."""
    labels = PAPER_STATUS          # the report is an official paper: Indonesian
    lines = [f"LAPORAN PELAKSANAAN {plan.activity.upper()}", ""]
    lines += ["A. Rencana kerja",
              f"   Kegiatan      : {plan.activity}",
              f"   Program       : {plan.programme.code} — {plan.programme.title}",
              f"   Waktu         : {format_date(plan.start_date)} s.d. {format_date(plan.end_date)}",
              f"   Tempat        : {plan.venue}",
              f"   DPA           : {plan.dpa_number}, {format_rupiah(plan.budget_amount)}",
              f"   Kuota peserta : {plan.quota} orang", ""]
    lines.append("B. Surat")
    for l in letters_of(plan):
        who = f" — {l.addressee.name}" if l.addressee_id else ""
        lines.append(f"   - {l.title}{who}: nomor {l.number or '(belum bernomor)'}"
                     + (f", tanggal {format_date(l.dated)}" if l.dated else ""))
    signer = signer_of(plan, app)
    if signer["name"]:
        lines.append(f"   Ditandatangani: {signer['name']}, {signer['rank']}, NIP {signer['nip']}")
    lines.append("")
    lines.append("C. Pengiriman dan jawaban Kabupaten/Kota")
    enrolments = attendance_summary(plan.batch_id) if plan.batch_id else []
    by_regency = {}
    for e, _c in enrolments:
        by_regency.setdefault(e.nominated_by, []).append(e)
    for a in plan.addressees.order_by(Addressee.name):
        sent = format_date(a.sent_on) if a.sent_on else "belum dikirim"
        reply = format_date(a.replied_on) if a.replied_on else "belum menjawab"
        lines.append(f"   - {a.name}: dikirim {sent}; jawaban {reply}; calon peserta {len(by_regency.get(a.name, []))} orang")
    lines.append("")
    lines.append("D. Rapat internal persiapan")
    if plan.meeting_date:
        lines.append(f"   Tanggal {format_date(plan.meeting_date)}{', ' + plan.meeting_place if plan.meeting_place else ''}")
        attendees = [x.strip() for x in plan.meeting_attendees.splitlines() if x.strip()]
        lines.append(f"   Hadir {len(attendees)} orang: {', '.join(attendees)}")
        lines += ["   " + x for x in plan.meeting_minutes.splitlines()]
    else:
        lines.append("   (belum dicatat)")
    lines.append("")
    lines.append("E. Pelaksanaan pelatihan")
    status_counts = {}
    for e, _c in enrolments:
        status_counts[e.status] = status_counts.get(e.status, 0) + 1
    lines.append(f"   Peserta terdaftar: {len(enrolments)} orang"
                 + (" (" + ", ".join(f"{labels.get(s, s)} {n}" for s, n in sorted(status_counts.items())) + ")"
                    if status_counts else ""))
    for i, (e, (present, total)) in enumerate(enrolments, 1):
        lines.append(f"   {i}. {e.person.name} ({e.nominated_by or '-'}) — hadir {present}/{total} hari — "
                     f"{labels.get(e.status, e.status)}")
    graduated = status_counts.get("graduated", 0)
    lines += ["", "F. Hasil", f"   Lulus: {graduated} orang dari {len(enrolments)} peserta.", ""]
    return "\n".join(lines)


REPORT_FIELDS = ("report_text", "report_instructors", "budget_realised", "report_obstacles", "report_closing")


def save_report(plan, data):
    """Save the report's sections (``data``: any of REPORT_FIELDS; a str is the pelaksanaan text)."""
    if isinstance(data, str):
        data = {"report_text": data}
    fields = {k: (v if v is not None or k == "budget_realised" else "") for k, v in data.items() if k in REPORT_FIELDS}
    with db.write():
        at_step(plan, 10)
        audit.update(plan, **fields)


def photos_of(plan):
    return list(plan.photos.order_by(ReportPhoto.id))


MAX_PHOTOS = 8


def add_photo(plan, caption, upload, app):
    with db.write():
        db.lock(WorkPlan, plan.id)      # two uploads at once: the second counts the first (never 9 photos)
        at_step(plan, 10)
        if upload is None or not (upload.raw_filename or "").strip():
            err = DeliveryError(_("Pilih berkas foto (JPG atau PNG)."))
            err.field = "photo"
            raise err
        if plan.photos.count() >= MAX_PHOTOS:
            raise DeliveryError(_("Paling banyak {n} foto.", n=format_number(MAX_PHOTOS, 0)))
        if os.path.splitext(upload.raw_filename)[1].lower() not in (".jpg", ".jpeg", ".png"):
            err = DeliveryError(_("Foto harus berkas JPG atau PNG."))
            err.field = "photo"
            raise err
        stored = tracker.store_upload(app, upload)      # checks the content matches the type
        return audit.create(ReportPhoto, work_plan=plan, caption=caption, filename=stored["filename"],
                            sha256=stored["sha256"], content_type=stored["content_type"])


def remove_photo(photo):
    with db.write():
        at_step(photo.work_plan, 10)
        audit.delete(photo)


def submit_report(plan, user, app=None):
    """Step 10: each role signs the report (revision 1: staff and committee, a joint step); when the
    step is complete the report is issued as a paper (sections, attendance, budget, photos, signatures)."""
    app = app or current_app()
    if not (plan.report_text or "").strip():
        raise DeliveryError(_("Susun laporan terlebih dahulu."))
    with db.write():
        db.lock(WorkPlan, plan.id)
        complete(plan, 10, user, notes=_("Laporan pelaksanaan ditandatangani."),
                  links=[(_("Laporan"), f"/delivery/plans/{plan.id}/report/print")])
        if FLOW.at_step(plan, 10) is not None:
            return False         # waiting for the other role's signature
        members = members_of(plan)
        papers.issue_report(app, plan, user, letters_of(plan), list(plan.addressees.order_by(Addressee.name)),
                            budget_lines_of(plan), members, photos_of(plan), SOP["legal_basis"],
                            report_signers(plan, user, members))
        return True


def report_signers(plan, user, members):
    """Who signed step 10 (each role of a joint step, with Plt./Plh.), as printed under the report."""
    run = run_of(plan)
    done = [rs for rs in tracker.timeline(run) if rs.no == 10 and rs.status == "done"]
    signoffs = tracker.signoffs_of(done[-1:]).get(done[-1].id, []) if done else []
    people_ = [(s.user, s.role, s.acting) for s in signoffs] or [(user, "", "")]
    roles = {m.name: m.role for m in members}
    out = []
    for u, role, acting in people_:
        name = u.full_name or u.username
        if name in roles:
            title = f"{roles[name]} Panitia"
        else:
            title = u.position or (current_app().role_title(role) if role else "") or "Staf"
        out.append({"name": name, "nip": u.nip or "", "rank": u.rank or "",
                    "title": (f"{acting} " if acting else "") + title})
    return out


def receive_report(plan, user):
    with db.write():
        complete(plan, 11, user, notes=_("Laporan pelaksanaan diterima."))
        audit.update(plan, report_received_at=db.utcnow(), report_received_by=user.id)
