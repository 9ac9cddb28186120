"""The alumni's survey form at /survey/<token>: no account, a personal link (a core
public link, see links.py) answered while the wave is open and corrected until it closes."""
import bottle

from core.toolkit import _, current_app, public_links, set_actor, submit_form, web
from plugins.tracer_survey import schemas, service


class AlumnusActor:
    """The audit actor of an answer sent through a survey link (no account)."""
    id = None
    full_name = "Alumni"
    roles = frozenset()

    def __init__(self, alumnus):
        self.username = f"alumni:{alumnus.id}"

    def can(self, permission):
        return False


def message_page(kind, status=200, **extra):
    web.response.status = status
    title = _("Tautan survei tidak dikenal") if kind == "unknown" else _("Survei kebekerjaan alumni")
    return web.render("tracer_survey/survey_message.html", page_title=title, kind=kind, **extra)


def survey_choices():
    return {"status": schemas.STATUS, "relevance": schemas.RELEVANCE}


def register(router):
    @router.route("/survey/<token>", method=["GET", "POST"], public=True)
    def survey(token):
        client = web.client_address()
        try:
            alumnus, link = service.alumnus_of(token, client)
        except public_links.LinkError as exc:        # too many unknown tokens from this address
            return message_page("limited", 429, message=str(exc))
        if alumnus is None:
            return message_page("unknown", 404)
        wave = alumnus.wave
        if public_links.state(link) == "revoked":
            return message_page("revoked", alumnus=alumnus, wave=wave)
        state = service.wave_state(wave, service.local_today(current_app()))
        if state != "open":
            return message_page(state, alumnus=alumnus, wave=wave)
        response = service.answer_of(alumnus)
        page = dict(page_title=_("Survei kebekerjaan alumni"), alumnus=alumnus, wave=wave,
                    schema=schemas.SurveyForm(), response=response, choices=survey_choices())
        if bottle.request.method == "GET":
            return web.render("tracer_survey/survey.html", values=service.answer_values(response), errors={}, **page)

        def save(data):
            set_actor(AlumnusActor(alumnus))         # the audit log names the alumnus, not "system"
            return service.answer_by_link(token, alumnus, data, client)
        return submit_form(schemas.SurveyForm(training_end=wave.batch.end_date), save,
                           lambda values, errors: web.render("tracer_survey/survey.html", values=values,
                                                             errors=errors, **page),
                           message=lambda saved: _("Terima kasih, jawaban Anda tersimpan.") if saved[1] else
                           _("Terima kasih, perbaikan jawaban Anda tersimpan."),
                           to=f"/survey/{token}", refusals=(public_links.LinkError,))
