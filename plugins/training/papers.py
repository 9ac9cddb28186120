"""The training plugin's papers on the core document service: the training
certificate, the daily attendance sheet of a batch (daftar hadir, with a
signature column) and the list of participants."""
import datetime

from core.toolkit import _, documents, format_date, local_today
from plugins.training.models import (PAPER_SEX, PAPER_STATUS, Batch, Certificate, CompetencyUnit, Enrolment, Person,
                                     Programme, mask_nik)

CERTIFICATE, ATTENDANCE, PARTICIPANTS = "training.certificate", "training.attendance_sheet", "training.participants"


def document_types(app):
    opts = app.config.plugin("training")
    return [
        documents.DocumentType(CERTIFICATE, "Sertifikat Pelatihan", "training/documents/certificate.html",
                               number_format=opts["certificate_number"], series="training-certificate",
                               record_type="training_enrolment", editable=True, sample=sample_certificate,
                               lookup=legacy_certificate),
        documents.DocumentType(ATTENDANCE, "Daftar Hadir Peserta Pelatihan", "training/documents/attendance_sheet.html",
                               number_format=opts["paper_number"], series="training.paper",
                               record_type="training_batch", classification="DH", sample=sample_batch),
        documents.DocumentType(PARTICIPANTS, "Daftar Peserta Pelatihan", "training/documents/participants.html",
                               number_format=opts["paper_number"], series="training.paper",
                               record_type="training_batch", classification="DP", sample=sample_batch),
    ]


# ---------------------------------------------------------------- values printed on the papers

def batch_values(batch):
    p = batch.programme
    return {"batch": {"name": batch.name, "start_date": batch.start_date, "end_date": batch.end_date,
                      "programme": p.title, "programme_code": p.code, "total_jp": p.total_jp}}


def _in_class(batch):
    return list(Enrolment.select(Enrolment, Person).join(Person)
                .where((Enrolment.batch == batch) & (Enrolment.status.in_(("training", "graduated", "not_graduated"))))
                .order_by(Person.name))


def participant_values(batch):
    return {**batch_values(batch), "people": [
        {"name": e.person.name, "nik": mask_nik(e.person.nik), "sex": PAPER_SEX.get(e.person.sex, e.person.sex),
         "birth_date": e.person.birth_date, "regency": e.person.regency,
         "status": PAPER_STATUS.get(e.status, e.status)}
        for e in _in_class(batch)]}


def certificate_values(enrolment):
    batch = Batch.select(Batch, Programme).join(Programme).where(Batch.id == enrolment.batch_id).get()
    person = Person.get_by_id(enrolment.person_id)
    units = list(CompetencyUnit.select().where(CompetencyUnit.programme == batch.programme_id)
                 .order_by(CompetencyUnit.code))
    return {**batch_values(batch),
            "holder": {"name": person.name, "nik": person.nik, "birth_date": person.birth_date},
            "units": [{"code": u.code, "title": u.title, "jp": u.jp} for u in units]}


def sample_batch(app):
    today = local_today(app)
    return {"batch": {"name": "Angkatan I", "start_date": today, "end_date": today, "programme": "Contoh Program",
                      "programme_code": "CTH-01", "total_jp": 240},
            "day": today, "people": [{"name": "Nama Peserta", "nik": "7401********0001", "sex": "Perempuan",
                                      "birth_date": today, "regency": "Kota Contoh", "status": "Pelatihan"}]}


def sample_certificate(app):
    values = sample_batch(app)
    values.update(holder={"name": "Nama Peserta", "nik": "7401010101010001", "birth_date": datetime.date(2000, 1, 1)},
                  units=[{"code": "UNIT.01", "title": "Unit kompetensi contoh", "jp": 24}])
    return values


# ---------------------------------------------------------------- issuing

def issue_certificate_document(app, enrolment, day, issued_by=None):
    batch = Batch.select(Batch, Programme).join(Programme).where(Batch.id == enrolment.batch_id).get()
    values = certificate_values(enrolment)
    return documents.issue(app, CERTIFICATE, values, dated=day, issued_by=issued_by, signer=issued_by,
                           record=("training_enrolment", enrolment.id),
                           subject=f"Sertifikat Pelatihan {values['holder']['name']} — {batch.programme.title} "
                                   f"({batch.programme.total_jp} JP), {batch.name}",
                           number_values={"code": batch.programme.code, "programme": batch.programme.code})


def issue_attendance_sheet(app, batch, day, user):
    if not (batch.start_date <= day <= batch.end_date):
        raise documents.DocumentError(_("Tanggal {d} di luar masa pelatihan angkatan ini.", d=format_date(day)))
    values = {**participant_values(batch), "day": day}
    return documents.issue(app, ATTENDANCE, values, record=("training_batch", batch.id), signer=user, issued_by=user,
                           subject=f"Daftar Hadir {batch.programme.title} {batch.name}, {documents.tanggal(day)}")


def issue_participant_list(app, batch, user):
    return documents.issue(app, PARTICIPANTS, participant_values(batch), record=("training_batch", batch.id),
                           signer=user, issued_by=user,
                           subject=f"Daftar Peserta {batch.programme.title} {batch.name}")


def legacy_certificate(token):
    """A certificate printed before the document service (no stored paper): verification only."""
    cert = (Certificate.select(Certificate, Enrolment, Person, Batch, Programme)
            .join(Enrolment).join(Person).switch(Enrolment).join(Batch).join(Programme)
            .where(Certificate.token == token).first())
    if cert is None:
        return None
    e = cert.enrolment
    return {"type_code": CERTIFICATE, "number": cert.number, "version": 1, "dated": cert.issued_on,
            "subject": f"Sertifikat Pelatihan {e.person.name} — {e.batch.programme.title} "
                       f"({e.batch.programme.total_jp} JP), {e.batch.name}",
            "signer_name": "", "signer_title": "", "status": "revoked" if cert.revoked else "valid"}
