"""Public-service duties of the service desk: the SKM questionnaire on the kiosk screen
(with the maklumat pelayanan) or by a visit's link, the IKM per period with chart and
export, the complaints log; and the daily guest recap with its chart."""
import datetime

from core.toolkit import (_, current_app, db, format_datetime, forms, get_or_404, public_links, set_actor,
                          submit_form, tabular, web)
from plugins.service_desk import charts, schemas, service, skm
from plugins.service_desk.models import CATEGORIES, PURPOSES, Complaint
from plugins.service_desk.routes import G


class SkmActor:
    """The audit actor of a satisfaction questionnaire answered at the kiosk or by link (no account)."""
    id = None
    full_name = "Responden SKM"
    username = "skm"
    roles = frozenset()

    def can(self, permission):
        return False


# The status of a page whose visit link cannot be answered.
LINK_STATUS = {"unknown": 404, "expired": 410, "revoked": 410, "closed": 409, "answered": 409, "limited": 429}


def kiosk_page(values=None, errors=None, done=False, token="", closed=""):
    return web.render("service_desk/kiosk.html", page_title=_("Survei Kepuasan Masyarakat"),
                      maklumat=current_app().config.plugin("service_desk")["maklumat"], elements=skm.ELEMENTS,
                      scale=skm.SCALE, schema=schemas.SkmForm(), values=values or {}, errors=errors or {},
                      done=done, token=token, closed=closed)


def link_refused(state, message=""):
    web.response.status = LINK_STATUS.get(state, 404)
    return kiosk_page(closed=skm.link_refusal(state) or message)


def year_asked():
    year = web.query("year", "")
    return int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else service.local_today(current_app()).year


def complaints_page(values=None, errors=None):
    rows = list(Complaint.select().order_by(Complaint.id.desc()).limit(200))
    return web.render("service_desk/complaints.html", page_title=_("Log pengaduan"), rows=rows,
                      schema=schemas.ComplaintForm(), values=values or {"channel": "langsung"},
                      errors=errors or {}, now=db.utcnow(), days=skm.complaint_days(current_app()), **G)


def complaint_page(c, values=None, errors=None):
    return web.render("service_desk/complaint.html", page_title=_("Pengaduan: {s}", s=c.subject), c=c,
                      schema=schemas.ComplaintAnswerForm(), values=values or {}, errors=errors or {}, **G)


def register(router):
    # ------------------------------------------------ SKM: kiosk screen or a visit's link
    @router.get("/layanan/skm", public=True)
    def kiosk():
        token = web.query("t", "")[:64]
        if token:
            try:
                state = skm.link_state(token, web.client_address())
            except public_links.LinkError as exc:
                return link_refused(exc.state, str(exc))
            if state != "open":
                return link_refused(state)
        return kiosk_page(token=token)

    @router.post("/layanan/skm", public=True)
    def kiosk_answer():
        # Not submit_form: the page answers a visitor (no redirect), and refusals of the link or the
        # rate limit have their own status (404/409/410/429), kept — the failed try is counted.
        token = web.query("t", "")[:64]
        sent = web.form()
        data, errors = forms.validate(schemas.SkmForm(), sent)
        if errors:
            web.response.status = 422
            return kiosk_page(values=sent, errors=errors, token=token)
        set_actor(SkmActor())
        try:
            skm.answer(current_app(), data, web.client_address(), token or None)
        except public_links.LinkError as exc:
            return link_refused(exc.state, str(exc))
        except skm.SkmRateLimited as exc:
            web.response.status = 429
            return kiosk_page(values=sent, errors={"_form": str(exc)}, token=token)
        return kiosk_page(done=True, token=token)

    # ------------------------------------------------ IKM per period, chart, export
    @router.get("/service-desk/skm", permission="service_desk.recap")
    def skm_recap():
        year = year_asked()
        rows = [(label, skm.index(since, until)) for label, since, until in skm.periods(year)]
        rows.append((_("Tahun {y}", y=year), skm.index(datetime.date(year, 1, 1), datetime.date(year, 12, 31))))
        chart = charts.ikm_chart(skm.monthly_index(year), year)
        return web.render("service_desk/skm.html", page_title=_("Indeks Kepuasan Masyarakat (IKM)"), year=year,
                          rows=rows, elements=skm.ELEMENTS, chart=chart, **G)

    @router.get("/service-desk/skm/export", permission="service_desk.recap")
    def skm_export():
        year = year_asked()
        header, rows = skm.export_table(year)
        return tabular.download("xlsx" if web.query("format") == "xlsx" else "csv", f"ikm-{year}", header, rows,
                                title=f"IKM {year}", preamble=[[current_app().config["institution"]],
                                                               ["Indeks Kepuasan Masyarakat (PermenPANRB 14/2017)"]])

    # ------------------------------------------------ complaints log
    @router.get("/service-desk/complaints", permission="service_desk.complaints")
    def complaints():
        return complaints_page()

    @router.post("/service-desk/complaints", permission="service_desk.complaints")
    def complaint_create():
        return submit_form(schemas.ComplaintForm(), lambda data: skm.open_complaint(current_app(), web.user(), data),
                           complaints_page,
                           message=lambda c: _("Pengaduan dicatat; dijawab paling lambat {d}.",
                                               d=format_datetime(c.due_at)),
                           to=lambda c: f"/service-desk/complaints/{c.id}")

    @router.get("/service-desk/complaints/<cid:int>", permission="service_desk.complaints")
    def complaint(cid):
        return complaint_page(get_or_404(Complaint, cid))

    @router.post("/service-desk/complaints/<cid:int>/answer", permission="service_desk.complaints")
    def complaint_answer(cid):
        c = get_or_404(Complaint, cid)
        return submit_form(schemas.ComplaintAnswerForm(), lambda data: skm.answer_complaint(c, web.user(), data["answer"]),
                           lambda values, errors: complaint_page(c, values, errors),
                           message=_("Jawaban pengaduan disimpan."), to=f"/service-desk/complaints/{cid}",
                           refusals=(skm.SkmError,))

    # ------------------------------------------------ daily recap and chart
    @router.get("/service-desk/recap", permission="service_desk.recap")
    def recap():
        today = service.local_today(current_app())
        day = web.query_date("day", today)
        until = web.query_date("until", today)
        since = web.query_date("since", until - datetime.timedelta(days=29))
        if since > until:
            since, until = until, since
        rows = service.visits_of_day(day)
        day_counts = {}
        for v in rows:
            day_counts[v.category] = day_counts.get(v.category, 0) + 1
        period = service.counts(since, until)
        return web.render("service_desk/recap.html", page_title=_("Rekap tamu harian"), day=day, rows=rows,
                          runs=service.current_steps(rows), day_counts=day_counts, since=since, until=until,
                          period=period, chart=charts.visits_chart(period, CATEGORIES, PURPOSES),
                          categories=CATEGORIES, purposes=PURPOSES, prev_day=day - datetime.timedelta(days=1),
                          next_day=day + datetime.timedelta(days=1), **G)
