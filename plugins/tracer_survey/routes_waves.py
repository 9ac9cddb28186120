"""Screens of the waves: the list, a wave's page and roster (step 1), and the imports of
a roster or of answers from a spreadsheet (step 7)."""
import bottle

from core.toolkit import _, audit, current_app, db, run_action, tracker, web
from plugins.tracer_survey import schemas, service
from plugins.tracer_survey.routes import step_if_open, wave_or_404
from plugins.training.models import Batch, Programme

MAX_UPLOAD = 5 * 1024 * 1024


class _WaveView:
    """The few wave fields wave_state needs, from a recap row."""
    def __init__(self, row):
        self.closed_at, self.closes_on, self.opens_on = row["closed_at"], row["closes_on"], row["opens_on"]


def wave_page(wave, share_values=None, share_errors=None):
    """A wave's page; ``share_*`` re-show the "share vacancies" form with its errors."""
    app, u = current_app(), web.user()
    today = service.local_today(app)
    run = service.run_of(wave)
    alumni = service.roster(wave)
    return web.render("tracer_survey/wave.html", page_title=service.wave_title(wave), wave=wave,
                      period=service.caturwulan_label(wave.closes_on),
                      state=service.wave_state(wave, today), state_labels=service.STATE_LABELS,
                      run=run, items=tracker.timeline(run) if run else [], alumni=alumni,
                      answered=sum(1 for a in alumni if a.answer), status_labels=schemas.STATUS,
                      vacancies=service.open_vacancies(today), share_schema=schemas.ShareForm(),
                      share_values=share_values or {}, share_errors=share_errors or {},
                      chosen={str(v) for v in (share_values or {}).get("vacancy", [])},
                      show_nik=u.can("training.nik"), can_manage=u.can("tracer_survey.manage"),
                      can_contact=u.can("tracer_survey.contact"), can_export=u.can("tracer_survey.export"),
                      can_recap=u.can("tracer_survey.recap"),
                      phone_ok={a.id: service.normalize_phone(a.phone)[0] is not None for a in alumni})


def uploaded():
    upload = bottle.request.files.get("file")
    if upload is None or not (upload.raw_filename or "").strip():
        return None, None
    return upload.raw_filename, upload.file.read(MAX_UPLOAD + 1)


def register(router):
    @router.get("/tracer", permission="tracer_survey.view")
    def home():
        web.redirect("/tracer/waves")

    @router.get("/tracer/waves", permission="tracer_survey.view")
    def waves():
        rows, _programmes = service.recap()
        today = service.local_today(current_app())
        for r in rows:
            r["state"] = service.wave_state(_WaveView(r), today)
        ended = list(Batch.select(Batch, Programme).join(Programme).where(Batch.status == "ended")
                     .order_by(Batch.end_date.desc()).limit(200))
        counts = {}
        for r in rows:
            counts[r["batch_id"]] = counts.get(r["batch_id"], 0) + 1
        return web.render("tracer_survey/waves.html", page_title=_("Gelombang survei kebekerjaan"), rows=rows,
                          ended=ended, counts=counts, months=service.settings(current_app())["months"],
                          state_labels=service.STATE_LABELS)

    @router.post("/tracer/batches/<batch_id:int>/waves", permission="tracer_survey.manage")
    def create_waves(batch_id):
        batch = Batch.select(Batch, Programme).join(Programme).where(Batch.id == batch_id).first()
        if batch is None:
            raise web.NotFound(_("Angkatan tidak ditemukan."))

        def create():
            if batch.status != "ended":
                raise service.TracerError(_("Gelombang survei hanya dibuat untuk angkatan yang sudah selesai."))
            created = service.create_waves(batch)
            if created:
                web.flash(_("{n} gelombang survei dibuat untuk {b}.", n=len(created), b=batch.name))
            else:
                web.flash(_("Semua gelombang survei {b} sudah ada; tidak ada yang dibuat.", b=batch.name), "info")
        run_action(create, "/tracer/waves", refusals=(service.TracerError,))

    @router.get("/tracer/waves/<wave_id:int>", permission="tracer_survey.view")
    def wave(wave_id):
        return wave_page(wave_or_404(wave_id))

    @router.post("/tracer/waves/<wave_id:int>/roster/refresh", permission="tracer_survey.manage")
    def roster_refresh(wave_id):
        wave = wave_or_404(wave_id)
        added = service.fill_roster(wave)
        web.flash(_("{n} lulusan ditambahkan ke daftar alumni.", n=added), "success" if added else "info")
        web.redirect(f"/tracer/waves/{wave.id}")

    @router.post("/tracer/waves/<wave_id:int>/roster/confirm", permission="tracer_survey.manage")
    def roster_confirm(wave_id):
        wave = wave_or_404(wave_id)

        def confirm():
            n = service.roster_size(wave)
            if not n:
                raise service.TracerError(_("Daftar alumni masih kosong; tambahkan lulusan atau impor daftar dulu."))
            audit.update(wave, roster_confirmed_at=db.utcnow())
            # A user who may not do step 1 is refused (StepError): the confirmation is not kept either.
            why_not = service.complete_step(wave, web.user(), 1, notes=_("Daftar alumni dikonfirmasi: {n} orang.", n=n),
                                            links=[(_("Gelombang survei"), f"/tracer/waves/{wave.id}")])
            if why_not:                 # a later wave of the batch's run: confirmed, step 1 was done before
                web.flash(why_not, "info")
            else:
                web.flash(_("Langkah {no} SOP KDI/PM/09 dicatat selesai.", no=1))
        run_action(confirm, f"/tracer/waves/{wave.id}", refusals=(service.TracerError, tracker.StepError))

    @router.route("/tracer/waves/<wave_id:int>/<kind:re:roster|answers>/import", method=["GET", "POST"],
                  permission="tracer_survey.manage")
    def import_file(wave_id, kind):
        return import_screen(wave_or_404(wave_id), kind)

    @router.get("/tracer/waves/<wave_id:int>/<kind:re:roster|answers>/template.csv", permission="tracer_survey.manage")
    def import_template(wave_id, kind):
        from plugins.training import importer as imp
        wave_or_404(wave_id)
        columns = service.roster_columns() if kind == "roster" else service.answer_columns()
        example = ({"nik": "7471010101900001", "nama": "Nama Alumni", "telepon": "081234567890"} if kind == "roster"
                   else {"nik": "7471010101900001", "status": "Bekerja", "nama_perusahaan": "PT Contoh",
                         "jabatan": "Operator", "bidang_usaha": "Industri pengolahan", "tanggal_mulai": "2025-02-01",
                         "penghasilan": "2-3", "kesesuaian": "4", "cara_mendapat_kerja": "siapkerja"})
        web.response.content_type = "text/csv; charset=utf-8"
        web.response.set_header("Content-Disposition", f'attachment; filename="templat-{kind}.csv"')
        return imp.template_csv(columns, example)

    def import_screen(wave, kind):
        title = _("Impor daftar alumni") if kind == "roster" else _("Impor jawaban survei")
        page = dict(page_title=title, wave=wave, kind=kind, results=[], problem=None,
                    columns=service.roster_columns() if kind == "roster" else service.answer_columns())
        if bottle.request.method == "GET":
            return web.render("tracer_survey/import.html", **page)
        filename, data = uploaded()
        if not filename:
            problem, results = _("Pilih berkas CSV atau XLSX."), []
        elif len(data) > MAX_UPLOAD:
            problem, results = _("Berkas lebih besar dari 5 MB."), []
        elif kind == "roster":
            results, problem = service.check_roster_file(filename, data)
        else:
            results, problem = service.check_answer_file(wave, filename, data)
        bad = [r for r in results if not r.ok]
        if problem or bad or not results:
            web.response.status = 422          # nothing is written: the request rolls back
            return web.render("tracer_survey/import.html", **dict(
                page, results=bad, problem=problem or (None if results else _("Berkas tidak berisi baris data."))))
        if kind == "roster":
            added = service.import_roster(wave, results)
            web.flash(_("{n} alumni ditambahkan dari berkas ({m} sudah ada).", n=added, m=len(results) - added))
        else:
            created, corrected = service.import_answers(results)
            web.flash(_("{a} jawaban baru dan {b} koreksi diimpor.", a=created, b=corrected))
            step_if_open(wave, 7, notes=_("Jawaban diimpor dari {f}: {n} baris.", f=filename, n=len(results)))
        web.redirect(f"/tracer/waves/{wave.id}")
