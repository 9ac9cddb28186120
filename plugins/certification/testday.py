"""Readiness (step 2) and the test day (step 5): checklist ticks, attendance, results per unit."""

from core.toolkit import _, audit, db, tracker
from plugins.certification.models import (
    Candidate,
    ChecklistItem,
    ChecklistTick,
    EventAssessor,
    SchemeUnit,
    Signature,
    TestEvent,
    UnitResult,
)
from plugins.certification.runs import (
    CertError,
    acts_as_tuk_head,
    complete_step,
    current_no,
    event_url,
    head_refusal,
    reopen_if_archived,
    require_open_until,
    require_test_day,
    transactional,
)
from plugins.training.models import Person

# ---------------------------------------------------------------- readiness (step 2)

def checklist(event):
    """[(item, tick or None)] of the event's scheme, in category order."""
    ticks = {t.item_id: t for t in ChecklistTick.select().where(ChecklistTick.event == event)}
    order = {"equipment": 0, "materials": 1, "room": 2}
    items = sorted(ChecklistItem.select().where(ChecklistItem.scheme == event.scheme_id),
                   key=lambda i: (order.get(i.category, 9), i.id))
    return [(item, ticks.get(item.id)) for item in items]


def readiness_refusal(event, user):
    """Why ``user``, holding the Kepala TUK role, may not fill in the event's readiness (None: they may): the
    head linked to the event's TUK does."""
    if not acts_as_tuk_head(user):
        return None
    return head_refusal(event, user, lambda t: _(
        "Hanya Kepala TUK dari {t} yang dapat mengisi kesiapan sarana uji ini.", t=t))


@transactional
def save_readiness(event, user, rows, reason=None):
    """``rows``: {item_id: (done, notes, photo fields or None)}. Completes step 2 when every item is ticked."""
    event = db.lock(TestEvent, event.id)        # two savers of one checklist: one after the other
    refused = readiness_refusal(event, user)    # a Kepala TUK fills in their own TUK's checklist only
    if refused:
        raise CertError(refused)
    require_open_until(event, 4, _("Kesiapan sarana tidak dapat diubah setelah pelaksanaan uji dimulai."),
                       reason, "kesiapan sarana")
    with db.write():
        for item, tick in checklist(event):
            if item.id not in rows:
                continue
            done, notes, photo = rows[item.id]
            if len(notes or "") > 500:
                raise CertError(_("Catatan paling banyak 500 karakter."), f"notes_{item.id}")
            fields = {"done": done, "notes": notes or ""}
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
    event = db.lock(TestEvent, event.id)        # sign() takes the same lock: no result saved beside a signature
    # Results under a signature are final, archived or not: a reopening reason does not unsign the berita acara.
    signed = Signature.select().where(Signature.event == event).exists()
    if event.status == "archived":
        if signed:
            raise CertError(_("Berkas uji ini sudah diarsipkan dan berita acaranya sudah ditandatangani: hasil uji "
                              "tidak dapat diubah lagi, juga dengan alasan membuka kembali."))
        reopen_if_archived(event, reason, "hasil uji")
    else:
        no = current_no(event)
        if no not in (5, 6):
            raise CertError(_("Hasil uji hanya dapat diisi pada pelaksanaan uji (langkah 5)."))
        require_test_day(event, _("Hasil uji baru dapat diisi pada hari uji, {d}."))
        if signed:
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



@transactional
def finish_test(event, user, notes=""):
    """Step 5 done: attendance of everyone and the result of every candidate present are recorded."""
    require_test_day(event, _("Uji kompetensi baru dapat dinyatakan selesai pada hari uji, {d}."))
    problems = test_problems(event)
    if problems:
        raise CertError(" ".join(problems))
    return complete_step(event, 5, user, notes=notes or _("Uji kompetensi dilaksanakan."),
                         links=[(_("Hasil uji"), f"{event_url(event)}/results")])
