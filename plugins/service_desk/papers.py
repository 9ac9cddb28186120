"""The service desk's papers on the core document service (KDI-PM-06 outputs):
bukti pendaftaran (step 2), rekap nilai seleksi, pengumuman kelulusan and form
daftar ulang (step 3), notulen (step 4), RAB and the PKS draft (step 5), and
the surat permintaan uji kompetensi (step 7). Each is numbered, frozen as PDF
with its QR verification link, and signed by the person whose act it records."""
import datetime
import decimal

from core.toolkit import User, _, documents, local_today
from plugins.service_desk.models import Cooperation, GuestVisit, SelectionSetting
from plugins.training.models import Batch, Enrolment, Person, Programme, mask_nik

HEAD, DELIVERY, EMPOWER, KIOSK = "kepala_bpvp", "sub_koordinator_penyelenggaraan", "sub_koordinator_pemberdayaan", "petugas_kios"
NUMBER = "{seq:03d}/{classification}/BPVP-KDI/{month_roman}/{year}"

# code: (title, template, record type, classification, signer role, editable)
KINDS = {
    "receipt": ("Bukti Pendaftaran Pelatihan", "receipt.html", "service_desk_visit", "BP", KIOSK, False),
    "selection": ("Rekap Nilai Hasil Seleksi", "selection.html", "training_batch", "RNS", DELIVERY, False),
    "announcement": ("Pengumuman Kelulusan Seleksi", "announcement.html", "training_batch", "PENG", HEAD, False),
    "reregistration": ("Formulir Daftar Ulang Peserta Pelatihan", "reregistration.html", "training_enrolment", "DU",
                       DELIVERY, False),
    "minutes": ("Notulen Hasil Pertemuan", "minutes.html", "service_desk_cooperation", "NOT", EMPOWER, False),
    "rab": ("Rencana Anggaran Biaya", "rab.html", "service_desk_cooperation", "RAB", HEAD, False),
    "pks": ("Perjanjian Kerja Sama", "pks.html", "service_desk_cooperation", "PKS", HEAD, True),
    "test_request": ("Surat Permintaan Uji Kompetensi", "test_request.html", "training_batch", "UK", HEAD, False),
}


def code_of(kind):
    return f"service_desk.{kind}"


def document_types(app):
    return [documents.DocumentType(code_of(kind), title, f"service_desk/documents/{template}",
                                   number_format=NUMBER, series="service_desk.paper", record_type=rtype,
                                   classification=classification, signer_role=role, editable=editable,
                                   sample=lambda app, kind=kind: SAMPLES[kind]())
            for kind, (title, template, rtype, classification, role, editable) in KINDS.items()]


# ---------------------------------------------------------------- values

def _batch(batch_id):
    return Batch.select(Batch, Programme).join(Programme).where(Batch.id == batch_id).get()


def batch_values(batch):
    p = batch.programme
    return {"batch": {"name": batch.name, "programme": p.title, "programme_code": p.code, "total_jp": p.total_jp,
                      "start_date": batch.start_date, "end_date": batch.end_date}}


def _selection_rows(batch):
    from plugins.service_desk import selection
    rows = selection.candidates(batch)
    rows.sort(key=lambda e: (-(e.score.total if e.score and e.score.total is not None else -1), e.person.name))
    labels = {"pass": "Lulus", "reserve": "Cadangan", "fail": "Tidak lulus"}
    return [{"name": e.person.name, "nik": mask_nik(e.person.nik),
             "cbt": selection.fmt_score(e.score.cbt_score if e.score else None),
             "interview": selection.fmt_score(e.score.interview_score if e.score else None),
             "total": selection.fmt_score(e.score.total if e.score else None),
             "result": labels.get(e.score.result, "-") if e.score else "-"} for e in rows]


def _cooperation_values(coop):
    from plugins.service_desk import cooperation
    visit = GuestVisit.get_by_id(coop.visit_id)
    lines = cooperation.rab_lines(coop)
    pks = cooperation.pks_of(coop)
    return {"partner": visit.organisation or visit.name, "contact": visit.name,
            "meeting_date": coop.meeting_date, "attendees": coop.attendees, "minutes": coop.minutes,
            "follow_up": coop.follow_up, "kind": dict(KIND_LABELS).get(coop.kind, coop.kind),
            "lines": [{"item": l.item, "volume": l.volume.normalize(), "unit": l.unit, "unit_cost": l.unit_cost,
                       "total": l.total} for l in lines],
            "total": cooperation.rab_total(lines),
            "pks": {"number": pks.number, "parties": pks.parties, "scope": pks.scope,
                    "period_start": pks.period_start, "period_end": pks.period_end} if pks else None}


KIND_LABELS = [("training_certification", "Kerja sama pelatihan dan sertifikasi"),
               ("placement", "Kerja sama penempatan kerja")]


# ---------------------------------------------------------------- issuing (inside the caller's write)

def issue(app, kind, obj_id, user, today):
    """Issue the paper ``kind`` of the record ``obj_id``; returns the Document (DocumentError when not ready)."""
    from plugins.service_desk import cooperation, selection
    signer, subject = user, None
    if kind == "receipt":
        visit = GuestVisit.get_by_id(obj_id)
        if not visit.enrolment_id:
            raise documents.DocumentError(_("Tamu ini belum didaftarkan pada pelatihan."))
        e = Enrolment.select(Enrolment, Person).join(Person).where(Enrolment.id == visit.enrolment_id).get()
        batch = _batch(e.batch_id)
        values = {**batch_values(batch), "person": {"name": e.person.name, "nik": mask_nik(e.person.nik),
                                                    "phone": visit.phone}, "siapkerja_ref": e.siapkerja_ref,
                  "registered_on": visit.day}
        record, subject = ("service_desk_visit", visit.id), f"Bukti pendaftaran {e.person.name} — {batch}"
    elif kind in ("selection", "announcement", "test_request"):
        batch = _batch(obj_id)
        setting = SelectionSetting.get_or_none(SelectionSetting.batch == batch)
        if kind != "test_request" and (setting is None or not setting.finalised_at):
            raise documents.DocumentError(_("Seleksi angkatan ini belum difinalkan."))
        values = batch_values(batch)
        if kind == "selection":
            values.update(rows=_selection_rows(batch), cbt_weight=selection.fmt_score(setting.cbt_weight),
                          interview_weight=selection.fmt_score(setting.interview_weight),
                          pass_mark=selection.fmt_score(setting.pass_mark))
            signer = User.get_by_id(setting.finalised_by_id) if setting.finalised_by_id else user
        elif kind == "announcement":
            values["accepted"] = [r for r in _selection_rows(batch) if r["result"] == "Lulus"]
            values["reserve"] = [r for r in _selection_rows(batch) if r["result"] == "Cadangan"]
            signer = None                                   # the head of the balai (or the Plt./Plh.)
        else:
            roster = [e for e in selection.candidates(batch) if e.status in selection.ROSTER]
            if not roster:
                raise documents.DocumentError(_("Belum ada peserta pada angkatan ini."))
            values["candidates"] = [{"name": e.person.name, "nik": mask_nik(e.person.nik)} for e in roster]
            signer = None
        record, subject = ("training_batch", batch.id), f"{KINDS[kind][0]} — {batch}"
    elif kind == "reregistration":
        e = Enrolment.select(Enrolment, Person).join(Person).where(Enrolment.id == obj_id).get()
        if e.status not in selection.ROSTER:
            raise documents.DocumentError(_("Peserta ini belum daftar ulang."))
        batch = _batch(e.batch_id)
        values = {**batch_values(batch), "person": {"name": e.person.name, "nik": mask_nik(e.person.nik),
                                                    "sex": {"L": "Laki-laki", "P": "Perempuan"}.get(e.person.sex, ""),
                                                    "birth_date": e.person.birth_date, "phone": e.person.phone}}
        record, subject = ("training_enrolment", e.id), f"Daftar ulang {e.person.name} — {batch}"
    else:
        coop = Cooperation.get_by_id(obj_id)
        values = _cooperation_values(coop)
        if kind == "minutes" and not coop.meeting_date:
            raise documents.DocumentError(_("Notulen pertemuan belum disimpan."))
        if kind == "rab":
            if coop.rab_status != "approved":
                raise documents.DocumentError(_("RAB belum disetujui Kepala BPVP."))
            signer = cooperation.approver_of(coop, "rab") or None
            values["prepared_by"] = user.full_name
        if kind == "pks" and values["pks"] is None:
            raise documents.DocumentError(_("Isi dulu data PKS."))
        if kind == "pks":
            signer = cooperation.approver_of(coop, "pks") or None
        record, subject = ("service_desk_cooperation", coop.id), f"{KINDS[kind][0]} — {values['partner']}"
    return documents.issue(app, code_of(kind), values, subject=subject, record=record, signer=signer,
                           issued_by=user, dated=today)


# ---------------------------------------------------------------- samples for the template editor

def _sample_batch():
    today = local_today()
    return {"batch": {"name": "Angkatan I", "programme": "Contoh Program", "programme_code": "CTH-01",
                      "total_jp": 160, "start_date": today, "end_date": today}}


def _sample_coop():
    today = local_today()
    line = {"item": "Biaya uji kompetensi", "volume": decimal.Decimal(1), "unit": "orang",
            "unit_cost": decimal.Decimal("650000"), "total": decimal.Decimal("650000")}
    return {"partner": "PT Contoh", "contact": "Nama Tamu", "meeting_date": today, "attendees": "", "minutes": "Isi",
            "follow_up": "", "kind": "Kerja sama pelatihan dan sertifikasi", "lines": [line],
            "total": decimal.Decimal("650000"), "prepared_by": "Nama",
            "pks": {"number": "", "parties": "1. BPVP Kendari\n2. PT Contoh", "scope": "Pelatihan",
                    "period_start": today, "period_end": today}}


def _sample_person():
    return {**_sample_batch(), "person": {"name": "Nama Peserta", "nik": "7471********0001", "phone": "0812",
                                          "sex": "Perempuan", "birth_date": datetime.date(2000, 1, 1)},
            "siapkerja_ref": "SK-0001", "registered_on": local_today()}


_ROW = {"name": "Nama", "nik": "7471********0001", "cbt": "80,00", "interview": "75,00", "total": "78,00",
        "result": "Lulus"}
SAMPLES = {
    "receipt": _sample_person, "reregistration": _sample_person,
    "selection": lambda: {**_sample_batch(), "rows": [_ROW], "cbt_weight": "60,00", "interview_weight": "40,00",
                          "pass_mark": "70,00"},
    "announcement": lambda: {**_sample_batch(), "accepted": [_ROW], "reserve": []},
    "test_request": lambda: {**_sample_batch(), "candidates": [{"name": "Nama", "nik": "7471********0001"}]},
    "minutes": _sample_coop, "rab": _sample_coop, "pks": _sample_coop,
}
