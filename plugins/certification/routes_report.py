"""The berita acara page and what is done on it: the signatures (step 6) and the joint review (step 7).
A refusal re-renders the page with the message next to the field it concerns (or in the form that was
sent), every entered value kept, nothing saved (status 422)."""
from core.toolkit import _, submit_form, tracker, web
from plugins.certification import schemas, service
from plugins.certification.routes import BASE, get_event
from plugins.certification.service import CertError

REFUSALS = (CertError, tracker.StepError)


def report_page(event, values=None, errors=None):
    """``values``/``errors``: the refused form's (its ``role`` or ``decision`` tells which form it was)."""
    user = web.user()
    data = service.report(event)
    no = service.current_no(event)
    values = values or {}
    items = service.review_items_for(user, event)
    tuk_signer = event.tuk.head_user_id == user.id        # only the head linked to the TUK signs as Kepala TUK
    # another TUK's head with no other party in the review: a note instead of the review's forms
    no_review = not items and service.review_refusal(event, user) is not None
    signable = [ea for ea in data["assessors"] if ea.present and ea.assessor_id not in data["assessor_signed"]
                and ea.assessor.user_id == user.id]
    return web.render("certification/report.html", event=event, data=data, no=no, review_items=items,
                      review_fields=[f"review_{key}" for _r, key, _l in items] + ["reason"], values=values,
                      errors=errors or {}, sent=refused_form(user, data, no, signable, values, tuk_signer, no_review),
                      show_nik=user.can("training.nik"), page_title=_("Berita acara uji kompetensi"),
                      signable=signable, tuk_signer=tuk_signer, no_review=no_review)


def refused_form(user, data, no, signable, values, tuk_signer, no_review=False):
    """Which form of the page shows the refusal: the one that was sent when the page still shows it to
    this user, else "page" (the message above the berita acara)."""
    sent = values.get("role") or values.get("decision") or ""
    shown = {"asesor": no == 6 and "asesor" in user.roles and bool(signable),
             "kepala_tuk": no == 6 and "kepala_tuk" in user.roles and data["tuk_signature"] is None and tuk_signer,
             "approve": no == 7 and not no_review, "return": no == 7 and not no_review}
    return sent if shown.get(sent) else "page"


def register(router):
    @router.get(BASE + "/events/<event_id:int>/report", permission="certification.view")
    def report(event_id):
        return report_page(get_event(event_id))

    @router.post(BASE + "/events/<event_id:int>/sign", permission="certification.sign")
    def sign(event_id):
        event = get_event(event_id)
        return submit_form(schemas.SignForm(),
                           lambda data: service.sign(event, web.user(), data["role"], data.get("assessor")),
                           lambda values, errors: report_page(event, values, errors),
                           message=lambda done: _("Berita acara ditandatangani.")
                           + (" " + _("Langkah 6 selesai.") if done else ""),
                           to=f"{service.event_url(event)}/report", refusals=REFUSALS)

    @router.post(BASE + "/events/<event_id:int>/review", permission="certification.review")
    def review(event_id):
        event = get_event(event_id)
        raw = web.form()
        ticked = [k[len("review_"):] for k in raw if k.startswith("review_")]

        def act(data):
            approve = data["decision"] == "approve"
            service.review(event, web.user(), approve, data.get("reason") or "", ticked=ticked)
            if not approve:
                return _("Dikembalikan ke langkah 6 dengan alasan; tanda tangan berita acara dibatalkan.")
            return (_("Kaji ulang lengkap: langkah 7 selesai.") if service.current_no(event) != 7
                    else _("Kaji ulang Anda tercatat; menunggu pihak lain."))
        return submit_form(schemas.ReviewForm(), act, lambda values, errors: report_page(event, values, errors),
                           message=lambda text: text, to=service.event_url(event), refusals=REFUSALS, form=raw)
