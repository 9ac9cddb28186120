"""Screens of the ``room_booking`` plugin: bookings (list, detail, form) and the hand-over action.

Saving a new booking starts its run of SOP EX-PRP-01. Steps 1, 2 and 4 are
done on the generic run page; step 3 (hand-over) is this plugin's own action:
the button on the booking page records the time and completes the step.
"""
from core.toolkit import Column, Filter, Screen, _, audit, db, format_date, lazy, tracker, web

from room_booking.models import ROOMS, Booking
from room_booking.schemas import BookingForm
from room_booking.sop import CODE

BASE = "/room-booking/bookings"
HANDOVER = 3


def start_run(obj, created):
    if created:
        tracker.start_run(CODE, Booking.audit_type(), obj.id, f"Peminjaman ruang: {obj.purpose}")


def run_of(obj):
    run = tracker.run_for(Booking.audit_type(), obj.id, CODE)
    return {"run": run, "items": tracker.timeline(run) if run else [], "rooms": dict(ROOMS),
            "can_hand_over": bool(run and run.current_no == HANDOVER and web.user().can("room_booking.manage"))}


SCREEN = Screen(
    Booking, BookingForm, base=BASE, view="room_booking.view", edit="room_booking.manage",
    title=lazy("Peminjaman ruang"),
    columns=[Column("purpose", lazy("Keperluan"), link=True), Column("organisation", lazy("Instansi / unit")),
             Column("room", lazy("Ruang"), format=lambda v: dict(ROOMS).get(v, v)),
             Column("start_date", lazy("Tanggal mulai"), format=format_date)],
    search=[Booking.purpose, Booking.organisation, Booking.applicant],
    filters=[Filter("room", lazy("Ruang"), Booking.room, ROOMS)],
    order=[Booking.start_date.desc(), Booking.id.desc()],
    template="room_booking", label=str, after_save=start_run, detail_extra=run_of,
)


def register(router):
    SCREEN.register(router)

    @router.post(BASE + "/<obj_id:int>/hand-over", permission="room_booking.manage")
    def hand_over(obj_id):
        booking = SCREEN.get(obj_id)
        run = tracker.run_for(Booking.audit_type(), booking.id, CODE)
        if run is None or run.status != "active" or run.current_no != HANDOVER:
            web.flash(_("Ruang belum dapat diserahkan: peminjaman belum disetujui."), "error")
            web.redirect(f"{BASE}/{booking.id}")
        try:
            tracker.complete_by_plugin(Booking.audit_type(), booking.id, CODE, HANDOVER, web.user(),
                                       notes=_("Ruang diserahkan"), links=[(booking.purpose, f"{BASE}/{booking.id}")])
        except tracker.StepError as exc:
            web.flash(str(exc), "error")
            web.redirect(f"{BASE}/{booking.id}")
        audit.update(booking, handed_over_at=db.utcnow())
        web.flash(_("Serah terima ruang tercatat."))
        web.redirect(f"{BASE}/{booking.id}")
