"""Screens of the batch's survey as a whole (its ONE run of KDI-PM-09): closing,
extending or reopening a wave, the report into SMILe (step 9) and the recap
report paper on the documents service."""
import bottle

from core.toolkit import _, audit, current_app, db, documents, submit_form, tracker, web
from plugins.tracer_survey import schemas, service
from plugins.tracer_survey.models import Survey, Wave
from plugins.tracer_survey.routes import wave_or_404


def register(router):
    @router.get("/tracer/surveys/<survey_id:int>", permission="tracer_survey.view")
    def survey_page(survey_id):
        # The run page links here: the batch's waves carry the survey's screens.
        survey = Survey.get_or_none(Survey.id == survey_id)
        first = survey and Wave.select().where(Wave.batch == survey.batch_id).order_by(Wave.months).first()
        if first is None:
            raise web.NotFound(_("Survei angkatan tidak ditemukan."))
        web.redirect(f"/tracer/waves/{first.id}")

    # ------------------------------------------------------------ closing, extending, reopening (step 6)
    @router.post("/tracer/waves/<wave_id:int>/close", permission="tracer_survey.manage")
    def close_wave(wave_id):
        wave = wave_or_404(wave_id)
        done = service.close_wave(wave, current_app())
        web.flash(_("Pengisian survei gelombang ini ditutup."))
        if done:
            web.flash(_("Semua gelombang angkatan ini ditutup: langkah 6 SOP KDI/PM/09 dicatat selesai."))
        web.redirect(f"/tracer/waves/{wave.id}")

    def close_date_form(wave, values, errors):
        return web.render("tracer_survey/close_date.html", page_title=_("Perpanjang atau buka kembali gelombang"),
                          wave=wave, schema=schemas.CloseDateForm(), values=values, errors=errors)

    @router.route("/tracer/waves/<wave_id:int>/close-date", method=["GET", "POST"], permission="tracer_survey.manage")
    def close_date(wave_id):
        wave = wave_or_404(wave_id)
        if bottle.request.method == "GET":
            return close_date_form(wave, {"closes_on": wave.closes_on.isoformat()}, {})
        today = service.local_today(current_app())
        return submit_form(schemas.CloseDateForm(),
                           lambda data: service.change_close(wave, data["closes_on"], data["reason"], today),
                           lambda values, errors: close_date_form(wave, values, errors),
                           message=_("Tanggal tutup gelombang diubah; alasannya tercatat di riwayat."),
                           to=f"/tracer/waves/{wave.id}", refusals=(service.TracerError,))

    # ------------------------------------------------------------ reported into SMILe (step 9)
    def report_form(wave, values, errors):
        return web.render("tracer_survey/report.html", page_title=_("Catat pelaporan ke SMILe"), wave=wave,
                          schema=schemas.ReportForm(), values=values, errors=errors)

    @router.route("/tracer/waves/<wave_id:int>/reported", method=["GET", "POST"], permission="tracer_survey.export")
    def reported(wave_id):
        wave = wave_or_404(wave_id)
        if bottle.request.method == "GET":
            return report_form(wave, {}, {})

        def report(data):
            survey = service.survey_of(wave.batch_id)
            db.lock(Survey, survey.id)
            audit.update(survey, smile_ref=data["reference"])      # step 9's guard reads it
            try:
                why_not = service.complete_step(
                    wave, web.user(), 9, notes=_("Dilaporkan ke SMILe: {ref}", ref=data["reference"]),
                    links=[(_("Ekspor SMILe (CSV)"), f"/tracer/export.csv?batch={wave.batch_id}")])
            except tracker.StepError as exc:
                why_not = str(exc)
            if why_not:       # refused: the form shows why, and nothing of it is kept
                raise service.TracerError(why_not, "reference")
            audit.update(survey, reported_at=db.utcnow())
        return submit_form(schemas.ReportForm(), report, lambda values, errors: report_form(wave, values, errors),
                           message=_("Langkah {no} SOP KDI/PM/09 dicatat selesai.", no=9),
                           to=f"/tracer/waves/{wave.id}", refusals=(service.TracerError,))

    # ------------------------------------------------------------ the recap report paper
    @router.post("/tracer/waves/<wave_id:int>/paper", permission="tracer_survey.paper")
    def issue_paper(wave_id):
        wave = wave_or_404(wave_id)
        app = current_app()
        try:
            doc = service.issue_recap_paper(app, wave.batch, web.user())
        except documents.DocumentError as exc:
            web.flash(str(exc), "error")
            web.redirect(f"/tracer/recap?wave={wave.id}")
        web.flash(_("Laporan rekap diterbitkan: nomor {n}.", n=doc.number))
        web.redirect(f"/documents/{doc.id}")
