"""Screens of the document service: the archive, one document (HTML, PDF,
versions, revoke/correct), editable templates with a trial render, and the
public verification page ``/verify/<token>``."""
from markupsafe import Markup

from core import web
from core.context import current_app
from core.documents import service, types
from core.documents.models import Document
from core.i18n import _
from core.posts import get_or_404, run_action
from core.views import paginate

STATUS_LABELS = {"valid": "Berlaku", "superseded": "Digantikan", "revoked": "Dicabut"}


def _type_titles():
    return {code: t.title for code, t in types.collect(current_app()).items()}


def readable(doc_id):
    """The document, if the user holds ``documents.view`` or the ``view_permission`` of its type; else 403."""
    doc = get_or_404(Document, doc_id)
    if not types.may_read(current_app(), web.user(), doc):
        raise web.Forbidden(None, permission="documents.view")
    return doc


def register(router):
    @router.get("/documents", permission="documents.view")
    def archive():
        type_code = web.query("type")[:80]
        text = web.query("q").strip()[:100]
        record = web.query("record")[:120]
        try:
            page = max(1, int(web.query("page", "1")))
        except ValueError:
            page = 1
        rows, has_next = paginate(service.archive_query(type_code, text, record), page, 50)
        return web.render("documents/archive.html", rows=rows, page=page, has_next=has_next, q=text,
                          type_code=type_code, record=record, titles=_type_titles(), statuses=STATUS_LABELS,
                          page_title=_("Arsip dokumen"))

    # Every signed-in user reaches these two; ``readable`` applies the paper's own rule.
    @router.get("/documents/<doc_id:int>", permission="core.account")
    def detail(doc_id):
        doc = readable(doc_id)
        versions = list(Document.select().where((Document.type_code == doc.type_code)
                                                & (Document.number == doc.number)).order_by(Document.version))
        u = web.user()
        return web.render("documents/view.html", doc=doc, html=Markup(service.html_of(doc)), versions=versions,
                          titles=_type_titles(), statuses=STATUS_LABELS, can_revoke=u.can("documents.revoke"),
                          can_archive=u.can("documents.view"),
                          page_title=f"{doc.subject} · {doc.number}")

    @router.get("/documents/<doc_id:int>/pdf", permission="core.account")
    def download_pdf(doc_id):
        doc = readable(doc_id)
        body = service.file_content(doc.pdf_sha256)
        if body is None:
            raise web.NotFound()
        safe = "".join(c if c.isalnum() else "-" for c in f"{doc.type_code}-{doc.number}-v{doc.version}")
        web.response.content_type = "application/pdf"
        web.response.set_header("Content-Disposition", f'inline; filename="{safe}.pdf"')
        return body

    @router.post("/documents/<doc_id:int>/revoke", permission="documents.revoke")
    def revoke(doc_id):
        doc = get_or_404(Document, doc_id)
        run_action(lambda: service.revoke(doc, web.user(), web.form().get("reason", "")),
                   f"/documents/{doc.id}", _("Dokumen {n} dicabut.", n=doc.number), refusals=(service.DocumentError,))

    @router.post("/documents/<doc_id:int>/reissue", permission="documents.revoke")
    def reissue(doc_id):
        doc = get_or_404(Document, doc_id)
        run_action(lambda: service.supersede(current_app(), doc, issued_by=web.user()), f"/documents/{doc.id}",
                   lambda new: _("Versi {v} diterbitkan; versi {o} kini digantikan.", v=new.version, o=doc.version),
                   refusals=(service.DocumentError,), to=lambda new: f"/documents/{new.id}")

    # ------------------------------------------------ templates
    def editable_type(code):
        dtype = types.collect(current_app()).get(code)
        if dtype is None or not dtype.editable:
            raise web.NotFound()
        return dtype

    @router.get("/documents/templates", permission="documents.templates")
    def templates():
        from core.documents.models import DocumentTemplate
        edited = {c for (c,) in DocumentTemplate.select(DocumentTemplate.type_code).tuples()}
        rows = sorted(types.collect(current_app()).values(), key=lambda t: t.title)
        return web.render("documents/templates.html", rows=rows, edited=edited, page_title=_("Templat dokumen"))

    def template_form(dtype, source, problems=(), preview=""):
        return web.render("documents/template_form.html", dtype=dtype, source=source, problems=list(problems),
                          preview=Markup(preview), page_title=_("Templat: {t}", t=dtype.title))

    @router.get("/documents/templates/<code>", permission="documents.templates")
    def template_edit(code):
        dtype = editable_type(code)
        source = service.edited_source(dtype) or service.default_source(current_app(), dtype)
        problems, preview = service.try_template(current_app(), dtype, source)
        return template_form(dtype, source, problems, preview)

    @router.post("/documents/templates/<code>", permission="documents.templates")
    def template_save(code):
        dtype = editable_type(code)
        source = web.form().get("source", "")
        if not isinstance(source, str) or not source.strip() or len(source) > 50000:
            web.response.status = 422
            return template_form(dtype, source if isinstance(source, str) else "",
                                 [_("Teks templat wajib diisi (paling banyak 50.000 karakter).")])
        problems, preview = service.try_template(current_app(), dtype, source)
        if problems or web.form().get("preview") == "1":
            web.response.status = 422 if problems else 200
            return template_form(dtype, source, problems, preview)
        service.save_template(current_app(), dtype, source)
        web.flash(_("Templat {t} tersimpan.", t=dtype.title))
        web.redirect("/documents/templates")

    @router.post("/documents/templates/<code>/reset", permission="documents.templates")
    def template_reset(code):
        dtype = editable_type(code)
        run_action(lambda: service.reset_template(dtype), "/documents/templates",
                   _("Templat {t} dikembalikan ke bawaan.", t=dtype.title))

    # ------------------------------------------------ public verification
    @router.get("/verify/<token>", public=True)
    def verify(token):
        doc = service.by_token(token)
        legacy = None
        if doc is None:
            for dtype in types.collect(current_app()).values():
                if dtype.lookup is not None:
                    legacy = dtype.lookup(token)
                    if legacy:
                        break
        newer = Document.get_or_none(Document.id == doc.superseded_by_id) if doc and doc.superseded_by_id else None
        if doc is None and legacy is None:
            web.response.status = 404
        return web.render("documents/verify.html", doc=doc, legacy=legacy, newer=newer, titles=_type_titles(),
                          page_title=_("Verifikasi dokumen"))
