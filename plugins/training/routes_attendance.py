"""Daily attendance of a batch."""
from core.toolkit import _, current_app, format_date, format_number, local_today, submit_form, web
from plugins.training import service
from plugins.training.models import ATTENDANCE
from plugins.training.routes_common import can, get_batch
from plugins.training.schemas import AttendanceDayForm


def attendance_view(batch, day=None, errors=None):
    if day is None:
        day = min(max(local_today(), batch.start_date), batch.end_date)
    recap, days = service.attendance_recap(batch)
    return web.render("training/attendance.html", batch=batch, day=day, members=service.class_list(batch),
                      recorded=service.attendance_of_day(batch, day), recap=recap, days=days, choices=ATTENDANCE,
                      problem=service.attendance_day_problem(batch, day), errors=errors or {},
                      can_edit=can("training.attendance"),
                      pass_percent=current_app().config.plugin("training").get("attendance_pass_percent", 80),
                      page_title=_("Daftar hadir: {b}", b=str(batch)))


def attendance_page(batch_id):
    batch = get_batch(batch_id)
    default = min(max(local_today(), batch.start_date), batch.end_date)
    return attendance_view(batch, web.query_date("day", default))


def attendance_save(batch_id):
    batch = get_batch(batch_id)
    statuses = {}
    for key, value in web.form().items():
        if key.startswith("st-") and key[3:].isdigit():
            statuses[int(key[3:])] = value if isinstance(value, str) else value[-1]

    def save(data):
        return data["day"], service.save_attendance(batch, data["day"], statuses)
    return submit_form(AttendanceDayForm(), save,
                       lambda values, errors: attendance_view(batch, web.parse_date(values.get("day", "")), errors),
                       message=lambda done: _("Daftar hadir {d} tersimpan ({n} perubahan).", d=format_date(done[0]),
                                              n=format_number(done[1], 0)),
                       to=lambda done: f"/training/batches/{batch.id}/attendance?day={done[0].isoformat()}",
                       refusals=(service.TrainingError,))


def register(router):
    router.get("/training/batches/<batch_id:int>/attendance", permission="training.view")(attendance_page)
    router.post("/training/batches/<batch_id:int>/attendance", permission="training.attendance")(attendance_save)
