"""Screens of test events: the list, the schedule form, the event page, candidates and their
application (APL-01)."""
import bottle

from core.toolkit import (_, audit, current_app, forms, get_or_404, local_today, paginate, run_action, submit_form,
                          tracker, web)
from plugins.certification import schemas, service
from plugins.certification.models import (
    APPLICATION_DOCUMENTS,
    CONFIRM_STATES,
    EVENT_STATUS,
    Assessor,
    AssessorScheme,
    Candidate,
    CompetencyCertificate,
    EventAssessor,
    Scheme,
    TestEvent,
    Tuk,
)
from plugins.certification.routes import BASE, base_url, get_event, int_list
from plugins.certification.routes_papers import papers_of
from plugins.certification.service import CertError
from plugins.training.models import Batch, Person, Programme


def event_form_page(event=None, values=None, errors=None, assessor_ids=None, enrolment_ids=None, fresh_batch=False):
    values = values or {}
    batch_id = values.get("batch") or (event.batch_id if event else None)
    try:
        batch_id = int(batch_id) if batch_id else None
    except (TypeError, ValueError):
        batch_id = None
    grads = service.graduates(batch_id) if batch_id else []
    if enrolment_ids is None or fresh_batch:
        if event is not None and not fresh_batch:
            enrolment_ids = {c.enrolment_id for c in Candidate.select().where(Candidate.event == event)}
        else:
            enrolment_ids = {g.id for g in grads}
    manual = []
    if event is not None:
        manual = list(Candidate.select(Candidate, Person).join(Person)
                      .where((Candidate.event == event) & Candidate.enrolment.is_null()).order_by(Person.name))
    licensed = {}
    for a, s in AssessorScheme.select(AssessorScheme.assessor, AssessorScheme.scheme).tuples():
        licensed.setdefault(a, set()).add(s)
    try:
        scheme_id = int(values.get("scheme") or (event.scheme_id if event else 0))
    except (TypeError, ValueError):
        scheme_id = 0
    # the picker lists only assessors licensed for the chosen scheme (and any already ticked, to untick)
    assessors = [a for a in Assessor.select().order_by(Assessor.name)
                 if scheme_id in licensed.get(a.id, ()) or a.id in set(assessor_ids or [])] if scheme_id else []
    return web.render("certification/event_form.html", event=event, schema=schemas.EventForm(),
                      values=values, errors=errors or {}, assessors=assessors, licensed=licensed,
                      assessor_ids=set(assessor_ids or []), graduates=grads, enrolment_ids=set(enrolment_ids),
                      manual=manual, today=local_today(), scheme_chosen=bool(scheme_id),
                      ratio=service.options()["candidates_per_assessor"],
                      page_title=_("Ubah jadwal uji") if event else _("Jadwal uji kompetensi baru"))


def event_values(event):
    return {"scheme": event.scheme_id, "tuk": event.tuk_id, "date": event.date.isoformat(),
            "start_time": event.start_time.strftime("%H:%M"), "end_time": event.end_time.strftime("%H:%M"),
            "batch": event.batch_id or "", "notes": event.notes}


def save_event_form(event=None):
    raw = web.form()
    assessor_ids, enrolment_ids = int_list("assessor"), int_list("enrolment")
    if raw.get("load"):
        return event_form_page(event, raw, None, assessor_ids, enrolment_ids, fresh_batch=True)
    data, errors = forms.validate(schemas.EventForm(), raw)
    if not errors:
        data["start_time"], data["end_time"] = service.parse_time(data["start_time"]), service.parse_time(data["end_time"])
        try:
            event, errors = service.save_event(data, assessor_ids, enrolment_ids, web.user(), event,
                                               reason=raw.get("reopen_reason"))
        except (CertError, tracker.StepError) as exc:
            errors = {getattr(exc, "field", None) or "_form": str(exc)}
    if errors:
        web.response.status = 422
        return event_form_page(event if event and event.id else None, raw, errors, assessor_ids, enrolment_ids)
    web.flash(_("Jadwal uji tersimpan."))
    web.redirect(service.event_url(event))


def register(router):
    @router.get(BASE + "/events", permission="certification.view")
    def events_list():
        q = (TestEvent.select(TestEvent, Scheme, Tuk).join(Scheme).switch(TestEvent).join(Tuk)
             .order_by(TestEvent.date.desc(), TestEvent.id.desc()))
        status = web.query("status")
        if status in EVENT_STATUS:
            q = q.where(TestEvent.status == status)
        page = web.query_page()
        rows, has_next = paginate(q, page, 50)
        return web.render("certification/events.html", rows=rows, page=page, has_next=has_next, status=status,
                          statuses=EVENT_STATUS, page_title=_("Jadwal uji kompetensi"))

    @router.get(BASE + "/events/new", permission="certification.schedule")
    def event_new():
        values = {k: web.query(k) for k in ("batch", "scheme") if web.query(k)}
        return event_form_page(None, values)

    @router.post(BASE + "/events/new", permission="certification.schedule")
    def event_create():
        return save_event_form(None)

    @router.get(BASE + "/events/<event_id:int>/edit", permission="certification.schedule")
    def event_edit(event_id):
        event = get_event(event_id)
        ids = [ea.assessor_id for ea in EventAssessor.select().where(EventAssessor.event == event)]
        return event_form_page(event, event_values(event), None, ids)

    @router.post(BASE + "/events/<event_id:int>/edit", permission="certification.schedule")
    def event_update(event_id):
        return save_event_form(get_event(event_id))

    @router.get(BASE + "/events/<event_id:int>", permission="certification.view")
    def event_page(event_id):
        event = get_event(event_id)
        batch = (Batch.select(Batch, Programme).join(Programme).where(Batch.id == event.batch_id).first()
                 if event.batch_id else None)
        run = service.run_of(event)
        data = service.report(event)
        ticks = service.checklist(event)
        certs = {c.candidate_id: c for c in CompetencyCertificate.select().join(Candidate).where(Candidate.event == event)}
        return web.render("certification/event.html", event=event, batch=batch, run=run,
                          items=tracker.timeline(run) if run else [], no=service.current_no(event), data=data,
                          ready_done=sum(1 for _i, t in ticks if t and t.done), ready_total=len(ticks),
                          certs=certs, confirm_labels=CONFIRM_STATES,
                          invites=service.invitations(event, data["candidates"], base_url(),
                                                      current_app().config["institution"]),
                          show_nik=web.user().can("training.nik"),
                          history=audit.history(TestEvent.audit_type(), event.id),
                          papers=papers_of(event), applications=service.applications(event),
                          n_documents=len(APPLICATION_DOCUMENTS),
                          page_title=_("Uji kompetensi {s}", s=event.scheme.title))

    @router.get(BASE + "/events/<event_id:int>/candidates/new", permission="certification.schedule")
    def candidate_new(event_id):
        event = get_event(event_id)
        return web.render("certification/candidate_form.html", event=event, schema=schemas.CandidateForm(),
                          values={}, errors={}, page_title=_("Tambah peserta uji"))

    @router.post(BASE + "/events/<event_id:int>/candidates/new", permission="certification.schedule")
    def candidate_create(event_id):
        event = get_event(event_id)
        reason = web.form().get("reopen_reason")
        return submit_form(schemas.CandidateForm(), lambda data: service.add_manual_candidate(event, data, reason=reason),
                           lambda values, errors: web.render("certification/candidate_form.html", event=event,
                                                             schema=schemas.CandidateForm(), values=values,
                                                             errors=errors, page_title=_("Tambah peserta uji")),
                           message=_("Peserta ditambahkan."), to=service.event_url(event), refusals=(CertError,))

    def application_page(event, cand, values=None, errors=None):
        row, docs = service.application_of(cand)
        if values is None and row is not None:
            values = {"education": row.education, "institution": row.institution, "purpose": row.purpose,
                      "interview_notes": row.interview_notes}
        return web.render("certification/application.html", event=event, cand=cand, schema=schemas.ApplicationForm(),
                          values=values or {}, errors=errors or {}, docs=docs, kinds=APPLICATION_DOCUMENTS,
                          page_title=_("Permohonan (APL-01): {n}", n=cand.person.name))

    def get_candidate(event, cand_id):
        return get_or_404(Candidate, cand_id, Candidate.select(Candidate, Person).join(Person)
                          .where(Candidate.event == event))

    @router.get(BASE + "/events/<event_id:int>/candidates/<cand_id:int>/application", permission="certification.view")
    def application(event_id, cand_id):
        event = get_event(event_id)
        return application_page(event, get_candidate(event, cand_id))

    @router.post(BASE + "/events/<event_id:int>/candidates/<cand_id:int>/application",
                 permission="certification.schedule")
    def application_save(event_id, cand_id):
        event = get_event(event_id)
        cand = get_candidate(event, cand_id)
        app = current_app()
        uploads, upload_errors = {}, {}
        for kind, _label in APPLICATION_DOCUMENTS:
            upload = bottle.request.files.get(f"doc_{kind}")
            if upload is not None and (upload.raw_filename or "").strip():
                try:
                    uploads[kind] = tracker.store_upload(app, upload)
                except tracker.StepError as exc:
                    upload_errors[f"doc_{kind}"] = str(exc)

        def save(data):
            if upload_errors:
                raise CertError(next(iter(upload_errors.values())), next(iter(upload_errors)))
            return service.save_application(cand, data, uploads, web.user())
        return submit_form(schemas.ApplicationForm(), save, lambda values, errors: application_page(event, cand, values, errors),
                           message=_("Permohonan (APL-01) tersimpan."), to=service.event_url(event),
                           refusals=(CertError,))

    @router.post(BASE + "/events/<event_id:int>/candidates/<cand_id:int>/delete", permission="certification.schedule")
    def candidate_delete(event_id, cand_id):
        event = get_event(event_id)
        cand = get_or_404(Candidate, cand_id, Candidate.select().where(Candidate.event == event))
        run_action(lambda: service.delete_candidate(event, cand, web.form().get("reopen_reason")),
                   service.event_url(event), _("Peserta dihapus dari uji ini."))
