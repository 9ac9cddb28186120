"""Screens of the service desk: guest book (kiosk), visit page with registration,
daily recap and chart, selection per batch, cooperations (minutes, RAB, PKS,
ID Billing), approvals by the head, and the competency-test hand-over."""
import datetime

import bottle
import peewee

from core.toolkit import (Refusal, User, _, current_app, db, documents, format_datetime, forms, get_or_404,
                          paginate, run_action, set_actor, submit_form, tabular, tracker, web)
from plugins.service_desk import charts, schemas, service, skm
from plugins.service_desk.models import (CATEGORIES, COMPLAINT_CHANNELS, COOPERATION_KINDS, DOC_STATUS, PURPOSES,
                                         RESULTS, Approval, Complaint, Cooperation, GuestVisit, Pks, TestResult)
from plugins.training import service as training
from plugins.training.models import ENROLMENT_STATUS, Batch, Enrolment, Person, Programme

REFUSALS = (service.ServiceDeskError, tracker.StepError, training.TrainingError)
LABELS = {"category": dict(CATEGORIES), "purpose": dict(PURPOSES), "kind": dict(COOPERATION_KINDS),
          "doc": dict(DOC_STATUS), "result": dict(RESULTS), "enrolment": dict(ENROLMENT_STATUS)}


def label(kind, value):
    return _(LABELS[kind].get(value, value)) if value else ""


def attempt(fn, back, success=None):
    return run_action(fn, back, success, REFUSALS)


def invalid(page, errors, **values):
    """Re-render a page with its form errors (422: everything of the request rolls back)."""
    web.response.status = 422
    return page(errors=errors, **values)


def test_events_bridged():
    """Step 7 follows the certification plugin's test events (the service_desk_certification bridge)."""
    return "service_desk_certification" in current_app().plugins


class SkmActor:
    """The audit actor of a satisfaction questionnaire answered at the kiosk or by link (no account)."""
    id = None
    full_name = "Responden SKM"
    username = "skm"
    roles = frozenset()

    def can(self, permission):
        return False


def safe_back(path):
    """Back to a page of this plugin only (never an address from outside)."""
    return path if isinstance(path, str) and path.startswith("/service-desk/") and "//" not in path else "/service-desk"


def send_file(sha, name, content_type):
    app = current_app()
    if not sha:
        raise web.NotFound()
    return bottle.static_file(sha, root=app.config["upload_dir"] + "/" + sha[:2], mimetype=content_type or "auto",
                              download=name)


def upload_of(field, required=True):
    upload = bottle.request.files.get(field)
    if upload is None or not (upload.raw_filename or "").strip():
        if required:
            raise service.ServiceDeskError(_("Unggah berkasnya."))
        return None
    return tracker.store_upload(current_app(), upload)


def register(router):
    G = dict(label=label)

    @router.get("/service-desk", permission="service_desk.view")
    def home():
        web.redirect("/service-desk/visits")

    # ------------------------------------------------ guest book (step 1)
    def visit_form(values=None, errors=None):
        values = values or {"category": "umum", "purpose": "registration"}
        return web.render("service_desk/visit_new.html", page_title=_("Buku tamu"), schema=schemas.VisitForm(),
                          values=values, errors=errors or {}, categories=CATEGORIES, purposes=PURPOSES,
                          branch=service.BRANCH, **G)

    @router.get("/service-desk/visits/new", permission="service_desk.guestbook")
    def visit_new():
        return visit_form()

    @router.post("/service-desk/visits/new", permission="service_desk.guestbook")
    def visit_create():
        def recorded(visit):
            nxt = {"registration": _("lanjut ke pendaftaran pelatihan"),
                   "cooperation": _("diteruskan ke Sub Koordinator Pemberdayaan"),
                   "information": _("informasi diberikan, layanan selesai"),
                   "complaint": _("pengaduan dicatat di log pengaduan")}[visit.purpose]
            return _("Tamu {n} dicatat; {x}.", n=visit.name, x=nxt)
        return submit_form(schemas.VisitForm(), lambda data: service.create_visit(current_app(), web.user(), data),
                           visit_form, message=recorded, to=service.visit_url, refusals=REFUSALS)

    @router.get("/service-desk/visits", permission="service_desk.view")
    def visits():
        q = GuestVisit.select().order_by(GuestVisit.visited_at.desc(), GuestVisit.id.desc())
        purpose, day = web.query("purpose"), web.query_date("day")
        if purpose in service.BRANCH:
            q = q.where(GuestVisit.purpose == purpose)
        if day:
            q = q.where(GuestVisit.day == day)
        page = web.query_page()
        rows, has_next = paginate(q, page, 50)
        runs = service.current_steps(rows)
        overdue = service.overdue_run_ids([r.id for r in runs.values()])
        return web.render("service_desk/visits.html", page_title=_("Kunjungan tamu"), rows=rows, runs=runs,
                          overdue=overdue, page=page, has_next=has_next, purpose=purpose, day=day,
                          purposes=PURPOSES, **G)

    # ------------------------------------------------ the visit page
    def visit_page(visit, errors=None, form=None, values=None):
        app = current_app()
        run = service.run_of(visit)
        items = tracker.timeline(run) if run else []
        open_rs = tracker.open_step(run) if run else None
        today = service.local_today(app)
        enrolment = batch = person = None
        if visit.enrolment_id:
            enrolment = Enrolment.select(Enrolment, Person).join(Person).where(Enrolment.id == visit.enrolment_id).get()
            person = enrolment.person
        if visit.batch_id:
            batch = Batch.select(Batch, Programme).join(Programme).where(Batch.id == visit.batch_id).get()
        batches = service.registrable_batches(today) if visit.purpose == "registration" and not enrolment else []
        problems = {b.id: training.registration_problem(b, today) for b in batches}
        link_batches = []
        if visit.purpose == "cooperation" and web.user().can("service_desk.delivery"):
            link_batches = list(Batch.select(Batch, Programme).join(Programme)
                                .where(Batch.status.not_in(("cancelled",))).order_by(Batch.start_date.desc()).limit(100))
        result = service.test_result_of(visit.batch_id)
        skm_link = service.skm_link(app, visit)
        return web.render("service_desk/visit.html", page_title=_("Tamu: {n}", n=visit.name), visit=visit, run=run,
                          items=items, open_rs=open_rs, enrolment=enrolment, person=person, batch=batch,
                          batches=batches, problems=problems, cooperation=service.cooperation_of(visit),
                          link_batches=link_batches, result=result, payment_problem=service.payment_problem(visit),
                          skm_link=skm_link, skm_qr=documents.qr_data_uri(skm_link) if skm_link else "",
                          errors=errors or {}, form=form, values=values or {},
                          reg_schema=schemas.RegistrationForm(), test_schema=schemas.TestByHandForm(), **G)

    @router.get("/service-desk/visits/<vid:int>", permission="service_desk.view")
    def visit_detail(vid):
        return visit_page(get_or_404(GuestVisit, vid))

    @router.post("/service-desk/visits/<vid:int>/register", permission="service_desk.register")
    def visit_register(vid):
        visit = get_or_404(GuestVisit, vid)

        def register(data):
            batch = Batch.get_or_none(Batch.id == data["batch"])
            if batch is None:
                raise Refusal(_("Pilihan tidak valid."), field="batch")
            return batch, service.register_guest(current_app(), visit, web.user(), batch, data)
        return submit_form(schemas.RegistrationForm(), register,
                           lambda values, errors: visit_page(visit, errors, form="register", values=values),
                           message=lambda done: _("{n} terdaftar pada {b} (bukti SIAPkerja {r}).", n=visit.name,
                                                  b=str(done[0]), r=done[1].siapkerja_ref),
                           to=service.visit_url(visit), refusals=REFUSALS)

    @router.post("/service-desk/visits/<vid:int>/batch", permission="service_desk.delivery")
    def visit_batch(vid):
        visit = get_or_404(GuestVisit, vid)
        data, errors = forms.validate(schemas.BatchLinkForm(), web.form())
        batch = Batch.get_or_none(Batch.id == data["batch"]) if data else None
        back = service.visit_url(visit)
        if batch is None:
            web.flash(_("Pilih angkatan pelatihan."), "error")
            web.redirect(back)

        attempt(lambda: service.link_batch(visit, batch, web.user()), back,
                _("Kerja sama ditautkan ke {b}.", b=str(batch)))

    @router.post("/service-desk/visits/<vid:int>/test", permission="service_desk.delivery")
    def visit_test(vid):
        visit = get_or_404(GuestVisit, vid)
        if test_events_bridged():
            web.flash(_("Modul sertifikasi aktif: tautkan jadwal uji kompetensinya."), "error")
            web.redirect(service.visit_url(visit))

        def record(data):
            service.test_ready(visit)
            return service.record_test_by_hand(current_app(), visit, web.user(), data, upload_of("file"))
        return submit_form(schemas.TestByHandForm(), record,
                           lambda values, errors: visit_page(visit, errors, form="test", values=values),
                           message=lambda result: _("Hasil uji kompetensi dicatat; langkah 7 selesai untuk {n} run.",
                                                    n=result[1]),
                           to=service.visit_url(visit), refusals=REFUSALS)

    @router.get("/service-desk/tests/<tid:int>/file", permission="service_desk.view")
    def test_file(tid):
        result = get_or_404(TestResult, tid)
        return send_file(result.file_sha256, result.file_name, result.file_type)

    # ------------------------------------------------ papers (core document service)
    paper_permission = {"receipt": "service_desk.register", "selection": "service_desk.selection",
                        "announcement": "service_desk.selection", "reregistration": "service_desk.selection",
                        "test_request": "service_desk.delivery", "minutes": "service_desk.partnership",
                        "rab": "service_desk.partnership", "pks": "service_desk.partnership"}

    @router.post("/service-desk/papers/<kind:re:[a-z_]+>/<oid:int>", permission="service_desk.view")
    def paper_issue(kind, oid):
        from plugins.service_desk import papers
        if kind not in paper_permission:
            raise web.NotFound()
        if not web.user().can(paper_permission[kind]):
            raise web.Forbidden(_("Anda tidak berwenang menerbitkan dokumen ini."))
        back = safe_back(web.form().get("back"))
        try:
            with db.write():
                doc = papers.issue(current_app(), kind, oid, web.user(), service.local_today(current_app()))
        except (documents.DocumentError, *REFUSALS) as exc:
            web.flash(str(exc), "error")
            web.redirect(back)
        except peewee.DoesNotExist:                  # a record id that does not exist
            raise web.NotFound()
        web.flash(_("{t} {n} diterbitkan.", t=doc.subject, n=doc.number))
        web.redirect(f"/documents/{doc.id}")

    # ------------------------------------------------ public-service duties: SKM kiosk, IKM, complaints
    def kiosk_page(values=None, errors=None, done=False, token=""):
        return web.render("service_desk/kiosk.html", page_title=_("Survei Kepuasan Masyarakat"),
                          maklumat=current_app().config.plugin("service_desk")["maklumat"], elements=skm.ELEMENTS,
                          scale=skm.SCALE, schema=schemas.SkmForm(), values=values or {}, errors=errors or {},
                          done=done, token=token)

    @router.get("/layanan/skm", public=True)
    def kiosk():
        return kiosk_page(token=web.query("t", "")[:40])

    @router.post("/layanan/skm", public=True)
    def kiosk_answer():
        token = web.query("t", "")[:40]
        f = web.form()
        data, errors = forms.validate(schemas.SkmForm(), f)
        if not errors:
            set_actor(SkmActor())
            try:
                skm.answer(current_app(), data, web.client_address(), token or None)
            except skm.SkmRateLimited as exc:
                web.response.status = 429
                return kiosk_page(values=f, errors={"_form": str(exc)}, token=token)
            except skm.SkmError as exc:
                errors = {"_form": str(exc)}
        if errors:
            return invalid(kiosk_page, errors, values=f, token=token)
        return kiosk_page(done=True, token=token)

    @router.get("/service-desk/skm", permission="service_desk.recap")
    def skm_recap():
        today = service.local_today(current_app())
        year = int(web.query("year")) if web.query("year", "").isdigit() and 2000 <= int(web.query("year")) <= 2100 \
            else today.year
        rows = [(label, skm.index(since, until)) for label, since, until in skm.periods(year)]
        rows.append((_("Tahun {y}", y=year), skm.index(datetime.date(year, 1, 1), datetime.date(year, 12, 31))))
        monthly = skm.monthly_index(year)
        chart = charts.ikm_chart(monthly, year)
        return web.render("service_desk/skm.html", page_title=_("Indeks Kepuasan Masyarakat (IKM)"), year=year,
                          rows=rows, elements=skm.ELEMENTS, chart=chart, **G)

    @router.get("/service-desk/skm/export", permission="service_desk.recap")
    def skm_export():
        year = int(web.query("year")) if web.query("year", "").isdigit() and 2000 <= int(web.query("year")) <= 2100 \
            else service.local_today(current_app()).year
        header, rows = skm.export_table(year)
        return tabular.download("xlsx" if web.query("format") == "xlsx" else "csv", f"ikm-{year}", header, rows,
                                title=f"IKM {year}", preamble=[[current_app().config["institution"]],
                                                               ["Indeks Kepuasan Masyarakat (PermenPANRB 14/2017)"]])

    @router.get("/service-desk/complaints", permission="service_desk.complaints")
    def complaints():
        return complaints_page()

    def complaints_page(values=None, errors=None):
        rows = list(Complaint.select().order_by(Complaint.id.desc()).limit(200))
        return web.render("service_desk/complaints.html", page_title=_("Log pengaduan"), rows=rows,
                          schema=schemas.ComplaintForm(), values=values or {"channel": "langsung"},
                          errors=errors or {}, now=db.utcnow(), days=skm.complaint_days(current_app()), **G)

    @router.post("/service-desk/complaints", permission="service_desk.complaints")
    def complaint_create():
        f = web.form()
        data, errors = forms.validate(schemas.ComplaintForm(), f)
        if errors:
            return invalid(complaints_page, errors, values=f)
        complaint = skm.open_complaint(current_app(), web.user(), data)
        web.flash(_("Pengaduan dicatat; dijawab paling lambat {d}.", d=format_datetime(complaint.due_at)))
        web.redirect(f"/service-desk/complaints/{complaint.id}")

    def complaint_page(c, values=None, errors=None):
        return web.render("service_desk/complaint.html", page_title=_("Pengaduan: {s}", s=c.subject), c=c,
                          label_channel=_(dict(COMPLAINT_CHANNELS).get(c.channel, c.channel)),
                          schema=schemas.ComplaintAnswerForm(), values=values or {}, errors=errors or {}, **G)

    @router.get("/service-desk/complaints/<cid:int>", permission="service_desk.complaints")
    def complaint(cid):
        return complaint_page(get_or_404(Complaint, cid))

    @router.post("/service-desk/complaints/<cid:int>/answer", permission="service_desk.complaints")
    def complaint_answer(cid):
        c = get_or_404(Complaint, cid)
        f = web.form()
        data, errors = forms.validate(schemas.ComplaintAnswerForm(), f)
        if not errors:
            try:
                skm.answer_complaint(c, web.user(), data["answer"])
            except skm.SkmError as exc:
                errors = {"_form": str(exc)}
        if errors:
            return invalid(lambda **kw: complaint_page(c, **kw), errors, values=f)
        web.flash(_("Jawaban pengaduan disimpan."))
        web.redirect(f"/service-desk/complaints/{cid}")

    # ------------------------------------------------ recap and chart
    @router.get("/service-desk/recap", permission="service_desk.recap")
    def recap():
        today = service.local_today(current_app())
        day = web.query_date("day", today)
        until = web.query_date("until", today)
        since = web.query_date("since", until - datetime.timedelta(days=29))
        if since > until:
            since, until = until, since
        rows = service.visits_of_day(day)
        runs = service.current_steps(rows)
        day_counts = {}
        for v in rows:
            day_counts[v.category] = day_counts.get(v.category, 0) + 1
        period = service.counts(since, until)
        return web.render("service_desk/recap.html", page_title=_("Rekap tamu harian"), day=day, rows=rows, runs=runs,
                          day_counts=day_counts, since=since, until=until, period=period,
                          chart=charts.visits_chart(period, CATEGORIES, PURPOSES), categories=CATEGORIES,
                          purposes=PURPOSES, prev_day=day - datetime.timedelta(days=1),
                          next_day=day + datetime.timedelta(days=1), **G)

    # ------------------------------------------------ selection (step 3)
    @router.get("/service-desk/selection", permission="service_desk.selection")
    def selection_list():
        from peewee import fn
        batches = list(Batch.select(Batch, Programme).join(Programme)
                       .where(Batch.status.not_in(("cancelled",))).order_by(Batch.start_date.desc()).limit(100))
        counts = dict(Enrolment.select(Enrolment.batch, fn.COUNT(Enrolment.id))
                      .where(Enrolment.batch.in_([b.id for b in batches] or [0]))
                      .group_by(Enrolment.batch).tuples())
        return web.render("service_desk/selection_list.html", page_title=_("Seleksi peserta"), batches=batches,
                          counts=counts, **G)

    def selection_page(batch, errors=None, values=None, form=None):
        setting = service.setting_for(batch)
        rows = service.candidates(batch)
        return web.render("service_desk/selection.html", page_title=_("Seleksi: {b}", b=str(batch)), batch=batch,
                          setting=setting, rows=rows, errors=errors or {}, values=values or {}, form=form,
                          setting_schema=schemas.SettingForm(), open_statuses=service.SELECTION_OPEN,
                          roster=[e for e in rows if e.status in service.ROSTER],
                          accepted=[e for e in rows if e.status == "accepted"],
                          reserve=[e for e in rows if e.status == "reserve"], **G)

    def get_batch(bid):
        batch = Batch.select(Batch, Programme).join(Programme).where(Batch.id == bid).first()
        if batch is None:
            raise web.NotFound()
        return batch

    @router.get("/service-desk/selection/<bid:int>", permission="service_desk.selection")
    def selection(bid):
        return selection_page(get_batch(bid))

    @router.post("/service-desk/selection/<bid:int>/settings", permission="service_desk.selection")
    def selection_settings(bid):
        batch = get_batch(bid)
        return submit_form(schemas.SettingForm(), lambda data: service.save_setting(batch, data),
                           lambda values, errors: selection_page(batch, errors, values, form="settings"),
                           message=_("Bobot dan nilai batas disimpan."), to=f"/service-desk/selection/{bid}",
                           refusals=REFUSALS)

    @router.post("/service-desk/selection/<bid:int>/scores", permission="service_desk.selection")
    def selection_scores(bid):
        batch = get_batch(bid)
        f = web.form()
        rows, errors = {}, {}
        for e in service.candidates(batch):
            if e.status not in service.SELECTION_OPEN:
                continue
            raw = {k: f[f"{k}_{e.id}"] for k in ("cbt_score", "interview_score", "interview_notes")
                   if f"{k}_{e.id}" in f}
            if not raw:
                continue
            data, errs = forms.validate(schemas.ScoreForm(), raw)
            if errs:
                errors.update({f"{k}_{e.id}": m for k, m in errs.items()})
            else:
                rows[e.id] = data
        if not errors:
            try:
                service.save_scores(batch, rows)
            except REFUSALS as exc:
                errors = {"_form": str(exc)}
        if errors:
            return invalid(lambda **kw: selection_page(batch, **kw), errors, values=f, form="scores")
        web.flash(_("Nilai seleksi disimpan."))
        web.redirect(f"/service-desk/selection/{bid}")

    @router.post("/service-desk/selection/<bid:int>/finalise", permission="service_desk.selection")
    def selection_finalise(bid):
        batch = get_batch(bid)
        back = f"/service-desk/selection/{bid}"
        attempt(lambda: service.finalise_selection(current_app(), batch, web.user()), back, _("Seleksi difinalkan: hasil dan status peserta diperbarui; run pelamar yang "
                                      "tidak diterima berakhir, yang diterima menunggu daftar ulang."))

    @router.post("/service-desk/selection/<bid:int>/move", permission="service_desk.selection")
    def selection_move(bid):
        batch = get_batch(bid)
        f = web.form()
        eid = int(f.get("enrolment")) if str(f.get("enrolment", "")).isdigit() else 0
        attempt(lambda: service.move_enrolment(batch, eid, f.get("to", "")), f"/service-desk/selection/{bid}",
                _("Status peserta diperbarui."))

    @router.get("/service-desk/selection/<bid:int>/print", permission="service_desk.selection")
    def selection_print(bid):
        batch = get_batch(bid)
        rows = service.candidates(batch)
        rows.sort(key=lambda e: (-(e.score.total if e.score and e.score.total is not None else -1), e.person.name))
        return web.render("service_desk/selection_print.html", page_title=_("Rekap nilai hasil seleksi"), batch=batch,
                          setting=service.setting_for(batch), rows=rows,
                          roster=[e for e in rows if e.status in service.ROSTER + ("accepted",)],
                          printed=service.local_today(current_app()), **G)

    # ------------------------------------------------ cooperations (steps 4–5)
    @router.get("/service-desk/cooperations", permission="service_desk.view")
    def cooperations():
        rows = list(Cooperation.select(Cooperation, GuestVisit).join(GuestVisit)
                    .order_by(Cooperation.id.desc()).limit(200))
        return web.render("service_desk/cooperations.html", page_title=_("Kerja sama"), rows=rows, **G)

    def coop_page(coop, errors=None, values=None, form=None):
        visit = GuestVisit.get_by_id(coop.visit_id)
        run = service.run_of(visit)
        lines = service.rab_lines(coop)
        approvals = list(Approval.select().where(Approval.cooperation == coop).order_by(Approval.id.desc()))
        names = {u.id: u.full_name for u in User.select().where(User.id.in_([a.decided_by_id for a in approvals] or [0]))}
        return web.render("service_desk/cooperation.html", page_title=_("Kerja sama: {n}", n=visit.organisation or visit.name),
                          coop=coop, visit=visit, run=run, items=tracker.timeline(run) if run else [], lines=lines,
                          total=service.rab_total(lines), pks=service.pks_of(coop), approvals=approvals, names=names,
                          errors=errors or {}, values=values or {}, form=form,
                          minutes_schema=schemas.MinutesForm(), line_schema=schemas.RabLineForm(),
                          pks_schema=schemas.PksForm(), billing_schema=schemas.BillingForm(),
                          batch=Batch.get_or_none(Batch.id == coop.batch_id) if coop.batch_id else None, **G)

    @router.get("/service-desk/cooperations/<cid:int>", permission="service_desk.view")
    def cooperation(cid):
        return coop_page(get_or_404(Cooperation, cid))

    def coop_form(cid, schema, form_name, action, success):
        coop = get_or_404(Cooperation, cid)
        return submit_form(schema, lambda data: action(coop, data),
                           lambda values, errors: coop_page(coop, errors, values, form=form_name),
                           message=success, to=f"/service-desk/cooperations/{cid}", refusals=REFUSALS)

    @router.post("/service-desk/cooperations/<cid:int>/minutes", permission="service_desk.partnership")
    def coop_minutes(cid):
        return coop_form(cid, schemas.MinutesForm(), "minutes",
                         lambda coop, data: service.save_minutes(current_app(), coop, web.user(), data),
                         _("Notulen disimpan."))

    @router.post("/service-desk/cooperations/<cid:int>/rab/lines", permission="service_desk.partnership")
    def coop_rab_line(cid):
        return coop_form(cid, schemas.RabLineForm(), "rab", service.add_rab_line, _("Rincian RAB ditambahkan."))

    @router.post("/service-desk/cooperations/<cid:int>/rab/lines/<lid:int>/delete", permission="service_desk.partnership")
    def coop_rab_delete(cid, lid):
        coop = get_or_404(Cooperation, cid)
        attempt(lambda: service.delete_rab_line(coop, lid), f"/service-desk/cooperations/{cid}",
                _("Rincian RAB dihapus."))

    @router.post("/service-desk/cooperations/<cid:int>/pks", permission="service_desk.partnership")
    def coop_pks(cid):
        coop = get_or_404(Cooperation, cid)
        f = web.form()
        only_scan = f.get("only_scan") == "1"
        data, errors = (None, {}) if only_scan else forms.validate(schemas.PksForm(), f)
        if not errors:
            try:
                with db.write():
                    scan = upload_of("scan", required=only_scan)
                    service.save_pks(coop, data, scan)
            except REFUSALS as exc:
                errors = {"_form": str(exc)}
        if errors:
            return invalid(lambda **kw: coop_page(coop, **kw), errors, values=f, form="pks")
        web.flash(_("PKS disimpan."))
        web.redirect(f"/service-desk/cooperations/{cid}")

    @router.get("/service-desk/cooperations/<cid:int>/pks/scan", permission="service_desk.view")
    def coop_pks_scan(cid):
        pks = Pks.get_or_none(Pks.cooperation == cid)
        if pks is None:
            raise web.NotFound()
        return send_file(pks.scan_sha256, pks.scan_filename, pks.scan_type)

    @router.post("/service-desk/cooperations/<cid:int>/submit/<doc:re:rab|pks>", permission="service_desk.partnership")
    def coop_submit(cid, doc):
        coop = get_or_404(Cooperation, cid)
        attempt(lambda: service.submit(coop, doc), f"/service-desk/cooperations/{cid}",
                _("{d} diajukan kepada Kepala BPVP.", d=doc.upper()))

    @router.post("/service-desk/cooperations/<cid:int>/decide/<doc:re:rab|pks>", permission="service_desk.approve")
    def coop_decide(cid, doc):
        coop = get_or_404(Cooperation, cid)
        f = web.form()
        approve = f.get("decision") == "approve"
        attempt(lambda: service.decide(current_app(), coop, doc, web.user(), approve, f.get("reason", "")),
                f.get("back") if f.get("back") == "/service-desk/approvals" else f"/service-desk/cooperations/{cid}",
                _("{d} disetujui.", d=doc.upper()) if approve else _("{d} dikembalikan dengan alasan.", d=doc.upper()))

    @router.post("/service-desk/cooperations/<cid:int>/billing", permission="service_desk.partnership")
    def coop_billing(cid):
        return coop_form(cid, schemas.BillingForm(), "billing", service.save_billing, _("ID Billing disimpan."))

    @router.get("/service-desk/approvals", permission="service_desk.approve")
    def approvals():
        rows = list(Cooperation.select(Cooperation, GuestVisit).join(GuestVisit)
                    .where((Cooperation.rab_status == "submitted") | (Cooperation.pks_status == "submitted"))
                    .order_by(Cooperation.id))
        lines = service.rab_lines_by_cooperation([c.id for c in rows])
        totals = {c.id: service.rab_total(lines.get(c.id, [])) for c in rows}
        return web.render("service_desk/approvals.html", page_title=_("Persetujuan RAB & PKS"), rows=rows,
                          totals=totals, lines=lines, **G)
