"""Screens of the ``certification`` plugin, by concern: ``routes_reference`` (schemes, TUK, assessors),
``routes_events`` (test events, candidates, APL-01), ``routes_steps`` (the SOP steps done on the event:
confirmations, readiness, results, archive), ``routes_report`` (the berita acara, its signatures and the
review), ``routes_papers`` (recommendation, LSP decision, papers, certificates); here the helpers they
share and the candidate's own confirmation page."""

import bottle

from core.toolkit import _, current_app, lazy, public_links, web
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
    """The candidate's confirmation page at /confirm/<token> (the core's public-link page: unknown 404,
    limited 429, one answer — a second, or one after the test, refused with 409)."""
    from plugins.certification import confirmations
    from plugins.certification.models import Candidate
    public_links.page(router, "/confirm/<token>", confirmations.LINK_PURPOSE, "certification/confirm.html",
                      subject=Candidate, schema=confirmations.ConfirmForm, load=confirmations.page_values,
                      on_answer=confirmations.answer_on_page, refusals=(service.CertError,),
                      title=lazy("Konfirmasi uji kompetensi"), name="certification.confirm")
