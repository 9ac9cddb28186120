"""Work plans (steps 1–3): list, form, detail, submit, approve, return, instruct."""
from core.toolkit import _, audit, documents, paginate, submit_form, tracker, web
from plugins.training.models import Programme
from plugins.training_delivery import budget, schemas, service
from plugins.training_delivery.models import Addressee, WorkPlan
from plugins.training_delivery.routes_common import ERRORS, P, act, get_plan, paper_links, plan_context


def plan_list():
    q = WorkPlan.select(WorkPlan, Programme).join(Programme).order_by(WorkPlan.start_date.desc(), WorkPlan.id.desc())
    text = web.query("q").strip()[:100]
    if text:
        q = q.where(WorkPlan.activity.contains(text))
    page = web.query_page()
    rows, has_next = paginate(q, page, 50)
    runs = tracker.runs_of(service.SUBJECT, rows)
    return web.render("training_delivery/plans.html", page_title=_("Penyelenggaraan pelatihan"), rows=rows,
                      runs=runs, page=page, has_next=has_next, q=text)


def plan_form(plan=None, values=None, errors=None):
    if values is None and plan is not None:
        values = {name: getattr(plan, name) for name in ("activity", "start_date", "end_date", "venue", "quota",
                                                         "dpa_number", "schedule")}
        values.update(programme=plan.programme_id, batch=plan.batch_id or "",
                      addressees=service.addressee_lines(plan),
                      budget_lines=budget.text_of(service.budget_lines_of(plan)))
    return web.render("training_delivery/plan_form.html", plan=plan, schema=schemas.WorkPlanForm(),
                      values=values or {"quota": 16}, errors=errors or {},
                      page_title=_("Ubah rencana kerja") if plan else _("Rencana kerja baru"))


def save(plan=None):
    def store(data):
        addressees = service.parse_addressees(data.pop("addressees"))
        lines, _problems = budget.parse(data.pop("budget_lines"))     # checked by the schema
        return service.save_plan(data, addressees, web.user(), plan, lines)
    return submit_form(schemas.WorkPlanForm(), store, lambda values, errors: plan_form(plan, values, errors),
                       message=_("Rencana kerja tersimpan."), to=lambda saved: f"/delivery/plans/{saved.id}",
                       refusals=ERRORS)


def plan_new():
    return plan_form()


def plan_create():
    return save()


def plan_edit(plan_id):
    plan = get_plan(plan_id)
    try:
        service.at_step(plan, 1)
    except ERRORS as exc:
        web.flash(str(exc), "error")
        web.redirect(f"/delivery/plans/{plan.id}")
    return plan_form(plan)


def plan_update(plan_id):
    return save(get_plan(plan_id))


def plan_detail(plan_id):
    plan = get_plan(plan_id)
    ctx = plan_context(plan)
    return web.render("training_delivery/plan.html", page_title=plan.activity,
                      addressees=list(plan.addressees.order_by(Addressee.name)),
                      budget_lines=service.budget_lines_of(plan),
                      budget_words=documents.rupiah_terbilang(plan.budget_amount), papers=paper_links(plan),
                      history=audit.history(service.SUBJECT, plan.id), **ctx)


def plan_submit(plan_id):
    plan = get_plan(plan_id)
    act(f"/delivery/plans/{plan.id}", lambda: service.submit_plan(plan, web.user()),
        _("Rencana kerja diajukan kepada Kepala Dinas."))


def plan_approve(plan_id):
    plan = get_plan(plan_id)
    act(f"/delivery/plans/{plan.id}", lambda: service.approve_plan(plan, web.user(), web.form().get("notes", "")),
        _("Rencana kerja disetujui."))


def plan_return(plan_id):
    plan = get_plan(plan_id)
    act(f"/delivery/plans/{plan.id}", lambda: service.return_plan(plan, web.user(), web.form().get("reason", "")),
        _("Rencana kerja dikembalikan untuk diperbaiki."))


def plan_instruct(plan_id):
    plan = get_plan(plan_id)
    act(f"/delivery/plans/{plan.id}", lambda: service.instruct(plan, web.user(), web.form().get("note", "")),
        _("Instruksi penyusunan surat dicatat."))


def register(router):
    router.get("/delivery", permission=P + "view")(plan_list)
    router.get("/delivery/plans/new", permission=P + "plan")(plan_new)
    router.post("/delivery/plans/new", permission=P + "plan")(plan_create)
    router.get("/delivery/plans/<plan_id:int>/edit", permission=P + "plan")(plan_edit)
    router.post("/delivery/plans/<plan_id:int>/edit", permission=P + "plan")(plan_update)
    router.get("/delivery/plans/<plan_id:int>", permission=P + "view")(plan_detail)
    router.post("/delivery/plans/<plan_id:int>/submit", permission=P + "plan")(plan_submit)
    router.post("/delivery/plans/<plan_id:int>/approve", permission=P + "approve")(plan_approve)
    router.post("/delivery/plans/<plan_id:int>/return", permission=P + "approve")(plan_return)
    router.post("/delivery/plans/<plan_id:int>/instruct", permission=P + "instruct")(plan_instruct)
