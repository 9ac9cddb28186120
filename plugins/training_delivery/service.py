"""What the screens of ``training_delivery`` call: the work plan and its run of
SOP BLK-PA-503-47, letters (drafts, paraf, signature, numbers), distribution,
replies and nominated candidates, meeting, training, report, reminders.

Refusals raise ``DeliveryError`` (or the tracker's ``StepError``) with a
message for the user; every change goes through ``core.audit``.
"""
import datetime
import os

import peewee

from core.toolkit import (User, _, actor, audit, current_app, db, documents, format_date, format_rupiah, tabular,
                          tasks, tracker)
from plugins.training import service as training
from plugins.training.models import Attendance, Batch, Enrolment, Person
from plugins.training_delivery import letters as lt
from plugins.training_delivery.models import Addressee, CommitteeMember, Letter, LetterTemplate, WorkPlan
from plugins.training_delivery.sop import SOP

Run = tracker.Run  # raw tracker models (toolkit.tracker), for queries no toolkit function covers yet

CODE = SOP["code"]
SUBJECT = WorkPlan.audit_type()
SERIES = "training_delivery.letter"
PLUGIN = "training_delivery"
REPLY_DAYS = 5            # the SOP's "1 minggu" in working days
STAFF = "staf_blk"


class DeliveryError(Exception):
    """A refusal the user can read."""


def options(app):
    return app.config.plugin(PLUGIN)


# ---------------------------------------------------------------- runs and steps

FLOW = tracker.Workflow(CODE, WorkPlan)


def run_of(plan):
    return FLOW.run_of(plan)


def at_step(plan, *numbers):
    """The plan's run if it is active and at one of these steps, else DeliveryError."""
    run = run_of(plan)
    if run is None or run.status != "active" or run.current_no not in numbers:
        where = run.current_no if run is not None and run.status == "active" else None
        if where is None:
            raise DeliveryError(_("Kegiatan ini sudah selesai; tidak ada yang dapat diubah."))
        raise DeliveryError(_("Tindakan ini tidak tersedia sekarang: kegiatan berada di langkah {no}.", no=where))
    return run


def _complete(plan, no, user, notes="", links=()):
    run = at_step(plan, no)
    return tracker.complete(run, user, notes=notes, links=links, expect_no=no)


# ---------------------------------------------------------------- work plan (step 1, 2, 3)

def parse_addressees(text):
    """Lines "Kabupaten Lahat" or "Kabupaten Lahat | Kepala Dinas Tenaga Kerja" → [(name, position)]."""
    out, seen = [], set()
    for line in (text or "").splitlines():
        name, _sep, position = line.partition("|")
        name, position = name.strip()[:150], position.strip()[:255]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            out.append((name, position))
    return out


def addressee_lines(plan):
    return "\n".join(a.name + (f" | {a.position}" if a.position else "")
                     for a in plan.addressees.order_by(Addressee.id))


def save_plan(data, addressees, user, plan=None):
    """Create or change a work plan; a new one gets its training batch and its SOP run."""
    if not addressees:
        raise DeliveryError(_("Isi minimal satu Kabupaten/Kota yang diundang."))
    if data["end_date"] < data["start_date"]:
        raise DeliveryError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    batch_id = data.pop("batch", None)
    with db.write():
        if plan is not None:
            at_step(plan, 1)
        batch = Batch.get_by_id(batch_id) if batch_id else (plan.batch if plan is not None and plan.batch_id else None)
        batch_fields = dict(start_date=data["start_date"], end_date=data["end_date"], venue=data["venue"],
                            quota=data["quota"])
        if batch is None:
            today = datetime.date.today()
            batch = audit.create(Batch, programme=data["programme"], name=data["activity"][:120],
                                 reg_opens=min(today, data["start_date"]),
                                 reg_closes=max(min(today, data["start_date"]), data["start_date"] - datetime.timedelta(days=1)),
                                 funding="APBD", status="planned", **batch_fields)
        elif batch.status == "planned":
            audit.update(batch, **batch_fields)
        if plan is None:
            plan = audit.create(WorkPlan, batch=batch, created_by=user.id, **data)
            tracker.start_run(CODE, SUBJECT, plan.id, _("Rencana kerja: {a}", a=plan.activity)[:255],
                              {"work_plan": plan.id})
        else:
            audit.update(plan, batch=batch, **data)
        existing = {a.name.lower(): a for a in plan.addressees}
        wanted = {name.lower() for name, _p in addressees}
        for key, a in existing.items():
            if key not in wanted:
                audit.delete(a)
        for name, position in addressees:
            a = existing.get(name.lower())
            if a is None:
                audit.create(Addressee, work_plan=plan, name=name, position=position)
            elif a.position != position:
                audit.update(a, position=position)
    return plan


def submit_plan(plan, user):
    with db.write():
        _complete(plan, 1, user, notes=_("Rencana kerja diajukan untuk persetujuan."),
                  links=[(_("Rencana kerja"), f"/delivery/plans/{plan.id}")])
        audit.update(plan, status="submitted")


def approve_plan(plan, user, notes=""):
    with db.write():
        plan = db.lock(WorkPlan, plan.id)        # one decision on a plan at a time
        _complete(plan, 2, user, notes=notes or _("Rencana kerja disetujui."))
        audit.update(plan, status="approved", return_reason="")


def return_plan(plan, user, reason):
    reason = (reason or "").strip()
    if not reason:
        raise DeliveryError(_("Alasan pengembalian wajib diisi."))
    with db.write():
        plan = db.lock(WorkPlan, plan.id)
        run = at_step(plan, 2)
        tracker.return_to(run, user, 1, reason)
        audit.update(plan, status="returned", return_reason=reason[:5000])


def instruct(plan, user, note):
    note = (note or "").strip() or _("Susun konsep surat undangan, surat pengantar dan Keputusan Panitia.")
    with db.write():
        _complete(plan, 3, user, notes=note)
        audit.update(plan, instruction_note=note[:5000])


# ---------------------------------------------------------------- committee (SK Panitia)

def add_member(plan, data):
    with db.write():
        at_step(plan, 1, 2, 3, 4)
        last = plan.members.count()
        return audit.create(CommitteeMember, work_plan=plan, sort=last + 1,
                            **{k: (v or "") for k, v in data.items()})


def remove_member(member):
    with db.write():
        at_step(member.work_plan, 1, 2, 3, 4)
        audit.delete(member)


def members_of(plan):
    return list(plan.members.order_by(CommitteeMember.sort, CommitteeMember.id))


# ---------------------------------------------------------------- letters (step 4, 5)

def seed_templates():
    """Insert the default letter templates that are missing (never overwrite an admin's edits)."""
    have = {k for (k,) in LetterTemplate.select(LetterTemplate.kind).tuples()}
    with db.write():
        for kind, (title, body) in lt.DEFAULTS.items():
            if kind not in have:
                audit.create(LetterTemplate, kind=kind, title=title, body=body)


def template_for(kind):
    tpl = LetterTemplate.get_or_none(LetterTemplate.kind == kind)
    if tpl is None:
        title, body = lt.DEFAULTS[kind]
        return title, body
    return tpl.title, tpl.body


def letters_of(plan):
    return list(Letter.select(Letter, Addressee).join(Addressee, peewee.JOIN.LEFT_OUTER,
                                                       on=(Letter.addressee == Addressee.id))
                .where(Letter.work_plan == plan)
                .order_by(Letter.kind.desc(), Addressee.name, Letter.id))


def generate_letters(plan, refresh=False):
    """Make the missing drafts (one invitation per addressee, a cover letter, the SK);
    ``refresh`` re-copies the current templates into every draft."""
    with db.write():
        at_step(plan, 4)
        existing = letters_of(plan)
        made = 0
        by_key = {(l.kind, l.addressee_id): l for l in existing}
        wanted = [("cover", None), ("decree", None)] + [("invitation", a.id) for a in plan.addressees]
        for kind, addressee_id in wanted:
            title, body = template_for(kind)
            letter = by_key.get((kind, addressee_id))
            if letter is None:
                audit.create(Letter, work_plan=plan, kind=kind, addressee=addressee_id, title=title, source=body)
                made += 1
            elif refresh and letter.status == "draft":
                audit.update(letter, title=title, source=body)
        for l in existing:     # an invitation whose addressee was removed
            if l.kind == "invitation" and l.addressee_id is None:
                audit.delete(l)
    return made


def edit_letter(letter, title, source):
    """Save a draft's text after a trial render with the letter's own data: a syntax error,
    a refused operation or a misspelt name is refused here with its line, not printed later."""
    try:
        lt.render(source, letter_values(letter))
    except lt.TemplateProblem as exc:
        err = DeliveryError(_("Teks surat tidak dapat diproses ({p}).", p=str(exc)))
        err.field = "source"
        raise err
    with db.write():
        at_step(letter.work_plan, 4)
        if letter.status != "draft":
            raise DeliveryError(_("Surat final tidak dapat diubah."))
        audit.update(letter, title=title, source=source, return_reason="")


def letter_values(letter, plan=None, signer=None, number=None, day=None, app=None):
    app = app or current_app()
    plan = plan or letter.work_plan
    opts = options(app)
    addressees = list(plan.addressees.order_by(Addressee.name))
    return {
        "plan": lt.plan_values(plan),
        "addressee": lt.addressee_values(letter.addressee if letter.addressee_id else None),
        "addressees": [lt.addressee_values(a) for a in addressees],
        "members": [lt.member_values(m) for m in members_of(plan)],
        "number": number or letter.number or "......./BLK-PA/....../" + str((day or datetime.date.today()).year),
        "date": format_date(day or letter.dated or datetime.date.today()),
        "signer": signer or signer_of(plan, app),
        "institution": app.config["institution"],
        "place": opts["place"],
    }


def signer_of(plan, app=None):
    """The signer of a plan's letters: whoever signed its cover letter (name, rank, NIP)."""
    opts = options(app or current_app())
    cover = Letter.get_or_none((Letter.work_plan == plan) & (Letter.kind == "cover"))
    if cover is None or not cover.signer_name:
        return {"name": "", "rank": "", "nip": "", "position": opts["signer_position"],
                "on_behalf": opts["signer_on_behalf"]}
    return {"name": cover.signer_name, "rank": cover.signer_rank, "nip": cover.signer_nip,
            "position": opts["signer_position"], "on_behalf": opts["signer_on_behalf"]}


def text_of(letter, app=None):
    """The letter's text: frozen when final, rendered from its template text while draft."""
    if letter.status == "final":
        return letter.text
    try:
        return lt.render(letter.source, letter_values(letter, app=app))
    except lt.TemplateProblem as exc:
        return _("[Templat surat tidak dapat diproses: {p}]", p=str(exc))


def submit_drafts(plan, user):
    letters = letters_of(plan)
    kinds = {l.kind for l in letters}
    if not {"cover", "decree"} <= kinds or not any(l.kind == "invitation" for l in letters):
        raise DeliveryError(_("Buat dulu konsep surat undangan, surat pengantar dan Keputusan Panitia."))
    invited = {l.addressee_id for l in letters if l.kind == "invitation"}
    if any(a.id not in invited for a in plan.addressees):
        raise DeliveryError(_("Ada Kabupaten/Kota yang belum memiliki surat undangan; buat konsep yang kurang."))
    if not members_of(plan):
        raise DeliveryError(_("Isi susunan panitia untuk Keputusan Panitia."))
    for l in letters:
        try:
            lt.render(l.source, letter_values(l, plan=plan))
        except lt.TemplateProblem as exc:
            raise DeliveryError(_("Konsep {t} tidak dapat diproses: {p}", t=l.title, p=str(exc)))
    with db.write():
        _complete(plan, 4, user, notes=_("{n} konsep surat diajukan untuk paraf.", n=len(letters)),
                  links=[(_("Konsep surat"), f"/delivery/plans/{plan.id}/letters")])
        for l in letters:
            if l.return_reason:
                audit.update(l, return_reason="")


def _stamp(user):
    return {"name": user.full_name or user.username, "nip": user.nip or "", "rank": user.rank or ""}


def _check_signer(plan, user):
    run = at_step(plan, 5)
    rs = tracker.open_step(run)
    if rs is None or not tracker.can_act(user, rs.step):
        raise DeliveryError(_("Paraf dan tanda tangan hanya oleh Kepala Bidang."))
    return run


def paraf(letter, user, app=None):
    plan = letter.work_plan
    with db.write():
        db.lock(WorkPlan, plan.id)               # paraf and signatures of a plan's letters one at a time
        letter = db.lock(Letter, letter.id)
        _check_signer(plan, user)
        s = _stamp(user)
        audit.update(letter, paraf_by=user.id, paraf_at=db.utcnow(), paraf_name=s["name"], paraf_nip=s["nip"],
                     paraf_rank=s["rank"])
        return finish_signing(plan, user, app)


def sign(letter, user, app=None):
    if letter.kind != "cover":
        raise DeliveryError(_("Yang ditandatangani Kepala Bidang adalah surat pengantar; surat lain cukup diparaf."))
    plan = letter.work_plan
    with db.write():
        db.lock(WorkPlan, plan.id)
        letter = db.lock(Letter, letter.id)
        _check_signer(plan, user)
        s = _stamp(user)
        now = db.utcnow()
        audit.update(letter, paraf_by=user.id, paraf_at=letter.paraf_at or now, paraf_name=letter.paraf_name or s["name"],
                     paraf_nip=letter.paraf_nip or s["nip"], paraf_rank=letter.paraf_rank or s["rank"],
                     signed_by=user.id, signed_at=now, signer_name=s["name"], signer_nip=s["nip"], signer_rank=s["rank"])
        return finish_signing(plan, user, app)


def return_letter(letter, user, reason):
    """Return the drafts to step 4 with a reason; paraf and signatures are cleared."""
    reason = (reason or "").strip()
    if not reason:
        raise DeliveryError(_("Alasan pengembalian wajib diisi."))
    plan = letter.work_plan
    with db.write():
        run = _check_signer(plan, user)
        tracker.return_to(run, user, 4, f"{letter.title}: {reason}"[:5000])
        for l in letters_of(plan):
            audit.update(l, paraf_by=None, paraf_at=None, paraf_name="", paraf_nip="", paraf_rank="",
                         signed_by=None, signed_at=None, signer_name="", signer_nip="", signer_rank="",
                         return_reason=reason[:5000] if l.id == letter.id else l.return_reason)


def take_number(app, day=None, kind="cover"):
    """The next letter number of this deployment's series (never reused; one series for the three letters)."""
    return documents.take_number(app, lt.TYPES[kind], day or datetime.date.today())


def finalise(letter, app, day=None):
    """Give a draft its number and date, freeze its text and issue it as a document (PDF, QR)."""
    day = day or datetime.date.today()
    with db.write():
        if letter.status == "final":
            return letter
        number = take_number(app, day, letter.kind)
        text = lt.render(letter.source, letter_values(letter, number=number, day=day, app=app))
        letter = audit.update(letter, number=number, dated=day, text=text, status="final")
        issue_document(letter, app)
        return letter


def issue_document(letter, app, user=None):
    """Issue a final letter on the document service with its own number (also for letters
    finalised before the service existed: their numbers stay)."""
    if letter.status != "final":
        raise DeliveryError(_("Hanya surat final yang diterbitkan sebagai dokumen."))
    if documents.current_for("delivery_letter", letter.id) is not None:
        raise DeliveryError(_("Surat ini sudah diterbitkan sebagai dokumen."))
    opts = options(app)
    cover = Letter.get_or_none((Letter.work_plan == letter.work_plan_id) & (Letter.kind == "cover"))
    signer = User.get_or_none(User.id == cover.signed_by_id) if cover is not None and cover.signed_by_id else None
    subject = letter.title + (f" — {letter.addressee.name}" if letter.addressee_id else "")
    try:
        return documents.issue(app, lt.TYPES[letter.kind], {"body": letter.text}, subject=subject,
                               record=("delivery_letter", letter.id), signer=signer, position=opts["signer_position"],
                               on_behalf=opts["signer_on_behalf"], dated=letter.dated, place=opts["place"],
                               number=letter.number, issued_by=user)
    except documents.DocumentError as exc:
        raise DeliveryError(str(exc))


def finish_signing(plan, user, app=None):
    """When every draft is initialled and the cover letter signed: number the letters and complete step 5."""
    app = app or current_app()
    letters = letters_of(plan)
    if not letters or any(l.paraf_by_id is None for l in letters):
        return False
    if not any(l.kind == "cover" and l.signed_by_id for l in letters):
        return False
    with db.write():
        for l in letters:
            finalise(l, app)
        _complete(plan, 5, user, notes=_("Konsep diparaf dan surat pengantar ditandatangani; {n} surat diberi nomor.",
                                         n=len(letters)),
                  links=[(f"{l.title} {l.number}", f"/delivery/letters/{l.id}") for l in letters_of(plan)][:20])
    return True


# ---------------------------------------------------------------- distribution (step 6)

def record_sending(addressee, sent_on, proof_ref, upload, user, app):
    plan = addressee.work_plan
    fields = {"sent_on": sent_on, "proof_ref": (proof_ref or "").strip()[:120]}
    with db.write():
        at_step(plan, 6)
        if upload is not None and (upload.raw_filename or "").strip():
            stored = tracker.store_upload(app, upload)
            fields.update(proof_filename=stored["filename"], proof_sha256=stored["sha256"],
                          proof_content_type=stored["content_type"])
        if not fields["proof_ref"] and not fields.get("proof_sha256") and not addressee.proof_sha256:
            raise DeliveryError(_("Isi nomor tanda terima/resi atau unggah bukti kirim."))
        audit.update(addressee, **fields)
        pending = plan.addressees.where(Addressee.sent_on.is_null()).count()
        if pending == 0:
            _complete(plan, 6, user, notes=_("Surat undangan terkirim ke {n} Kabupaten/Kota.", n=plan.addressees.count()),
                      links=[(_("Register pengiriman"), f"/delivery/plans/{plan.id}/distribution")])
            return True
    return False


# ---------------------------------------------------------------- replies (step 7)

def reply_due(addressee, cal):
    """The last day a reply is expected (5 working days after sending)."""
    return cal.add_working_days(addressee.sent_on, REPLY_DAYS) if addressee.sent_on else None


def record_reply(addressee, replied_on, reply_ref):
    with db.write():
        at_step(addressee.work_plan, 6, 7, 8)
        if addressee.sent_on is None:
            raise DeliveryError(_("Surat undangan ke {a} belum dicatat terkirim.", a=addressee.name))
        audit.update(addressee, replied_on=replied_on, reply_ref=(reply_ref or "").strip()[:120])


def add_candidate(addressee, data):
    """A candidate nominated by a regency/city becomes an enrolment of the batch."""
    plan = addressee.work_plan
    with db.write():
        at_step(plan, 6, 7, 8)
        if addressee.sent_on is None:
            raise DeliveryError(_("Surat undangan ke {a} belum dicatat terkirim.", a=addressee.name))
        if plan.batch_id is None:
            raise DeliveryError(_("Rencana kerja ini belum terhubung dengan angkatan pelatihan."))
        fields = {k: v for k, v in data.items() if k != "nik" and v not in (None, "")}
        fields.setdefault("regency", addressee.name)
        person = training.find_or_create_person(data["nik"], **fields)
        try:
            enrolment = training.register(person, plan.batch, source="nomination", nominated_by=addressee.name,
                                          check_window=False)
        except training.TrainingError as exc:
            raise DeliveryError(str(exc))
        if addressee.replied_on is None:
            audit.update(addressee, replied_on=datetime.date.today())
        return enrolment


IMPORT_COLUMNS = {"nik": "nik", "nama": "name", "name": "name", "jenis_kelamin": "sex", "jk": "sex", "sex": "sex",
                  "telepon": "phone", "hp": "phone", "no_hp": "phone", "phone": "phone",
                  "tanggal_lahir": "birth_date", "birth_date": "birth_date", "pendidikan": "education",
                  "education": "education", "alamat": "address", "address": "address", "email": "email"}


def read_rows(filename, data):
    """Rows of a CSV or XLSX file as dicts keyed by the known column names (read by core.tabular)."""
    ext = os.path.splitext(filename or "")[1].lower()
    if ext not in (".csv", ".xlsx"):
        raise DeliveryError(_("Gunakan berkas CSV atau XLSX."))
    try:
        header, rows = tabular.read_table(filename, data, aliases=IMPORT_COLUMNS)
    except tabular.TabularError as exc:
        raise DeliveryError(str(exc))
    if "nik" not in header or "name" not in header:
        raise DeliveryError(_("Baris pertama harus berisi judul kolom, minimal: nik, nama, jenis_kelamin."))
    out = [{key: (value.isoformat()[:10] if isinstance(value, (datetime.date, datetime.datetime)) else value)
            for key, value in record.items()} for _number, record in rows]
    if len(out) > 500:
        raise DeliveryError(_("Paling banyak 500 baris sekali impor."))
    return out


def close_replies(plan, user):
    with db.write():
        addressees = list(plan.addressees)
        replied = sum(1 for a in addressees if a.replied_on)
        nominated = Enrolment.select().where((Enrolment.batch == plan.batch_id) & (Enrolment.source == "nomination")).count()
        _complete(plan, 7, user, notes=_("{r} dari {n} Kabupaten/Kota menjawab; {c} calon peserta diusulkan.",
                                         r=replied, n=len(addressees), c=nominated),
                  links=[(_("Jawaban dan calon peserta"), f"/delivery/plans/{plan.id}/replies")])


def overdue_addressees(cal, today):
    """Addressees of plans waiting for replies (step 6 or 7) that have not replied in time."""
    rows = list(Addressee.select(Addressee, WorkPlan).join(WorkPlan)
                .where(Addressee.sent_on.is_null(False) & Addressee.replied_on.is_null()))
    if not rows:
        return []
    waiting = {int(sid) for (sid,) in Run.select(Run.subject_id)
               .where((Run.subject_type == SUBJECT) & (Run.code == CODE) & (Run.status == "active")
                      & Run.current_no.in_([6, 7])).tuples()}
    return [a for a in rows if a.work_plan_id in waiting and reply_due(a, cal) < today]


def remind_replies(app, now):
    """Job: notify every active staf_blk user once per overdue addressee."""
    cal = app.calendar
    local_today = tracker.aware(now).astimezone(cal.tz).date()
    rows = overdue_addressees(cal, local_today)
    if not rows:
        return 0
    created = 0
    for a in rows:
        text = (lambda a=a: _("Belum ada jawaban dari {a} untuk {p} (dikirim {d}); mohon dihubungi.",
                              a=a.name, p=a.work_plan.activity, d=a.sent_on.isoformat()))
        created += tasks.notify_role(app, STAFF, f"delivery-reply:{a.id}", text,
                                     f"/delivery/plans/{a.work_plan_id}/replies")
    return created


# ---------------------------------------------------------------- meeting (step 8), training (step 9)

def save_meeting(plan, data, user):
    with db.write():
        run = at_step(plan, 8, 9, 10)
        audit.update(plan, meeting_date=data["meeting_date"], meeting_place=data.get("meeting_place") or "",
                     meeting_attendees=data["meeting_attendees"], meeting_minutes=data["meeting_minutes"])
        if run.current_no == 8:
            _complete(plan, 8, user, notes=_("Rapat internal {d}: {n} peserta rapat.", d=data["meeting_date"].isoformat(),
                                             n=len([x for x in data["meeting_attendees"].splitlines() if x.strip()])),
                      links=[(_("Hasil rapat"), f"/delivery/plans/{plan.id}/meeting")])


def finish_training(plan, user, note=""):
    with db.write():
        _complete(plan, 9, user, notes=note or _("Pelatihan selesai dilaksanakan."),
                  links=[(_("Angkatan pelatihan"), f"/training/batches/{plan.batch_id}")] if plan.batch_id else ())


def on_batch_ended(batch_id):
    """``training.batch_ended``: step 9 of each plan at it is done by rule, under whoever ended the batch (or none)."""
    who = actor()
    user = who if getattr(who, "id", None) else None
    for plan in WorkPlan.select().where(WorkPlan.batch == batch_id):
        if FLOW.at_step(plan, 9) is None:
            continue
        FLOW.complete(plan, 9, user=user, rule=_("angkatan pelatihan dinyatakan selesai di modul Pelatihan"),
                      notes=_("Otomatis: angkatan pelatihan dinyatakan selesai di modul Pelatihan."),
                      links=[(_("Angkatan pelatihan"), f"/training/batches/{batch_id}")])


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
    from plugins.training.models import ENROLMENT_STATUS
    labels = dict(ENROLMENT_STATUS)
    lines = [f"LAPORAN PELAKSANAAN {plan.activity.upper()}", ""]
    lines += ["I. RENCANA KERJA",
              f"   Kegiatan      : {plan.activity}",
              f"   Program       : {plan.programme.code} — {plan.programme.title}",
              f"   Waktu         : {format_date(plan.start_date)} s.d. {format_date(plan.end_date)}",
              f"   Tempat        : {plan.venue}",
              f"   DPA           : {plan.dpa_number}, {format_rupiah(plan.budget_amount)}",
              f"   Kuota peserta : {plan.quota} orang", ""]
    lines.append("II. SURAT")
    for l in letters_of(plan):
        who = f" — {l.addressee.name}" if l.addressee_id else ""
        lines.append(f"   - {l.title}{who}: nomor {l.number or '(belum bernomor)'}"
                     + (f", tanggal {format_date(l.dated)}" if l.dated else ""))
    signer = signer_of(plan, app)
    if signer["name"]:
        lines.append(f"   Ditandatangani: {signer['name']}, {signer['rank']}, NIP {signer['nip']}")
    lines.append("")
    lines.append("III. PENGIRIMAN DAN JAWABAN KABUPATEN/KOTA")
    enrolments = attendance_summary(plan.batch_id) if plan.batch_id else []
    by_regency = {}
    for e, _c in enrolments:
        by_regency.setdefault(e.nominated_by, []).append(e)
    for a in plan.addressees.order_by(Addressee.name):
        sent = format_date(a.sent_on) if a.sent_on else "belum dikirim"
        reply = format_date(a.replied_on) if a.replied_on else "belum menjawab"
        lines.append(f"   - {a.name}: dikirim {sent}; jawaban {reply}; calon peserta {len(by_regency.get(a.name, []))} orang")
    lines.append("")
    lines.append("IV. RAPAT INTERNAL PERSIAPAN")
    if plan.meeting_date:
        lines.append(f"   Tanggal {format_date(plan.meeting_date)}{', ' + plan.meeting_place if plan.meeting_place else ''}")
        attendees = [x.strip() for x in plan.meeting_attendees.splitlines() if x.strip()]
        lines.append(f"   Hadir {len(attendees)} orang: {', '.join(attendees)}")
        lines += ["   " + x for x in plan.meeting_minutes.splitlines()]
    else:
        lines.append("   (belum dicatat)")
    lines.append("")
    lines.append("V. PELAKSANAAN PELATIHAN")
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
    lines += ["", "VI. HASIL", f"   Lulus: {graduated} orang dari {len(enrolments)} peserta.", ""]
    return "\n".join(lines)


def save_report(plan, text):
    with db.write():
        at_step(plan, 10)
        audit.update(plan, report_text=text)


def submit_report(plan, user):
    if not (plan.report_text or "").strip():
        raise DeliveryError(_("Susun laporan terlebih dahulu."))
    with db.write():
        _complete(plan, 10, user, notes=_("Laporan pelaksanaan disampaikan kepada Kepala Dinas."),
                  links=[(_("Laporan"), f"/delivery/plans/{plan.id}/report/print")])


def receive_report(plan, user):
    with db.write():
        _complete(plan, 11, user, notes=_("Laporan pelaksanaan diterima."))
        audit.update(plan, report_received_at=db.utcnow(), report_received_by=user.id)
