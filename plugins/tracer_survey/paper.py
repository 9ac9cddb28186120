"""The tracer recap report (Laporan Hasil Survei Kebekerjaan Alumni) on the documents
service: letterhead, number in the office's format, the signer, QR verification."""
from core.toolkit import db, documents, format_percent, local_today
from plugins.tracer_survey.config import SUBJECT
from plugins.tracer_survey.recap import breakdowns, recap
from plugins.tracer_survey.waves import survey_of

CODE = "tracer_survey.recap_report"


def document_types(app):
    return [documents.DocumentType(
        code=CODE, title="Laporan Hasil Survei Kebekerjaan Alumni",
        template="tracer_survey/documents/recap_report.html",
        number_format="{seq:03d}/{classification}/BPVP-KDI/{month_roman}/{year}", classification="PM.09",
        signer_role="sub_koordinator_pemberdayaan", copies_to=["Kepala BPVP Kendari"], qr=True,
        record_type=SUBJECT, sample=sample_values)]


def _pct(value):
    return format_percent(value)


def values_for(batch):
    """What the paper prints: per wave and by sex, programme and funding; percentages of respondents."""
    waves, _per_programme = recap(batch_id=batch.id)
    dims = breakdowns(batch_id=batch.id)
    statuses = ("bekerja", "wirausaha", "studi", "belum")
    return {
        "programme": batch.programme.title, "programme_code": batch.programme.code, "batch": batch.name,
        "end_date": batch.end_date, "funding": batch.funding,
        "waves": [{"months": w["months"], "alumni": w["alumni"], "responded": w["responded"],
                   "response_rate": _pct(w["response_rate"]),
                   **{s: w[s] for s in statuses}, **{f"pct_{s}": _pct(w[f"pct_{s}"]) for s in statuses}}
                  for w in waves],
        "breakdowns": [{"title": title, "rows": [{"label": r["label"], "responded": r["responded"],
                                                  **{f"pct_{s}": _pct(r[f"pct_{s}"]) for s in statuses}}
                                                 for r in dims[key]]}
                       for key, title in (("sex", "Jenis kelamin"), ("programme", "Program pelatihan"),
                                          ("funding", "Sumber dana"))],
    }


def sample_values(app):
    return {"programme": "Menjahit", "programme_code": "MJH", "batch": "Angkatan I", "end_date": "2026-06-30",
            "funding": "DIPA", "waves": [], "breakdowns": []}


def issue_recap_paper(app, batch, user):
    """Issue the report of the batch's survey, signed by ``user`` (their own signature); a
    second issue supersedes the first (same number, new version)."""
    survey = survey_of(batch.id)
    with db.write():
        current = documents.current_for(SUBJECT, survey.id, CODE)
        values = values_for(batch)
        if current is not None:
            return documents.supersede(app, current, values, signer=user, issued_by=user)
        return documents.issue(app, CODE, values, subject=f"Survei kebekerjaan alumni {batch.programme.title} "
                                                          f"{batch.name}",
                               record=(SUBJECT, survey.id), signer=user, issued_by=user,
                               dated=local_today(app))
