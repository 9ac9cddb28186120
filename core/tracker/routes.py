"""Step tracker screens: SOP page (SOP AP format), compliance report, monitoring
table, revisions and the calendar. Inbox, runs and their actions: routes_runs.py."""
import datetime
import json

from core import audit, charts, forms, tabular, web
from core.context import current_app
from core.i18n import _, lazy
from core.tracker import flowchart, routes_revisions, service
from core.tracker.models import CalendarException, MonitoringEntry, SopRevision, SopStep
from core.tracker.routes_runs import get_run
from core.posts import Refusal, run_action, submit_form
from core.web import render


def in_force(code):
    """The revision in force of an SOP, or a 404 page for an unknown code."""
    try:
        return service.published_revision(code)
    except service.StepError:
        raise web.NotFound()


def register(router):
    from core.tracker import routes_runs
    routes_runs.register(router)
    # ------------------------------------------------ SOP pages
    @router.get("/sop", permission="tracker.view")
    def sop_list():
        revs = list(SopRevision.select().order_by(SopRevision.code, SopRevision.id))
        counts = dict(SopStep.select(SopStep.revision, db_count()).group_by(SopStep.revision).tuples())
        in_force = {}
        for rev in revs:
            if rev.code not in in_force:
                try:
                    in_force[rev.code] = service.published_revision(rev.code).id
                except service.StepError:
                    pass
        return render("tracker/sop_list.html", page_title=_("Daftar SOP"), revs=revs, counts=counts, in_force=in_force)

    @router.get("/sop/<code>", permission="tracker.view")
    def sop_page(code):
        app = current_app()
        rev_id = web.query("rev")
        if rev_id.isdigit():
            rev = SopRevision.get_or_none((SopRevision.id == int(rev_id)) & (SopRevision.code == code))
        else:
            try:
                rev = service.published_revision(code)
            except service.StepError:
                rev = None
        if rev is None:
            raise web.NotFound()
        steps = service.steps_of(rev)
        header = json.loads(rev.header)
        lanes = [r["code"] for r in header.get("roles", [])]
        run = get_run(int(web.query("run"))) if web.query("run").isdigit() else None
        chart = flowchart.svg(lanes, steps, run.current_no if run else None, (), app.role_title)
        return render("tracker/sop.html", page_title=f"{rev.code} — {rev.title}", rev=rev, steps=steps,
                      header=header, lanes=lanes, chart=chart, run=run,
                      loads=lambda s: json.loads(s))

    # ------------------------------------------------ compliance
    @router.get("/compliance", permission="tracker.report")
    def compliance():
        app = current_app()
        code = web.query("code")
        today = datetime.date.today()
        since = web.query_date("since") or today - datetime.timedelta(days=180)
        until = web.query_date("until") or today
        rows = service.compliance(code or None, since, until)
        codes = sorted({sop["code"] for _p, sop in app.sops})
        if web.query("format") in ("csv", "xlsx"):
            header = [_("SOP"), _("Langkah"), _("Aktivasi"), _("Selesai"), _("Tepat waktu"), _("Terlambat"),
                      _("Terbuka lewat batas"), _("% tepat waktu"), _("Median (menit)"), _("Standar (menit)"),
                      _("Dihentikan")]
            return tabular.download(web.query("format"), "kepatuhan-sop", header,
                                    [[r["code"], r["no"], r["total"], r["finished"], r["on_time"], r["late"],
                                      r["overdue"], r["on_time_pct"], r["median"], r["standard"], r["stopped"]]
                                     for r in rows],
                                    title=_("Kepatuhan SOP"))
        return render("tracker/compliance.html", page_title=_("Kepatuhan SOP"), rows=rows, code=code,
                      since=since, until=until, codes=codes, outcomes=service.run_outcomes(code or None, since, until),
                      chart=charts.percent_bars([(f"{r['code']} · {r['no']}", r["on_time_pct"]) for r in rows],
                                                _("Persentase tepat waktu per langkah")))

    @router.get("/sop/<code>/monitoring", permission="tracker.report")
    def monitoring(code):
        rev = in_force(code)
        period = web.query("period") or current_period()
        entries = {e.no: e for e in MonitoringEntry.select().where((MonitoringEntry.revision == rev)
                                                                  & (MonitoringEntry.period == period))}
        return render("tracker/monitoring.html", page_title=_("Monitoring SOP {code}", code=code), rev=rev,
                      steps=service.steps_of(rev), entries=entries, period=period)

    @router.post("/sop/<code>/monitoring", permission="tracker.admin")
    def monitoring_save(code):
        rev = in_force(code)
        period = web.form().get("period") or current_period()
        run_action(lambda: save_monitoring(rev, period, web.form()), f"/sop/{code}/monitoring?period={period}",
                   _("Monitoring tersimpan."))

    # ------------------------------------------------ calendar (admin)
    def calendar_page(values=None, errors=None):
        app = current_app()
        year = web.query_int("year", datetime.date.today().year, minimum=1)
        year = year if year <= 9999 else datetime.date.today().year
        cal = service.calendar_for(app, refresh=True)
        holidays = []
        day = datetime.date(year, 1, 1)
        while day.year == year:
            name = cal.holiday_name(day)
            if name and day.weekday() < 5:
                holidays.append((day, name))
            day += datetime.timedelta(days=1)
        exceptions = list(CalendarException.select().order_by(CalendarException.day))
        return render("tracker/calendar.html", page_title=_("Kalender kerja"), year=year, holidays=holidays,
                      exceptions=exceptions, errors=errors or {}, values=values or {})

    @router.get("/admin/calendar", permission="tracker.admin")
    def calendar():
        return calendar_page()

    @router.post("/admin/calendar", permission="tracker.admin")
    def calendar_add():
        return submit_form(CalendarExceptionForm(), add_calendar_exception, calendar_page,
                           message=_("Pengecualian kalender tersimpan."), to="/admin/calendar")

    @router.post("/admin/calendar/<exc_id:int>/delete", permission="tracker.admin")
    def calendar_delete(exc_id):
        exc = CalendarException.get_or_none(CalendarException.id == exc_id)
        if exc is None:
            raise web.NotFound()
        run_action(lambda: (audit.delete(exc), service.calendar_for(current_app(), refresh=True)),
                   "/admin/calendar", _("Pengecualian dihapus."))

    # The revision screens (editor, new SOP, import) live in their own module.
    routes_revisions.register(router)


class CalendarExceptionForm(forms.Schema):
    day = forms.Date(required=True, label=lazy("Tanggal"))
    name = forms.String(max_length=150, label=lazy("Keterangan"))
    working = forms.Boolean(label=lazy("Jadikan hari kerja (bukan libur)"))


def add_calendar_exception(data):
    """A day the working calendar treats otherwise (a local holiday, or a working Saturday); one per day."""
    if CalendarException.select().where(CalendarException.day == data["day"]).exists():
        raise Refusal(_("Tanggal itu sudah punya pengecualian."), "day")
    audit.create(CalendarException, day=data["day"], working=bool(data.get("working")), name=data.get("name") or "-")
    service.calendar_for(current_app(), refresh=True)


def save_monitoring(rev, period, form):
    """The semester's monitoring of each step (running well, notes, follow-up), created or updated."""
    for step in service.steps_of(rev):
        fields = dict(running_well=form.get(f"well_{step.no}") == "1",
                      notes=(form.get(f"notes_{step.no}") or "")[:2000],
                      action=(form.get(f"action_{step.no}") or "")[:2000])
        entry = MonitoringEntry.get_or_none((MonitoringEntry.revision == rev) & (MonitoringEntry.period == period)
                                            & (MonitoringEntry.no == step.no))
        if entry is None:
            audit.create(MonitoringEntry, revision=rev, no=step.no, period=period, **fields)
        else:
            audit.update(entry, **fields)


def db_count():
    import peewee
    return peewee.fn.COUNT(SopStep.id)


def current_period():
    today = datetime.date.today()
    return f"{today.year}-S{1 if today.month <= 6 else 2}"
