"""What the programme and batch screens change, with their rules: competency units, instructors,
enrolment moves in bulk, closing a batch, certificates for every graduate. (``service`` holds
what other plugins call as well.) Refusals raise ``Refusal`` (shown next to the field named)."""
import peewee

from core.toolkit import Refusal, _, audit, current_app, db, documents, format_number, format_percent
from plugins.training import service
from plugins.training.schemas import person_fields
from plugins.training.models import Batch, Certificate, CompetencyUnit, Enrolment, Instructor, Person, Programme


def save_unit(programme, data, unit=None):
    """Add a competency unit to a programme, or change one; a unit code is unique within it."""
    with db.write():
        db.lock(Programme, programme.id)          # two staff adding the same code: one wins
        clash = CompetencyUnit.select().where((CompetencyUnit.programme == programme)
                                              & (CompetencyUnit.code == data["code"]))
        if unit is not None:
            clash = clash.where(CompetencyUnit.id != unit.id)
        if clash.exists():
            raise Refusal(_("Kode unit {c} sudah ada pada program ini.", c=data["code"]), field="code")
        if unit is None:
            return audit.create(CompetencyUnit, programme=programme, **data)
        return audit.update(unit, **data)


def add_instructor(batch, data):
    with db.write():
        return audit.create(Instructor, batch=batch, **data)


def close_batch(batch):
    """End a running batch once every trainee has a result (graduated or not)."""
    with db.write():
        batch = db.lock(Batch, batch.id)
        if batch.status != "running":
            raise Refusal(_("Hanya angkatan yang sedang berjalan yang dapat diselesaikan (status: {s}).",
                            s=service.batch_status_label(batch.status)))
        still = Enrolment.select().where((Enrolment.batch == batch) & (Enrolment.status == "training")).count()
        if still:
            raise Refusal(_("Masih ada {n} peserta berstatus Mengikuti pelatihan: tetapkan Lulus/Tidak lulus lebih "
                            "dulu.", n=format_number(still, 0)))
        return service.end_batch(batch)


def move_enrolments(batch, ids, target):
    """Move the chosen enrolments to ``target``: (number moved, ["name: why refused"]). A graduate
    needs the configured attendance; each refusal leaves the others moved."""
    pass_percent = current_app().config.plugin("training").get("attendance_pass_percent", 80)
    rows = list(Enrolment.select(Enrolment, Person).join(Person)
                .where((Enrolment.batch == batch) & Enrolment.id.in_(ids)))
    moved, refused = 0, []
    for e in rows:
        try:
            with db.write():
                if target == "graduated":
                    percent = service.attendance_percent(e)
                    if percent is not None and percent < pass_percent:
                        raise service.TrainingError(_("kehadiran {p} di bawah batas {m}.",
                                                      p=format_percent(percent, 0), m=format_percent(pass_percent, 0)))
                before = e.status
                service.change_status(e, target)
                moved += e.status != before
        except service.TrainingError as exc:
            refused.append(f"{e.person.name}: {exc}")
    return moved, refused


def issue_missing_certificates(batch, user):
    """A certificate for every graduate of the batch who has none yet: how many were issued."""
    with db.write():
        have = {c for (c,) in Certificate.select(Certificate.enrolment).join(Enrolment)
                .where(Enrolment.batch == batch).tuples()}
        issued = 0
        for e in service.graduates(batch):
            if e.id not in have:
                try:
                    service.issue_certificate(e, current_app(), issued_by=user)
                except documents.DocumentError as exc:
                    raise Refusal(str(exc))
                issued += 1
    return issued


def nik_taken(nik, other_than=None):
    """Whether another person already has this NIK."""
    clash = Person.select().where(Person.nik == nik)
    if other_than is not None:
        clash = clash.where(Person.id != other_than.id)
    return clash.exists()


def save_person(data, person=None):
    """Add a person or change one; a NIK belongs to one person. Two clerks saving the same new NIK at
    once: the unique index refuses the second (its check ran before the first committed), shown alike."""
    taken = Refusal(_("NIK ini sudah dipakai oleh peserta lain."), field="nik")
    try:
        with db.write():
            if person is not None:
                person = db.lock(Person, person.id)
            if nik_taken(data["nik"], person):
                raise taken
            fields = person_fields(data)
            if person is None:
                return audit.create(Person, nik=data["nik"], **fields)
            return audit.update(person, nik=data["nik"], **fields)
    except peewee.IntegrityError:
        raise taken from None
