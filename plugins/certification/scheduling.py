"""Scheduling a test event: the checks (licensed assessors, MET validity, double booking,
candidates per assessor, TUK capacity), its assessors and candidates, and its run."""
import datetime

from core.toolkit import (
    _,
    audit,
    db,
    format_date,
    tracker,
)
from plugins.certification.confirmations import link_expiry, links_of, make_link
from plugins.certification.models import (
    Assessor,
    AssessorScheme,
    Candidate,
    CompetencyCertificate,
    EventAssessor,
    Scheme,
    TestEvent,
    Tuk,
    UnitResult,
)
from plugins.certification.runs import (
    CODE,
    SUBJECT,
    CertError,
    current_no,
    options,
    reopen_if_archived,
    require_open_until,
    require_unsigned,
    sync_status,
    transactional,
)
from plugins.training import service as training
from plugins.training.models import Batch, Person

# ---------------------------------------------------------------- scheduling checks

def parse_time(text):
    try:
        return datetime.datetime.strptime((text or "").strip(), "%H:%M").time()
    except ValueError:
        return None


def assessor_problems(scheme, day, start, end, assessor_ids, exclude_event=None):
    """Why each chosen assessor may not assess this test: messages in one list."""
    problems = []
    chosen = list(Assessor.select().where(Assessor.id.in_(assessor_ids or [0])).order_by(Assessor.name))
    licensed = {a for (a,) in AssessorScheme.select(AssessorScheme.assessor)
                .where((AssessorScheme.scheme == scheme) & AssessorScheme.assessor.in_(assessor_ids or [0])).tuples()}
    busy = (EventAssessor.select(EventAssessor, TestEvent, Scheme).join(TestEvent).join(Scheme)
            .where(EventAssessor.assessor.in_(assessor_ids or [0]) & (TestEvent.date == day)
                   & (TestEvent.start_time < end) & (TestEvent.end_time > start)))
    if exclude_event is not None:
        busy = busy.where(TestEvent.id != exclude_event.id)
    booked = {}
    for row in busy:
        booked.setdefault(row.assessor_id, row.event)
    for a in chosen:
        if a.id not in licensed:
            problems.append(_("{a} tidak berlisensi untuk skema {s}.", a=a.name, s=scheme.title))
        if a.met_expiry < day:
            problems.append(_("Registrasi MET {a} ({m}) sudah habis berlaku pada {d}.", a=a.name, m=a.met_number,
                              d=format_date(a.met_expiry)))
        if a.id in booked:
            other = booked[a.id]
            problems.append(_("{a} sudah terjadwal pada waktu yang sama ({s}, {t1}–{t2}).", a=a.name,
                              s=other.scheme.title, t1=other.start_time.strftime("%H:%M"),
                              t2=other.end_time.strftime("%H:%M")))
    return problems


def count_problems(tuk, n_candidates, n_assessors, ratio):
    problems = []
    if n_assessors and n_candidates > n_assessors * ratio:
        problems.append(_("Terlalu banyak peserta: {n} peserta untuk {a} asesor (maksimal {r} peserta per asesor).",
                          n=n_candidates, a=n_assessors, r=ratio))
    if n_candidates > tuk.capacity:
        problems.append(_("Melebihi kapasitas {t}: {n} peserta, kapasitas {c}.", t=tuk.name, n=n_candidates,
                          c=tuk.capacity))
    return problems


def check_schedule(data, assessor_ids, n_candidates, event=None, ratio=10):
    """Errors by field for a schedule (empty when it may be saved)."""
    errors = {}
    scheme = Scheme.get_by_id(data["scheme"])
    tuk = Tuk.get_by_id(data["tuk"])
    start, end = data["start_time"], data["end_time"]
    if end <= start:
        errors["end_time"] = _("Jam selesai harus setelah jam mulai.")
        return errors
    if not assessor_ids:
        errors["assessors"] = _("Pilih minimal satu asesor.")
    else:
        problems = assessor_problems(scheme, data["date"], start, end, assessor_ids, event)
        if problems:
            errors["assessors"] = " ".join(problems)
    problems = count_problems(tuk, n_candidates, len(assessor_ids), ratio)
    if problems:
        errors["candidates"] = " ".join(problems)
    return errors


# ---------------------------------------------------------------- events and candidates

def graduates(batch):
    return training.graduates(batch) if batch is not None else []


def add_candidate(event, person, enrolment=None):
    if Candidate.select().where((Candidate.event == event) & (Candidate.person == person)).exists():
        raise CertError(_("{p} sudah menjadi peserta uji ini.", p=person.name), "nik")
    candidate = audit.create(Candidate, event=event, person=person, enrolment=enrolment)
    make_link(event, candidate, person if isinstance(person, Person) else None)
    return candidate


@transactional
def save_event(data, assessor_ids, enrolment_ids, user, event=None, reason=None):
    """Create (and start the run of) or change a test event with its assessors and batch candidates.

    ``enrolment_ids``: the batch graduates picked; on change, batch candidates
    not picked any more are removed, hand-added candidates are kept.
    Returns (event, errors): errors by field when refused (nothing saved).
    """
    ratio = options()["candidates_per_assessor"]
    batch_id = data.get("batch")
    picked = []
    if batch_id:
        grads = {e.id: e for e in training.graduates(batch_id)}
        unknown = [i for i in enrolment_ids if i not in grads]
        if unknown:
            return event, {"candidates": _("Peserta yang dipilih bukan lulusan angkatan ini.")}
        picked = [grads[i] for i in enrolment_ids]
    elif enrolment_ids:
        return event, {"batch": _("Pilih angkatan lebih dahulu untuk memilih lulusannya.")}
    if batch_id:
        batch = db.lock(Batch, batch_id)       # its dates cannot move while the test is checked against them
        if batch is not None and batch.status != "ended" and data.get("date") and data["date"] < batch.end_date:
            # its graduates are tested after their training: not before its last day while it runs
            return event, {"date": _("Uji lulusan {b} tidak dapat sebelum pelatihannya berakhir ({d}).",
                                     b=batch.name, d=format_date(batch.end_date))}
    manual = 0
    if event is not None:
        manual = Candidate.select().where((Candidate.event == event) & Candidate.enrolment.is_null()
                                          & ~Candidate.person.in_([e.person_id for e in picked] or [0])).count()
    errors = check_schedule(data, assessor_ids, len(picked) + manual, event, ratio)
    if errors:
        return event, errors
    fields = dict(scheme=data["scheme"], tuk=data["tuk"], date=data["date"], start_time=data["start_time"],
                  end_time=data["end_time"], batch=batch_id or None, notes=data.get("notes") or "")
    with db.write():
        if event is None:
            event = audit.create(TestEvent, **fields)
            created = True
        else:
            if event.status != "archived" and (current_no(event) or 99) > 4:
                raise CertError(_("Jadwal tidak dapat diubah lagi setelah pelaksanaan uji dimulai."))
            reopen_if_archived(event, reason, "jadwal")
            if berita_acara_changes(event, fields, assessor_ids, picked):
                require_unsigned(event)
            audit.update(event, **fields)
            created = False
        # assessors
        have = {ea.assessor_id: ea for ea in EventAssessor.select().where(EventAssessor.event == event)}
        for aid in assessor_ids:
            if aid not in have:
                audit.create(EventAssessor, event=event, assessor=aid)
        for aid, ea in have.items():
            if aid not in assessor_ids:
                audit.delete(ea)
        # candidates from the batch
        existing = {c.person_id: c for c in Candidate.select().where(Candidate.event == event)}
        picked_people = {e.person_id for e in picked}
        for e in picked:
            if e.person_id not in existing:
                make_link(event, audit.create(Candidate, event=event, person=e.person_id, enrolment=e.id))
        for pid, c in existing.items():
            if c.enrolment_id is not None and pid not in picked_people:
                remove_candidate(c)
        if not created:       # links end with the (possibly moved) test day
            for link in links_of(list(existing.values())).values():
                if link.expires_at != link_expiry(event):
                    audit.update(link, expires_at=link_expiry(event))
        if created:
            scheme = Scheme.get_by_id(event.scheme_id)
            tracker.start_run(CODE, SUBJECT, event.id,
                              _("Uji kompetensi {s} — {d}", s=scheme.title, d=format_date(event.date)))
            sync_status(event)
    return event, {}


def berita_acara_changes(event, fields, assessor_ids, picked):
    """Whether saving this schedule changes what the berita acara reports: scheme, TUK, day and hours, the
    assessors, the batch's candidates (the notes do not appear on it)."""
    if any(getattr(event, k + "_id" if k in ("scheme", "tuk") else k) != fields[k]
           for k in ("scheme", "tuk", "date", "start_time", "end_time")):
        return True
    have = {ea.assessor_id for ea in EventAssessor.select().where(EventAssessor.event == event)}
    from_batch = {c.person_id for c in Candidate.select().where((Candidate.event == event)
                                                               & Candidate.enrolment.is_null(False))}
    return have != set(assessor_ids) or from_batch != {e.person_id for e in picked}


@transactional
def remove_candidate(candidate):
    if UnitResult.select().where(UnitResult.candidate == candidate).exists() or \
            CompetencyCertificate.select().where(CompetencyCertificate.candidate == candidate).exists():
        raise CertError(_("Peserta yang sudah memiliki hasil uji tidak dapat dihapus."))
    audit.delete(candidate)


@transactional
def delete_candidate(event, candidate, reason=None):
    """Remove a candidate by hand: before the test starts, or from an archived file with a reason."""
    require_open_until(event, 4, _("Peserta tidak dapat dihapus setelah pelaksanaan uji dimulai."), reason,
                       "hapus peserta")
    require_unsigned(event)
    remove_candidate(candidate)


@transactional
def add_manual_candidate(event, data, reason=None):
    """Add a person by hand (NIK, name…) after the ratio and capacity checks."""
    require_open_until(event, 4, _("Peserta tidak dapat ditambah setelah pelaksanaan uji dimulai."), reason,
                       "tambah peserta")
    require_unsigned(event)
    n = Candidate.select().where(Candidate.event == event).count() + 1
    n_assessors = EventAssessor.select().where(EventAssessor.event == event).count()
    tuk = Tuk.get_by_id(event.tuk_id)
    problems = count_problems(tuk, n, n_assessors, options()["candidates_per_assessor"])
    if problems:
        raise CertError(" ".join(problems))
    with db.write():
        person = training.find_or_create_person(
            data["nik"], name=data["name"], sex=data["sex"], phone=data.get("phone") or "",
            birth_date=data.get("birth_date"), address=data.get("address") or "")
        return add_candidate(event, person)
