"""Screens of the tracer survey: waves and their roster, vacancy board, contacting
alumni (wa.me links, WA-blast CSV, contact log), import of answers, recap, SMILe
export, and the public survey form at /survey/<token>.

Which action completes which step of KDI-PM-09 (the batch's ONE run; a wave's
screen acts on it): 1 roster confirmed · 2 "lowongan terhimpun" (or the first
share) · 3 vacancies shared with the wave's alumni · 4 invitations logged ·
5 reminders logged · 6 the batch's last wave closed (routes_survey) · 7 answers
marked collected or imported · 8 recap confirmed · 9 reported to SMILe with its
reference (sub koordinator, routes_survey).
"""
import datetime

import bottle

from core.toolkit import (Column, Screen, _, audit, current_app, db, format_number, format_percent, forms, lazy,
                          set_actor, submit_form, tabular, tracker, web)
from plugins.tracer_survey import charts, schemas, service
from plugins.tracer_survey.models import Alumnus, Vacancy, VacancyShare, Wave
from plugins.training.models import Batch, Programme


class AlumnusActor:
    """The audit actor of an answer sent through a survey link (no account)."""
    id = None
    full_name = "Alumni"
    roles = frozenset()

    def __init__(self, alumnus):
        self.username = f"alumni:{alumnus.id}"

    def can(self, permission):
        return False


def wave_or_404(wave_id):
    wave = service.get_wave(wave_id)
    if wave is None:
        raise web.NotFound(_("Gelombang survei tidak ditemukan."))
    return wave


def step_action(wave, no, notes="", links=()):
    """Complete step ``no`` from a screen; tell the user what happened."""
    try:
        why_not = service.complete_step(wave, web.user(), no, notes=notes, links=links)
    except tracker.StepError as exc:
        web.flash(str(exc), "error")
        return False
    if why_not:
        web.flash(why_not, "info")
        return False
    web.flash(_("Langkah {no} SOP KDI/PM/09 dicatat selesai.", no=no))
    return True


def uploaded():
    upload = bottle.request.files.get("file")
    if upload is None or not (upload.raw_filename or "").strip():
        return None, None
    return upload.raw_filename, upload.file.read(5 * 1024 * 1024 + 1)


def register(router):
    # ------------------------------------------------------------ vacancies (step 2 board)
    def vacancy_extra(obj):
        shares = list(VacancyShare.select(VacancyShare, Alumnus, Wave, Batch)
                      .join(Alumnus).join(Wave).join(Batch)
                      .where(VacancyShare.vacancy == obj).order_by(VacancyShare.shared_at.desc()).limit(500))
        return {"shares": shares}

    Screen(Vacancy, schemas.VacancyForm, base="/tracer/vacancies", view="tracer_survey.view",
           edit="tracer_survey.manage", title=lazy("Papan lowongan kerja"),
           columns=[Column("position", lazy("Posisi"), link=True), Column("employer", lazy("Perusahaan")),
                    Column("location", lazy("Lokasi")), Column("closes_on", lazy("Batas lamaran")),
                    Column("source", lazy("Sumber"))],
           search=[Vacancy.position, Vacancy.employer], order=[Vacancy.id.desc()],
           template="tracer_survey/vacancy", label=str, detail_extra=vacancy_extra).register(router)

    # ------------------------------------------------------------ waves
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
        if batch.status != "ended":
            web.flash(_("Gelombang survei hanya dibuat untuk angkatan yang sudah selesai."), "error")
            web.redirect("/tracer/waves")
        created = service.create_waves(batch)
        if created:
            web.flash(_("{n} gelombang survei dibuat untuk {b}.", n=len(created), b=batch.name))
        else:
            web.flash(_("Semua gelombang survei {b} sudah ada; tidak ada yang dibuat.", b=batch.name), "info")
        web.redirect("/tracer/waves")

    @router.get("/tracer/waves/<wave_id:int>", permission="tracer_survey.view")
    def wave_page(wave_id):
        wave = wave_or_404(wave_id)
        app, u = current_app(), web.user()
        today = service.local_today(app)
        run = service.run_of(wave)
        alumni = service.roster(wave)
        return web.render("tracer_survey/wave.html", page_title=service.wave_title(wave), wave=wave,
                          period=service.caturwulan_label(wave.closes_on),
                          state=service.wave_state(wave, today), state_labels=service.STATE_LABELS,
                          run=run, items=tracker.timeline(run) if run else [], alumni=alumni,
                          answered=sum(1 for a in alumni if a.answer), status_labels=dict(schemas.STATUS),
                          vacancies=service.open_vacancies(today), channels=schemas.CHANNELS,
                          show_nik=u.can("training.nik"), can_manage=u.can("tracer_survey.manage"),
                          can_contact=u.can("tracer_survey.contact"), can_export=u.can("tracer_survey.export"),
                          can_recap=u.can("tracer_survey.recap"),
                          phone_ok={a.id: service.normalize_phone(a.phone)[0] is not None for a in alumni})

    @router.post("/tracer/waves/<wave_id:int>/roster/refresh", permission="tracer_survey.manage")
    def roster_refresh(wave_id):
        wave = wave_or_404(wave_id)
        added = service.fill_roster(wave)
        web.flash(_("{n} lulusan ditambahkan ke daftar alumni.", n=added), "success" if added else "info")
        web.redirect(f"/tracer/waves/{wave.id}")

    @router.post("/tracer/waves/<wave_id:int>/roster/confirm", permission="tracer_survey.manage")
    def roster_confirm(wave_id):
        wave = wave_or_404(wave_id)
        n = Alumnus.select().where(Alumnus.wave == wave).count()
        if not n:
            web.flash(_("Daftar alumni masih kosong; tambahkan lulusan atau impor daftar dulu."), "error")
            web.redirect(f"/tracer/waves/{wave.id}")
        audit.update(wave, roster_confirmed_at=db.utcnow())
        step_action(wave, 1, notes=_("Daftar alumni dikonfirmasi: {n} orang.", n=n),
                    links=[(_("Gelombang survei"), f"/tracer/waves/{wave.id}")])
        web.redirect(f"/tracer/waves/{wave.id}")

    @router.route("/tracer/waves/<wave_id:int>/roster/import", method=["GET", "POST"],
                  permission="tracer_survey.manage")
    def roster_import(wave_id):
        wave = wave_or_404(wave_id)
        return import_screen(wave, "roster")

    @router.route("/tracer/waves/<wave_id:int>/answers/import", method=["GET", "POST"],
                  permission="tracer_survey.manage")
    def answers_import(wave_id):
        wave = wave_or_404(wave_id)
        return import_screen(wave, "answers")

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
                    columns=service.roster_columns() if kind == "roster" else service.answer_columns(),
                    status_labels=dict(schemas.STATUS))
        if bottle.request.method == "GET":
            return web.render("tracer_survey/import.html", **page)
        filename, data = uploaded()
        if not filename:
            web.response.status = 422
            return web.render("tracer_survey/import.html", **dict(page, problem=_("Pilih berkas CSV atau XLSX.")))
        if len(data) > 5 * 1024 * 1024:
            web.response.status = 422
            return web.render("tracer_survey/import.html", **dict(page, problem=_("Berkas lebih besar dari 5 MB.")))
        if kind == "roster":
            results, problem = check_roster_file(wave, filename, data)
        else:
            results, problem = service.check_answer_file(wave, filename, data)
        bad = [r for r in results if not r.ok]
        if problem or bad or not results:
            web.response.status = 422
            return web.render("tracer_survey/import.html", **dict(
                page, results=bad, problem=problem or (None if results else _("Berkas tidak berisi baris data."))))
        if kind == "roster":
            added = service.import_roster(wave, results)
            web.flash(_("{n} alumni ditambahkan dari berkas ({m} sudah ada).", n=added, m=len(results) - added))
        else:
            created, corrected = service.import_answers(results)
            web.flash(_("{a} jawaban baru dan {b} koreksi diimpor.", a=created, b=corrected))
            run = service.run_of(wave)
            if run is not None and run.current_no == 7:
                step_action(wave, 7, notes=_("Jawaban diimpor dari {f}: {n} baris.", f=filename, n=len(results)))
        web.redirect(f"/tracer/waves/{wave.id}")

    def check_roster_file(wave, filename, data):
        from plugins.training import importer as imp
        try:
            rows = imp.read_table(filename, data)
        except imp.ImportFormatError as exc:
            return [], str(exc)
        columns = service.roster_columns()
        missing = imp.missing_columns(rows, columns)
        if missing:
            return [], _("Kolom wajib tidak ada: {c}. Unduh templatnya untuk melihat susunan kolom.",
                         c=", ".join(missing))
        return imp.check_rows(rows, columns, unique=("nik",)), None

    # ------------------------------------------------------------ vacancies shared (steps 2–3)
    @router.post("/tracer/waves/<wave_id:int>/vacancies/gathered", permission="tracer_survey.manage")
    def vacancies_gathered(wave_id):
        wave = wave_or_404(wave_id)
        n = len(service.open_vacancies(service.local_today(current_app())))
        if not n:
            web.flash(_("Papan lowongan belum berisi lowongan yang masih dibuka."), "error")
            web.redirect(f"/tracer/waves/{wave.id}")
        step_action(wave, 2, notes=_("{n} lowongan terbuka di papan lowongan.", n=n),
                    links=[(_("Papan lowongan"), "/tracer/vacancies")])
        web.redirect(f"/tracer/waves/{wave.id}")

    @router.post("/tracer/waves/<wave_id:int>/vacancies/share", permission="tracer_survey.manage")
    def vacancies_share(wave_id):
        wave = wave_or_404(wave_id)
        data, errors = forms.validate(schemas.ShareForm(), web.form())
        ids = [int(i) for i in web.form_list("vacancy") if str(i).isdigit()]
        vacancies = list(Vacancy.select().where(Vacancy.id.in_(ids or [0])))
        if errors or not vacancies:
            web.flash(_("Pilih saluran dan minimal satu lowongan untuk dibagikan."), "error")
            web.redirect(f"/tracer/waves/{wave.id}")
        alumni = list(Alumnus.select().where(Alumnus.wave == wave))
        if not alumni:
            web.flash(_("Daftar alumni masih kosong."), "error")
            web.redirect(f"/tracer/waves/{wave.id}")
        service.share_vacancies(vacancies, alumni, data["channel"], web.user())
        web.flash(_("{v} lowongan dicatat dibagikan ke {a} alumni.", v=len(vacancies), a=len(alumni)))
        run = service.run_of(wave)
        links = [(_("Papan lowongan"), "/tracer/vacancies")]
        if run is not None and run.current_no == 2:
            step_action(wave, 2, notes=_("{n} lowongan dihimpun.", n=len(vacancies)), links=links)
        run = service.run_of(wave)
        if run is not None and run.current_no == 3:
            step_action(wave, 3, notes=_("{v} lowongan dibagikan ke {a} alumni melalui {c}.", v=len(vacancies),
                                         a=len(alumni), c=_(dict(schemas.CHANNELS)[data["channel"]])), links=links)
        web.redirect(f"/tracer/waves/{wave.id}")

    # ------------------------------------------------------------ contacting alumni (steps 4–5)
    def contact_kind():
        return "reminder" if web.query("kind") == "reminder" else "invite"

    @router.get("/tracer/waves/<wave_id:int>/contact", permission="tracer_survey.contact")
    def contact_page(wave_id):
        wave = wave_or_404(wave_id)
        app = current_app()
        kind = contact_kind()
        alumni = service.roster(wave)
        rows = service.contact_rows(wave, alumni, service.base_url(app, bottle.request), kind,
                                    app.config["institution"])
        return web.render("tracer_survey/contact.html", page_title=_("Hubungi alumni"), wave=wave, rows=rows,
                          link_problem=service.base_url_problem(app),
                          kind=kind, channels=schemas.CHANNELS, status_labels=dict(schemas.STATUS),
                          invalid=sum(1 for r in rows if not r["phone"]),
                          state=service.wave_state(wave, service.local_today(app)))

    @router.get("/tracer/waves/<wave_id:int>/contact.csv", permission="tracer_survey.contact")
    def contact_csv(wave_id):
        wave = wave_or_404(wave_id)
        app = current_app()
        kind = contact_kind()
        alumni = service.roster(wave)
        if web.query("only") == "unanswered":
            alumni = [a for a in alumni if not a.answer]
        rows = service.contact_rows(wave, alumni, service.base_url(app, bottle.request), kind,
                                    app.config["institution"])
        audit.event("tracer_contact_csv", service.SUBJECT, wave.id, {"kind": kind, "rows": len(rows)})
        return tabular.download("csv", f"wa-blast-gelombang-{wave.id}-{kind}", ["name", "phone", "message"],
                                [[r["alumnus"].name, r["phone"], r["message"]] for r in rows if r["phone"]])

    @router.post("/tracer/waves/<wave_id:int>/contact", permission="tracer_survey.contact")
    def contact_log(wave_id):
        wave = wave_or_404(wave_id)
        data, errors = forms.validate(schemas.ContactForm(), web.form())
        back = f"/tracer/waves/{wave.id}/contact?kind={web.form().get('kind', 'invite')}"
        if errors:
            web.flash(_("Pilih jenis dan saluran kontak."), "error")
            web.redirect(back)
        target = web.form().get("target", "selected")
        alumni = service.roster(wave)
        if target == "unanswered":
            chosen = [a for a in alumni if not a.answer]
        elif target == "all":
            chosen = alumni
        else:
            ids = {int(i) for i in web.form_list("alumnus") if str(i).isdigit()}
            chosen = [a for a in alumni if a.id in ids]
        if not chosen:
            web.flash(_("Tidak ada alumni yang dipilih."), "error")
            web.redirect(back)
        service.log_contacts(chosen, data["kind"], data["channel"], data.get("note"), web.user())
        web.flash(_("Kontak dengan {n} alumni dicatat.", n=len(chosen)))
        no = 4 if data["kind"] == "invite" else 5
        run = service.run_of(wave)
        if run is not None and run.current_no == no:
            label = _("undangan survei") if no == 4 else _("pengingat")
            step_action(wave, no, notes=_("{what} dikirim ke {n} alumni melalui {c}.", what=label, n=len(chosen),
                                          c=_(dict(schemas.CHANNELS)[data["channel"]])),
                        links=[(_("Hubungi alumni"), f"/tracer/waves/{wave.id}/contact")])
        web.redirect(back)

    # ------------------------------------------------------------ closing and collecting (steps 6–7)
    @router.post("/tracer/waves/<wave_id:int>/collected", permission="tracer_survey.manage")
    def collected(wave_id):
        wave = wave_or_404(wave_id)
        step_action(wave, 7, notes=_("Data survei terkumpul."),
                    links=[(_("Rekap"), f"/tracer/recap?wave={wave.id}")])
        web.redirect(f"/tracer/waves/{wave.id}")

    # ------------------------------------------------------------ recap (step 8)
    def int_query(name):
        value = web.query(name)
        return int(value) if value.isdigit() else None

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
        run = service.run_of(wave) if wave else None

        def wave_label(r):
            return f"{r['batch_name']} +{r['months']} bln"
        return web.render("tracer_survey/recap.html", page_title=_("Rekap kebekerjaan alumni"), rows=rows,
                          per_programme=per_programme, programmes=programmes, batches=batches,
                          months_options=sorted({r["months"] for r in rows} | set(service.settings(current_app())["months"])),
                          programme_id=programme_id, batch_id=batch_id, months=months, wave=wave, run=run,
                          missing=service.nonresponders(wave) if wave else [],
                          breakdowns=service.breakdowns(programme_id, batch_id, months, period),
                          period=period, periods=[(f"{y}-{n}", service.caturwulan_label(service.caturwulan_range(y, n)[0]))
                                                  for y, n in periods],
                          survey=service.survey_of(wave.batch_id) if wave else None,
                          chart=charts.stacked(rows, wave_label, _("Status alumni per gelombang")),
                          chart_programme=charts.stacked(per_programme, lambda r: f"{r['programme_code']} +{r['months']} bln",
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
        mapping = service.settings(current_app())["smile"]
        rows = service.export_rows(ids)
        audit.event("tracer_export", service.SUBJECT, ",".join(map(str, ids))[:80],
                    {"format": fmt, "rows": len(rows), "columns": [h for h, _f in mapping]})
        stamp = datetime.date.today().isoformat()
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

    from plugins.tracer_survey import routes_survey
    routes_survey.register(router, wave_or_404, step_action)

    # ------------------------------------------------------------ the public survey form
    @router.route("/survey/<token>", method=["GET", "POST"], public=True)
    def survey(token):
        alumnus = service.find_by_token(token)
        if alumnus is None:
            web.response.status = 404
            return web.render("tracer_survey/survey_message.html", page_title=_("Tautan survei tidak dikenal"),
                              kind="unknown")
        wave = alumnus.wave
        state = service.wave_state(wave, service.local_today(current_app()))
        if state != "open":
            return web.render("tracer_survey/survey_message.html", page_title=_("Survei kebekerjaan alumni"),
                              kind=state, wave=wave, alumnus=alumnus)
        response = service.answer_of(alumnus)
        page = dict(page_title=_("Survei kebekerjaan alumni"), alumnus=alumnus, wave=wave, schema=schemas.SurveyForm(),
                    response=response, choices=_survey_choices())
        if bottle.request.method == "GET":
            return web.render("tracer_survey/survey.html", values=service.answer_values(response), errors={}, **page)

        def save(data):
            set_actor(AlumnusActor(alumnus))         # the audit log names the alumnus, not "system"
            return service.save_answer(alumnus, data, source="form")
        return submit_form(schemas.SurveyForm(training_end=wave.batch.end_date), save,
                           lambda values, errors: web.render("tracer_survey/survey.html", values=values, errors=errors,
                                                             **page),
                           message=lambda saved: _("Terima kasih, jawaban Anda tersimpan.") if saved[1] else
                           _("Terima kasih, perbaikan jawaban Anda tersimpan."), to=f"/survey/{token}")


def _survey_choices():
    return {"status": schemas.STATUS, "sector": schemas.SECTORS, "income_band": schemas.INCOME,
            "employer_type": schemas.EMPLOYER_TYPES, "job_level": schemas.JOB_LEVELS,
            "relevance": schemas.RELEVANCE, "found_via": schemas.FOUND_VIA}


class _WaveView:
    """The few wave fields wave_state needs, from a recap row."""
    def __init__(self, row):
        self.closed_at, self.closes_on, self.opens_on = row["closed_at"], row["closes_on"], row["opens_on"]
