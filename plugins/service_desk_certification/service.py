"""Linking a service-desk batch to a certification test event, and completing step 7 when it is archived."""
from core.toolkit import _, actor, audit, db, format_date, forms, tracker
from plugins.certification.models import EVENT_STATUS, Scheme, TestEvent
from plugins.service_desk import service as desk
from plugins.service_desk.models import TestResult


def test_events(batch_id):
    """The batch's test events, newest first, with the scheme's name and an Indonesian status."""
    if not batch_id:
        return []
    events = list(TestEvent.select(TestEvent, Scheme).join(Scheme).where(TestEvent.batch == batch_id)
                  .order_by(TestEvent.date.desc()).limit(50))
    for event in events:
        event.status_label = forms.label(event.status, EVENT_STATUS)     # the certification plugin's words
    return events


def event_link(event_id):
    return [(_("Jadwal uji kompetensi"), f"/certification/events/{event_id}")]


def link_test_event(app, visit, user, event_id):
    """Link the batch's competency test to a test event; an archived one completes step 7 at once."""
    desk.test_ready(visit)
    event = TestEvent.get_or_none(TestEvent.id == event_id)
    if event is None:
        raise desk.ServiceDeskError(_("Jadwal uji kompetensi tidak ditemukan."), field="event")
    batch = desk.batch_of(visit)
    if event.batch_id != batch.id:
        # An event of no batch or of another one is another programme's (or scheme's) test.
        raise desk.ServiceDeskError(_("Jadwal uji kompetensi ini bukan untuk angkatan {b}.", b=str(batch)),
                                    field="event")
    if event.date < batch.start_date:
        raise desk.ServiceDeskError(_("Uji kompetensi tanggal {d} sudah lewat sebelum pelatihan dimulai.",
                                      d=format_date(event.date)), field="event")
    with db.write():
        existing = desk.test_result_of(visit.batch_id)
        if existing:
            audit.update(existing, test_event_id=event.id, recorded_by=user.id, recorded_at=db.utcnow())
        else:
            audit.create(TestResult, batch=visit.batch_id, test_event_id=event.id, recorded_by=user.id)
        done = 0
        if event.status == "archived" and desk.at_step(desk.run_of(visit), 7):
            done = desk.complete_tests(app, visit.batch_id, user, first=visit, notes=_("Uji kompetensi selesai."),
                                       links=event_link(event.id))
    return event, done


def on_test_event_archived(app, event_id):
    """``certification.event_archived``: the test is done; complete step 7 of the linked runs."""
    user = actor()      # the user who archived the test event, or the system
    done = 0
    for result in TestResult.select().where(TestResult.test_event_id == event_id):
        try:
            done += desk.complete_tests(app, result.batch_id, user, rule=_("uji kompetensi sudah diarsipkan"),
                                        notes=_("Uji kompetensi selesai dan diarsipkan oleh LSP/sertifikasi."),
                                        links=event_link(event_id))
        except tracker.StepError:
            desk.log.exception("could not complete step 7 for test event %s", event_id)
    return done
