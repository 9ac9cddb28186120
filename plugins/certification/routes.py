"""Screens of the ``certification`` plugin, by concern: ``routes_reference`` (schemes, TUK, assessors),
``routes_events`` (test events, candidates, APL-01), ``routes_steps`` (the SOP steps done on the event:
confirmations, readiness, results, archive), ``routes_report`` (the berita acara, its signatures and the
review), ``routes_papers`` (recommendation, LSP decision, papers, certificates); here the helpers they
share and the candidate's own confirmation page."""

import bottle

from core.toolkit import _, current_app, public_links, web
from plugins.certification import service
from plugins.certification.models import Scheme, TestEvent, Tuk

BASE = "/certification"


def base_url():
    """The configured address, else this host's: a link a candidate can open."""
    return (current_app().config["base_url"] or "{0.scheme}://{0.netloc}".format(bottle.request.urlparts)).rstrip("/")


def get_event(event_id):
    event = (TestEvent.select(TestEvent, Scheme, Tuk).join(Scheme).switch(TestEvent).join(Tuk)
             .where(TestEvent.id == event_id).first())
    if event is None:
        raise web.NotFound(_("Jadwal uji tidak ditemukan."))
    return event


def int_list(key):
    out = []
    for value in web.form_list(key):
        try:
            out.append(int(value))
        except ValueError:
            pass
    return out


def register(router):
    # The screens by concern, each module registering its routes (imported here: they use the helpers above).
    from plugins.certification import routes_events, routes_papers, routes_reference, routes_report, routes_steps
    for module in (routes_reference, routes_events, routes_steps, routes_report, routes_papers):
        module.register(router)
    register_public(router)


# ---------------------------------------------------------------- the candidate's own confirmation

def register_public(router):
    def page(cand, state, status=200, message=None):
        web.response.status = status
        return web.render("certification/confirm.html", cand=cand, state=state, message=message,
                          page_title=_("Konfirmasi uji kompetensi"))

    def limited(exc):
        return page(None, "limited", 429, str(exc))

    @router.get("/confirm/<token>", public=True)
    def confirm_form(token):
        try:
            cand, link = service.candidate_by_token(token, web.client_address())
        except public_links.LinkError as exc:
            return limited(exc)
        if cand is None:
            return page(None, "unknown", 404)
        if cand.confirmation != "pending" or public_links.state(link) != "open":
            return page(cand, "used" if cand.confirmation != "pending" else "expired")
        return page(cand, "open")

    @router.post("/confirm/<token>", public=True)
    def confirm_save(token):
        state = {"yes": "confirmed", "no": "declined"}.get(web.form().get("answer"))
        if state is None:           # only the page's two buttons: nothing is recorded for anything else
            cand = service.candidate_by_token(token, web.client_address())[0]
            return page(cand, "open", 422, _("Pilih salah satu jawaban.")) if cand else page(None, "unknown", 404)
        try:
            service.confirm_by_token(token, state, web.client_address())
        except public_links.LinkError as exc:
            if exc.state == "limited":
                return limited(exc)
            cand, _link = service.candidate_by_token(token)
            return page(cand, "unknown" if cand is None else "used", 404 if cand is None else 409, str(exc))
        return page(service.candidate_by_token(token)[0], "done")
