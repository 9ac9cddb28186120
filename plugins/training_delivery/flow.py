"""The run of SOP 503/47/SOP.BLK/2024 behind a work plan: its constants, the refusal type
and the step checks every service module of ``training_delivery`` shares."""
from core.toolkit import _, tracker
from plugins.training_delivery.models import WorkPlan
from plugins.training_delivery.sop import SOP


CODE = SOP["code"]
SUBJECT = WorkPlan.audit_type()
SERIES = "training_delivery.letter"
PLUGIN = "training_delivery"
REPLY_DAYS = 5            # the SOP's "1 minggu" in working days
STAFF = "staf_blk"


class DeliveryError(Exception):
    """A refusal the user can read."""


def options(app):
    return app.config.plugin(PLUGIN)


# ---------------------------------------------------------------- runs and steps

FLOW = tracker.Workflow(CODE, WorkPlan)


def run_of(plan):
    return FLOW.run_of(plan)


def at_step(plan, *numbers):
    """The plan's run if it is active and at one of these steps, else DeliveryError."""
    run = run_of(plan)
    if run is None or run.status != "active" or run.current_no not in numbers:
        where = run.current_no if run is not None and run.status == "active" else None
        if where is None:
            raise DeliveryError(_("Kegiatan ini sudah selesai; tidak ada yang dapat diubah."))
        raise DeliveryError(_("Tindakan ini tidak tersedia sekarang: kegiatan berada di langkah {no}.", no=where))
    return run


def complete(plan, no, user, notes="", links=()):
    """Complete step ``no`` of the plan's run (refused unless the run is at it)."""
    run = at_step(plan, no)
    return tracker.complete(run, user, notes=notes, links=links, expect_no=no)
