"""The guest book (step 1), the visit page with registration (step 2), the hand-over of a
cooperation to a training batch (step 6), the competency test by hand (step 7), and
the papers of KDI-PM-06 issued on the core document service."""
import peewee

from core.toolkit import (Refusal, _, current_app, db, documents, get_or_404, paginate, submit_form, tracker, web)
from plugins.service_desk import cooperation, schemas, selection, service
from plugins.service_desk.models import CATEGORIES, PURPOSES, GuestVisit, TestResult
from plugins.service_desk.routes import G, REFUSALS, safe_back, send_file, upload_of
from plugins.training import service as training
from plugins.training.models import Batch, Enrolment, Person, Programme

# Who may issue which paper (the section whose record it is).
PAPER_PERMISSION = {"receipt": "service_desk.register", "selection": "service_desk.selection",
                    "announcement": "service_desk.selection", "reregistration": "service_desk.selection",
                    "test_request": "service_desk.delivery", "minutes": "service_desk.partnership",
                    "rab": "service_desk.partnership", "pks": "service_desk.partnership"}


def test_events_bridged():
    """Step 7 follows the certification plugin's test events (the service_desk_certification bridge)."""
    return "service_desk_certification" in current_app().plugins


def visit_form(values=None, errors=None):
    values = values or {"category": "umum", "purpose": "registration"}
    return web.render("service_desk/visit_new.html", page_title=_("Buku tamu"), schema=schemas.VisitForm(),
                      values=values, errors=errors or {}, categories=CATEGORIES, purposes=PURPOSES,
                      branch=service.BRANCH, **G)


def visit_page(visit, errors=None, form=None, values=None):
    """The visit's page; ``form`` names the form whose ``errors``/``values`` are shown again."""
    app = current_app()
    run = service.run_of(visit)
    today = service.local_today(app)
    enrolment = batch = person = None
    if visit.enrolment_id:
        enrolment = Enrolment.select(Enrolment, Person).join(Person).where(Enrolment.id == visit.enrolment_id).get()
        person = enrolment.person
    if visit.batch_id:
        batch = Batch.select(Batch, Programme).join(Programme).where(Batch.id == visit.batch_id).get()
    batches = selection.registrable_batches(today) if visit.purpose == "registration" and not enrolment else []
    link_batches = []
    if visit.purpose == "cooperation" and web.user().can("service_desk.delivery"):
        link_batches = list(Batch.select(Batch, Programme).join(Programme)
                            .where(Batch.status.not_in(("cancelled",))).order_by(Batch.start_date.desc()).limit(100))
    skm_link = service.skm_link(app, visit)
    return web.render("service_desk/visit.html", page_title=_("Tamu: {n}", n=visit.name), visit=visit, run=run,
                      items=tracker.timeline(run) if run else [], open_rs=tracker.open_step(run) if run else None,
                      enrolment=enrolment, person=person, batch=batch, batches=batches,
                      problems={b.id: training.registration_problem(b, today) for b in batches},
                      cooperation=service.cooperation_of(visit), link_batches=link_batches,
                      result=service.test_result_of(visit.batch_id), payment_problem=service.payment_problem(visit),
                      skm_link=skm_link, skm_qr=documents.qr_data_uri(skm_link) if skm_link else "",
                      errors=errors or {}, form=form, values=values or {},
                      reg_schema=schemas.RegistrationForm(), test_schema=schemas.TestByHandForm(), **G)


def rerender_visit(visit, form):
    return lambda values, errors: visit_page(visit, errors, form=form, values=values)


def register(router):
    @router.get("/service-desk", permission="service_desk.view")
    def home():
        web.redirect("/service-desk/visits")

    # ------------------------------------------------ guest book (step 1)
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
    @router.get("/service-desk/visits/<vid:int>", permission="service_desk.view")
    def visit_detail(vid):
        return visit_page(get_or_404(GuestVisit, vid))

    @router.post("/service-desk/visits/<vid:int>/register", permission="service_desk.register")
    def visit_register(vid):
        visit = get_or_404(GuestVisit, vid)

        def register_guest(data):
            batch = Batch.get_or_none(Batch.id == data["batch"])
            if batch is None:
                raise Refusal(_("Pilihan tidak valid."), field="batch")
            return batch, selection.register_guest(current_app(), visit, web.user(), batch, data)
        return submit_form(schemas.RegistrationForm(), register_guest, rerender_visit(visit, "register"),
                           message=lambda done: _("{n} terdaftar pada {b} (bukti SIAPkerja {r}).", n=visit.name,
                                                  b=str(done[0]), r=done[1].siapkerja_ref),
                           to=service.visit_url(visit), refusals=REFUSALS)

    @router.post("/service-desk/visits/<vid:int>/batch", permission="service_desk.delivery")
    def visit_batch(vid):
        visit = get_or_404(GuestVisit, vid)

        def link(data):
            batch = Batch.get_or_none(Batch.id == data["batch"])
            if batch is None:
                raise Refusal(_("Pilih angkatan pelatihan."), field="batch")
            cooperation.link_batch(visit, batch, web.user())
            return batch
        return submit_form(schemas.BatchLinkForm(), link, rerender_visit(visit, "batch"),
                           message=lambda batch: _("Kerja sama ditautkan ke {b}.", b=str(batch)),
                           to=service.visit_url(visit), refusals=REFUSALS)

    @router.post("/service-desk/visits/<vid:int>/test", permission="service_desk.delivery")
    def visit_test(vid):
        visit = get_or_404(GuestVisit, vid)
        if test_events_bridged():
            web.flash(_("Modul sertifikasi aktif: tautkan jadwal uji kompetensinya."), "error")
            web.redirect(service.visit_url(visit))

        def record(data):
            service.test_ready(visit)
            return service.record_test_by_hand(current_app(), visit, web.user(), data, upload_of("file"))
        return submit_form(schemas.TestByHandForm(), record, rerender_visit(visit, "test"),
                           message=lambda result: _("Hasil uji kompetensi dicatat; langkah 7 selesai untuk {n} run.",
                                                    n=result[1]),
                           to=service.visit_url(visit), refusals=REFUSALS)

    @router.get("/service-desk/tests/<tid:int>/file", permission="service_desk.view")
    def test_file(tid):
        result = get_or_404(TestResult, tid)
        return send_file(result.file_sha256, result.file_name, result.file_type)

    # ------------------------------------------------ papers (core document service)
    @router.post("/service-desk/papers/<kind:re:[a-z_]+>/<oid:int>", permission="service_desk.view")
    def paper_issue(kind, oid):
        from plugins.service_desk import papers
        if kind not in PAPER_PERMISSION:
            raise web.NotFound()
        if not web.user().can(PAPER_PERMISSION[kind]):
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
