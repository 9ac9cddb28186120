"""Meeting (step 8), training (step 9), report (steps 10–11)."""
import bottle
from markupsafe import Markup

from core.toolkit import _, current_app, documents, get_or_404, submit_form, web
from plugins.training_delivery import schemas, service
from plugins.training_delivery.routes_common import ERRORS, P, act, get_plan, paper_links, plan_context


def meeting_form(plan, values=None, errors=None):
    if values is None:
        values = {"meeting_date": plan.meeting_date or "", "meeting_place": plan.meeting_place,
                  "meeting_attendees": plan.meeting_attendees or "\n".join(
                      m.name for m in service.members_of(plan)),
                  "meeting_minutes": plan.meeting_minutes}
    return web.render("training_delivery/meeting.html", schema=schemas.MeetingForm(), values=values,
                      errors=errors or {}, page_title=_("Rapat internal persiapan"), papers=paper_links(plan),
                      **plan_context(plan))


def meeting(plan_id):
    return meeting_form(get_plan(plan_id))


def meeting_save(plan_id):
    plan = get_plan(plan_id)
    return submit_form(schemas.MeetingForm(), lambda data: service.save_meeting(plan, data, web.user()),
                       lambda values, errors: meeting_form(plan, values, errors),
                       message=_("Hasil rapat tersimpan."), to=f"/delivery/plans/{plan.id}", refusals=ERRORS)


def training_done(plan_id):
    plan = get_plan(plan_id)
    act(f"/delivery/plans/{plan.id}", lambda: service.finish_training(plan, web.user(), web.form().get("note", "")),
        _("Pelaksanaan pelatihan dicatat selesai."))


def report_form(plan, values=None, errors=None, photo_values=None, photo_errors=None):
    if values is None:
        values = {k: getattr(plan, k) for k in service.REPORT_FIELDS}
        values["report_text"] = plan.report_text or service.assemble_report(plan)
    return web.render("training_delivery/report.html", schema=schemas.ReportForm(), values=values,
                      errors=errors or {}, photos=service.photos_of(plan), photo_schema=schemas.PhotoForm(),
                      photo_values=photo_values or {}, photo_errors=photo_errors or {}, papers=paper_links(plan),
                      page_title=_("Laporan pelaksanaan"), **plan_context(plan))


def report(plan_id):
    return report_form(get_plan(plan_id))


def report_save(plan_id):
    plan = get_plan(plan_id)
    submitting = web.form().get("submit") == "1"

    def store(data):
        service.save_report(plan, data)
        return service.submit_report(get_plan(plan_id), web.user()) if submitting else None
    return submit_form(schemas.ReportForm(), store, lambda values, errors: report_form(plan, values, errors),
                       message=lambda done: (_("Laporan tersimpan.") if done is None
                                             else _("Laporan disampaikan kepada Kepala Dinas.") if done
                                             else _("Laporan ditandatangani; menunggu tanda tangan pihak lain "
                                                    "(staf dan panitia).")),
                       to=f"/delivery/plans/{plan.id}/report", refusals=ERRORS)


def report_photo_add(plan_id):
    plan = get_plan(plan_id)
    upload = bottle.request.files.get("photo")

    def add(data):
        service.add_photo(plan, data["caption"], upload, current_app())
    return submit_form(schemas.PhotoForm(), add,
                       lambda values, errors: report_form(plan, photo_values=values, photo_errors=errors),
                       message=_("Foto kegiatan ditambahkan."), to=f"/delivery/plans/{plan.id}/report#foto",
                       refusals=ERRORS)


def report_photo_delete(photo_id):
    from plugins.training_delivery.models import ReportPhoto
    photo = get_or_404(ReportPhoto, photo_id)
    act(f"/delivery/plans/{photo.work_plan_id}/report#foto", lambda: service.remove_photo(photo),
        _("Foto dihapus."))


def report_assemble(plan_id):
    plan = get_plan(plan_id)
    act(f"/delivery/plans/{plan.id}/report", lambda: service.save_report(plan, service.assemble_report(plan)),
        _("Laporan disusun ulang dari data yang tercatat."))


def report_print(plan_id):
    plan = get_plan(plan_id)
    paper = paper_links(plan)["report"]
    return web.render("training_delivery/report_print.html", page_title=_("Laporan pelaksanaan"), plan=plan,
                      text=plan.report_text or service.assemble_report(plan), paper=paper,
                      paper_html=Markup(documents.html_of(paper)) if paper else None)


def report_receive(plan_id):
    plan = get_plan(plan_id)
    act(f"/delivery/plans/{plan.id}", lambda: service.receive_report(plan, web.user()),
        _("Laporan diterima; kegiatan selesai."))


def register(router):
    router.get("/delivery/plans/<plan_id:int>/meeting", permission=P + "view")(meeting)
    router.post("/delivery/plans/<plan_id:int>/meeting", permission=P + "meeting")(meeting_save)
    router.post("/delivery/plans/<plan_id:int>/training/done", permission=P + "meeting")(training_done)
    router.get("/delivery/plans/<plan_id:int>/report", permission=P + "view")(report)
    router.post("/delivery/plans/<plan_id:int>/report", permission=P + "report")(report_save)
    router.post("/delivery/plans/<plan_id:int>/report/photos", permission=P + "report")(report_photo_add)
    router.post("/delivery/photos/<photo_id:int>/delete", permission=P + "report")(report_photo_delete)
    router.post("/delivery/plans/<plan_id:int>/report/assemble", permission=P + "report")(report_assemble)
    router.get("/delivery/plans/<plan_id:int>/report/print", permission=P + "view")(report_print)
    router.post("/delivery/plans/<plan_id:int>/report/receive", permission=P + "approve")(report_receive)
