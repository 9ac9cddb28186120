"""Intake: each candidate's application (APL-01 data and documents) before the test. A candidate
without a complete application cannot be confirmed (step 4) nor tested (step 5): a tracker guard."""

from core.toolkit import _, audit, db, format_date, local_today
from plugins.certification.models import APPLICATION_DOCUMENTS, Application, ApplicationDocument, Candidate, TestEvent
from plugins.certification.runs import CertError, current_no, transactional
from plugins.training.models import Person


def application_of(candidate):
    """(application or None, {kind: document})."""
    app_row = Application.get_or_none(Application.candidate == candidate)
    docs = {d.kind: d for d in ApplicationDocument.select().where(ApplicationDocument.application == app_row)} \
        if app_row is not None else {}
    return app_row, docs


def applications(event):
    """{candidate id: number of the required documents present, or None without an application} (two queries)."""
    rows = list(Application.select().join(Candidate).where(Candidate.event == event))
    counts = {}
    for d in ApplicationDocument.select().where(ApplicationDocument.application.in_([a.id for a in rows] or [0])):
        counts[d.application_id] = counts.get(d.application_id, 0) + 1
    return {a.candidate_id: counts.get(a.id, 0) for a in rows}


def incomplete_applications(event):
    """Names of the candidates still expected (not declined) whose APL-01 or one of its documents is
    missing (three queries)."""
    counts = applications(event)
    cands = (Candidate.select(Candidate, Person).join(Person)
             .where((Candidate.event == event) & (Candidate.confirmation != "declined")).order_by(Person.name))
    return [c.person.name for c in cands if counts.get(c.id, -1) < len(APPLICATION_DOCUMENTS)]


def intake_problems(event):
    """Why steps 4 and 5 wait for the intake (the guard's message), or []."""
    missing = incomplete_applications(event)
    if not missing:
        return []
    return [_("Permohonan (APL-01) dengan KTP, ijazah, pas foto dan sertifikat pelatihan belum lengkap untuk: {n}. "
              "Lengkapi dari halaman jadwal uji (kolom APL-01).", n=", ".join(missing))]


@transactional
def save_application(candidate, data, uploads, user):
    """Record (or correct) the APL-01 and its documents; refused once the test has begun (step 5) or after the
    test day, or when a required document is still missing (nothing saved). ``uploads``: {kind: stored file fields}."""
    candidate = db.lock(Candidate, candidate.id)        # two clerks saving one file: one after the other
    event = TestEvent.get_by_id(candidate.event_id)
    # Candidates may still hand in their file on the test day (TUK sewaktu) — but before the test starts.
    if local_today() > event.date or (current_no(event) or 99) > 4:
        raise CertError(_("Permohonan (APL-01) diterima sebelum uji dimulai, paling lambat pada hari uji ({d}).",
                          d=format_date(event.date)))
    row, docs = application_of(candidate)
    missing = [kind for kind, _l in APPLICATION_DOCUMENTS if kind not in docs and kind not in uploads]
    if missing:
        raise CertError(_("Unggah berkas ini."), f"doc_{missing[0]}")
    fields = dict(education=data["education"], institution=data.get("institution") or "",
                  purpose=data["purpose"], interview_notes=data.get("interview_notes") or "")
    with db.write():
        if row is None:
            row = audit.create(Application, candidate=candidate, received_by=user.id, **fields)
        else:
            audit.update(row, **fields)
        for kind, f in uploads.items():
            values = dict(sha256=f["sha256"], filename=f["filename"][:200], content_type=f["content_type"][:100])
            if kind in docs:
                audit.update(docs[kind], **values)
            else:
                audit.create(ApplicationDocument, application=row, kind=kind, **values)
    return row
