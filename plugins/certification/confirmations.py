"""Confirmations (steps 1 and 4): the candidates' personal links (core public links), the
WhatsApp/e-mail invitations, staff-recorded and self-service answers, and the reminder job."""
import datetime
from urllib.parse import quote

from core.toolkit import (_, audit, current_app, db, format_date, forms, institution_timezone, local_today, public_links,
                          people, tasks, using, whatsapp)
from plugins.certification.models import (
    Assessor,
    Candidate,
    EventAssessor,
    Scheme,
    TestEvent,
    Tuk,
)
from plugins.certification.runs import ADMIN_ROLE, CertError, require_open_until, transactional
from plugins.training.models import Person

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
        # a candidate has no account: the message goes out in the deployment's language, whatever the clerk's
        with using(current_app().config["language"]):
            text = invitation_text(event, cand.person, f"{base}/confirm/{link.token}", institution)
            subject = _("Jadwal uji kompetensi {s}", s=event.scheme.title)
        out[cand.id] = {
            "wa": whatsapp.wa_link(link.recipient_phone, text),
            "mail": (f"mailto:{quote(link.recipient_email)}?subject={quote(subject)}&body={quote(text)}"
                     if link.recipient_email else ""),
        }
    return out


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


# ---------------------------------------------------------------- the candidate's own confirmation page

ANSWERS = {"yes": "confirmed", "no": "declined"}       # the page's two buttons → the confirmation recorded


class ConfirmForm(forms.Schema):
    """The confirmation page's form: only its two buttons are recorded (anything else: 422, nothing kept)."""
    answer = forms.String(required=True, validate=[forms.OneOf(list(ANSWERS), error="Pilih salah satu jawaban.")],
                          error_messages={"required": "Pilih salah satu jawaban.", "null": "Pilih salah satu jawaban."})


def confirm_locked(cand, state):
    """The candidate's own answer (``confirmed``/``declined``), with the candidate's row locked; refused with
    ``public_links.LinkError`` when already recorded (by the link or by staff) or when the test is past."""
    if cand.confirmation != "pending":
        raise public_links.LinkError(_("Konfirmasi sudah tercatat sebelumnya."), "closed")
    event = TestEvent.get_by_id(cand.event_id)
    if event.status in ("reporting", "review", "filing", "archived") or event.date < local_today():
        raise public_links.LinkError(_("Uji kompetensi ini sudah dilaksanakan; konfirmasi tidak diperlukan lagi."),
                                     "closed")
    confirm(cand, state, via="link")
    return {"answer": state}


def answer_on_page(cand, data):
    """``on_answer`` of the page (``public_links.page``): the link and the candidate are locked."""
    return confirm_locked(cand, ANSWERS[data["answer"]])


def page_values(cand):
    """``load`` of the page: the candidate with event, scheme, TUK and person (one query)."""
    return {"cand": (Candidate.select(Candidate, TestEvent, Scheme, Tuk, Person).join(TestEvent).join(Scheme)
                     .switch(TestEvent).join(Tuk).switch(Candidate).join(Person)
                     .where(Candidate.id == cand.id).get())}


def confirm_by_token(token, state, client=None):
    """The candidate's own confirmation through the link, without the page (core public link: one answer,
    locked, audited, rate limited); refused with ``public_links.LinkError`` when unknown, used, expired
    or too late."""
    def check(link):
        cand = db.lock(Candidate, int(link.subject_id))
        if cand is None:
            raise public_links.LinkError(_("Tautan konfirmasi tidak dikenal."), "unknown")
        confirm_locked(cand, state)
    # answer() opens its own savepoint; a refused or unknown token's attempt is noted outside it (rate limit).
    return public_links.answer(token, {"answer": state}, purpose=LINK_PURPOSE, client=client, check=check)


def candidate_by_token(token, client=None):
    """(candidate with event, scheme, TUK and person, its link) or (None, None)."""
    link = public_links.find(token, LINK_PURPOSE, client)
    if link is None:
        return None, None
    cand = Candidate.get_or_none(Candidate.id == int(link.subject_id))
    return (page_values(cand)["cand"], link) if cand is not None else (None, None)


def unconfirmed(event=None):
    """(assessor rows, candidate rows) still pending, for events whose test is still ahead."""
    today = local_today()          # the institution's day, not the server's
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
    """Job: one notification per unconfirmed person to each holder of Bagian Administrasi (idempotent),
    each in the recipient's language (the texts are made per recipient); all in one ``notify_many``."""
    assessors, candidates = unconfirmed()
    if not assessors and not candidates:
        return 0

    def assessor_notice(r):
        return lambda: _("Asesor belum konfirmasi: {n} — uji {s}, {d}", n=r.assessor.name, s=r.event.scheme.title,
                         d=format_date(r.event.date))

    def candidate_notice(r):
        return lambda: _("Peserta belum konfirmasi: {n} — uji {s}, {d}", n=r.person.name, s=r.event.scheme.title,
                         d=format_date(r.event.date))
    items = [(f"cert-unconfirmed:a:{r.id}", assessor_notice(r), r.event_id) for r in assessors]
    items += [(f"cert-unconfirmed:c:{r.id}", candidate_notice(r), r.event_id) for r in candidates]
    admins = people.holders([ADMIN_ROLE])[ADMIN_ROLE]          # once, not per person
    return tasks.notify_many(app, [(admins, key, message, f"/certification/events/{event_id}")
                                   for key, message, event_id in items])
