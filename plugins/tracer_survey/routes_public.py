"""The alumni's survey form at /survey/<token>: no account, a personal link (a core
public link, see links.py, on the core's page ``public_links.page``) answered while the
wave is open and corrected until it closes."""
from core.toolkit import _, lazy, public_links, set_actor
from plugins.tracer_survey import links, schemas, service
from plugins.tracer_survey.answers import clean_for_link
from plugins.tracer_survey.models import Alumnus, Wave
from plugins.training.models import Batch, Programme


class AlumnusActor:
    """The audit actor of an answer sent through a survey link (no account)."""
    id = None
    full_name = "Alumni"
    roles = frozenset()

    def __init__(self, alumnus):
        self.username = f"alumni:{alumnus.id}"

    def can(self, permission):
        return False


def survey_choices():
    return {"status": schemas.STATUS, "relevance": schemas.RELEVANCE}


def page_values(alumnus):
    """``load`` of the page: the alumnus with wave, batch and programme, the answer shown prefilled."""
    alumnus = (Alumnus.select(Alumnus, Wave, Batch, Programme).join(Wave).join(Batch).join(Programme)
               .where(Alumnus.id == alumnus.id).get())
    response = service.answer_of(alumnus)
    return {"alumnus": alumnus, "wave": alumnus.wave, "response": response, "choices": survey_choices(),
            "values": service.answer_values(response)}


def survey_form(alumnus):
    return schemas.SurveyForm(training_end=alumnus.wave.batch.end_date)


def on_answer(alumnus, data):
    set_actor(AlumnusActor(alumnus))         # the audit log names the alumnus, not "system"
    links.record_answer(alumnus, data)
    return clean_for_link(data)


def thanks(link):
    return _("Terima kasih, jawaban Anda tersimpan.") if link.corrected_at is None else \
        _("Terima kasih, perbaikan jawaban Anda tersimpan.")


def register(router):
    public_links.page(router, "/survey/<token>", links.PURPOSE, "tracer_survey/survey.html", subject=Alumnus,
                      schema=survey_form, load=page_values, closed=links.closed_reason, on_answer=on_answer,
                      thanks=thanks, redirect=True, title=lazy("Survei kebekerjaan alumni"),
                      name="tracer_survey.survey")
