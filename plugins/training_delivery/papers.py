"""The papers of SOP BLK-PA-503-47 on the core document service besides the three
letters (``letters.py``): the approved work plan with its RAB, the attendance and
minutes of the preparation meeting, and the implementation report with its
sections, signatures and photos. Each is issued in the transaction of the step that
produces it and verifies at /verify/<token>."""
import base64
import datetime
import os

from core.toolkit import documents
from plugins.training.models import PAPER_STATUS, Attendance, Enrolment, Person

PLAN, MEETING, REPORT = "training_delivery.plan", "training_delivery.meeting", "training_delivery.report"
RECORD = "delivery_work_plan"
PHOTO_TYPES = ("image/jpeg", "image/png")


def document_types(app):
    opts = app.config.plugin("training_delivery")
    fmt = opts["paper_number"]

    def paper(code, title, template, classification, sample):
        return documents.DocumentType(code, title, template, number_format=fmt, series="training_delivery.paper",
                                      classification=classification, record_type=RECORD, editable=True,
                                      sample=sample)
    return [
        paper(PLAN, "Rencana Kerja Kegiatan", "training_delivery/documents/plan.html", "RK", sample_plan),
        paper(MEETING, "Daftar Hadir dan Notulen Rapat Persiapan", "training_delivery/documents/meeting.html", "NR",
              sample_meeting),
        paper(REPORT, "Laporan Pelaksanaan Pelatihan", "training_delivery/documents/report.html", "LP", sample_report),
    ]


# ---------------------------------------------------------------- values

def plan_values(plan, lines):
    from plugins.training_delivery import letters as lt
    return {"plan": lt.plan_values(plan),
            "lines": [{"description": l.description, "volume": volume_text(l.volume), "unit": l.unit, "price": l.price,
                       "total": l.total} for l in lines],
            "total": plan.budget_amount, "unit": unit_of()}


def volume_text(value):
    """``24`` or ``1,5`` as written on Indonesian papers."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def unit_of():
    from core.toolkit import current_app
    return current_app().config.plugin("training_delivery")["unit"]


def meeting_values(plan, members):
    from plugins.training_delivery import letters as lt
    roles = {m.name: m.role for m in members}
    attendees = [x.strip() for x in plan.meeting_attendees.splitlines() if x.strip()]
    return {"plan": lt.plan_values(plan), "meeting": {
        "date": plan.meeting_date, "place": plan.meeting_place,
        "attendees": [{"name": n, "role": roles.get(n, "")} for n in attendees],
        "minutes": plan.meeting_minutes}}


def attendance_rows(batch_id):
    """Per trainee of the batch: name, regency, days present, days recorded, status (two queries)."""
    rows = list(Enrolment.select(Enrolment, Person).join(Person).where(Enrolment.batch == batch_id)
                .order_by(Person.name))
    counts = {}
    if rows:
        for eid, status in (Attendance.select(Attendance.enrolment, Attendance.status)
                            .where(Attendance.enrolment.in_([e.id for e in rows])).tuples()):
            present, total = counts.get(eid, (0, 0))
            counts[eid] = (present + (status == "H"), total + 1)
    return [{"name": e.person.name, "regency": e.nominated_by or e.person.regency or "-",
             "present": counts.get(e.id, (0, 0))[0], "days": counts.get(e.id, (0, 0))[1],
             "status": PAPER_STATUS.get(e.status, e.status), "graduated": e.status == "graduated"} for e in rows]


def training_days(batch_id):
    """The distinct days on which the batch's attendance was recorded (one query)."""
    return sorted(d for (d,) in Attendance.select(Attendance.day).join(Enrolment)
                  .where(Enrolment.batch == batch_id).distinct().tuples())


def photo_data(app, photo):
    """A stored photo as a data: URI (a frozen paper carries its images inside)."""
    path = os.path.join(app.config["upload_dir"], photo.sha256[:2], photo.sha256)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return ""
    return f"data:{photo.content_type};base64,{base64.b64encode(data).decode()}"


def report_values(app, plan, letters, addressees, lines, members, photos, legal_basis):
    from plugins.training_delivery import letters as lt
    people = attendance_rows(plan.batch_id) if plan.batch_id else []
    days = training_days(plan.batch_id) if plan.batch_id else []
    return {
        "plan": lt.plan_values(plan), "unit": unit_of(), "legal_basis": list(legal_basis),
        "letters": [{"title": l.title, "number": l.number or "", "dated": l.dated,
                     "addressee": l.addressee.name if l.addressee_id else ""} for l in letters],
        "addressees": [{"name": a.name, "sent_on": a.sent_on, "replied_on": a.replied_on,
                        "nominated": sum(1 for p in people if p["regency"] == a.name)} for a in addressees],
        "meeting": {"date": plan.meeting_date, "place": plan.meeting_place,
                    "attendees": [x.strip() for x in plan.meeting_attendees.splitlines() if x.strip()]},
        "people": people, "days": days, "graduated": sum(1 for p in people if p["graduated"]),
        "members": [{"name": m.name, "role": m.role, "position": m.position} for m in members],
        "text": plan.report_text, "instructors": plan.report_instructors, "obstacles": plan.report_obstacles,
        "closing": plan.report_closing,
        "lines": [{"description": l.description, "total": l.total} for l in lines],
        "total": plan.budget_amount, "realised": plan.budget_realised,
        "photos": [{"caption": p.caption, "src": photo_data(app, p)} for p in photos],
    }


# ---------------------------------------------------------------- samples (trial renders of edited templates)

_PLAN = {"activity": "Pelatihan Operator Komputer", "programme": "Operator Komputer", "programme_code": "TIK",
         "start_date": "3 Desember 2026", "end_date": "5 Desember 2026", "venue": "BLK Kota Pagar Alam", "quota": 16,
         "dpa_number": "DPA/1/2026", "budget": "Rp 1.000.000", "schedule": "Hari 1: materi", "batch": ""}


def sample_plan(app):
    return {"plan": _PLAN, "lines": [{"description": "Konsumsi", "volume": "48", "unit": "OH", "price": "50000",
                                      "total": "2400000"}], "total": "2400000", "unit": "Bidang BLK"}


def sample_meeting(app):
    return {"plan": _PLAN, "meeting": {"date": datetime.date(2026, 12, 1), "place": "Aula",
                                       "attendees": [{"name": "Rina", "role": "Ketua"}], "minutes": "1. Persiapan."}}


def sample_report(app):
    return {"plan": _PLAN, "unit": "Bidang BLK", "legal_basis": ["UU 13/2003"], "letters": [], "addressees": [],
            "meeting": {"date": None, "place": "", "attendees": []}, "people": [], "days": [], "graduated": 0,
            "members": [], "text": "Pelaksanaan.", "instructors": "", "obstacles": "", "closing": "",
            "lines": [], "total": "0", "realised": None, "photos": [],
            "signers": [{"name": "Yuliana Safitri", "nip": "", "rank": "", "title": "Sekretaris Panitia"}]}



# ---------------------------------------------------------------- issuing (in the caller's transaction)

def _issue(app, code, plan, values, subject, user, position):
    """Issue a paper of the plan, or a corrected version when one was issued before (same number)."""
    current = documents.current_for(RECORD, plan.id, code)
    try:
        if current is not None:
            return documents.supersede(app, current, values, subject=subject, signer=user, issued_by=user)
        return documents.issue(app, code, values, subject=subject, record=(RECORD, plan.id), signer=user,
                               position=position, issued_by=user,
                               place=app.config.plugin("training_delivery")["place"])
    except documents.DocumentError as exc:
        from plugins.training_delivery.service import DeliveryError
        raise DeliveryError(str(exc))


def issue_plan(app, plan, user):
    """The approved work plan with its RAB, signed by the Kepala Dinas who approved it."""
    from plugins.training_delivery.models import BudgetLine
    lines = list(plan.budget_lines.order_by(BudgetLine.sort, BudgetLine.id))
    return _issue(app, PLAN, plan, plan_values(plan, lines), f"Rencana kerja: {plan.activity}", user,
                  app.config.plugin("training_delivery")["head_position"])


def issue_meeting(app, plan, user, members):
    """Attendance and minutes of the preparation meeting, signed by the committee member who recorded it."""
    role = next((m.role for m in members if m.name == (user.full_name or user.username)), "")
    return _issue(app, MEETING, plan, meeting_values(plan, members), f"Rapat persiapan: {plan.activity}", user,
                  f"{role or 'Anggota'} Panitia")


def issue_report(app, plan, user, letters, addressees, lines, members, photos, legal_basis, signers):
    """The implementation report with its sections, attendance, budget, photos and its signers."""
    values = report_values(app, plan, letters, addressees, lines, members, photos, legal_basis)
    values["signers"] = signers
    role = next((m.role for m in members if m.name == (user.full_name or user.username)), "")
    return _issue(app, REPORT, plan, values, f"Laporan pelaksanaan: {plan.activity}", user,
                  f"{role} Panitia" if role else (user.position or "Staf Bidang Balai Latihan Kerja"))


def current(plan):
    """code → the plan's valid papers (one query)."""
    return {doc.type_code: doc for doc in documents.for_record(RECORD, plan.id) if doc.status == "valid"}
