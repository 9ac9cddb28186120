"""Screens of steps 7–9: the survey data collected, the recap with its charts and
breakdowns (one denominator: the respondents), and the SMILe export."""
import bottle

from core.toolkit import _, audit, current_app, format_number, format_percent, web
from plugins.tracer_survey import charts, service
from plugins.tracer_survey.models import Wave
from plugins.tracer_survey.routes import int_query, step_action, wave_or_404
from plugins.training.models import Batch, Programme


def wave_label(row):
    return _("{b} +{n} bln", b=row["batch_name"], n=row["months"])


def register(router):
    @router.post("/tracer/waves/<wave_id:int>/collected", permission="tracer_survey.manage")
    def collected(wave_id):
        wave = wave_or_404(wave_id)
        step_action(wave, 7, notes=_("Data survei terkumpul."),
                    links=[(_("Rekap"), f"/tracer/recap?wave={wave.id}")])
        web.redirect(f"/tracer/waves/{wave.id}")

    @router.get("/tracer/recap", permission="tracer_survey.recap")
    def recap_page():
        programme_id, batch_id, months, wave_id = (int_query("programme"), int_query("batch"),
                                                    int_query("months"), int_query("wave"))
        wave = service.get_wave(wave_id) if wave_id else None
        if wave is not None:
            batch_id, months = wave.batch_id, wave.months
        period = service.parse_caturwulan(web.query("period"))
        rows, per_programme = service.recap(programme_id, batch_id, months, period)
        periods = sorted({service.caturwulan(d) for (d,) in Wave.select(Wave.closes_on).distinct().tuples()},
                         reverse=True)
        programmes = list(Programme.select().join(Batch).join(Wave).distinct().order_by(Programme.code))
        batches = list(Batch.select(Batch, Programme).join(Programme).switch(Batch).join(Wave).distinct()
                       .order_by(Batch.end_date.desc()))
        months_options = sorted({r["months"] for r in rows} | set(service.settings(current_app())["months"]))
        return web.render(
            "tracer_survey/recap.html", page_title=_("Rekap kebekerjaan alumni"), rows=rows,
            per_programme=per_programme, programmes=programmes, batches=batches, months_options=months_options,
            programme_id=programme_id, batch_id=batch_id, months=months, wave=wave,
            run=service.run_of(wave) if wave else None,
            missing=service.nonresponders(wave) if wave else [],
            breakdowns=service.breakdowns(programme_id, batch_id, months, period), sex_labels=service.SEX,
            period=period, periods=[(f"{y}-{n}", service.caturwulan_label(service.caturwulan_range(y, n)[0]))
                                    for y, n in periods],
            survey=service.survey_of(wave.batch_id) if wave else None,
            chart=charts.stacked(rows, wave_label, _("Status alumni per gelombang")),
            chart_programme=charts.stacked(per_programme,
                                           lambda r: _("{p} +{n} bln", p=r["programme_code"], n=r["months"]),
                                           _("Status alumni per program")),
            chart_rate=charts.rates(rows, wave_label, _("Tingkat respons per gelombang")),
            show_nik=web.user().can("training.nik"),
            export_query="&".join(f"wave={r['id']}" for r in rows))

    @router.post("/tracer/waves/<wave_id:int>/recap/confirm", permission="tracer_survey.recap")
    def recap_confirm(wave_id):
        wave = wave_or_404(wave_id)
        rows, _p = service.recap(batch_id=wave.batch_id, months=wave.months)
        r = rows[0]
        notes = _("Rekap: {a}/{n} menjawab ({rr}); bekerja {b}, wirausaha {w}, studi {s}, belum bekerja {x}; "
                  "median masa tunggu {m} bulan.", a=r["responded"], n=r["alumni"],
                  rr=format_percent(r["response_rate"] or 0), b=r["bekerja"], w=r["wirausaha"], s=r["studi"],
                  x=r["belum"], m=format_number(r["median_wait"], 1) if r["median_wait"] is not None else "—")
        step_action(wave, 8, notes=notes, links=[(_("Rekap"), f"/tracer/recap?wave={wave.id}")])
        web.redirect(f"/tracer/recap?wave={wave.id}")

    # ------------------------------------------------------------ SMILe export (step 9)
    def export_waves():
        ids = [int(i) for i in bottle.request.query.getall("wave") if str(i).isdigit()]
        batch_id = int_query("batch")
        if batch_id:
            ids += [w for (w,) in Wave.select(Wave.id).where(Wave.batch == batch_id).tuples()]
        if not ids:
            web.flash(_("Pilih gelombang atau angkatan yang akan diekspor."), "info")
            web.redirect("/tracer/recap")
        return ids

    def export(fmt):
        ids = export_waves()
        app = current_app()
        mapping = service.settings(app)["smile"]
        rows = service.export_rows(ids)
        audit.event("tracer_export", service.SUBJECT, ",".join(map(str, ids))[:80],
                    {"format": fmt, "rows": len(rows), "columns": [h for h, _f in mapping]})
        stamp = service.local_today(app).isoformat()
        if fmt == "csv":
            web.response.content_type = "text/csv; charset=utf-8"
            body = service.export_csv(mapping, rows)
        else:
            web.response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            body = service.export_xlsx(mapping, rows)
        web.response.set_header("Content-Disposition", f'attachment; filename="smile-kebekerjaan-{stamp}.{fmt}"')
        return body

    @router.get("/tracer/export.csv", permission="tracer_survey.export")
    def export_csv():
        return export("csv")

    @router.get("/tracer/export.xlsx", permission="tracer_survey.export")
    def export_xlsx():
        return export("xlsx")
