"""Letters (steps 4–5): drafts from templates, paraf, signatures, numbers and their documents."""
import json

import peewee

from core.toolkit import (User, _, audit, current_app, db, documents, format_date, format_number, local_today, people,
                          tracker)
from plugins.training_delivery import letters as lt
from plugins.training_delivery.flow import FLOW, DeliveryError, at_step, complete, options, run_of
from plugins.training_delivery.models import Addressee, Letter, LetterTemplate, WorkPlan
from plugins.training_delivery.planning import members_of
from plugins.training_delivery.sop import SOP


# ---------------------------------------------------------------- letters (step 4, 5)

def seed_templates():
    """Insert the default letter templates that are missing (never overwrite an admin's edits)."""
    have = {k for (k,) in LetterTemplate.select(LetterTemplate.kind).tuples()}
    with db.write():
        for kind, (title, body) in lt.DEFAULTS.items():
            if kind not in have:
                audit.create(LetterTemplate, kind=kind, title=title, body=body)


def template_for(kind):
    tpl = LetterTemplate.get_or_none(LetterTemplate.kind == kind)
    if tpl is None:
        title, body = lt.DEFAULTS[kind]
        return title, body
    return tpl.title, tpl.body


def letters_of(plan):
    return list(Letter.select(Letter, Addressee).join(Addressee, peewee.JOIN.LEFT_OUTER,
                                                       on=(Letter.addressee == Addressee.id))
                .where(Letter.work_plan == plan)
                .order_by(Letter.kind.desc(), Addressee.name, Letter.id))


def generate_letters(plan, refresh=False):
    """Make the missing drafts (one invitation per addressee, a cover letter, the SK);
    ``refresh`` re-copies the current templates into every draft."""
    with db.write():
        db.lock(WorkPlan, plan.id)      # two clicks make one set of drafts
        at_step(plan, 4)
        existing = letters_of(plan)
        made = 0
        by_key = {(l.kind, l.addressee_id): l for l in existing}
        wanted = [("cover", None), ("decree", None)] + [("invitation", a.id) for a in plan.addressees]
        for kind, addressee_id in wanted:
            title, body = template_for(kind)
            letter = by_key.get((kind, addressee_id))
            if letter is None:
                audit.create(Letter, work_plan=plan, kind=kind, addressee=addressee_id, title=title, source=body)
                made += 1
            elif refresh and letter.status == "draft":
                audit.update(letter, title=title, source=body)
        for l in existing:     # an invitation whose addressee was removed
            if l.kind == "invitation" and l.addressee_id is None:
                audit.delete(l)
    return made


def edit_letter(letter, title, source):
    """Save a draft's text after a trial render with the letter's own data: a syntax error,
    a refused operation or a misspelt name is refused here with its line, not printed later."""
    try:
        lt.render(source, letter_values(letter))
    except lt.TemplateProblem as exc:
        err = DeliveryError(_("Teks surat tidak dapat diproses ({p}).", p=str(exc)))
        err.field = "source"
        raise err
    with db.write():
        db.lock(WorkPlan, letter.work_plan_id)      # the lock paraf and sign take: a draft finalised meanwhile is seen
        letter = db.lock(Letter, letter.id)
        at_step(letter.work_plan, 4)
        if letter.status != "draft":
            raise DeliveryError(_("Surat final tidak dapat diubah."))
        audit.update(letter, title=title, source=source, return_reason="")


def letter_values(letter, plan=None, signer=None, number=None, day=None, app=None):
    app = app or current_app()
    plan = plan or letter.work_plan
    opts = options(app)
    addressees = list(plan.addressees.order_by(Addressee.name))
    return {
        "plan": lt.plan_values(plan),
        "addressee": lt.addressee_values(letter.addressee if letter.addressee_id else None),
        "addressees": [lt.addressee_values(a) for a in addressees],
        "members": [lt.member_values(m) for m in members_of(plan)],
        "number": number or letter.number or "............................",
        "date": format_date(day or letter.dated or local_today()),
        "signer": signer or signer_of(plan, app),
        "institution": app.config["institution"],
        "place": opts["place"],
        "unit": opts["unit"],
        "head_position": opts["head_position"],
        "legal_basis": list(SOP["legal_basis"]),
    }


def signer_of(plan, app=None):
    """The signer of a plan's letters: whoever signed its cover letter (name, rank, NIP)."""
    opts = options(app or current_app())
    cover = Letter.get_or_none((Letter.work_plan == plan) & (Letter.kind == "cover"))
    if cover is None or not cover.signer_name:
        return {"name": "", "rank": "", "nip": "", "position": opts["signer_position"],
                "on_behalf": opts["signer_on_behalf"]}
    return {"name": cover.signer_name, "rank": cover.signer_rank, "nip": cover.signer_nip,
            "position": opts["signer_position"], "on_behalf": opts["signer_on_behalf"]}


def text_of(letter, app=None):
    """The letter's text: frozen when final, rendered from its template text while draft."""
    if letter.status == "final":
        return letter.text
    try:
        return lt.render(letter.source, letter_values(letter, app=app))
    except lt.TemplateProblem as exc:
        return _("[Templat surat tidak dapat diproses: {p}]", p=str(exc))


def submit_drafts(plan, user):
    letters = letters_of(plan)
    kinds = {l.kind for l in letters}
    if not {"cover", "decree"} <= kinds or not any(l.kind == "invitation" for l in letters):
        raise DeliveryError(_("Buat dulu konsep surat undangan, surat pengantar dan Keputusan Panitia."))
    invited = {l.addressee_id for l in letters if l.kind == "invitation"}
    if any(a.id not in invited for a in plan.addressees):
        raise DeliveryError(_("Ada Kabupaten/Kota yang belum memiliki surat undangan; buat konsep yang kurang."))
    if not members_of(plan):
        raise DeliveryError(_("Isi susunan panitia untuk Keputusan Panitia."))
    for l in letters:
        try:
            lt.render(l.source, letter_values(l, plan=plan))
        except lt.TemplateProblem as exc:
            raise DeliveryError(_("Konsep {t} tidak dapat diproses: {p}", t=l.title, p=str(exc)))
    with db.write():
        complete(plan, 4, user, notes=_("{n} konsep surat diajukan untuk paraf.", n=format_number(len(letters), 0)),
                  links=[(_("Konsep surat"), f"/delivery/plans/{plan.id}/letters")])
        for l in letters:
            if l.return_reason:
                audit.update(l, return_reason="")


def _stamp(user):
    return {"name": user.full_name or user.username, "nip": user.nip or "", "rank": user.rank or ""}


def _check_signer(plan, user):
    run = at_step(plan, 5)
    rs = tracker.open_step(run)
    if rs is None or not tracker.can_act(user, rs.step):
        raise DeliveryError(_("Paraf dan tanda tangan hanya oleh Kepala Bidang."))
    return run


def paraf(letter, user, app=None, day=None):
    plan = letter.work_plan
    with db.write():
        db.lock(WorkPlan, plan.id)               # paraf and signatures of a plan's letters one at a time
        letter = db.lock(Letter, letter.id)
        _check_signer(plan, user)
        s = _stamp(user)
        audit.update(letter, paraf_by=user.id, paraf_at=db.utcnow(), paraf_name=s["name"], paraf_nip=s["nip"],
                     paraf_rank=s["rank"])
        return finish_signing(plan, user, app, day)


def sign(letter, user, app=None, day=None):
    if letter.kind != "cover":
        raise DeliveryError(_("Yang ditandatangani Kepala Bidang adalah surat pengantar; surat lain cukup diparaf."))
    plan = letter.work_plan
    with db.write():
        db.lock(WorkPlan, plan.id)
        letter = db.lock(Letter, letter.id)
        _check_signer(plan, user)
        s = _stamp(user)
        now = db.utcnow()
        audit.update(letter, paraf_by=letter.paraf_by_id or user.id, paraf_at=letter.paraf_at or now, paraf_name=letter.paraf_name or s["name"],
                     paraf_nip=letter.paraf_nip or s["nip"], paraf_rank=letter.paraf_rank or s["rank"],
                     signed_by=user.id, signed_at=now, signer_name=s["name"], signer_nip=s["nip"], signer_rank=s["rank"])
        return finish_signing(plan, user, app, day)


def return_letter(letter, user, reason):
    """Return the drafts to step 4 with a reason; paraf and signatures are cleared."""
    reason = (reason or "").strip()
    if not reason:
        raise DeliveryError(_("Alasan pengembalian wajib diisi."))
    plan = letter.work_plan
    with db.write():
        db.lock(WorkPlan, plan.id)          # the same lock as paraf and sign, taken first: no deadlock
        run = _check_signer(plan, user)
        tracker.return_to(run, user, 4, f"{letter.title}: {reason}"[:5000])
        for l in letters_of(plan):
            audit.update(l, paraf_by=None, paraf_at=None, paraf_name="", paraf_nip="", paraf_rank="",
                         signed_by=None, signed_at=None, signer_name="", signer_nip="", signer_rank="",
                         return_reason=reason[:5000] if l.id == letter.id else l.return_reason)


def take_number(app, day=None, kind="cover"):
    """The next letter number of this deployment's series (never reused; one series for the three letters)."""
    return documents.take_number(app, lt.TYPES[kind], day or local_today(app))


def finalise(letter, app, day=None):
    """Give a draft its number and date, freeze its text and issue it as a document (PDF, QR)."""
    day = day or local_today(app)
    with db.write():
        if letter.status == "final":
            return letter
        number = take_number(app, day, letter.kind)
        text = lt.render(letter.source, letter_values(letter, number=number, day=day, app=app))
        letter = audit.update(letter, number=number, dated=day, text=text, status="final")
        issue_document(letter, app)
        return letter


def issue_document(letter, app, user=None):
    """Issue a final letter on the document service with its own number (also for letters
    finalised before the service existed: their numbers stay)."""
    if letter.status != "final":
        raise DeliveryError(_("Hanya surat final yang diterbitkan sebagai dokumen."))
    if documents.current_for("delivery_letter", letter.id) is not None:
        raise DeliveryError(_("Surat ini sudah diterbitkan sebagai dokumen."))
    opts = options(app)
    cover = Letter.get_or_none((Letter.work_plan == letter.work_plan_id) & (Letter.kind == "cover"))
    signer = User.get_or_none(User.id == cover.signed_by_id) if cover is not None and cover.signed_by_id else None
    position, on_behalf = opts["signer_position"], opts["signer_on_behalf"]
    if letter.kind == "decree" and letter.signed_by_id:       # a decree of the Kepala Dinas, in his own name
        signer = User.get_by_id(letter.signed_by_id)
        acting = people.acting_for(signer, "kepala_dinas", letter.dated)
        position = (f"{acting.kind} " if acting else "") + opts["head_position"]
        on_behalf = ""
    subject = letter.title + (f" — {letter.addressee.name}" if letter.addressee_id else "")
    values = {"body": letter.text}
    if letter.kind == "cover":
        values["items"] = cover_items(letter.work_plan)
    try:
        return documents.issue(app, lt.TYPES[letter.kind], values, subject=subject,
                               record=("delivery_letter", letter.id), signer=signer, position=position,
                               on_behalf=on_behalf, dated=letter.dated, place=opts["place"],
                               number=letter.number, issued_by=user)
    except documents.DocumentError as exc:
        raise DeliveryError(str(exc))


def cover_items(plan):
    """The rows of the cover letter's table: what is sent, how many, and why."""
    invited = plan.addressees.count()
    return [
        {"naskah": f"Surat Undangan {plan.activity}", "banyaknya": f"{invited} berkas",
         "keterangan": "Disampaikan dengan hormat untuk ditindaklanjuti"},
        {"naskah": f"Salinan Keputusan Panitia {plan.activity}", "banyaknya": "1 berkas",
         "keterangan": "Sebagai bahan informasi"},
        {"naskah": "Jadwal kegiatan", "banyaknya": "1 lembar", "keterangan": "Sebagai bahan informasi"},
    ]


def finish_signing(plan, user, app=None, day=None):
    """When every draft is initialled and the cover letter signed, the Kepala Bidang's part of step 5
    is done: the step completes (revision 0), or waits for the Kepala Dinas's signature of the SK
    Panitia (revision 1, a joint step). Once complete, the letters are numbered and issued."""
    letters = letters_of(plan)
    if not letters or any(l.paraf_by_id is None for l in letters):
        return False
    if not any(l.kind == "cover" and l.signed_by_id for l in letters):
        return False
    with db.write():
        complete(plan, 5, user, notes=_("Konsep diparaf dan surat pengantar ditandatangani."),
                  links=[(_("Surat"), f"/delivery/plans/{plan.id}/letters")])
        return _number_when_signed(plan, app, day)


def decree_signed_by_head(plan):
    """Whether this plan's run follows a revision where the Kepala Dinas signs the SK Panitia (step 5 joint)."""
    run = run_of(plan)
    if run is None:
        return False
    step = next((rs.step for rs in tracker.timeline(run) if rs.no == 5), None)
    return step is not None and "kepala_dinas" in json.loads(step.roles)


def sign_decree(letter, user, app=None, day=None):
    """The Kepala Dinas (or a Plt./Plh.) signs the SK Panitia, after the Kepala Bidang's paraf (revision 1)."""
    if letter.kind != "decree":
        raise DeliveryError(_("Yang ditandatangani Kepala Dinas adalah Keputusan Panitia."))
    plan = letter.work_plan
    with db.write():
        db.lock(WorkPlan, plan.id)
        letter = db.lock(Letter, letter.id)
        at_step(plan, 5)
        if not decree_signed_by_head(plan):
            raise DeliveryError(_("Menurut revisi SOP run ini, Keputusan Panitia ditandatangani Kepala Bidang."))
        if letter.paraf_by_id is None:
            raise DeliveryError(_("Keputusan Panitia belum diparaf Kepala Bidang."))
        if letter.signed_by_id:
            raise DeliveryError(_("Keputusan Panitia sudah ditandatangani."))
        s = _stamp(user)
        audit.update(letter, signed_by=user.id, signed_at=db.utcnow(), signer_name=s["name"], signer_nip=s["nip"],
                     signer_rank=s["rank"])
        complete(plan, 5, user, notes=_("Keputusan Panitia ditandatangani."),
                  links=[(_("Keputusan Panitia"), f"/delivery/letters/{letter.id}")])
        return _number_when_signed(plan, app, day)


def _number_when_signed(plan, app=None, day=None):
    """After step 5 is complete (every role signed): number, freeze and issue the letters
    (dated ``day``, default today; the demo data signs in the past)."""
    if FLOW.at_step(plan, 5) is not None:
        return False           # a joint step still waiting for the other signature
    app = app or current_app()
    for l in letters_of(plan):
        finalise(l, app, day)
    return True

