"""Screens of ``training_delivery`` under /delivery/."""
import datetime

import bottle

from markupsafe import Markup

from core.toolkit import (Column, Screen, _, audit, current_app, documents, forms, get_or_404, lazy,
                          paginate, run_action, submit_form, tracker, web)
from plugins.training.models import ENROLMENT_STATUS, Enrolment, Person, Programme
from plugins.training_delivery import letters as lt, schemas, service
from plugins.training_delivery.models import (LETTER_KINDS, Addressee, CommitteeMember, Letter, LetterTemplate,
                                              WorkPlan)

Run = tracker.Run  # raw tracker models (toolkit.tracker), for queries no toolkit function covers yet

P = "training_delivery."
ERRORS = (service.DeliveryError, tracker.StepError, lt.TemplateProblem)


def get_plan(plan_id):
    plan = WorkPlan.select(WorkPlan, Programme).join(Programme).where(WorkPlan.id == plan_id).first()
    if plan is None:
        raise web.NotFound()
    return plan


def act(back, fn, message=None):
    return run_action(fn, back, message, ERRORS)


def plan_context(plan):
    run = service.run_of(plan)
    items = tracker.timeline(run) if run else []
    returns = [rs for rs in items if rs.status == "returned"]
    return {"plan": plan, "run": run, "items": items, "step": run.current_no if run and run.status == "active" else None,
            "last_return": returns[-1] if returns else None}


def register(router):
    # ------------------------------------------------ work plans
    @router.get("/delivery", permission=P + "view")
    def plan_list():
        q = WorkPlan.select(WorkPlan, Programme).join(Programme).order_by(WorkPlan.start_date.desc(), WorkPlan.id.desc())
        text = web.query("q").strip()[:100]
        if text:
            q = q.where(WorkPlan.activity.contains(text))
        page = web.query_page()
        rows, has_next = paginate(q, page, 50)
        runs = {}
        if rows:
            for run in Run.select().where((Run.subject_type == service.SUBJECT)
                                                  & Run.subject_id.in_([str(p.id) for p in rows])):
                runs[int(run.subject_id)] = run
        return web.render("training_delivery/plans.html", page_title=_("Penyelenggaraan pelatihan"), rows=rows,
                          runs=runs, page=page, has_next=has_next, q=text)

    def plan_form(plan=None, values=None, errors=None):
        if values is None and plan is not None:
            values = {name: getattr(plan, name) for name in ("activity", "start_date", "end_date", "venue", "quota",
                                                             "dpa_number", "budget_amount", "schedule")}
            values.update(programme=plan.programme_id, batch=plan.batch_id or "",
                          addressees=service.addressee_lines(plan))
        return web.render("training_delivery/plan_form.html", plan=plan, schema=schemas.WorkPlanForm(),
                          values=values or {"quota": 16}, errors=errors or {},
                          page_title=_("Ubah rencana kerja") if plan else _("Rencana kerja baru"))

    def save(plan=None):
        def store(data):
            addressees = service.parse_addressees(data.pop("addressees"))
            return service.save_plan(data, addressees, web.user(), plan)
        return submit_form(schemas.WorkPlanForm(), store, lambda values, errors: plan_form(plan, values, errors),
                           message=_("Rencana kerja tersimpan."), to=lambda saved: f"/delivery/plans/{saved.id}",
                           refusals=ERRORS)

    @router.get("/delivery/plans/new", permission=P + "plan")
    def plan_new():
        return plan_form()

    @router.post("/delivery/plans/new", permission=P + "plan")
    def plan_create():
        return save()

    @router.get("/delivery/plans/<plan_id:int>/edit", permission=P + "plan")
    def plan_edit(plan_id):
        plan = get_plan(plan_id)
        try:
            service.at_step(plan, 1)
        except ERRORS as exc:
            web.flash(str(exc), "error")
            web.redirect(f"/delivery/plans/{plan.id}")
        return plan_form(plan)

    @router.post("/delivery/plans/<plan_id:int>/edit", permission=P + "plan")
    def plan_update(plan_id):
        return save(get_plan(plan_id))

    @router.get("/delivery/plans/<plan_id:int>", permission=P + "view")
    def plan_detail(plan_id):
        plan = get_plan(plan_id)
        ctx = plan_context(plan)
        return web.render("training_delivery/plan.html", page_title=plan.activity,
                          addressees=list(plan.addressees.order_by(Addressee.name)),
                          history=audit.history(service.SUBJECT, plan.id), **ctx)

    @router.post("/delivery/plans/<plan_id:int>/submit", permission=P + "plan")
    def plan_submit(plan_id):
        plan = get_plan(plan_id)
        act(f"/delivery/plans/{plan.id}", lambda: service.submit_plan(plan, web.user()),
            _("Rencana kerja diajukan kepada Kepala Dinas."))

    @router.post("/delivery/plans/<plan_id:int>/approve", permission=P + "approve")
    def plan_approve(plan_id):
        plan = get_plan(plan_id)
        act(f"/delivery/plans/{plan.id}", lambda: service.approve_plan(plan, web.user(), web.form().get("notes", "")),
            _("Rencana kerja disetujui."))

    @router.post("/delivery/plans/<plan_id:int>/return", permission=P + "approve")
    def plan_return(plan_id):
        plan = get_plan(plan_id)
        act(f"/delivery/plans/{plan.id}", lambda: service.return_plan(plan, web.user(), web.form().get("reason", "")),
            _("Rencana kerja dikembalikan untuk diperbaiki."))

    @router.post("/delivery/plans/<plan_id:int>/instruct", permission=P + "instruct")
    def plan_instruct(plan_id):
        plan = get_plan(plan_id)
        act(f"/delivery/plans/{plan.id}", lambda: service.instruct(plan, web.user(), web.form().get("note", "")),
            _("Instruksi penyusunan surat dicatat."))

    # ------------------------------------------------ letters and committee
    @router.get("/delivery/plans/<plan_id:int>/letters", permission=P + "view")
    def letters_page(plan_id, member_values=None, member_errors=None):
        plan = get_plan(plan_id)
        return web.render("training_delivery/letters.html", page_title=_("Surat: {a}", a=plan.activity),
                          letters=service.letters_of(plan), members=service.members_of(plan),
                          member_schema=schemas.MemberForm(), member_values=member_values or {},
                          member_errors=member_errors or {}, kinds=dict(LETTER_KINDS), **plan_context(plan))

    @router.post("/delivery/plans/<plan_id:int>/letters/generate", permission=P + "letters")
    def letters_generate(plan_id):
        plan = get_plan(plan_id)
        refresh = web.form().get("refresh") == "1"
        act(f"/delivery/plans/{plan.id}/letters", lambda: service.generate_letters(plan, refresh),
            _("Konsep surat dibuat dari templat."))

    @router.post("/delivery/plans/<plan_id:int>/letters/submit", permission=P + "letters")
    def letters_submit(plan_id):
        plan = get_plan(plan_id)
        act(f"/delivery/plans/{plan.id}/letters", lambda: service.submit_drafts(plan, web.user()),
            _("Konsep surat diajukan untuk paraf Kepala Bidang."))

    @router.post("/delivery/plans/<plan_id:int>/members", permission=P + "letters")
    def member_add(plan_id):
        plan = get_plan(plan_id)
        return submit_form(schemas.MemberForm(), lambda data: service.add_member(plan, data),
                           lambda values, errors: letters_page(plan_id, values, errors),
                           message=_("Anggota panitia ditambahkan."), to=f"/delivery/plans/{plan.id}/letters#panitia",
                           refusals=ERRORS)

    @router.post("/delivery/members/<member_id:int>/delete", permission=P + "letters")
    def member_delete(member_id):
        member = get_or_404(CommitteeMember, member_id)
        act(f"/delivery/plans/{member.work_plan_id}/letters#panitia", lambda: service.remove_member(member),
            _("Anggota panitia dihapus."))

    @router.get("/delivery/letters/<letter_id:int>", permission=P + "view")
    def letter_print(letter_id):
        letter = get_or_404(Letter, letter_id)
        plan = get_plan(letter.work_plan_id)
        paper = documents.current_for("delivery_letter", letter.id)
        return web.render("training_delivery/letter_print.html", page_title=letter.title, letter=letter, plan=plan,
                          text=service.text_of(letter), signer=service.signer_of(plan),
                          step=plan_context(plan)["step"], paper=paper,
                          paper_html=Markup(documents.html_of(paper)) if paper else None)

    @router.post("/delivery/letters/<letter_id:int>/issue", permission=P + "letters")
    def letter_issue(letter_id):
        letter = get_or_404(Letter, letter_id)
        act(f"/delivery/letters/{letter.id}", lambda: service.issue_document(letter, current_app(), web.user()),
            _("Surat diterbitkan sebagai dokumen dengan nomor yang sama."))

    def letter_form(letter, values=None, errors=None):
        return web.render("training_delivery/letter_form.html", letter=letter, schema=schemas.LetterForm(),
                          values=values or {"title": letter.title, "source": letter.source}, errors=errors or {},
                          page_title=_("Ubah konsep: {t}", t=letter.title))

    @router.get("/delivery/letters/<letter_id:int>/edit", permission=P + "letters")
    def letter_edit(letter_id):
        return letter_form(get_or_404(Letter, letter_id))

    @router.post("/delivery/letters/<letter_id:int>/edit", permission=P + "letters")
    def letter_update(letter_id):
        letter = get_or_404(Letter, letter_id)
        return submit_form(schemas.LetterForm(), lambda data: service.edit_letter(letter, data["title"], data["source"]),
                           lambda values, errors: letter_form(letter, values, errors),
                           message=_("Konsep surat tersimpan."), to=f"/delivery/letters/{letter.id}", refusals=ERRORS)

    @router.post("/delivery/letters/<letter_id:int>/paraf", permission=P + "sign")
    def letter_paraf(letter_id):
        letter = get_or_404(Letter, letter_id)
        act(f"/delivery/plans/{letter.work_plan_id}/letters", lambda: service.paraf(letter, web.user()),
            _("Konsep diparaf."))

    @router.post("/delivery/letters/<letter_id:int>/sign", permission=P + "sign")
    def letter_sign(letter_id):
        letter = get_or_404(Letter, letter_id)
        act(f"/delivery/plans/{letter.work_plan_id}/letters", lambda: service.sign(letter, web.user()),
            _("Surat pengantar ditandatangani."))

    @router.post("/delivery/letters/<letter_id:int>/return", permission=P + "sign")
    def letter_return(letter_id):
        letter = get_or_404(Letter, letter_id)
        act(f"/delivery/plans/{letter.work_plan_id}/letters",
            lambda: service.return_letter(letter, web.user(), web.form().get("reason", "")),
            _("Konsep dikembalikan kepada staf untuk diperbaiki."))

    # ------------------------------------------------ distribution
    @router.get("/delivery/plans/<plan_id:int>/distribution", permission=P + "view")
    def distribution(plan_id):
        plan = get_plan(plan_id)
        invitations = {l.addressee_id: l for l in service.letters_of(plan) if l.kind == "invitation"}
        return web.render("training_delivery/distribution.html", page_title=_("Pengiriman undangan: {a}", a=plan.activity),
                          addressees=list(plan.addressees.order_by(Addressee.name)), invitations=invitations,
                          **plan_context(plan))

    @router.post("/delivery/addressees/<addressee_id:int>/send", permission=P + "distribute")
    def addressee_send(addressee_id):
        a = get_or_404(Addressee, addressee_id)
        back = f"/delivery/plans/{a.work_plan_id}/distribution"
        data, errors = forms.validate(schemas.SendForm(), web.form())
        if errors:
            web.flash(_("{a}: {e}", a=a.name, e="; ".join(errors.values())), "error")
            web.redirect(back)
        upload = bottle.request.files.get("proof")
        act(back, lambda: service.record_sending(a, data["sent_on"], data.get("proof_ref"), upload, web.user(), current_app()),
            _("Pengiriman ke {a} dicatat.", a=a.name))

    @router.get("/delivery/addressees/<addressee_id:int>/proof", permission=P + "view")
    def addressee_proof(addressee_id):
        a = get_or_404(Addressee, addressee_id)
        if not a.proof_sha256:
            raise web.NotFound()
        app = current_app()
        return bottle.static_file(a.proof_sha256, root=app.config["upload_dir"] + "/" + a.proof_sha256[:2],
                                  mimetype=a.proof_content_type or "application/octet-stream", download=a.proof_filename)

    # ------------------------------------------------ replies and candidates
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

    @router.get("/delivery/plans/<plan_id:int>/replies", permission=P + "view")
    def replies(plan_id):
        plan = get_plan(plan_id)
        cal = current_app().calendar
        addressees = list(plan.addressees.order_by(Addressee.name))
        return web.render("training_delivery/replies.html", page_title=_("Jawaban Kabupaten/Kota: {a}", a=plan.activity),
                          addressees=addressees, nominees=nominees_of(plan), today=datetime.date.today(),
                          status_labels=dict(ENROLMENT_STATUS),
                          due={a.id: service.reply_due(a, cal) for a in addressees}, **plan_context(plan))

    def addressee_page(a, status=None, values=None, errors=None, import_errors=None):
        plan = get_plan(a.work_plan_id)
        ctx = plan_context(plan)
        if status:
            web.response.status = status
        return web.render("training_delivery/addressee.html", page_title=_("{a}: jawaban dan calon peserta", a=a.name),
                          a=a, people=nominees_of(plan, a.name).get(a.name, []), due=service.reply_due(a, current_app().calendar),
                          today=datetime.date.today(), candidate_schema=schemas.CandidateForm(), values=values or {},
                          status_labels=dict(ENROLMENT_STATUS),
                          errors=errors or {}, import_errors=import_errors or [],
                          can_edit=bool(ctx["step"] in (6, 7, 8) and a.sent_on and web.user().can(P + "replies")), **ctx)

    @router.get("/delivery/addressees/<addressee_id:int>", permission=P + "view")
    def addressee(addressee_id):
        return addressee_page(get_or_404(Addressee, addressee_id))

    @router.post("/delivery/addressees/<addressee_id:int>/reply", permission=P + "replies")
    def addressee_reply(addressee_id):
        a = get_or_404(Addressee, addressee_id)
        back = f"/delivery/addressees/{a.id}"
        data, errors = forms.validate(schemas.ReplyForm(), web.form())
        if errors:
            web.flash(_("{a}: {e}", a=a.name, e="; ".join(errors.values())), "error")
            web.redirect(back)
        act(back, lambda: service.record_reply(a, data["replied_on"], data.get("reply_ref")),
            _("Jawaban dari {a} dicatat.", a=a.name))

    @router.post("/delivery/addressees/<addressee_id:int>/candidates", permission=P + "replies")
    def addressee_candidate(addressee_id):
        a = get_or_404(Addressee, addressee_id)
        return submit_form(schemas.CandidateForm(), lambda data: (data["name"], service.add_candidate(a, data)),
                           lambda values, errors: addressee_page(a, 422, values, errors),
                           message=lambda added: _("Calon peserta {n} dari {a} didaftarkan pada angkatan.",
                                                   n=added[0], a=a.name),
                           to=f"/delivery/addressees/{a.id}", refusals=ERRORS)

    @router.post("/delivery/addressees/<addressee_id:int>/import", permission=P + "replies")
    def addressee_import(addressee_id):
        a = get_or_404(Addressee, addressee_id)
        upload = bottle.request.files.get("file")
        problems = []
        count = 0
        if upload is None or not (upload.raw_filename or "").strip():
            problems.append(_("Pilih berkas CSV atau XLSX."))
        else:
            try:
                rows = service.read_rows(upload.raw_filename, upload.file.read(5 * 1024 * 1024 + 1))
                for i, row in enumerate(rows, 2):
                    data, errors = forms.validate(schemas.CandidateForm(), row)
                    if errors:
                        problems.append(_("Baris {i}: {e}", i=i, e="; ".join(f"{k}: {v}" for k, v in errors.items())))
                        continue
                    try:
                        service.add_candidate(a, data)
                        count += 1
                    except ERRORS as exc:
                        problems.append(_("Baris {i}: {e}", i=i, e=str(exc)))
                if not rows:
                    problems.append(_("Tidak ada baris data."))
            except ERRORS as exc:
                problems.append(str(exc))
        if problems:   # all or nothing: 422 rolls back the rows already added
            return addressee_page(a, 422, import_errors=problems)
        web.flash(_("{n} calon peserta dari {a} diimpor.", n=count, a=a.name))
        web.redirect(f"/delivery/addressees/{a.id}")

    @router.post("/delivery/plans/<plan_id:int>/replies/close", permission=P + "replies")
    def replies_close(plan_id):
        plan = get_plan(plan_id)
        act(f"/delivery/plans/{plan.id}", lambda: service.close_replies(plan, web.user()),
            _("Penerimaan jawaban ditutup."))

    @router.get("/delivery/overdue", permission=P + "view")
    def overdue():
        rows = service.overdue_addressees(current_app().calendar, datetime.date.today())
        return web.render("training_delivery/overdue.html", page_title=_("Jawaban yang terlambat"), rows=rows,
                          cal=current_app().calendar, reply_due=service.reply_due)

    # ------------------------------------------------ meeting and training
    def meeting_form(plan, values=None, errors=None):
        if values is None:
            values = {"meeting_date": plan.meeting_date or "", "meeting_place": plan.meeting_place,
                      "meeting_attendees": plan.meeting_attendees or "\n".join(
                          m.name for m in service.members_of(plan)),
                      "meeting_minutes": plan.meeting_minutes}
        return web.render("training_delivery/meeting.html", schema=schemas.MeetingForm(), values=values,
                          errors=errors or {}, page_title=_("Rapat internal persiapan"), **plan_context(plan))

    @router.get("/delivery/plans/<plan_id:int>/meeting", permission=P + "view")
    def meeting(plan_id):
        return meeting_form(get_plan(plan_id))

    @router.post("/delivery/plans/<plan_id:int>/meeting", permission=P + "meeting")
    def meeting_save(plan_id):
        plan = get_plan(plan_id)
        return submit_form(schemas.MeetingForm(), lambda data: service.save_meeting(plan, data, web.user()),
                           lambda values, errors: meeting_form(plan, values, errors),
                           message=_("Hasil rapat tersimpan."), to=f"/delivery/plans/{plan.id}", refusals=ERRORS)

    @router.post("/delivery/plans/<plan_id:int>/training/done", permission=P + "meeting")
    def training_done(plan_id):
        plan = get_plan(plan_id)
        act(f"/delivery/plans/{plan.id}", lambda: service.finish_training(plan, web.user(), web.form().get("note", "")),
            _("Pelaksanaan pelatihan dicatat selesai."))

    # ------------------------------------------------ report
    def report_form(plan, values=None, errors=None):
        values = values or {"report_text": plan.report_text or service.assemble_report(plan)}
        return web.render("training_delivery/report.html", schema=schemas.ReportForm(), values=values,
                          errors=errors or {}, page_title=_("Laporan pelaksanaan"), **plan_context(plan))

    @router.get("/delivery/plans/<plan_id:int>/report", permission=P + "view")
    def report(plan_id):
        return report_form(get_plan(plan_id))

    @router.post("/delivery/plans/<plan_id:int>/report", permission=P + "report")
    def report_save(plan_id):
        plan = get_plan(plan_id)
        submitting = web.form().get("submit") == "1"

        def store(data):
            service.save_report(plan, data["report_text"])
            if submitting:
                service.submit_report(plan, web.user())
        return submit_form(schemas.ReportForm(), store, lambda values, errors: report_form(plan, values, errors),
                           message=_("Laporan disampaikan kepada Kepala Dinas.") if submitting else _("Laporan tersimpan."),
                           to=f"/delivery/plans/{plan.id}/report", refusals=ERRORS)

    @router.post("/delivery/plans/<plan_id:int>/report/assemble", permission=P + "report")
    def report_assemble(plan_id):
        plan = get_plan(plan_id)
        act(f"/delivery/plans/{plan.id}/report", lambda: service.save_report(plan, service.assemble_report(plan)),
            _("Laporan disusun ulang dari data yang tercatat."))

    @router.get("/delivery/plans/<plan_id:int>/report/print", permission=P + "view")
    def report_print(plan_id):
        plan = get_plan(plan_id)
        return web.render("training_delivery/report_print.html", page_title=_("Laporan pelaksanaan"), plan=plan,
                          text=plan.report_text or service.assemble_report(plan))

    @router.post("/delivery/plans/<plan_id:int>/report/receive", permission=P + "approve")
    def report_receive(plan_id):
        plan = get_plan(plan_id)
        act(f"/delivery/plans/{plan.id}", lambda: service.receive_report(plan, web.user()),
            _("Laporan diterima; kegiatan selesai."))

    # ------------------------------------------------ letter templates (admin)
    Screen(LetterTemplate, schemas.TemplateForm, base="/delivery/templates", view=P + "templates",
           edit=P + "templates", title=lazy("Templat surat"), template="training_delivery/templates",
           columns=[Column("kind", "Jenis", link=True, format=lambda k: dict(LETTER_KINDS).get(k, k)),
                    Column("title", "Perihal")],
           order=LetterTemplate.kind, label=lambda t: t.title).register(router)
