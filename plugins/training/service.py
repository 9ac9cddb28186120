"""What other plugins call: registering people for a batch, moving enrolments
through their lifecycle, ending a batch, issuing certificates.

Every refusal raises ``TrainingError`` with a message for the user; every
change goes through the audit log; events ``training.batch_ended`` and
``training.trainee_graduated`` are emitted after commit.
"""
import peewee

from core.toolkit import _, audit, db, documents, events, format_date, format_number, local_today
from plugins.training.models import (BATCH_STATUS, ENROLMENT_STATUS, PLACE_HOLDING, TRANSITIONS, Batch, Certificate,
                                     Enrolment, Person)


def status_label(code):
    """An enrolment status as people read it, in the current language."""
    return ENROLMENT_STATUS.label(code)


def batch_status_label(code):
    return BATCH_STATUS.label(code)


def quota_full(batch):
    return _("Kuota {b} sudah penuh ({n} orang).", b=batch.name, n=format_number(batch.quota, 0))


class TrainingError(Exception):
    """A refusal the user can read (closed window, full quota, wrong transition…)."""


def registration_problem(batch, today=None):
    """Why a batch takes no registration today, or None."""
    today = today or local_today()
    if batch.status in ("ended", "cancelled", "running"):
        return _("Pendaftaran {b} sudah ditutup (status: {s}).", b=batch.name, s=batch_status_label(batch.status))
    if today < batch.reg_opens:
        return _("Pendaftaran {b} belum dibuka (dibuka {d}).", b=batch.name, d=format_date(batch.reg_opens))
    if today > batch.reg_closes:
        return _("Pendaftaran {b} sudah ditutup pada {d}.", b=batch.name, d=format_date(batch.reg_closes))
    filled = Enrolment.select().where((Enrolment.batch == batch) & Enrolment.status.in_(PLACE_HOLDING)).count()
    if filled >= batch.quota:
        return quota_full(batch)
    return None


def find_or_create_person(nik, **fields):
    """The person with this NIK (details updated when given), or a new one. Two clerks registering the
    same new person at once: the unique index refuses the second insert, which then finds the first's."""
    person = Person.get_or_none(Person.nik == nik)
    if person is None:
        try:
            with db.write():            # a savepoint: the refused insert is undone, the transaction goes on
                return audit.create(Person, nik=nik, **fields)
        except peewee.IntegrityError:
            person = Person.get(Person.nik == nik)
    changes = {k: v for k, v in fields.items() if v not in (None, "") and getattr(person, k) != v}
    return audit.update(person, **changes) if changes else person


def register(person, batch, source="walk_in", siapkerja_ref="", nominated_by="", today=None, check_window=True):
    """Enrol a person in a batch; refused when the window is closed, the quota full
    or the person already enrolled there."""
    with db.write():
        if check_window:
            problem = registration_problem(batch, today)
            if problem:
                raise TrainingError(problem)
        if Enrolment.select().where((Enrolment.person == person) & (Enrolment.batch == batch)).exists():
            raise TrainingError(_("{p} sudah terdaftar pada {b}.", p=person.name, b=batch.name))
        return audit.create(Enrolment, person=person, batch=batch, source=source, siapkerja_ref=siapkerja_ref or "",
                            nominated_by=nominated_by or "")


def change_status(enrolment, status):
    """Move an enrolment along its lifecycle; a wrong move is refused with the reason."""
    if status == enrolment.status:
        return enrolment
    allowed = TRANSITIONS.get(enrolment.status, set())
    if status not in allowed:
        raise TrainingError(_("Status {a} tidak dapat diubah menjadi {b}.",
                              a=status_label(enrolment.status), b=status_label(status)))
    with db.write():
        if status == "accepted":
            batch = Batch.get_by_id(enrolment.batch_id)
            filled = Enrolment.select().where((Enrolment.batch == batch) & Enrolment.status.in_(PLACE_HOLDING)).count()
            if filled >= batch.quota:
                raise TrainingError(quota_full(batch))
        audit.update(enrolment, status=status, status_changed_at=db.utcnow())
        if status == "graduated":
            events.emit("training.trainee_graduated", enrolment_id=enrolment.id, batch_id=enrolment.batch_id,
                        person_id=enrolment.person_id)
    return enrolment


def end_batch(batch):
    """Mark a batch ended (its graduates known) and tell subscribers."""
    with db.write():
        audit.update(batch, status="ended")
        events.emit("training.batch_ended", batch_id=batch.id, end_date=batch.end_date.isoformat())
    return batch


def issue_certificate(enrolment, app, day=None, issued_by=None):
    """Give a graduate a certificate: the document service numbers (the configured
    pattern), renders and freezes it; the certificate row keeps its number and token."""
    from plugins.training import papers
    if enrolment.status != "graduated":
        raise TrainingError(_("Sertifikat hanya untuk peserta yang lulus."))
    existing = Certificate.get_or_none(Certificate.enrolment == enrolment)
    if existing is not None:
        return existing
    day = day or local_today(app)
    with db.write():
        doc = papers.issue_certificate_document(app, enrolment, day, issued_by)
        cert = audit.create(Certificate, enrolment=enrolment, number=doc.number, issued_on=day, token=doc.token)
        return cert


def graduates(batch):
    """Graduated enrolments of a batch with their people (one query)."""
    return list(Enrolment.select(Enrolment, Person).join(Person)
                .where((Enrolment.batch == batch) & (Enrolment.status == "graduated")).order_by(Person.name))



# ---------------------------------------------------------------- batches (added by the training screens)

# How a batch moves; "ended" only through end_batch (it emits the event).
BATCH_TRANSITIONS = {
    "planned": {"registration", "cancelled"},
    "registration": {"selection", "running", "cancelled"},
    "selection": {"running", "registration", "cancelled"},
    "running": {"ended"},
    "ended": set(), "cancelled": set(),
}
IN_CLASS = ("training", "graduated", "not_graduated")      # enrolments that sit in the class
IMPORT_CLOSED = ("running", "ended", "cancelled")


def set_batch_status(batch, status):
    """Move a batch along BATCH_TRANSITIONS (``ended`` goes through end_batch)."""
    if status not in BATCH_TRANSITIONS.get(batch.status, set()):
        raise TrainingError(_("Status angkatan {a} tidak dapat diubah menjadi {b}.",
                              a=batch_status_label(batch.status), b=batch_status_label(status)))
    if status == "ended":
        return end_batch(batch)
    with db.write():
        audit.update(batch, status=status)
    return batch


def roster(batch, status=None):
    """Enrolments of a batch with their person and certificate (``e.cert`` or None): one query."""
    import peewee
    from plugins.training.models import Certificate as Cert
    q = (Enrolment.select(Enrolment, Person, Cert).join(Person).switch(Enrolment)
         .join(Cert, peewee.JOIN.LEFT_OUTER, on=(Cert.enrolment == Enrolment.id), attr="cert")
         .where(Enrolment.batch == batch))
    if status:
        q = q.where(Enrolment.status == status)
    rows = list(q.order_by(Person.name, Enrolment.id))
    for e in rows:
        cert = getattr(e, "cert", None)
        if cert is not None and cert.id is None:
            e.cert = None
        elif cert is None:
            e.cert = None
    return rows


def status_counts(batch):
    """status → number of enrolments of the batch (one query)."""
    import peewee
    q = (Enrolment.select(Enrolment.status, peewee.fn.COUNT(Enrolment.id))
         .where(Enrolment.batch == batch).group_by(Enrolment.status).tuples())
    return dict(q)


# ---------------------------------------------------------------- attendance

def class_list(batch):
    """Enrolments attending the class (in training or finished), with people; one query."""
    return list(Enrolment.select(Enrolment, Person).join(Person)
                .where((Enrolment.batch == batch) & Enrolment.status.in_(IN_CLASS)).order_by(Person.name))


def attendance_day_problem(batch, day):
    if day < batch.start_date or day > batch.end_date:
        return _("Tanggal {d} di luar masa pelatihan ({a} s.d. {b}).", d=format_date(day),
                 a=format_date(batch.start_date), b=format_date(batch.end_date))
    if day > local_today():
        return _("Daftar hadir belum dapat diisi untuk tanggal yang akan datang.")
    return None


def attendance_of_day(batch, day):
    """enrolment id → status recorded for ``day`` (one query)."""
    from plugins.training.models import Attendance
    q = (Attendance.select(Attendance.enrolment, Attendance.status).join(Enrolment)
         .where((Enrolment.batch == batch) & (Attendance.day == day)).tuples())
    return dict(q)


def save_attendance(batch, day, statuses):
    """Record a whole class for one day; ``statuses`` maps enrolment id → H/I/S/A.
    Only changed records are written (one audit row each). Returns how many changed."""
    from plugins.training.models import ATTENDANCE, Attendance
    problem = attendance_day_problem(batch, day)
    if problem:
        raise TrainingError(problem)
    valid = {c for c, _l in ATTENDANCE}
    members = {e.id for e in Enrolment.select(Enrolment.id).where(
        (Enrolment.batch == batch) & Enrolment.status.in_(IN_CLASS))}
    existing = {a.enrolment_id: a for a in Attendance.select().join(Enrolment)
                .where((Enrolment.batch == batch) & (Attendance.day == day))}
    changed = 0
    with db.write():
        for enrolment_id, status in statuses.items():
            if enrolment_id not in members:
                continue
            if status not in valid:
                raise TrainingError(_("Status kehadiran tidak valid: {s}.", s=status))
            record = existing.get(enrolment_id)
            if record is None:
                audit.create(Attendance, enrolment=enrolment_id, day=day, status=status)
                changed += 1
            elif record.status != status:
                audit.update(record, status=status)
                changed += 1
    return changed


def attendance_recap(batch):
    """Per trainee of the class: (enrolment, {status: count}, days recorded, % present).
    Days = the distinct days recorded for the batch so far. Three queries."""
    import peewee
    from plugins.training.models import Attendance
    members = class_list(batch)
    days = (Attendance.select(peewee.fn.COUNT(Attendance.day.distinct())).join(Enrolment)
            .where(Enrolment.batch == batch).scalar()) or 0
    counts = {}
    for enrolment_id, status, n in (Attendance.select(Attendance.enrolment, Attendance.status,
                                                      peewee.fn.COUNT(Attendance.id))
                                    .join(Enrolment).where(Enrolment.batch == batch)
                                    .group_by(Attendance.enrolment, Attendance.status).tuples()):
        counts.setdefault(enrolment_id, {})[status] = n
    out = []
    for e in members:
        c = counts.get(e.id, {})
        percent = round(100 * c.get("H", 0) / days) if days else None
        out.append((e, c, days, percent))
    return out, days


def attendance_percent(enrolment):
    """% of the batch's recorded days this trainee was present, or None when nothing is recorded."""
    import peewee
    from plugins.training.models import Attendance
    days = (Attendance.select(peewee.fn.COUNT(Attendance.day.distinct())).join(Enrolment)
            .where(Enrolment.batch == enrolment.batch_id).scalar()) or 0
    if not days:
        return None
    present = Attendance.select().where((Attendance.enrolment == enrolment) & (Attendance.status == "H")).count()
    return round(100 * present / days)


# ---------------------------------------------------------------- import of registrants

def registrant_columns():
    from plugins.training import importer as imp
    from plugins.training.models import EDUCATION
    education = {code: code for code, _l in EDUCATION}
    education.update({"SMK": "SMA", "SMA/SMK": "SMA", "MA": "SMA", "MTS": "SMP", "MI": "SD", "D1": "D3", "D2": "D3",
                      "D4": "S1"})
    return [
        imp.Column("nik", True, imp.nik, "NIK"),
        imp.Column("nama", True, imp.text(150), "nama"),
        imp.Column("jenis_kelamin", True, imp.choice({"L": "L", "P": "P", "Laki-laki": "L", "Perempuan": "P"}),
                   "jenis_kelamin"),
        imp.Column("tanggal_lahir", True, imp.date(past_only=True), "tanggal_lahir"),
        imp.Column("telepon", False, imp.phone, "telepon"),
        imp.Column("pendidikan", False, imp.choice(education), "pendidikan"),
        imp.Column("kabupaten", False, imp.text(80), "kabupaten"),
        imp.Column("ref_siapkerja", False, imp.text(60), "ref_siapkerja"),
    ]


REGISTRANT_EXAMPLE = {"nik": "7471015001900001", "nama": "Siti Rahmawati", "jenis_kelamin": "P",
                      "tanggal_lahir": "2001-01-10", "telepon": "081234567890", "pendidikan": "SMA",
                      "kabupaten": "Kota Kendari", "ref_siapkerja": "SK-2024-000123"}


def check_registrants(batch, rows):
    """Check imported rows for a batch: every column, duplicates in the file and
    people already enrolled in the batch (one query). Returns importer RowResults."""
    from plugins.training import importer as imp
    niks = [r.get("nik", "").replace(" ", "") for _n, r in rows]
    enrolled = {n for (n,) in Person.select(Person.nik).join(Enrolment)
                .where((Enrolment.batch == batch) & Person.nik.in_(niks)).tuples()} if niks else set()

    def already(data):
        if data["nik"] in enrolled:
            return [_("NIK {n} sudah terdaftar pada angkatan ini.", n=data["nik"])]
        return []
    return imp.check_rows(rows, registrant_columns(), unique=("nik",), row_check=already)


def import_problem(batch):
    if batch.status in IMPORT_CLOSED:
        return _("Angkatan {b} tidak menerima pendaftar lagi (status: {s}).", b=batch.name,
                 s=batch_status_label(batch.status))
    return None


def import_registrants(batch, results):
    """Create/update the people and enrol the valid rows (source ``siapkerja`` when a
    reference is given, else ``import``). Returns the number enrolled."""
    problem = import_problem(batch)
    if problem:
        raise TrainingError(problem)
    count = 0
    with db.write():
        for r in results:
            if not r.ok:
                continue
            d = r.data
            person = find_or_create_person(d["nik"], name=d["nama"], sex=d["jenis_kelamin"],
                                           birth_date=d["tanggal_lahir"], phone=d.get("telepon") or "",
                                           education=d.get("pendidikan") or "", regency=d.get("kabupaten") or "")
            register(person, batch, source="siapkerja" if d.get("ref_siapkerja") else "import",
                     siapkerja_ref=d.get("ref_siapkerja") or "", check_window=False)
            count += 1
    return count


# ---------------------------------------------------------------- certificates

def revoke_certificate(certificate, user=None, reason="Sertifikat dicabut"):
    """Revoke a certificate and its issued paper (the verification page then says so)."""
    from plugins.training import papers
    with db.write():
        audit.update(certificate, revoked=True)
        doc = documents.current_for("training_enrolment", certificate.enrolment_id, papers.CERTIFICATE)
        if doc is not None and doc.status == "valid":
            documents.revoke(doc, user, reason)
    return certificate


def verification_url(certificate, base):
    """The link in the certificate's QR code (``base`` = configured base_url or this host)."""
    return f"{base.rstrip('/')}/verify/{certificate.token}"
