"""The berita acara (step 6) and its signatures, the joint quality review (step 7), and the
tracker's hooks for this SOP: the test-day anchor and the conditions of each step."""

from core.toolkit import _, actor, audit, db, tracker
from plugins.certification.models import Assessor, Candidate, EventAssessor, Signature, TestEvent
from plugins.certification.intake import intake_problems
from plugins.certification.runs import (
    TUK_ROLE,
    CertError,
    acts_as_tuk_head,
    complete_step,
    current_no,
    event_url,
    head_refusal,
    require_test_day,
    run_of,
    sync_status,
    transactional,
    tuk_head_pending,
)
from plugins.certification.testday import checklist, readiness_refusal, test_problems
from plugins.training.models import Person

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
    problems = test_problems(event)      # a berita acara is signed over complete results only
    if problems:
        raise CertError(_("Hasil uji belum lengkap; berita acara belum dapat ditandatangani.") + " " + " ".join(problems))
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
            refused = head_refusal(event, user, lambda t: _(        # a Kepala TUK signs for their own TUK only
                "Hanya Kepala TUK dari {t} yang dapat menandatangani berita acara ini.", t=t))
            if refused:
                raise CertError(refused, "role")
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


def review_items_for(user, event=None):
    """[(role, key, label)] the user confirms in the review (their parties of step 7); with ``event``, the
    Kepala TUK's only for the head linked to the event's TUK."""
    other_head = event is not None and review_refusal(event, user) is not None
    return [(role, key, label) for role, items in REVIEW_ITEMS.items() if role in user.roles
            and not (role == TUK_ROLE and other_head) for key, label in items]


def review_refusal(event, user):
    """Why ``user``, holding the Kepala TUK role, may not review the event as its Kepala TUK (None: they may)."""
    if not acts_as_tuk_head(user):
        return None
    return head_refusal(event, user, lambda t: _(
        "Hanya Kepala TUK dari {t} yang dapat mengkaji ulang uji ini sebagai Kepala TUK.", t=t))


@transactional
def review(event, user, approve, reason="", ticked=()):
    """Review (step 7, joint): each party confirms its items and signs off; the step completes when all
    three did. Any party may return the file to step 6 with a reason (the signatures are withdrawn)."""
    db.lock(TestEvent, event.id)     # one review decision at a time
    run = run_of(event)
    if current_no(event) != 7:
        raise CertError(_("Kaji ulang hanya dapat dilakukan pada langkah 7."))
    # A Kepala TUK reviews for their own TUK only: refused while the step waits for the Kepala TUK (the tracker
    # would sign off as such for them) or when that is their only party of the review.
    refused = review_refusal(event, user)
    other_parties = (set(REVIEW_ITEMS) - {TUK_ROLE}) & set(user.roles)
    with db.write():
        if approve:
            items = review_items_for(user, event)
            if refused and (tuk_head_pending(event, 7) or not items):
                raise CertError(refused)
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
            if refused and not other_parties:
                raise CertError(refused)
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
    if step.no == 1:
        pending = [ea.assessor.name for ea in report(event)["assessors"] if ea.confirmation != "confirmed"]
        return [_("Asesor belum mengonfirmasi kesediaan: {n}.", n=", ".join(pending))] if pending else []
    if step.no == 2:
        missing = [item.label for item, tick in checklist(event) if tick is None or not tick.done]
        return ([_("Kesiapan sarana belum lengkap: {items}.", items=", ".join(missing))] if missing else []) + \
            head_guard(event, 2, readiness_refusal)
    if step.no == 4:
        pending = [c.person.name for c in report(event)["candidates"] if c.confirmation == "pending"]
        return ([_("Peserta belum konfirmasi: {n}.", n=", ".join(pending))] if pending else []) + intake_problems(event)
    if step.no == 5:
        return intake_problems(event) + test_problems(event)
    if step.no == 6:
        data = report(event)
        unsigned = [ea.assessor.name for ea in data["assessors"] if ea.present
                    and ea.assessor_id not in data["assessor_signed"]]
        if data["tuk_signature"] is None:
            unsigned.append(_("Kepala TUK"))
        # the results the berita acara reports must be complete too (they may be changed until the first signature)
        return test_problems(event) + ([_("Berita acara belum ditandatangani: {n}.", n=", ".join(unsigned))]
                                       if unsigned else [])
    if step.no == 7:
        return head_guard(event, 7, review_refusal)
    return []


def head_guard(event, no, refusal):
    """The joint steps 2 and 7 signed off on the run page: the user completing it (the request's) is refused
    when the tracker would sign off as Kepala TUK for them and they are not the head linked to the event's TUK."""
    user = actor()
    if not acts_as_tuk_head(user) or not tuk_head_pending(event, no):
        return []
    refused = refusal(event, user)
    return [refused] if refused else []
