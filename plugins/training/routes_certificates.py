"""Certificates and the batch's papers (on the core document service)."""
import datetime

from markupsafe import Markup

from core.toolkit import Refusal, _, current_app, db, documents, format_number, get_or_404, run_action, web
from plugins.training import actions, papers, service
from plugins.training.models import Batch, Certificate, CompetencyUnit, Enrolment, Person, Programme
from plugins.training.routes_common import can, get_batch, site_base


def certificate_issue(enrolment_id):
    enrolment = get_or_404(Enrolment, enrolment_id)
    try:
        cert = service.issue_certificate(enrolment, current_app(), issued_by=web.user())
    except (service.TrainingError, documents.DocumentError) as exc:
        web.flash(str(exc), "error")
        web.redirect(f"/training/batches/{enrolment.batch_id}")
    web.flash(_("Sertifikat {n} diterbitkan.", n=cert.number))
    web.redirect(f"/training/certificates/{cert.id}")


def certificates_issue_all(batch_id):
    batch = get_batch(batch_id)
    try:
        issued = actions.issue_missing_certificates(batch, web.user())
    except Refusal as exc:
        web.flash(str(exc), "error")
        web.redirect(f"/training/batches/{batch.id}")
    web.flash(_("{n} sertifikat diterbitkan.", n=format_number(issued, 0)) if issued
              else _("Semua lulusan sudah bersertifikat."), "success" if issued else "info")
    web.redirect(f"/training/batches/{batch.id}")


def certificate_query():
    return (Certificate.select(Certificate, Enrolment, Person, Batch, Programme)
            .join(Enrolment).join(Person).switch(Enrolment).join(Batch).join(Programme))


def paper_issue(batch_id, kind):
    batch = get_batch(batch_id)
    made = {}

    def act():
        if kind == "attendance":
            try:
                day = datetime.date.fromisoformat(web.form().get("day", ""))
            except ValueError:
                raise documents.DocumentError(_("Isi tanggal daftar hadir."))
            made["doc"] = papers.issue_attendance_sheet(current_app(), batch, day, web.user())
        elif kind == "participants":
            made["doc"] = papers.issue_participant_list(current_app(), batch, web.user())
        else:
            raise web.NotFound()
    try:
        with db.write():
            act()
    except documents.DocumentError as exc:
        web.flash(str(exc), "error")
        web.redirect(f"/training/batches/{batch.id}")
    web.flash(_("{t} {n} diterbitkan.", t=made["doc"].subject, n=made["doc"].number))
    web.redirect(f"/documents/{made['doc'].id}")


def certificate_page(cert_id):
    import segno
    cert = get_or_404(Certificate, cert_id, certificate_query())
    paper = documents.current_for("training_enrolment", cert.enrolment_id, papers.CERTIFICATE)
    link = service.verification_url(cert, site_base())
    qr = Markup(segno.make(link, error="m").svg_inline(scale=3, svgclass="qr", title=_("Kode QR verifikasi")))
    batch = cert.enrolment.batch
    units = list(CompetencyUnit.select().where(CompetencyUnit.programme == batch.programme_id)
                 .order_by(CompetencyUnit.code))
    return web.render("training/certificate.html", cert=cert, person=cert.enrolment.person, batch=batch,
                      programme=batch.programme, units=units, link=link, qr=qr,
                      can_certify=can("training.certificates"), paper=paper,
                      paper_html=Markup(documents.html_of(paper)) if paper else None,
                      page_title=_("Sertifikat {n}", n=cert.number))


def certificate_revoke(cert_id):
    cert = get_or_404(Certificate, cert_id)
    run_action(lambda: service.revoke_certificate(cert, web.user()), f"/training/certificates/{cert.id}",
               _("Sertifikat {n} dicabut.", n=cert.number))


def register(router):
    router.post("/training/enrolments/<enrolment_id:int>/certificate",
                permission="training.certificates")(certificate_issue)
    router.post("/training/batches/<batch_id:int>/certificates",
                permission="training.certificates")(certificates_issue_all)
    router.post("/training/batches/<batch_id:int>/papers/<kind>", permission="training.attendance")(paper_issue)
    router.get("/training/certificates/<cert_id:int>", permission="training.view")(certificate_page)
    router.post("/training/certificates/<cert_id:int>/revoke", permission="training.certificates")(certificate_revoke)
