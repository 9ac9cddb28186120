"""What the screens call: scheduling a test event with its checks, confirmations,
readiness, results, berita acara signatures, review, archive (and its lock),
certificates, and the reminder job for the unconfirmed.

Refusals raise ``CertError(message, field)`` with a message for the user;
every change goes through ``core.audit``; the SOP run of each event is driven
through ``core.tracker.service``.
"""
import datetime
from urllib.parse import quote

from core.toolkit import (_, audit, current_app, db, events, format_date, institution_timezone, local_today,
                          public_links, tasks, tracker, whatsapp)
from plugins.certification.models import (APPLICATION_DOCUMENTS, STATUS_BY_STEP, Application, ApplicationDocument,
                                          Assessor, AssessorScheme, Candidate, CompetencyCertificate,
                                          ChecklistItem, ChecklistTick, EventAssessor, Scheme, SchemeUnit,
                                          Signature, TestEvent, Tuk, UnitResult)
from plugins.certification.sop import SOP
from plugins.training import service as training
from plugins.training.models import Person

CODE = SOP["code"]
SUBJECT = TestEvent.audit_type()
ADMIN_ROLE = "bagian_administrasi"


class CertError(Exception):
    """A refusal the user can read; ``field`` names the form field it concerns (or None)."""
    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def transactional(fn):
    """Run a service function in one savepoint: a refusal half-way leaves nothing behind."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with db.write():
            return fn(*args, **kwargs)
    return wrapper


def options(app=None):
    return (app or current_app()).config.plugin("certification")


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:          # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


# ---------------------------------------------------------------- the run

FLOW = tracker.Workflow(CODE, TestEvent)


def run_of(event):
    return FLOW.run_of(event)


def current_no(event):
    run = run_of(event)
    return run.current_no if run is not None and run.status == "active" else None


def status_for(run):
    if run is None:
        return "scheduled"
    if run.status == "completed":
        return "archived"
    return STATUS_BY_STEP.get(run.current_no, "scheduled")


def sync_status(event):
    status = status_for(run_of(event))
    if event.status != status:
        audit.update(event, status=status)
    return event


def follow_run(subject_id):
    """After a step of an event's run moved (possibly on the generic run page): keep the status in step."""
    event = TestEvent.get_or_none(TestEvent.id == int(subject_id))
    if event is None:
        return
    with db.write():
        was = event.status
        sync_status(event)
        if event.status == "archived" and was != "archived":
            events.emit("certification.event_archived", event_id=event.id, batch_id=event.batch_id or None)


@transactional
def complete_step(event, no, user, notes="", links=(), rule=None):
    """Complete step ``no`` of the event's run as ``user`` (refused when another step is open)."""
    run = run_of(event)
    if run is None or run.status != "active":
        raise CertError(_("Run SOP uji kompetensi ini sudah selesai."))
    if run.current_no != no:
        raise CertError(_("Langkah yang terbuka sekarang adalah langkah {n}, bukan langkah {m}.",
                          n=run.current_no, m=no))
    with db.write():
        tracker.complete(run, user, notes=notes, links=list(links) or [(_("Jadwal uji"), event_url(event))],
                         expect_no=no, rule=rule)
        sync_status(event)
    return current_no(event) != no      # False while a joint step waits for the other roles' sign-off


def event_url(event):
    return f"/certification/events/{event.id}"


# ---------------------------------------------------------------- the archive lock

def reopen_if_archived(event, reason, what):
    """Changes to an archived event need a reason; the change is then recorded as a reopening."""
    if event.status != "archived":
        return
    reason = (reason or "").strip()
    if not reason:
        raise CertError(_("Berkas uji ini sudah diarsipkan: perubahan hanya dapat disimpan dengan alasan "
                          "membuka kembali."), "reopen_reason")
    audit.event("reopened", SUBJECT, event.id, {"reason": reason[:1000], "change": what})


def require_open_until(event, last_no, message, reason=None, what=""):
    """Allow a change while the run is at or before ``last_no``, or on an archived event with a reason."""
    if event.status == "archived":
        reopen_if_archived(event, reason, what)
        return
    no = current_no(event)
    if no is None or no > last_no:
        raise CertError(message)


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


# ---------------------------------------------------------------- confirmation links (core public links)

LINK_PURPOSE = "certification.confirm"


def link_expiry(event):
    """The end of the test day at the institution, in stored (naive UTC) time."""
    end = datetime.datetime.combine(event.date, datetime.time(23, 59), tzinfo=institution_timezone())
    return end.astimezone(datetime.timezone.utc).replace(tzinfo=None)


def make_link(event, candidate, person=None):
    person = person or Person.get_by_id(candidate.person_id)
    return public_links.create(LINK_PURPOSE, candidate, expires_at=link_expiry(event), recipient_name=person.name,
                               recipient_phone=person.phone or "", recipient_email=person.email or "")


def links_of(candidates):
    """{candidate id: its confirmation link} in one query."""
    found = public_links.for_subjects(LINK_PURPOSE, Candidate.audit_type(), [c.id for c in candidates])
    return {int(k): v for k, v in found.items()}


def invitation_text(event, person, url, institution):
    return _("Halo {name}, salam dari {inst}. Anda dijadwalkan mengikuti uji kompetensi {scheme} pada {day} "
             "pukul {t1}–{t2} di {tuk}. Mohon konfirmasi kehadiran Anda melalui tautan pribadi ini: {url} "
             "Terima kasih.", name=person.name, inst=institution, scheme=event.scheme.title,
             day=format_date(event.date), t1=event.start_time.strftime("%H:%M"),
             t2=event.end_time.strftime("%H:%M"), tuk=event.tuk.name, url=url)


def invitations(event, candidates, base, institution):
    """{candidate id: {"wa": click-to-chat URL or "", "mail": mailto URL or ""}} for candidates still to confirm."""
    links = links_of(candidates)
    out = {}
    for cand in candidates:
        link = links.get(cand.id)
        if link is None or cand.confirmation != "pending":
            continue
        text = invitation_text(event, cand.person, f"{base}/confirm/{link.token}", institution)
        subject = _("Jadwal uji kompetensi {s}", s=event.scheme.title)
        out[cand.id] = {
            "wa": whatsapp.wa_link(link.recipient_phone, text),
            "mail": (f"mailto:{quote(link.recipient_email)}?subject={quote(subject)}&body={quote(text)}"
                     if link.recipient_email else ""),
        }
    return out


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


@transactional
def remove_candidate(candidate):
    if UnitResult.select().where(UnitResult.candidate == candidate).exists() or \
            CompetencyCertificate.select().where(CompetencyCertificate.candidate == candidate).exists():
        raise CertError(_("Peserta yang sudah memiliki hasil uji tidak dapat dihapus."))
    audit.delete(candidate)


@transactional
def add_manual_candidate(event, data, reason=None):
    """Add a person by hand (NIK, name…) after the ratio and capacity checks."""
    require_open_until(event, 4, _("Peserta tidak dapat ditambah setelah pelaksanaan uji dimulai."), reason,
                       "tambah peserta")
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


# ---------------------------------------------------------------- intake: the candidate's application (APL-01)

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


@transactional
def save_application(candidate, data, uploads, user):
    """Record (or correct) the APL-01 and its documents; refused on or after the test day, or when a required
    document is still missing (nothing saved). ``uploads``: {kind: stored file fields}."""
    event = TestEvent.get_by_id(candidate.event_id)
    if local_today() >= event.date or (current_no(event) or 99) > 4:
        raise CertError(_("Permohonan (APL-01) diterima sebelum hari uji ({d}).", d=format_date(event.date)))
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


# ---------------------------------------------------------------- confirmations (steps 1 and 4)

@transactional
def confirm_row(event, row, state, reason=None):
    """Staff record a confirmation (before the test, or on an archived event with a reason)."""
    if state not in ("pending", "confirmed", "declined"):
        raise CertError(_("Pilihan konfirmasi tidak valid."))
    require_open_until(event, 5, _("Konfirmasi tidak dapat diubah setelah uji dilaksanakan."), reason, "konfirmasi")
    return confirm(row, state)


def confirm(row, state, via="staff"):
    """Record an assessor's or a candidate's confirmation (confirmed / declined / pending)."""
    fields = {"confirmation": state, "confirmed_at": db.utcnow() if state != "pending" else None}
    if isinstance(row, Candidate):
        fields["confirmed_via"] = via if state != "pending" else ""
    return audit.update(row, **fields)


def confirm_by_token(token, state, client=None):
    """The candidate's own confirmation through the link (core public link: one answer, locked, audited,
    rate limited); refused with ``public_links.LinkError`` when unknown, used, expired or too late."""
    def check(link):
        cand = db.lock(Candidate, int(link.subject_id))
        if cand is None:
            raise public_links.LinkError(_("Tautan konfirmasi tidak dikenal."), "unknown")
        if cand.confirmation != "pending":
            raise public_links.LinkError(_("Konfirmasi sudah tercatat sebelumnya."), "closed")
        event = TestEvent.get_by_id(cand.event_id)
        if event.status in ("reporting", "review", "filing", "archived") or event.date < local_today():
            raise public_links.LinkError(_("Uji kompetensi ini sudah dilaksanakan; konfirmasi tidak diperlukan lagi."),
                                         "closed")
        confirm(cand, state, via="link")
    with db.write():
        return public_links.answer(token, {"answer": state}, purpose=LINK_PURPOSE, client=client, check=check)


def candidate_by_token(token, client=None):
    """(candidate with event, scheme, TUK and person, its link) or (None, None)."""
    link = public_links.find(token, LINK_PURPOSE, client)
    if link is None:
        return None, None
    cand = (Candidate.select(Candidate, TestEvent, Scheme, Tuk, Person).join(TestEvent).join(Scheme)
            .switch(TestEvent).join(Tuk).switch(Candidate).join(Person)
            .where(Candidate.id == int(link.subject_id)).first())
    return (cand, link) if cand is not None else (None, None)


def unconfirmed(event=None):
    """(assessor rows, candidate rows) still pending, for events whose test is still ahead."""
    today = datetime.date.today()
    aq = (EventAssessor.select(EventAssessor, Assessor, TestEvent, Scheme).join(Assessor).switch(EventAssessor)
          .join(TestEvent).join(Scheme)
          .where((EventAssessor.confirmation == "pending") & (TestEvent.status != "archived")))
    cq = (Candidate.select(Candidate, Person, TestEvent, Scheme).join(Person).switch(Candidate)
          .join(TestEvent).join(Scheme)
          .where((Candidate.confirmation == "pending") & (TestEvent.status != "archived")))
    if event is not None:
        aq, cq = aq.where(TestEvent.id == event.id), cq.where(TestEvent.id == event.id)
    else:
        ahead = (TestEvent.date >= today) & TestEvent.status.in_(("scheduled", "preparing", "confirming", "ready"))
        aq, cq = aq.where(ahead), cq.where(ahead)
    return list(aq.order_by(TestEvent.date, Assessor.name)), list(cq.order_by(TestEvent.date, Person.name))


def remind_unconfirmed(app, now=None):
    """Job: one notification per unconfirmed person to each holder of Bagian Administrasi (idempotent)."""
    assessors, candidates = unconfirmed()
    if not assessors and not candidates:
        return 0
    items = [(f"cert-unconfirmed:a:{r.id}", _("Asesor belum konfirmasi: {n} — uji {s}, {d}", n=r.assessor.name,
                                               s=r.event.scheme.title, d=format_date(r.event.date)), r.event_id)
             for r in assessors]
    items += [(f"cert-unconfirmed:c:{r.id}", _("Peserta belum konfirmasi: {n} — uji {s}, {d}", n=r.person.name,
                                                s=r.event.scheme.title, d=format_date(r.event.date)), r.event_id)
              for r in candidates]
    return sum(tasks.notify_role(app, ADMIN_ROLE, key, message, f"/certification/events/{event_id}")
               for key, message, event_id in items)


# ---------------------------------------------------------------- readiness (step 2)

def checklist(event):
    """[(item, tick or None)] of the event's scheme, in category order."""
    ticks = {t.item_id: t for t in ChecklistTick.select().where(ChecklistTick.event == event)}
    order = {"equipment": 0, "materials": 1, "room": 2}
    items = sorted(ChecklistItem.select().where(ChecklistItem.scheme == event.scheme_id),
                   key=lambda i: (order.get(i.category, 9), i.id))
    return [(item, ticks.get(item.id)) for item in items]


@transactional
def save_readiness(event, user, rows, reason=None):
    """``rows``: {item_id: (done, notes, photo fields or None)}. Completes step 2 when every item is ticked."""
    require_open_until(event, 4, _("Kesiapan sarana tidak dapat diubah setelah pelaksanaan uji dimulai."),
                       reason, "kesiapan sarana")
    with db.write():
        for item, tick in checklist(event):
            if item.id not in rows:
                continue
            done, notes, photo = rows[item.id]
            fields = {"done": done, "notes": (notes or "")[:500]}
            if photo:
                fields.update(photo_sha256=photo["sha256"], photo_name=photo["filename"][:200],
                              photo_type=photo["content_type"][:100])
            if tick is None:
                audit.create(ChecklistTick, event=event, item=item, ticked_by=user.id, ticked_at=db.utcnow(), **fields)
            else:
                changed = any(getattr(tick, k) != v for k, v in fields.items())
                if changed:
                    audit.update(tick, ticked_by=user.id, ticked_at=db.utcnow(), **fields)
        done_all = all(t is not None and t.done for _i, t in checklist(event))
        if done_all and current_no(event) == 2:
            try:        # the saver's sign-off of the joint step 2 (Teknis Operasional signs too)
                return complete_step(event, 2, user, notes=_("Semua butir kesiapan sarana dan prasarana sudah siap."),
                                     links=[(_("Kesiapan sarana"), f"{event_url(event)}/readiness")])
            except tracker.StepError:       # signed already: the ticks are saved, the sign-off stands
                return False
    return False


# ---------------------------------------------------------------- the test day (step 5)

def overall(present, unit_values, n_units):
    if not present:
        return ""
    values = [v for v in unit_values if v]
    if "BK" in values:
        return "BK"
    if n_units and len(values) == n_units and all(v == "K" for v in values):
        return "K"
    return ""


@transactional
def save_results(event, user, presence, assessor_presence, unit_values, recommendations, reason=None):
    """Attendance and results. ``presence``: {cand_id: bool|None}; ``unit_values``: {(cand_id, unit_id): K|BK|""}."""
    if event.status == "archived":
        reopen_if_archived(event, reason, "hasil uji")
    else:
        no = current_no(event)
        if no not in (5, 6):
            raise CertError(_("Hasil uji hanya dapat diisi pada pelaksanaan uji (langkah 5)."))
        require_test_day(event, _("Hasil uji baru dapat diisi pada hari uji, {d}."))
        if Signature.select().where(Signature.event == event).exists():
            raise CertError(_("Berita acara sudah ditandatangani; hasil tidak dapat diubah lagi."))
    units = list(SchemeUnit.select().where(SchemeUnit.scheme == event.scheme_id))
    with db.write():
        for ea in EventAssessor.select().where(EventAssessor.event == event):
            if ea.id in assessor_presence:
                audit.update(ea, present=assessor_presence[ea.id])
        existing = {(r.candidate_id, r.unit_id): r for r in
                    UnitResult.select().join(Candidate).where(Candidate.event == event)}
        for cand in Candidate.select().where(Candidate.event == event):
            present = presence.get(cand.id, cand.present)
            values = []
            for unit in units:
                value = unit_values.get((cand.id, unit.id))
                row = existing.get((cand.id, unit.id))
                if not present:
                    value = ""
                elif value is None:
                    value = row.result if row else ""
                if value and row is None:
                    audit.create(UnitResult, candidate=cand, unit=unit, result=value)
                elif value and row.result != value:
                    audit.update(row, result=value)
                elif not value and row is not None:
                    audit.delete(row)
                values.append(value)
            audit.update(cand, present=present, result=overall(present, values, len(units)),
                         recommendation=(recommendations.get(cand.id, cand.recommendation) or "")[:2000])


def test_problems(event):
    """Why the test (step 5) is not complete yet: attendance of everyone and a result for everyone present."""
    if not SchemeUnit.select().where(SchemeUnit.scheme == event.scheme_id).exists():
        return [_("Skema ini belum memiliki unit kompetensi.")]
    problems = []
    cands = list(Candidate.select(Candidate, Person).join(Person).where(Candidate.event == event))
    missing = [c.person.name for c in cands if c.present is None or (c.present and not c.result)]
    if missing:
        problems.append(_("Kehadiran atau hasil belum lengkap untuk: {n}.", n=", ".join(missing)))
    eas = list(EventAssessor.select().where(EventAssessor.event == event))
    if any(ea.present is None for ea in eas):
        problems.append(_("Kehadiran asesor belum diisi."))
    elif not any(ea.present for ea in eas):
        problems.append(_("Tidak ada asesor yang hadir."))
    return problems


def require_test_day(event, message):
    """Refuse what can only happen on or after the test day (``message`` has ``{d}``)."""
    if local_today() < event.date:
        raise CertError(message.format(d=format_date(event.date)) if "{d}" in message else message)


@transactional
def finish_test(event, user, notes=""):
    """Step 5 done: attendance of everyone and the result of every candidate present are recorded."""
    require_test_day(event, _("Uji kompetensi baru dapat dinyatakan selesai pada hari uji, {d}."))
    problems = test_problems(event)
    if problems:
        raise CertError(" ".join(problems))
    return complete_step(event, 5, user, notes=notes or _("Uji kompetensi dilaksanakan."),
                         links=[(_("Hasil uji"), f"{event_url(event)}/results")])


# ---------------------------------------------------------------- berita acara (step 6) and review (step 7)

def report(event):
    """Everything the berita acara shows, from the recorded data."""
    eas = list(EventAssessor.select(EventAssessor, Assessor).join(Assessor)
               .where(EventAssessor.event == event).order_by(Assessor.name))
    cands = list(Candidate.select(Candidate, Person).join(Person).where(Candidate.event == event).order_by(Person.name))
    sigs = list(Signature.select().where(Signature.event == event).order_by(Signature.id))
    present = [c for c in cands if c.present]
    return {
        "assessors": eas,
        "candidates": cands,
        "present": present,
        "absent": [c for c in cands if c.present is False],
        "k": [c for c in present if c.result == "K"],
        "bk": [c for c in present if c.result == "BK"],
        "signatures": sigs,
        "assessor_signed": {s.assessor_id: s for s in sigs if s.role == "asesor"},
        "tuk_signature": next((s for s in sigs if s.role == "kepala_tuk"), None),
    }


@transactional
def sign(event, user, role, assessor_id=None):
    """Sign the berita acara as an assessor or the head of the TUK; step 6 completes with the last signature."""
    db.lock(TestEvent, event.id)     # signers of one event one at a time: no double signature, step 6 once
    if current_no(event) != 6:
        raise CertError(_("Berita acara hanya dapat ditandatangani pada langkah 6."))
    if role not in user.roles:       # a signature is the signer's own: no administrator signs for someone
        raise CertError(_("Anda tidak memegang peran untuk menandatangani sebagai ini."))
    require_test_day(event, _("Berita acara baru dapat ditandatangani setelah uji dilaksanakan ({d})."))
    data = report(event)
    with db.write():
        if role == "asesor":
            ea = next((r for r in data["assessors"] if r.assessor_id == assessor_id), None)
            if ea is None or not ea.present:
                raise CertError(_("Pilih asesor uji ini yang hadir."), "assessor")
            if not ea.assessor.user_id:
                raise CertError(_("{a} belum ditautkan ke akun pengguna; tautkan dulu di data asesor.",
                                  a=ea.assessor.name), "assessor")
            if ea.assessor.user_id != user.id:
                raise CertError(_("Hanya {a} sendiri yang dapat menandatangani sebagai asesor ini.", a=ea.assessor.name),
                                "assessor")
            if assessor_id in data["assessor_signed"]:
                raise CertError(_("{a} sudah menandatangani.", a=ea.assessor.name), "assessor")
            audit.create(Signature, event=event, role="asesor", assessor=assessor_id,
                         name=ea.assessor.name[:150], nip=user.nip or "", user=user.id)
        elif role == "kepala_tuk":
            if data["tuk_signature"] is not None:
                raise CertError(_("Kepala TUK sudah menandatangani."))
            # the signer's own name and NIP, from their user record (not typed)
            audit.create(Signature, event=event, role="kepala_tuk", name=user.full_name[:150], nip=user.nip or "",
                         user=user.id)
        else:
            raise CertError(_("Peran penanda tangan tidak dikenal."))
        data = report(event)
        needed = {ea.assessor_id for ea in data["assessors"] if ea.present}
        if needed <= set(data["assessor_signed"]) and data["tuk_signature"] is not None:
            # every party signed the berita acara itself: that is the joint sign-off of step 6
            complete_step(event, 6, user, notes=_("Berita acara ditandatangani asesor dan Kepala TUK."),
                          links=[(_("Berita acara"), f"{event_url(event)}/report")],
                          rule=_("berita acara ditandatangani semua asesor yang hadir dan Kepala TUK"))
            return True
    return False


# The parties of the review (step 7) and what each confirms, as the SOP lists them.
REVIEW_ITEMS = {
    "teknis_operasional": [
        ("handed_to_tuk", "Pelaksanaan uji dikaji ulang dan berkas hasil uji diserahkan ke Kepala TUK"),
    ],
    "kepala_tuk": [
        ("archive_asked", "Pelaksanaan uji dikaji ulang; Bagian Administrasi diminta menyimpan absensi peserta, "
                          "absensi asesor, berita acara dan minutes of meeting sebagai arsip"),
    ],
    "manajemen_mutu": [
        ("files_checked", "Berkas hasil uji kompetensi diperiksa"),
        ("recommendation_checked", "Rekomendasi ke LSP diperiksa"),
        ("quality_reviewed", "Pelaksanaan uji kompetensi dikaji ulang (kaji ulang mutu)"),
    ],
}


def review_items_for(user):
    """[(role, key, label)] the user confirms in the review (their parties of step 7)."""
    return [(role, key, label) for role, items in REVIEW_ITEMS.items() if role in user.roles for key, label in items]


@transactional
def review(event, user, approve, reason="", ticked=()):
    """Review (step 7, joint): each party confirms its items and signs off; the step completes when all
    three did. Any party may return the file to step 6 with a reason (the signatures are withdrawn)."""
    db.lock(TestEvent, event.id)     # one review decision at a time
    run = run_of(event)
    if current_no(event) != 7:
        raise CertError(_("Kaji ulang hanya dapat dilakukan pada langkah 7."))
    with db.write():
        if approve:
            items = review_items_for(user)
            if not items:
                raise CertError(_("Anda tidak memegang peran pada kaji ulang ini."))
            missing = [key for _r, key, _l in items if key not in set(ticked)]
            if missing:
                raise CertError(_("Centang setiap butir kaji ulang yang sudah Anda lakukan."), f"review_{missing[0]}")
            notes = "; ".join(_(label) for _r, _k, label in items) + (f" — {reason}" if reason else "")
            complete_step(event, 7, user, notes=notes,
                          links=[(_("Berita acara"), f"{event_url(event)}/report"),
                                 (_("Rekomendasi ke LSP"), f"{event_url(event)}/recommendation")])
        else:
            if not (reason or "").strip():
                raise CertError(_("Alasan pengembalian wajib diisi."), "reason")
            tracker.return_to(run, user, 6, reason)
            for sig in Signature.select().where(Signature.event == event):
                audit.delete(sig)
            sync_status(event)


# ---------------------------------------------------------------- the tracker's hooks: the test day and the conditions

def anchor(run, step):
    """The test day, which step 5 records."""
    if step.anchor == "hari_uji":
        event = TestEvent.get_or_none(TestEvent.id == int(run.subject_id))
        return event.date if event is not None else None
    return None


def guards(run, step):
    """What keeps a step from completion, whoever completes it (here or on the run page)."""
    event = TestEvent.get_or_none(TestEvent.id == int(run.subject_id))
    if event is None:
        return []
    if step.no == 2:
        missing = [item.label for item, tick in checklist(event) if tick is None or not tick.done]
        return [_("Kesiapan sarana belum lengkap: {items}.", items=", ".join(missing))] if missing else []
    if step.no == 5:
        return test_problems(event)
    if step.no == 6:
        data = report(event)
        unsigned = [ea.assessor.name for ea in data["assessors"] if ea.present
                    and ea.assessor_id not in data["assessor_signed"]]
        if data["tuk_signature"] is None:
            unsigned.append(_("Kepala TUK"))
        return [_("Berita acara belum ditandatangani: {n}.", n=", ".join(unsigned))] if unsigned else []
    return []


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
    Only after the quality review; after archiving only with a reason (audited as a reopening)."""
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
            if cert is None:
                audit.create(CompetencyCertificate, candidate=cand, **fields)
            elif any(getattr(cert, k) != val for k, val in fields.items()):
                audit.update(cert, **fields)


def certificates_query():
    return (CompetencyCertificate.select(CompetencyCertificate, Candidate, Person, TestEvent, Scheme)
            .join(Candidate).join(Person).switch(Candidate).join(TestEvent).join(Scheme))


def expiring(days, today=None):
    today = today or datetime.date.today()
    return list(certificates_query()
                .where((CompetencyCertificate.expires_on >= today) & (CompetencyCertificate.expires_on <= today + datetime.timedelta(days=days)))
                .order_by(CompetencyCertificate.expires_on, Person.name))


def recommendation_rows(event):
    """The candidates assessed, with the recommendation to the LSP (K: recommended for certification)."""
    return [c for c in report(event)["candidates"] if c.present]
