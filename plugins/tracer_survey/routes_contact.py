"""Screens of steps 2–5: the vacancy board, vacancies shared with a wave's alumni, and
contacting alumni (wa.me links, WA-blast CSV, contact log)."""
import bottle

from core.toolkit import Column, Screen, _, audit, current_app, lazy, run_action, submit_form, tabular, web
from plugins.tracer_survey import schemas, service
from plugins.tracer_survey.models import Alumnus, Vacancy, VacancyShare, Wave
from plugins.tracer_survey.routes import step_action, step_if_open, wave_or_404
from plugins.tracer_survey.routes_waves import wave_page
from plugins.training.models import Batch


def contact_kind(value):
    return "reminder" if value == "reminder" else "invite"


def contact_page(wave, kind, values=None, errors=None):
    app = current_app()
    alumni = service.roster(wave)
    rows = service.contact_rows(wave, alumni, service.base_url(app, bottle.request), kind, app.config["institution"])
    return web.render("tracer_survey/contact.html", page_title=_("Hubungi alumni"), wave=wave, rows=rows,
                      link_problem=service.base_url_problem(app), kind=kind, schema=schemas.ContactForm(),
                      values=values or {"kind": kind, "target": "selected"}, errors=errors or {}, status_labels=schemas.STATUS,
                      chosen={str(i) for i in (values or {}).get("alumnus", [])},
                      invalid=sum(1 for r in rows if not r["phone"]),
                      state=service.wave_state(wave, service.local_today(app)))


def register(router):
    # ------------------------------------------------------------ the vacancy board (step 2)
    def vacancy_extra(obj):
        shares = list(VacancyShare.select(VacancyShare, Alumnus, Wave, Batch)
                      .join(Alumnus).join(Wave).join(Batch)
                      .where(VacancyShare.vacancy == obj).order_by(VacancyShare.shared_at.desc()).limit(500))
        return {"shares": shares, "channels": schemas.CHANNELS}

    Screen(Vacancy, schemas.VacancyForm, base="/tracer/vacancies", view="tracer_survey.view",
           edit="tracer_survey.manage", title=lazy("Papan lowongan kerja"),
           columns=[Column("position", lazy("Posisi"), link=True), Column("employer", lazy("Perusahaan")),
                    Column("location", lazy("Lokasi")), Column("closes_on", lazy("Batas lamaran")),
                    Column("source", lazy("Sumber"))],
           search=[Vacancy.position, Vacancy.employer], order=[Vacancy.id.desc()],
           template="tracer_survey/vacancy", label=str, detail_extra=vacancy_extra).register(router)

    @router.post("/tracer/waves/<wave_id:int>/vacancies/gathered", permission="tracer_survey.manage")
    def vacancies_gathered(wave_id):
        wave = wave_or_404(wave_id)

        def gathered():
            n = len(service.open_vacancies(service.local_today(current_app())))
            if not n:
                raise service.TracerError(_("Papan lowongan belum berisi lowongan yang masih dibuka."))
            step_action(wave, 2, notes=_("{n} lowongan terbuka di papan lowongan.", n=n),
                        links=[(_("Papan lowongan"), "/tracer/vacancies")])
        run_action(gathered, f"/tracer/waves/{wave.id}", refusals=(service.TracerError,))

    # ------------------------------------------------------------ vacancies shared (steps 2–3)
    @router.post("/tracer/waves/<wave_id:int>/vacancies/share", permission="tracer_survey.manage")
    def vacancies_share(wave_id):
        wave = wave_or_404(wave_id)
        form = web.form()
        values = dict(form, vacancy=web.form_list("vacancy"))

        def share(data):
            ids = [int(i) for i in values["vacancy"] if str(i).isdigit()]
            vacancies = list(Vacancy.select().where(Vacancy.id.in_(ids or [0])))
            if not vacancies:
                raise service.TracerError(_("Pilih minimal satu lowongan untuk dibagikan."), "vacancy")
            alumni = list(Alumnus.select().where(Alumnus.wave == wave))
            if not alumni:
                raise service.TracerError(_("Daftar alumni masih kosong."))
            service.share_vacancies(vacancies, alumni, data["channel"], web.user())
            links = [(_("Papan lowongan"), "/tracer/vacancies")]
            step_if_open(wave, 2, notes=_("{n} lowongan dihimpun.", n=len(vacancies)), links=links)
            step_if_open(wave, 3, notes=_("{v} lowongan dibagikan ke {a} alumni melalui {c}.", v=len(vacancies),
                                          a=len(alumni), c=schemas.CHANNELS.label(data["channel"])), links=links)
            return len(vacancies), len(alumni)
        return submit_form(schemas.ShareForm(), share, lambda vals, errors: wave_page(wave, values, errors),
                           message=lambda n: _("{v} lowongan dicatat dibagikan ke {a} alumni.", v=n[0], a=n[1]),
                           to=f"/tracer/waves/{wave.id}", refusals=(service.TracerError,), form=form)

    # ------------------------------------------------------------ contacting alumni (steps 4–5)
    @router.get("/tracer/waves/<wave_id:int>/contact", permission="tracer_survey.contact")
    def contact(wave_id):
        return contact_page(wave_or_404(wave_id), contact_kind(web.query("kind")))

    @router.get("/tracer/waves/<wave_id:int>/contact.csv", permission="tracer_survey.contact")
    def contact_csv(wave_id):
        wave = wave_or_404(wave_id)
        app = current_app()
        kind = contact_kind(web.query("kind"))
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
        form = web.form()
        values = dict(form, alumnus=web.form_list("alumnus"))
        kind = contact_kind(form.get("kind"))

        def log(data):
            alumni = service.roster(wave)
            target = data.get("target") or "selected"
            if target == "unanswered":
                chosen = [a for a in alumni if not a.answer]
            elif target == "all":
                chosen = alumni
            else:
                ids = {int(i) for i in values["alumnus"] if str(i).isdigit()}
                chosen = [a for a in alumni if a.id in ids]
            if not chosen:
                raise service.TracerError(_("Tidak ada alumni yang dipilih."), "target")
            service.log_contacts(chosen, data["kind"], data["channel"], data.get("note"), web.user())
            no = 4 if data["kind"] == "invite" else 5
            what = _("undangan survei") if no == 4 else _("pengingat")
            step_if_open(wave, no, notes=_("{what} dikirim ke {n} alumni melalui {c}.", what=what, n=len(chosen),
                                           c=schemas.CHANNELS.label(data["channel"])),
                         links=[(_("Hubungi alumni"), f"/tracer/waves/{wave.id}/contact")])
            return len(chosen)
        return submit_form(schemas.ContactForm(), log, lambda vals, errors: contact_page(wave, kind, values, errors),
                           message=lambda n: _("Kontak dengan {n} alumni dicatat.", n=n),
                           to=f"/tracer/waves/{wave.id}/contact?kind={kind}", form=form,
                           refusals=(service.TracerError,))
