"""Distribution of the invitations (step 6), replies and candidates (step 7)."""
import bottle

from core.toolkit import _, current_app, format_number, forms, get_or_404, local_today, submit_form, values, web
from plugins.training.models import Enrolment, Person
from plugins.training_delivery import candidates, schemas, service
from plugins.training_delivery.models import Addressee
from plugins.training_delivery.routes_common import ERRORS, P, act, get_plan, plan_context


def distribution_page(plan, status=None, row_errors=None, row_values=None):
    invitations = {l.addressee_id: l for l in service.letters_of(plan) if l.kind == "invitation"}
    if status:
        web.response.status = status
    return web.render("training_delivery/distribution.html", page_title=_("Pengiriman undangan: {a}", a=plan.activity),
                      addressees=list(plan.addressees.order_by(Addressee.name)), invitations=invitations,
                      row_errors=row_errors or {}, row_values=row_values or {}, **plan_context(plan))


def distribution(plan_id):
    return distribution_page(get_plan(plan_id))


def addressee_send(addressee_id):
    # One row of the register: its errors are shown next to its fields (422, nothing saved).
    a = get_or_404(Addressee, addressee_id)
    upload = bottle.request.files.get("proof")
    return submit_form(schemas.SendForm(),
                       lambda data: service.record_sending(a, data["sent_on"], data.get("proof_ref"), upload,
                                                           web.user(), current_app()),
                       lambda values, errors: distribution_page(get_plan(a.work_plan_id), None, {a.id: errors},
                                                                {a.id: values}),
                       message=_("Pengiriman ke {a} dicatat.", a=a.name),
                       to=f"/delivery/plans/{a.work_plan_id}/distribution", refusals=ERRORS)


def addressee_proof(addressee_id):
    a = get_or_404(Addressee, addressee_id)
    if not a.proof_sha256:
        raise web.NotFound()
    app = current_app()
    return bottle.static_file(a.proof_sha256, root=app.config["upload_dir"] + "/" + a.proof_sha256[:2],
                              mimetype=a.proof_content_type or "application/octet-stream", download=a.proof_filename)


def nominees_of(plan, regency=None):
    out = {}
    if plan.batch_id:
        q = (Enrolment.select(Enrolment, Person).join(Person)
             .where((Enrolment.batch == plan.batch_id) & (Enrolment.source == "nomination")).order_by(Person.name))
        if regency is not None:
            q = q.where(Enrolment.nominated_by == regency)
        for e in q:
            out.setdefault(e.nominated_by, []).append(e)
    return out


def replies(plan_id):
    plan = get_plan(plan_id)
    cal = current_app().calendar
    addressees = list(plan.addressees.order_by(Addressee.name))
    return web.render("training_delivery/replies.html", page_title=_("Jawaban Kabupaten/Kota: {a}", a=plan.activity),
                      addressees=addressees, nominees=nominees_of(plan), today=local_today(),
                      due=service.reply_deadlines([plan.id], cal).get(plan.id), **plan_context(plan))


def addressee_page(a, status=None, values=None, errors=None, import_errors=None, reply_values=None,
                   reply_errors=None):
    plan = get_plan(a.work_plan_id)
    ctx = plan_context(plan)
    if status:
        web.response.status = status
    return web.render("training_delivery/addressee.html", page_title=_("{a}: jawaban dan calon peserta", a=a.name),
                      a=a, people=nominees_of(plan, a.name).get(a.name, []), due=service.reply_due(a, current_app().calendar),
                      today=local_today(), candidate_schema=schemas.CandidateForm(), values=values or {},
                      errors=errors or {}, import_errors=import_errors or [],
                      reply_values=reply_values or {}, reply_errors=reply_errors or {},
                      import_hints=candidates.hints(schemas.CandidateForm()),
                      can_edit=bool(ctx["step"] in (6, 7, 8) and a.sent_on and web.user().can(P + "replies")), **ctx)


def addressee(addressee_id):
    return addressee_page(get_or_404(Addressee, addressee_id))


def addressee_reply(addressee_id):
    a = get_or_404(Addressee, addressee_id)
    return submit_form(schemas.ReplyForm(), lambda data: service.record_reply(a, data["replied_on"], data.get("reply_ref")),
                       lambda values, errors: addressee_page(a, reply_values=values, reply_errors=errors),
                       message=_("Jawaban dari {a} dicatat.", a=a.name), to=f"/delivery/addressees/{a.id}",
                       refusals=ERRORS)


def addressee_candidate(addressee_id):
    a = get_or_404(Addressee, addressee_id)
    def add(data):
        service.add_candidate(a, data)
        warning = values.nik_birth_warning(data["nik"], data.get("birth_date"), data.get("sex"))
        if warning:         # the office may know better: registered, with a word of caution
            web.flash(warning, "info")
        return data["name"]
    return submit_form(schemas.CandidateForm(), add, lambda values, errors: addressee_page(a, 422, values, errors),
                       message=lambda name: _("Calon peserta {n} dari {a} didaftarkan pada angkatan.",
                                              n=name, a=a.name),
                       to=f"/delivery/addressees/{a.id}", refusals=ERRORS)


def addressee_import(addressee_id):
    a = get_or_404(Addressee, addressee_id)
    upload = bottle.request.files.get("file")
    schema = schemas.CandidateForm()
    problems, warnings = [], []
    count = 0
    if upload is None or not (upload.raw_filename or "").strip():
        problems.append(_("Pilih berkas CSV atau XLSX."))
    else:
        try:
            rows = candidates.read_rows(schema, upload.raw_filename, upload.file.read(5 * 1024 * 1024 + 1))
            for i, row in rows:
                data, errors = forms.validate(schema, row)
                if errors:
                    problems.append(candidates.row_problem(schema, i, errors))
                    continue
                try:
                    service.add_candidate(a, data)
                    count += 1
                except ERRORS as exc:
                    problems.append(_("Baris {i}: {e}", i=i, e=str(exc)))
                    continue
                warning = values.nik_birth_warning(data["nik"], data.get("birth_date"), data.get("sex"))
                if warning:
                    warnings.append(_("Baris {i}: {e}", i=i, e=warning))
            if not rows:
                problems.append(_("Tidak ada baris data."))
        except (candidates.ImportProblem, *ERRORS) as exc:
            problems.append(str(exc))
    if problems:   # all or nothing: 422 rolls back the rows already added
        return addressee_page(a, 422, import_errors=problems)
    web.flash(_("{n} calon peserta dari {a} diimpor.", n=format_number(count, 0), a=a.name))
    for w in warnings[:10]:
        web.flash(w, "info")
    web.redirect(f"/delivery/addressees/{a.id}")


def candidates_template():
    web.response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    web.response.set_header("Content-Disposition", 'attachment; filename="templat-calon-peserta.xlsx"')
    return candidates.template_xlsx(schemas.CandidateForm())


def replies_close(plan_id):
    plan = get_plan(plan_id)
    act(f"/delivery/plans/{plan.id}", lambda: service.close_replies(plan, web.user()),
        _("Penerimaan jawaban ditutup."))


def overdue():
    rows = service.overdue_addressees(current_app().calendar, local_today())
    return web.render("training_delivery/overdue.html", page_title=_("Jawaban yang terlambat"), rows=rows)


def register(router):
    router.get("/delivery/plans/<plan_id:int>/distribution", permission=P + "view")(distribution)
    router.post("/delivery/addressees/<addressee_id:int>/send", permission=P + "distribute")(addressee_send)
    router.get("/delivery/addressees/<addressee_id:int>/proof", permission=P + "view")(addressee_proof)
    router.get("/delivery/plans/<plan_id:int>/replies", permission=P + "view")(replies)
    router.get("/delivery/addressees/<addressee_id:int>", permission=P + "view")(addressee)
    router.post("/delivery/addressees/<addressee_id:int>/reply", permission=P + "replies")(addressee_reply)
    router.post("/delivery/addressees/<addressee_id:int>/candidates", permission=P + "replies")(addressee_candidate)
    router.post("/delivery/addressees/<addressee_id:int>/import", permission=P + "replies")(addressee_import)
    router.get("/delivery/candidates-template.xlsx", permission=P + "view")(candidates_template)
    router.post("/delivery/plans/<plan_id:int>/replies/close", permission=P + "replies")(replies_close)
    router.get("/delivery/overdue", permission=P + "view")(overdue)
