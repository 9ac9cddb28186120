"""Screens of the ``certification`` plugin: reference data (schemes, TUK,
assessors), test events and their SOP steps, the public confirmation link,
berita acara, recommendation to the LSP, certificates."""
import datetime

import bottle
import peewee

from core.toolkit import (Column, Filter, Screen, _, audit, current_app, db, forms, lazy, paginate,
                          run_action, submit_form, tabular, tracker, web)
from plugins.certification import schemas, service
from plugins.certification.models import (CHECK_CATEGORIES, CONFIRM_STATES, EVENT_STATUS, SCHEME_KINDS, TUK_KINDS,
                                          Assessor, AssessorScheme, Candidate, CompetencyCertificate, ChecklistItem,
                                          ChecklistTick, EventAssessor, Scheme, SchemeUnit, TestEvent, Tuk)
from plugins.certification.service import CertError
from plugins.training.models import Batch, Person, Programme

BASE = "/certification"
STATUS_LABELS = dict(EVENT_STATUS)


def get_event(event_id):
    event = (TestEvent.select(TestEvent, Scheme, Tuk).join(Scheme).switch(TestEvent).join(Tuk)
             .where(TestEvent.id == event_id).first())
    if event is None:
        raise web.NotFound(_("Jadwal uji tidak ditemukan."))
    return event


def back_with_error(exc, path):
    web.flash(str(exc), "error")
    web.redirect(path)


def int_list(key):
    out = []
    for value in web.form_list(key):
        try:
            out.append(int(value))
        except ValueError:
            pass
    return out


def register(router):
    register_reference(router)
    register_events(router)
    register_steps(router)
    register_documents(router)
    register_public(router)


# ---------------------------------------------------------------- reference data

def register_reference(router):
    kinds, tuk_kinds = dict(SCHEME_KINDS), dict(TUK_KINDS)

    def scheme_extra(scheme):
        return {"units": list(SchemeUnit.select().where(SchemeUnit.scheme == scheme).order_by(SchemeUnit.code)),
                "items": list(ChecklistItem.select().where(ChecklistItem.scheme == scheme)
                              .order_by(ChecklistItem.category, ChecklistItem.id)),
                "categories": dict(CHECK_CATEGORIES), "unit_form": schemas.UnitForm(),
                "item_form": schemas.ChecklistItemForm(), "kind_label": kinds.get(scheme.kind, scheme.kind)}

    Screen(Scheme, schemas.SchemeForm, base=f"{BASE}/schemes", view="certification.view", edit="certification.manage",
           title=lazy("Skema sertifikasi"), template="certification/scheme",
           columns=[Column("code", lazy("Kode"), link=True), Column("number", lazy("Nomor skema")),
                    Column("title", lazy("Judul")), Column("kind", lazy("Jenis"), format=lambda v: kinds.get(v, v)),
                    Column("validity_years", lazy("Masa berlaku (tahun)"))],
           search=[Scheme.code, Scheme.title, Scheme.number],
           filters=[Filter("kind", lazy("Jenis"), Scheme.kind, SCHEME_KINDS)],
           order=[Scheme.title], label=str, detail_extra=scheme_extra).register(router)

    def scheme_child(scheme_id, schema, model, what):
        scheme = Scheme.get_or_none(Scheme.id == scheme_id)
        if scheme is None:
            raise web.NotFound()
        data, errors = forms.validate(schema(), web.form())
        if errors:
            web.flash(_("{w} belum disimpan: {e}", w=what, e="; ".join(f"{k}: {v}" for k, v in errors.items())), "error")
            web.redirect(f"{BASE}/schemes/{scheme.id}")
        try:
            with db.write():
                audit.create(model, scheme=scheme, **data)
        except peewee.IntegrityError:
            web.flash(_("Kode unit sudah ada pada skema ini."), "error")
            web.redirect(f"{BASE}/schemes/{scheme.id}")
        web.flash(_("{w} ditambahkan.", w=what))
        web.redirect(f"{BASE}/schemes/{scheme.id}")

    @router.post(BASE + "/schemes/<scheme_id:int>/units", permission="certification.manage")
    def scheme_unit_add(scheme_id):
        scheme_child(scheme_id, schemas.UnitForm, SchemeUnit, _("Unit kompetensi"))

    @router.post(BASE + "/schemes/<scheme_id:int>/checklist", permission="certification.manage")
    def scheme_item_add(scheme_id):
        scheme_child(scheme_id, schemas.ChecklistItemForm, ChecklistItem, _("Butir kesiapan"))

    @router.post(BASE + "/schemes/<scheme_id:int>/units/<unit_id:int>/delete", permission="certification.manage")
    def scheme_unit_delete(scheme_id, unit_id):
        unit = SchemeUnit.get_or_none((SchemeUnit.id == unit_id) & (SchemeUnit.scheme == scheme_id))
        if unit is None:
            raise web.NotFound()
        try:
            with db.write():
                audit.delete(unit)
        except peewee.IntegrityError:
            web.flash(_("Unit ini sudah dipakai dalam hasil uji; tidak dapat dihapus."), "error")
        web.redirect(f"{BASE}/schemes/{scheme_id}")

    @router.post(BASE + "/schemes/<scheme_id:int>/checklist/<item_id:int>/delete", permission="certification.manage")
    def scheme_item_delete(scheme_id, item_id):
        item = ChecklistItem.get_or_none((ChecklistItem.id == item_id) & (ChecklistItem.scheme == scheme_id))
        if item is None:
            raise web.NotFound()
        with db.write():
            for tick in ChecklistTick.select().where(ChecklistTick.item == item):
                audit.delete(tick)
            audit.delete(item)
        web.redirect(f"{BASE}/schemes/{scheme_id}")

    Screen(Tuk, schemas.TukForm, base=f"{BASE}/tuks", view="certification.view", edit="certification.manage",
           title=lazy("Tempat Uji Kompetensi (TUK)"),
           columns=[Column("name", lazy("Nama TUK"), link=True),
                    Column("kind", lazy("Jenis"), format=lambda v: tuk_kinds.get(v, v)),
                    Column("capacity", lazy("Kapasitas")), Column("head_name", lazy("Kepala TUK")),
                    Column("address", lazy("Alamat"), sortable=False)],
           search=[Tuk.name, Tuk.address], order=[Tuk.name], label=str).register(router)

    def assessor_extra(assessor):
        licensed = {s for (s,) in AssessorScheme.select(AssessorScheme.scheme)
                    .where(AssessorScheme.assessor == assessor).tuples()}
        return {"schemes": list(Scheme.select().order_by(Scheme.title)), "licensed": licensed,
                "expired": assessor.met_expiry < datetime.date.today()}

    Screen(Assessor, schemas.AssessorForm, base=f"{BASE}/assessors", view="certification.view",
           edit="certification.manage", title=lazy("Asesor kompetensi"), template="certification/assessor",
           columns=[Column("name", lazy("Nama"), link=True), Column("met_number", lazy("No. registrasi MET")),
                    Column("met_expiry", lazy("MET berlaku sampai"))],
           search=[Assessor.name, Assessor.met_number], order=[Assessor.name], label=str,
           detail_extra=assessor_extra).register(router)

    @router.post(BASE + "/assessors/<assessor_id:int>/schemes", permission="certification.manage")
    def assessor_schemes(assessor_id):
        assessor = Assessor.get_or_none(Assessor.id == assessor_id)
        if assessor is None:
            raise web.NotFound()
        chosen = set(int_list("scheme")) & {s.id for s in Scheme.select(Scheme.id)}
        with db.write():
            for row in AssessorScheme.select().where(AssessorScheme.assessor == assessor):
                if row.scheme_id not in chosen:
                    audit.delete(row)
                else:
                    chosen.discard(row.scheme_id)
            for sid in sorted(chosen):
                audit.create(AssessorScheme, assessor=assessor, scheme=sid)
        web.flash(_("Skema yang boleh diases tersimpan."))
        web.redirect(f"{BASE}/assessors/{assessor.id}")


# ---------------------------------------------------------------- events

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
    assessors = list(Assessor.select().order_by(Assessor.name))
    licensed = {}
    for a, s in AssessorScheme.select(AssessorScheme.assessor, AssessorScheme.scheme).tuples():
        licensed.setdefault(a, set()).add(s)
    return web.render("certification/event_form.html", event=event, schema=schemas.EventForm(),
                      values=values, errors=errors or {}, assessors=assessors, licensed=licensed,
                      assessor_ids=set(assessor_ids or []), graduates=grads, enrolment_ids=set(enrolment_ids),
                      manual=manual, today=datetime.date.today(),
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


def register_events(router):
    @router.get(BASE + "/events", permission="certification.view")
    def events_list():
        q = (TestEvent.select(TestEvent, Scheme, Tuk).join(Scheme).switch(TestEvent).join(Tuk)
             .order_by(TestEvent.date.desc(), TestEvent.id.desc()))
        status = web.query("status")
        if status in STATUS_LABELS:
            q = q.where(TestEvent.status == status)
        page = web.query_page()
        rows, has_next = paginate(q, page, 50)
        return web.render("certification/events.html", rows=rows, page=page, has_next=has_next, status=status,
                          statuses=EVENT_STATUS, page_title=_("Jadwal uji kompetensi"))

    @router.get(BASE + "/events/new", permission="certification.schedule")
    def event_new():
        values = {"batch": web.query("batch")} if web.query("batch") else {}
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
                          certs=certs, confirm_labels=dict(CONFIRM_STATES), status_labels=STATUS_LABELS,
                          base_url=(current_app().config["base_url"]      # else this host: a link a candidate can open
                                    or "{0.scheme}://{0.netloc}".format(bottle.request.urlparts)).rstrip("/"),
                          show_nik=web.user().can("training.nik"),
                          history=audit.history(TestEvent.audit_type(), event.id),
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

    @router.post(BASE + "/events/<event_id:int>/candidates/<cand_id:int>/delete", permission="certification.schedule")
    def candidate_delete(event_id, cand_id):
        event = get_event(event_id)
        cand = Candidate.get_or_none((Candidate.id == cand_id) & (Candidate.event == event))
        if cand is None:
            raise web.NotFound()
        try:
            with db.write():
                service.require_open_until(event, 4, _("Peserta tidak dapat dihapus setelah pelaksanaan uji dimulai."),
                                           web.form().get("reopen_reason"), "hapus peserta")
                service.remove_candidate(cand)
        except CertError as exc:
            back_with_error(exc, service.event_url(event))
        web.flash(_("Peserta dihapus dari uji ini."))
        web.redirect(service.event_url(event))


# ---------------------------------------------------------------- SOP steps on the event page

def register_steps(router):
    def act(event, fn, done_message):
        # In a savepoint: a refusal undoes what the action wrote, and is shown on the event page.
        return run_action(fn, service.event_url(event), done_message, (CertError, tracker.StepError))

    @router.post(BASE + "/events/<event_id:int>/confirm", permission="certification.confirm")
    def confirm(event_id):
        event = get_event(event_id)
        f = web.form()
        try:
            row_id = int(f.get("row") or 0)
        except ValueError:
            row_id = 0
        model = EventAssessor if f.get("kind") == "assessor" else Candidate
        row = model.get_or_none((model.id == row_id) & (model.event == event))
        if row is None:
            raise web.NotFound()
        act(event, lambda: service.confirm_row(event, row, f.get("state", ""), f.get("reopen_reason")),
            _("Konfirmasi dicatat."))

    @router.post(BASE + "/events/<event_id:int>/step1", permission="certification.confirm")
    def step1(event_id):
        event = get_event(event_id)

        def do():
            pending = [r.assessor.name for r in service.report(event)["assessors"] if r.confirmation != "confirmed"]
            if pending:
                raise CertError(_("Asesor belum mengonfirmasi kesediaan: {n}.", n=", ".join(pending)))
            service.complete_step(event, 1, web.user(), notes=web.form().get("notes", "") or
                                  _("Jadwal didistribusikan; asesor sudah mengonfirmasi."))
        act(event, do, _("Langkah 1 selesai: jadwal didistribusikan dan asesor terkonfirmasi."))

    @router.post(BASE + "/events/<event_id:int>/step3", permission="certification.confirm")
    def step3(event_id):
        event = get_event(event_id)
        act(event, lambda: service.complete_step(event, 3, web.user(), notes=web.form().get("notes", "") or
                                                 _("Informasi kesiapan diterima; peserta dihubungi dan diingatkan.")),
            _("Langkah 3 selesai."))

    @router.post(BASE + "/events/<event_id:int>/step4", permission="certification.confirm")
    def step4(event_id):
        event = get_event(event_id)

        def do():
            pending = [c.person.name for c in service.report(event)["candidates"] if c.confirmation == "pending"]
            if pending:
                raise CertError(_("Peserta belum konfirmasi: {n}.", n=", ".join(pending)))
            service.complete_step(event, 4, web.user(), notes=web.form().get("notes", "") or
                                  _("Konfirmasi peserta lengkap."))
        act(event, do, _("Langkah 4 selesai: konfirmasi peserta lengkap."))

    @router.get(BASE + "/events/<event_id:int>/readiness", permission="certification.view")
    def readiness(event_id):
        event = get_event(event_id)
        return web.render("certification/readiness.html", event=event, rows=service.checklist(event),
                          categories=dict(CHECK_CATEGORIES), no=service.current_no(event),
                          page_title=_("Kesiapan sarana dan prasarana"))

    @router.post(BASE + "/events/<event_id:int>/readiness", permission="certification.readiness")
    def readiness_save(event_id):
        event = get_event(event_id)
        f, app = web.form(), current_app()

        def do():
            rows = {}
            for item, _tick in service.checklist(event):
                photo = None
                upload = bottle.request.files.get(f"photo_{item.id}")
                if upload is not None and (upload.raw_filename or "").strip():
                    photo = tracker.store_upload(app, upload)
                rows[item.id] = (bool(f.get(f"done_{item.id}")), f.get(f"notes_{item.id}", ""), photo)
            if service.save_readiness(event, web.user(), rows, reason=f.get("reopen_reason")):
                web.flash(_("Semua sarana siap: langkah 2 selesai."))
        try:
            do()
        except (CertError, tracker.StepError) as exc:
            back_with_error(exc, f"{service.event_url(event)}/readiness")
        web.flash(_("Kesiapan sarana tersimpan."))
        web.redirect(f"{service.event_url(event)}/readiness")

    @router.get(BASE + "/photos/<tick_id:int>", permission="certification.view")
    def photo(tick_id):
        tick = ChecklistTick.get_or_none(ChecklistTick.id == tick_id)
        if tick is None or not tick.photo_sha256:
            raise web.NotFound()
        app = current_app()
        return bottle.static_file(tick.photo_sha256, root=f"{app.config['upload_dir']}/{tick.photo_sha256[:2]}",
                                  mimetype=tick.photo_type or "application/octet-stream", download=tick.photo_name)

    @router.get(BASE + "/events/<event_id:int>/results", permission="certification.view")
    def results(event_id):
        event = get_event(event_id)
        return results_page(event)

    def results_page(event, errors=None):
        units = list(SchemeUnit.select().where(SchemeUnit.scheme == event.scheme_id).order_by(SchemeUnit.code))
        data = service.report(event)
        values = {(r.candidate_id, r.unit_id): r.result for r in
                  service.UnitResult.select().join(Candidate).where(Candidate.event == event)}
        return web.render("certification/results.html", event=event, units=units, data=data, values=values,
                          no=service.current_no(event), errors=errors or {},
                          page_title=_("Kehadiran dan hasil uji"))

    @router.post(BASE + "/events/<event_id:int>/results", permission="certification.assess")
    def results_save(event_id):
        event = get_event(event_id)
        f = web.form()
        tri = {"1": True, "0": False, "": None}
        presence, assessors, units, recs = {}, {}, {}, {}
        for key, value in f.items():
            value = value if isinstance(value, str) else value[-1]
            parts = key.split("_")
            try:
                if parts[0] == "present" and len(parts) == 2 and value in tri:
                    presence[int(parts[1])] = tri[value]
                elif parts[0] == "asr" and len(parts) == 2 and value in tri:
                    assessors[int(parts[1])] = tri[value]
                elif parts[0] == "unit" and len(parts) == 3 and value in ("", "K", "BK"):
                    units[(int(parts[1]), int(parts[2]))] = value
                elif parts[0] == "rec" and len(parts) == 2:
                    if forms.TAG.search(value or ""):
                        web.response.status = 422
                        return results_page(event, {"_form": _("Tidak boleh berisi tag HTML (< >).")})
                    recs[int(parts[1])] = value.strip()
            except ValueError:
                continue
        try:
            service.save_results(event, web.user(), presence, assessors, units, recs, reason=f.get("reopen_reason"))
            if f.get("finish"):
                service.finish_test(event, web.user(), notes=f.get("notes", ""))
                web.flash(_("Langkah 5 selesai: uji kompetensi dilaksanakan."))
        except (CertError, tracker.StepError) as exc:
            back_with_error(exc, f"{service.event_url(event)}/results")
        web.flash(_("Kehadiran dan hasil tersimpan."))
        web.redirect(f"{service.event_url(event)}/results")

    @router.post(BASE + "/events/<event_id:int>/sign", permission="certification.sign")
    def sign(event_id):
        event = get_event(event_id)
        f = web.form()
        data, errors = forms.validate(schemas.SignForm(), f)
        path = f"{service.event_url(event)}/report"
        if errors:
            back_with_error(CertError(next(iter(errors.values()))), path)
        try:
            assessor_id = int(f.get("assessor") or 0) or None
        except ValueError:
            assessor_id = None
        try:
            done = service.sign(event, web.user(), f.get("role", ""), assessor_id, data.get("name") or "",
                                data.get("nip") or "")
        except (CertError, tracker.StepError) as exc:
            back_with_error(exc, path)
        web.flash(_("Berita acara ditandatangani.") + (" " + _("Langkah 6 selesai.") if done else ""))
        web.redirect(path)

    @router.post(BASE + "/events/<event_id:int>/review", permission="certification.review")
    def review(event_id):
        event = get_event(event_id)
        f = web.form()
        approve = f.get("decision") == "approve"
        try:
            service.review(event, web.user(), approve, f.get("reason", ""))
        except (CertError, tracker.StepError) as exc:
            back_with_error(exc, f"{service.event_url(event)}/report")
        web.flash(_("Hasil uji disetujui: langkah 7 selesai.") if approve
                  else _("Dikembalikan ke langkah 6 dengan alasan; tanda tangan berita acara dibatalkan."),
                  "success" if approve else "info")
        web.redirect(service.event_url(event))

    @router.post(BASE + "/events/<event_id:int>/archive", permission="certification.archive")
    def archive(event_id):
        event = get_event(event_id)
        act(event, lambda: service.archive(event, web.user(), web.form().get("notes", "")),
            _("Berkas uji diarsipkan. Perubahan selanjutnya memerlukan alasan."))

    @router.post(BASE + "/events/<event_id:int>/certificates", permission="certification.certificates")
    def certificates_issue(event_id):
        event = get_event(event_id)
        data, errors = forms.validate(schemas.IssueForm(), web.form())
        if errors:
            back_with_error(CertError(_("Tanggal terbit: {e}", e=errors.get("issued_on"))), service.event_url(event))
        try:
            n = service.issue_certificates(event, data["issued_on"])
        except CertError as exc:
            back_with_error(exc, service.event_url(event))
        web.flash(_("{n} sertifikat dicatat.", n=n))
        web.redirect(service.event_url(event))

    @router.get(BASE + "/unconfirmed", permission="certification.view")
    def unconfirmed():
        assessors, candidates = service.unconfirmed()
        return web.render("certification/unconfirmed.html", assessors=assessors, candidates=candidates,
                          page_title=_("Belum konfirmasi"))

    @router.post(BASE + "/unconfirmed/remind", permission="certification.confirm")
    def remind():
        n = service.remind_unconfirmed(current_app())
        web.flash(_("{n} pengingat baru dibuat.", n=n))
        web.redirect(f"{BASE}/unconfirmed")


# ---------------------------------------------------------------- documents and certificates

def register_documents(router):
    @router.get(BASE + "/events/<event_id:int>/report", permission="certification.view")
    def report(event_id):
        event = get_event(event_id)
        user = web.user()
        data = service.report(event)
        return web.render("certification/report.html", event=event, data=data, no=service.current_no(event),
                          show_nik=user.can("training.nik"), page_title=_("Berita acara uji kompetensi"),
                          signable=[ea for ea in data["assessors"] if ea.present
                                    and ea.assessor_id not in data["assessor_signed"]
                                    and (not ea.assessor.user_id or ea.assessor.user_id == user.id)])

    def recommendation_table(event):
        header = [_("No"), _("NIK"), _("Nama"), _("Jenis kelamin"), _("Hasil"), _("Rekomendasi"), _("Catatan asesor")]
        rows = []
        for i, c in enumerate(service.recommendation_rows(event), 1):
            rows.append([i, c.person.nik if web.user().can("training.nik") else c.person.nik_masked, c.person.name,
                         c.person.sex, c.result,
                         _("Direkomendasikan untuk diterbitkan sertifikat") if c.result == "K"
                         else _("Belum direkomendasikan"), c.recommendation])
        return header, rows

    @router.get(BASE + "/events/<event_id:int>/recommendation", permission="certification.view")
    def recommendation(event_id):
        event = get_event(event_id)
        header, rows = recommendation_table(event)
        filename = f"rekomendasi-lsp-{event.id}"
        if web.query("format") in ("csv", "xlsx"):
            opts = service.options()
            preamble = [[_("Rekomendasi penerbitan sertifikat kepada {l}", l=opts["lsp_name"])],
                        [_("Skema"), f"{event.scheme.number} — {event.scheme.title}"],
                        [_("Tanggal uji"), event.date.isoformat()], [_("TUK"), event.tuk.name], []]
            # The CSV keeps its plain shape (header + rows); the workbook carries the letter's heading.
            return tabular.download(web.query("format"), filename, header, rows, title="Rekomendasi",
                                    preamble=preamble if web.query("format") == "xlsx" else ())
        return web.render("certification/recommendation.html", event=event, header=header, rows=rows,
                          lsp=service.options(), page_title=_("Rekomendasi ke LSP"))

    @router.get(BASE + "/certificates", permission="certification.view")
    def certificates():
        q = service.certificates_query().order_by(CompetencyCertificate.issued_on.desc(), CompetencyCertificate.id.desc())
        text = web.query("q").strip()[:100]
        if text:
            q = q.where(CompetencyCertificate.number.contains(text) | Person.name.contains(text))
        page = web.query_page()
        rows, has_next = paginate(q, page, 50)
        return web.render("certification/certificates.html", rows=rows, page=page, has_next=has_next, q=text,
                          days=None, page_title=_("Sertifikat kompetensi"))

    @router.get(BASE + "/certificates/expiring", permission="certification.view")
    def certificates_expiring():
        days = web.query("days", "30")
        days = int(days) if days in ("30", "60", "90") else 30
        return web.render("certification/certificates.html", rows=service.expiring(days), page=1, has_next=False,
                          q="", days=days, page_title=_("Sertifikat habis berlaku dalam {n} hari", n=days))


# ---------------------------------------------------------------- the candidate's own confirmation

def register_public(router):
    def page(cand, state, status=200, message=None):
        web.response.status = status
        return web.render("certification/confirm.html", cand=cand, state=state, message=message,
                          page_title=_("Konfirmasi uji kompetensi"))

    @router.get("/confirm/<token>", public=True)
    def confirm_form(token):
        cand = service.candidate_by_token(token)
        if cand is None:
            return page(None, "unknown", 404)
        if cand.confirmation != "pending":
            return page(cand, "used")
        return page(cand, "open")

    @router.post("/confirm/<token>", public=True)
    def confirm_save(token):
        state = "declined" if web.form().get("answer") == "no" else "confirmed"
        try:
            service.confirm_by_token(token, state)
        except CertError as exc:
            cand = service.candidate_by_token(token)
            return page(cand, "unknown" if cand is None else "used", 404 if cand is None else 409, str(exc))
        return page(service.candidate_by_token(token), "done")
