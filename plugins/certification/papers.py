"""The certification plugin's papers on the core document service (docs/documents.md):
attendance of candidates and of assessors, the berita acara (numbered, dated in words),
the minutes of the quality review, the cover letter of the recommendation to the LSP,
the certificate handover receipt and the facility-readiness checklist. Each is issued
from the recorded data, numbered, frozen as a PDF with a QR code that verifies."""
from core.toolkit import _, current_app, documents, format_date, local_today, privacy, tracker
from plugins.certification import service
from plugins.certification.models import Candidate, CompetencyCertificate, Scheme, TestEvent, Tuk
from plugins.training.models import Person

SEX = {"L": "Laki-laki", "P": "Perempuan"}
# code → (title, template, classification, signer role)
PAPERS = {
    "certification.attendance_candidates": ("Daftar Hadir Peserta Uji Kompetensi", "attendance.html", "DHP",
                                            "teknis_operasional"),
    "certification.attendance_assessors": ("Daftar Hadir Asesor Kompetensi", "attendance.html", "DHA",
                                           "teknis_operasional"),
    "certification.berita_acara": ("Berita Acara Uji Kompetensi", "berita_acara.html", "BA", "kepala_tuk"),
    "certification.review_minutes": ("Notulen Kaji Ulang Pelaksanaan Uji Kompetensi", "minutes.html", "MOM",
                                     "manajemen_mutu"),
    "certification.recommendation": ("Surat Pengantar Rekomendasi ke LSP", "recommendation.html", "REK",
                                     "kepala_tuk"),
    "certification.handover": ("Tanda Terima Sertifikat Kompetensi", "handover.html", "TT", "bagian_administrasi"),
    "certification.readiness": ("Daftar Periksa Kesiapan Sarana dan Prasarana TUK", "readiness.html", "KS",
                                "kepala_tuk"),
}
# which step must be passed before a paper can be issued (its content is final then)
AFTER_STEP = {"certification.readiness": 2, "certification.attendance_candidates": 5,
              "certification.attendance_assessors": 5, "certification.berita_acara": 6,
              "certification.review_minutes": 7, "certification.recommendation": 7}


def document_types(app):
    number = app.config.plugin("certification")["paper_number"]
    return [documents.DocumentType(code, title, f"certification/documents/{template}", number_format=number,
                                   series="certification.paper", classification=cls, signer_role=role,
                                   record_type=TestEvent.audit_type(), sample=lambda app, c=code: sample(c, app))
            for code, (title, template, cls, role) in PAPERS.items()]


# ---------------------------------------------------------------- values

def event_values(event):
    scheme, tuk = Scheme.get_by_id(event.scheme_id), Tuk.get_by_id(event.tuk_id)
    # Indonesian official writing: "pukul 08.00–15.00 WIB"
    return {"event": {"date": event.date, "start": event.start_time.strftime("%H.%M"),
                      "end": event.end_time.strftime("%H.%M"), "tz": current_app().config["timezone"]},
            "scheme": {"title": scheme.title, "number": scheme.number, "code": scheme.code},
            "tuk": {"name": tuk.name, "address": tuk.address}}


def values_for(app, code, event):
    data = service.report(event)
    values = event_values(event)
    people = [{"name": c.person.name, "nik": privacy.shown(Person, "nik", c.person.nik),
               "sex": SEX.get(c.person.sex, c.person.sex), "present": c.present, "result": c.result,
               "recommendation": c.recommendation, "lsp": c.lsp_decision} for c in data["candidates"]]
    values.update(
        kind="asesor" if code == "certification.attendance_assessors" else "peserta",
        candidates=people,
        assessors=[{"name": ea.assessor.name, "met": ea.assessor.met_number, "present": ea.present}
                   for ea in data["assessors"]],
        counts={"total": len(data["candidates"]), "present": len(data["present"]), "absent": len(data["absent"]),
                "k": len(data["k"]), "bk": len(data["bk"])},
        signatures=[{"role": s.role, "name": s.name, "nip": s.nip, "at": format_date(s.signed_at.date())}
                    for s in data["signatures"]],
        lsp=app.config.plugin("certification")["lsp_name"],
    )
    if code == "certification.review_minutes":
        signed = review_signoffs(event)
        values["review"] = [{"role": str(app.role_title(role)), "points": [label for _k, label in items],
                             **signed.get(role, {"name": "", "nip": "", "at": "", "notes": ""})}
                            for role, items in service.REVIEW_ITEMS.items()]
    if code == "certification.readiness":
        values["checklist"] = [{"label": item.label, "done": bool(tick and tick.done), "notes": tick.notes if tick else ""}
                               for item, tick in service.checklist(event)]
    if code == "certification.handover":
        values["certificates"] = [
            {"name": c.candidate.person.name, "number": c.number, "registration": c.registration_number,
             "issued_on": c.issued_on, "handed_over_on": c.handed_over_on}
            for c in (CompetencyCertificate.select(CompetencyCertificate, Candidate, Person).join(Candidate).join(Person)
                      .where(Candidate.event == event).order_by(Person.name))]
    return values


def review_signoffs(event):
    """{role: who signed off the last (completed) review, when, with which notes}: the minutes record the
    people of the meeting, not only its parties (two queries)."""
    run = service.run_of(event)
    steps = [rs for rs in tracker.timeline(run) if rs.step.no == 7 and rs.status == "done"] if run else []
    if not steps:
        return {}
    return {s.role: {"name": ((s.acting + " ") if s.acting else "") + s.user.full_name, "nip": s.user.nip or "",
                     # the notes repeat the ticked items, then " — " and what the party wrote
                     "at": format_date(s.signed_at.date()), "notes": s.notes.split(" — ", 1)[1] if " — " in s.notes else ""}
            for s in tracker.signoffs_of(steps[-1:]).get(steps[-1].id, [])}


def sample(code, app=None):
    day = local_today(app)
    return {"event": {"date": day, "start": "08.00", "end": "15.00", "tz": "WIB"},
            "scheme": {"title": "Skema Contoh", "number": "SKM/01", "code": "CTH"},
            "tuk": {"name": "TUK Contoh", "address": "Jl. Contoh"}, "kind": "peserta",
            "candidates": [{"name": "Nama Peserta", "nik": "3671********0001", "sex": "Perempuan", "present": True,
                            "result": "K", "recommendation": "", "lsp": "K"}],
            "assessors": [{"name": "Nama Asesor", "met": "MET.000.000001.2020", "present": True}],
            "counts": {"total": 1, "present": 1, "absent": 0, "k": 1, "bk": 0}, "signatures": [], "lsp": "LSP Contoh",
            "review": [], "checklist": [], "certificates": []}


# ---------------------------------------------------------------- issuing

def issue(app, code, event, user):
    """Issue (or, when one is current, supersede with the data of now) the paper ``code`` of ``event``."""
    if code not in PAPERS:
        raise documents.DocumentError(_("Jenis dokumen tidak dikenal."))
    if PAPERS[code][3] not in user.roles:      # the issuer signs the paper: only the holder of its signer role
        raise documents.DocumentError(_("Dokumen ini ditandatangani oleh {r}; terbitkan sebagai pemegang peran itu.",
                                        r=app.role_title(PAPERS[code][3])))
    if PAPERS[code][3] == service.TUK_ROLE:       # signed as Kepala TUK: by the head linked to the event's TUK only
        refused = service.head_refusal(event, user, lambda t: _(
            "Hanya Kepala TUK dari {t} yang dapat menerbitkan dan menandatangani dokumen ini.", t=t))
        if refused:
            raise documents.DocumentError(refused)
    after = AFTER_STEP.get(code)
    no = service.current_no(event)
    if after is not None and no is not None and no <= after:
        raise documents.DocumentError(_("Dokumen ini diterbitkan setelah langkah {n} selesai.", n=after))
    if code == "certification.handover" and not CompetencyCertificate.select().join(Candidate).where(
            (Candidate.event == event) & CompetencyCertificate.handed_over_on.is_null(False)).exists():
        raise documents.DocumentError(_("Belum ada sertifikat yang diserahkan kepada peserta."))
    values = values_for(app, code, event)
    subject = f"{PAPERS[code][0]} — {values['scheme']['title']}, {documents.tanggal(event.date)}"
    current = documents.current_for(TestEvent.audit_type(), event.id, code)
    if current is not None:
        return documents.supersede(app, current, values)
    return documents.issue(app, code, values, subject=subject, record=(TestEvent.audit_type(), event.id),
                           signer=user, issued_by=user)
