"""Cooperations (steps 4–5): minutes, RAB lines, PKS with its signed scan, submission to
and decision by the Kepala BPVP, ID Billing; the head's approval list."""
from core.toolkit import User, _, current_app, db, forms, get_or_404, submit_form, tracker, web
from plugins.service_desk import cooperation, schemas
from plugins.service_desk.models import Approval, Cooperation, GuestVisit, Pks
from plugins.service_desk.routes import G, REFUSALS, attempt, send_file, upload_of
from plugins.training.models import Batch


class ScanOnlyForm(forms.Schema):
    """Adding the signed scan to a PKS whose text is already saved (or locked)."""


def coop_page(coop, errors=None, values=None, form=None):
    visit = GuestVisit.get_by_id(coop.visit_id)
    run = cooperation.run_of(visit)
    lines = cooperation.rab_lines(coop)
    approvals = list(Approval.select().where(Approval.cooperation == coop).order_by(Approval.id.desc()))
    names = {u.id: u.full_name for u in User.select().where(User.id.in_([a.decided_by_id for a in approvals] or [0]))}
    return web.render("service_desk/cooperation.html", page_title=_("Kerja sama: {n}", n=visit.organisation or visit.name),
                      coop=coop, visit=visit, run=run, items=tracker.timeline(run) if run else [], lines=lines,
                      total=cooperation.rab_total(lines), pks=cooperation.pks_of(coop), approvals=approvals,
                      names=names, errors=errors or {}, values=values or {}, form=form,
                      minutes_schema=schemas.MinutesForm(), line_schema=schemas.RabLineForm(),
                      pks_schema=schemas.PksForm(), billing_schema=schemas.BillingForm(),
                      batch=Batch.get_or_none(Batch.id == coop.batch_id) if coop.batch_id else None, **G)


def coop_form(cid, schema, form_name, action, success, form=None):
    coop = get_or_404(Cooperation, cid)
    return submit_form(schema, lambda data: action(coop, data),
                       lambda values, errors: coop_page(coop, errors, values, form=form_name),
                       message=success, to=f"/service-desk/cooperations/{cid}", refusals=REFUSALS, form=form)


def register(router):
    @router.get("/service-desk/cooperations", permission="service_desk.view")
    def cooperations():
        rows = list(Cooperation.select(Cooperation, GuestVisit).join(GuestVisit)
                    .order_by(Cooperation.id.desc()).limit(200))
        return web.render("service_desk/cooperations.html", page_title=_("Kerja sama"), rows=rows, **G)

    @router.get("/service-desk/cooperations/<cid:int>", permission="service_desk.view")
    def cooperation_detail(cid):
        return coop_page(get_or_404(Cooperation, cid))

    @router.post("/service-desk/cooperations/<cid:int>/minutes", permission="service_desk.partnership")
    def coop_minutes(cid):
        return coop_form(cid, schemas.MinutesForm(), "minutes",
                         lambda coop, data: cooperation.save_minutes(current_app(), coop, web.user(), data),
                         _("Notulen disimpan."))

    @router.post("/service-desk/cooperations/<cid:int>/rab/lines", permission="service_desk.partnership")
    def coop_rab_line(cid):
        return coop_form(cid, schemas.RabLineForm(), "rab", cooperation.add_rab_line, _("Rincian RAB ditambahkan."))

    @router.post("/service-desk/cooperations/<cid:int>/rab/lines/<lid:int>/delete", permission="service_desk.partnership")
    def coop_rab_delete(cid, lid):
        coop = get_or_404(Cooperation, cid)
        attempt(lambda: cooperation.delete_rab_line(coop, lid), f"/service-desk/cooperations/{cid}",
                _("Rincian RAB dihapus."))

    @router.post("/service-desk/cooperations/<cid:int>/pks", permission="service_desk.partnership")
    def coop_pks(cid):
        sent = web.form()
        only_scan = sent.get("only_scan") == "1"

        def save(coop, data):
            with db.write():
                scan = upload_of("scan", required=only_scan)
                return cooperation.save_pks(coop, None if only_scan else data, scan)
        return coop_form(cid, ScanOnlyForm() if only_scan else schemas.PksForm(), "pks", save, _("PKS disimpan."),
                         form=sent)

    @router.get("/service-desk/cooperations/<cid:int>/pks/scan", permission="service_desk.view")
    def coop_pks_scan(cid):
        pks = Pks.get_or_none(Pks.cooperation == cid)
        if pks is None:
            raise web.NotFound()
        return send_file(pks.scan_sha256, pks.scan_filename, pks.scan_type)

    @router.post("/service-desk/cooperations/<cid:int>/submit/<doc:re:rab|pks>", permission="service_desk.partnership")
    def coop_submit(cid, doc):
        coop = get_or_404(Cooperation, cid)
        attempt(lambda: cooperation.submit(coop, doc), f"/service-desk/cooperations/{cid}",
                _("{d} diajukan kepada Kepala BPVP.", d=doc.upper()))

    @router.post("/service-desk/cooperations/<cid:int>/decide/<doc:re:rab|pks>", permission="service_desk.approve")
    def coop_decide(cid, doc):
        coop = get_or_404(Cooperation, cid)
        f = web.form()
        approve = f.get("decision") == "approve"
        attempt(lambda: cooperation.decide(current_app(), coop, doc, web.user(), approve, f.get("reason", "")),
                f.get("back") if f.get("back") == "/service-desk/approvals" else f"/service-desk/cooperations/{cid}",
                _("{d} disetujui.", d=doc.upper()) if approve else _("{d} dikembalikan dengan alasan.", d=doc.upper()))

    @router.post("/service-desk/cooperations/<cid:int>/billing", permission="service_desk.partnership")
    def coop_billing(cid):
        return coop_form(cid, schemas.BillingForm(), "billing", cooperation.save_billing, _("ID Billing disimpan."))

    @router.get("/service-desk/approvals", permission="service_desk.approve")
    def approvals():
        rows = list(Cooperation.select(Cooperation, GuestVisit).join(GuestVisit)
                    .where((Cooperation.rab_status == "submitted") | (Cooperation.pks_status == "submitted"))
                    .order_by(Cooperation.id))
        lines = cooperation.rab_lines_by_cooperation([c.id for c in rows])
        totals = {c.id: cooperation.rab_total(lines.get(c.id, [])) for c in rows}
        return web.render("service_desk/approvals.html", page_title=_("Persetujuan RAB & PKS"), rows=rows,
                          totals=totals, lines=lines, **G)
