"""Screens of the SOP steps of a test event: confirmations (steps 1, 4), readiness (step 2),
attendance and results (step 5), berita acara signatures (step 6), review (step 7), archive (step 8)."""

import bottle

from core.toolkit import _, current_app, forms, grid, lazy, run_action, submit_form, tracker, web
from plugins.certification import schemas, service
from plugins.certification.models import (
    Candidate,
    ChecklistTick,
    EventAssessor,
    SchemeUnit,
    UnitResult,
)
from plugins.certification.routes import BASE, get_event
from plugins.certification.service import CertError

# ---------------------------------------------------------------- SOP steps on the event page

PRESENCE = forms.Choice([("1", lazy("Hadir")), ("0", lazy("Tidak hadir"))])
PRESENCE_VALUE = {"1": True, "0": False, None: None}
UNIT_RESULT = forms.Choice([("K", lazy("K")), ("BK", lazy("BK"))])
TRI = {True: "1", False: "0", None: None}


def results_grids(event):
    """The candidate × (attendance, units K/BK, recommendation) grid and the assessors' attendance grid."""
    data = service.report(event)
    units = list(SchemeUnit.select().where(SchemeUnit.scheme == event.scheme_id).order_by(SchemeUnit.code))
    initial = {(r.candidate_id, f"u{r.unit_id}"): r.result for r in
               UnitResult.select().join(Candidate).where(Candidate.event == event)}
    for c in data["candidates"]:
        initial[(c.id, "present")] = TRI[c.present]
        initial[(c.id, "rec")] = c.recommendation or None
    unit_cols = [f"u{u.id}" for u in units]

    def row_check(_row, values):
        if values.get("present") == "0" and any(values.get(k) for k in unit_cols):
            return {next(k for k in unit_cols if values.get(k)): _("Peserta tidak hadir tidak dapat diberi hasil.")}
        if values.get("present") is None and any(values.get(k) for k in unit_cols):
            return {"present": _("Isi kehadiran lebih dahulu.")}
        return {}
    columns = ([grid.GridColumn("present", _("Kehadiran"), PRESENCE)]
               + [grid.GridColumn(f"u{u.id}", f"{i}", UNIT_RESULT, title=f"{u.code} — {u.title}")
                  for i, u in enumerate(units, 1)]
               + [grid.GridColumn("rec", _("Rekomendasi asesor"), forms.String(max_length=2000))])
    candidates = grid.Grid("hasil", [grid.GridRow(c.id, c.person.name) for c in data["candidates"]], columns,
                           initial=initial, row_check=row_check, caption=_("Hasil per unit kompetensi (K/BK)"))
    candidates.units = units
    assessors = grid.Grid("asesor", [grid.GridRow(ea.id, ea.assessor.name) for ea in data["assessors"]],
                          [grid.GridColumn("present", _("Kehadiran"), PRESENCE)],
                          initial={(ea.id, "present"): TRI[ea.present] for ea in data["assessors"]},
                          caption=_("Kehadiran asesor"))
    return candidates, assessors



def readiness_page(event, values=None, errors=None):
    """The checklist of step 2; after a refusal, the entered ticks and notes (``values``) with the messages."""
    # another TUK's head sees the checklist without its form (only the head linked to the event's TUK fills it)
    return web.render("certification/readiness.html", event=event, rows=service.checklist(event),
                      no=service.current_no(event), values=values, other_head=bool(service.readiness_refusal(event, web.user())),
                      errors=errors or {}, page_title=_("Kesiapan sarana dan prasarana"))


def register(router):
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

    # Steps 1, 3 and 4 are done by the administration from the event's page, each with a default note. Their
    # rules (every assessor confirmed; every candidate answered, every APL-01 complete) are the steps'
    # tracker guards, so the run page enforces them too.
    plain_steps = {
        1: (lambda: _("Jadwal didistribusikan; asesor sudah mengonfirmasi."),
            lambda: _("Langkah 1 selesai: jadwal didistribusikan dan asesor terkonfirmasi.")),
        3: (lambda: _("Informasi kesiapan diterima; peserta dihubungi dan diingatkan."), lambda: _("Langkah 3 selesai.")),
        4: (lambda: _("Konfirmasi peserta lengkap."), lambda: _("Langkah 4 selesai: konfirmasi peserta lengkap.")),
    }

    def step_handler(no, note, done):
        def complete(event_id):
            event = get_event(event_id)
            act(event, lambda: service.complete_step(event, no, web.user(), notes=web.form().get("notes", "") or note()),
                done())
        return complete

    for no, (note, done) in plain_steps.items():
        router.post(BASE + f"/events/<event_id:int>/step{no}", permission="certification.confirm",
                    name=f"certification.step{no}")(step_handler(no, note, done))

    @router.get(BASE + "/events/<event_id:int>/readiness", permission="certification.view")
    def readiness(event_id):
        return readiness_page(get_event(event_id))

    @router.post(BASE + "/events/<event_id:int>/readiness", permission="certification.readiness")
    def readiness_save(event_id):
        event = get_event(event_id)
        raw, app = web.form(), current_app()

        def save(data):
            rows = {}
            for item, _tick in service.checklist(event):
                photo = None
                upload = bottle.request.files.get(f"photo_{item.id}")
                if upload is not None and (upload.raw_filename or "").strip():
                    try:
                        photo = tracker.store_upload(app, upload)
                    except tracker.StepError as exc:        # the file's problem, next to its field
                        raise CertError(str(exc), f"photo_{item.id}")
                rows[item.id] = (bool(raw.get(f"done_{item.id}")), raw.get(f"notes_{item.id}", ""), photo)
            if service.save_readiness(event, web.user(), rows, reason=data.get("reopen_reason")):
                return _("Semua sarana siap: langkah 2 selesai.")
            if service.current_no(event) == 2 and all(t is not None and t.done for _i, t in service.checklist(event)):
                return _("Kesiapan sarana tersimpan. Semua sarana siap dan Anda tandatangani; menunggu Teknis Operasional.")
            return _("Kesiapan sarana tersimpan.")
        return submit_form(schemas.ReadinessForm(), save, lambda values, errors: readiness_page(event, values, errors),
                           message=lambda text: text, to=f"{service.event_url(event)}/readiness",
                           refusals=(CertError, tracker.StepError), form=raw)

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
        return results_page(event, *results_grids(event))

    def results_page(event, candidates_grid, assessors_grid, form_error=""):
        data = service.report(event)
        return web.render("certification/results.html", event=event, data=data, no=service.current_no(event),
                          grid=candidates_grid, assessors_grid=assessors_grid, form_error=form_error,
                          page_title=_("Kehadiran dan hasil uji"))

    @router.post(BASE + "/events/<event_id:int>/results", permission="certification.assess")
    def results_save(event_id):
        event = get_event(event_id)
        f = web.form()
        cands, asrs = results_grids(event)
        values, errors = cands.parse(f)
        asr_values, asr_errors = asrs.parse(f)
        if errors or asr_errors:
            web.response.status = 422
            return results_page(event, cands, asrs)
        presence = {c: PRESENCE_VALUE[v] for (c, col), v in values.items() if col == "present"}
        units = {(c, int(col[1:])): v or "" for (c, col), v in values.items() if col.startswith("u")}
        recs = {c: v or "" for (c, col), v in values.items() if col == "rec"}
        assessors = {a: PRESENCE_VALUE[v] for (a, _col), v in asr_values.items()}
        try:
            service.save_results(event, web.user(), presence, assessors, units, recs, reason=f.get("reopen_reason"))
            closed = service.finish_test(event, web.user(), notes=f.get("notes", "")) if f.get("finish") else None
        except (CertError, tracker.StepError) as exc:
            web.response.status = 422
            return results_page(event, cands, asrs, str(exc))
        web.flash(_("Kehadiran dan hasil tersimpan.") if closed is None
                  else _("Langkah 5 selesai: uji kompetensi dilaksanakan.") if closed
                  else _("Pelaksanaan uji Anda tandatangani; menunggu peran lain pada langkah 5."))
        web.redirect(f"{service.event_url(event)}/results")

    @router.post(BASE + "/events/<event_id:int>/archive", permission="certification.archive")
    def archive(event_id):
        event = get_event(event_id)
        act(event, lambda: service.archive(event, web.user(), web.form().get("notes", "")),
            _("Berkas uji diarsipkan. Perubahan selanjutnya memerlukan alasan."))

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
