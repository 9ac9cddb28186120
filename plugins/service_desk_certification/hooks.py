"""Hook implementations of the service desk × certification bridge."""
from core.toolkit import _, current_app, forms, get_or_404, hookimpl, submit_form, tracker, web
from plugins.service_desk import service as desk
from plugins.service_desk.models import GuestVisit
from plugins.service_desk_certification import service


class TestEventForm(forms.Schema):
    event = forms.Integer(required=True, label="Jadwal uji kompetensi (modul sertifikasi)")


@hookimpl
def balai_routes(router):
    @router.post("/service-desk/visits/<vid:int>/test-event", permission="service_desk.delivery")
    def visit_test_event(vid):
        from plugins.service_desk.routes_visits import rerender_visit
        visit = get_or_404(GuestVisit, vid)
        return submit_form(TestEventForm(), lambda data: service.link_test_event(current_app(), visit, web.user(),
                                                                                 data["event"]),
                           rerender_visit(visit, "test"), message=_("Jadwal uji kompetensi ditautkan."),
                           to=desk.visit_url(visit), refusals=(desk.ServiceDeskError, tracker.StepError))


@hookimpl
def balai_template_globals():
    # The visit page's step-7 block (templates/service_desk/visit.html) lists these.
    return {"certification_test_events": service.test_events}


@hookimpl
def balai_event(name, data, app):
    if name == "certification.event_archived":
        service.on_test_event_archived(app, data.get("event_id"))
