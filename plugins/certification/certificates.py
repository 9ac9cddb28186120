"""Archiving (step 8), the LSP's decision with its certificate and registration numbers as
received, the handover, and the certificate lists."""
import datetime

import peewee

from core.toolkit import (
    _,
    audit,
    db,
    events,
    format_date,
    local_today,
)
from plugins.certification.models import (
    Candidate,
    CompetencyCertificate,
    Scheme,
    TestEvent,
)
from plugins.certification.runs import CertError, add_years, complete_step, reopen_if_archived, transactional
from plugins.certification.signing import report
from plugins.training.models import Person

# ---------------------------------------------------------------- archive (step 8) and certificates

@transactional
def archive(event, user, notes=""):
    with db.write():
        complete_step(event, 8, user, notes=notes or _("Berkas uji kompetensi diarsipkan."))
        event = TestEvent.get_by_id(event.id)
        if event.status == "archived":
            events.emit("certification.event_archived", event_id=event.id, batch_id=event.batch_id or None)
    return event


def lsp_row_problems(event, values, today):
    """{column: message} of one candidate's LSP line: a certificate only for the LSP's K, its numbers
    and issue date all given as received, dated on or after the test and not in the future; the
    handover not before the issue."""
    problems = {}
    issued, handed = values.get("issued_on"), values.get("handed_over_on")
    numbers = ("number", "registration_number")
    if values.get("decision") == "K":
        for key in numbers + ("issued_on",):
            if not values.get(key):
                problems[key] = _("Wajib diisi untuk peserta yang dinyatakan Kompeten oleh LSP.")
    else:
        for key in numbers + ("issued_on", "handed_over_on"):
            if values.get(key):
                problems[key] = _("Hanya untuk peserta yang dinyatakan Kompeten (K) oleh LSP.")
    if issued and "issued_on" not in problems:
        if issued < event.date:
            problems["issued_on"] = _("Tanggal terbit tidak boleh sebelum tanggal uji ({d}).", d=format_date(event.date))
        elif issued > today:
            problems["issued_on"] = _("Tanggal terbit tidak boleh di masa depan.")
    if handed and "handed_over_on" not in problems:
        if issued and handed < issued:
            problems["handed_over_on"] = _("Serah terima tidak boleh sebelum tanggal terbit.")
        elif handed > today:
            problems["handed_over_on"] = _("Tanggal serah terima tidak boleh di masa depan.")
    return problems


class CellError(CertError):
    """A refusal about one cell of a grid (``cell`` = (row, column))."""
    def __init__(self, message, cell):
        super().__init__(message)
        self.cell = cell


@transactional
def record_lsp(event, rows, reason=None):
    """The LSP's decision and its certificate and registration numbers as received, and the handover.

    ``rows``: {candidate id: {"decision", "number", "registration_number", "issued_on", "handed_over_on"}}.
    Only after the quality review; after archiving only with a reason (audited as a reopening). A number is
    unique across every event: two clerks saving the same number for two events at the same moment (another
    process) are told in its cell, never an error page."""
    event = db.lock(TestEvent, event.id)        # one saver of this event's grid at a time
    if event.status not in ("filing", "archived"):
        raise CertError(_("Keputusan LSP dicatat setelah hasil uji dikaji ulang dan direkomendasikan ke LSP."))
    reopen_if_archived(event, reason, "keputusan LSP / sertifikat")
    scheme = Scheme.get_by_id(event.scheme_id)
    today = local_today()
    cands = {c.id: c for c in Candidate.select().where((Candidate.event == event) & (Candidate.present == True))}  # noqa: E712
    certs = {c.candidate_id: c for c in CompetencyCertificate.select().where(CompetencyCertificate.candidate.in_(list(cands) or [0]))}
    numbers = [(cid, (v.get("number") or "").strip()) for cid, v in rows.items() if v.get("number")]
    taken = {n: cid for n, cid in CompetencyCertificate.select(CompetencyCertificate.number, CompetencyCertificate.candidate)
             .where(CompetencyCertificate.number.in_([n for _c, n in numbers] or ["-"])).tuples()}
    seen = {}
    for cid, number in numbers:
        if taken.get(number, cid) != cid or seen.get(number, cid) != cid:
            raise CellError(_("Nomor sertifikat {n} sudah tercatat untuk peserta lain.", n=number), (cid, "number"))
        seen[number] = cid
    with db.write():
        for cid, v in rows.items():
            cand = cands.get(cid)
            if cand is None:
                continue
            for key, message in lsp_row_problems(event, v, today).items():
                raise CellError(message, (cid, key))
            decision = v.get("decision") or ""
            if cand.lsp_decision != decision:
                audit.update(cand, lsp_decision=decision)
            cert = certs.get(cid)
            if decision != "K":
                if cert is not None:
                    audit.delete(cert)
                continue
            fields = dict(number=v["number"].strip(), registration_number=v["registration_number"].strip(),
                          issued_on=v["issued_on"], expires_on=add_years(v["issued_on"], scheme.validity_years),
                          handed_over_on=v.get("handed_over_on"))
            if cert is None or any(getattr(cert, k) != val for k, val in fields.items()):
                save_certificate(cand, cert, fields)


def save_certificate(cand, cert, fields):
    """Create or change one certificate row in its own savepoint. The number check above read the numbers
    committed then; another process may have committed the same number since (for another event): the
    unique index refuses it here, and the clerk reads why in the number's cell."""
    try:
        with db.write():
            if cert is None:
                audit.create(CompetencyCertificate, candidate=cand, **fields)
            else:
                audit.update(cert, **fields)
    except peewee.IntegrityError:
        raise CellError(_("Nomor sertifikat {n} baru saja dicatat untuk peserta lain; periksa kembali nomor dari "
                          "LSP.", n=fields["number"]), (cand.id, "number"))


def certificates_query():
    return (CompetencyCertificate.select(CompetencyCertificate, Candidate, Person, TestEvent, Scheme)
            .join(Candidate).join(Person).switch(Candidate).join(TestEvent).join(Scheme))


def expiring(days, today=None):
    today = today or local_today()
    return list(certificates_query()
                .where((CompetencyCertificate.expires_on >= today) & (CompetencyCertificate.expires_on <= today + datetime.timedelta(days=days)))
                .order_by(CompetencyCertificate.expires_on, Person.name))


def recommendation_rows(event):
    """The candidates assessed, with the recommendation to the LSP (K: recommended for certification)."""
    return [c for c in report(event)["candidates"] if c.present]
