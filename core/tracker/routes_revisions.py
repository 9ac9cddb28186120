"""Revision screens (admin): the revisions of an SOP, the revision editor (every
header field, list, free section, role, case-file field and step column), a new
SOP from nothing, and importing an SOP AP document (.docx or pasted text).

Every change goes through ``core.tracker.authoring`` (audited, one transaction);
a form with a wrong field re-renders with status 422 and nothing saved.
"""
import json

import bottle

from core import forms, web
from core.context import current_app
from core.i18n import _, lazy
from core.tracker import authoring, service, sop as sop_mod
from core.tracker.models import SopRevision
from core.posts import Refusal, run_action, submit_form
from core.web import redirect, render

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def get_revision(code, rev_id):
    rev = SopRevision.get_or_none((SopRevision.id == rev_id) & (SopRevision.code == code))
    if rev is None:
        raise web.NotFound()
    return rev


def editor(rev, header, rows, errors, status=200, values=None):
    """The revision editor page; ``problems`` are the blockers, placed next to their fields."""
    web.response.status = status
    problem_list = authoring.problems_of(header, rows)
    by_field = {}
    for key, message in problem_list:
        by_field.setdefault(key, []).append(message)
    flagged = {int(k.split("-")[1]) for k in list(errors) + list(by_field)
               if k.startswith("step-") and k.split("-")[1].isdigit()}
    blockers = authoring.blockers_of(header, rows, problem_list) if rev.status == "draft" else []
    return render("tracker/revision_edit.html", page_title=_("Revisi {r}", r=rev.revision), rev=rev,
                  header=header, rows=rows, errors=errors, problems=by_field, blockers=blockers,
                  fields=sop_mod.editable_step_fields(), sections=sop_mod.SECTIONS, texts=sop_mod.HEADER_TEXTS,
                  lists=sop_mod.HEADER_LISTS, approver_fields=sop_mod.APPROVER_FIELDS,
                  field_types=sop_mod.CASE_FIELD_TYPES, branches_text=authoring.branches_text,
                  values=values or {}, readonly=rev.status != "draft", dumps=json.dumps, flagged_steps=flagged)


def register(router):
    @router.get("/admin/sop/<code>", permission="tracker.admin")
    def revisions(code):
        revs = list(SopRevision.select().where(SopRevision.code == code).order_by(SopRevision.id))
        if not revs:
            raise web.NotFound()
        has_published = any(r.status == "published" for r in revs)
        return render("tracker/revisions.html", page_title=_("Revisi SOP {code}", code=code), code=code, revs=revs,
                      has_published=has_published)

    @router.post("/admin/sop/<code>/draft", permission="tracker.admin")
    def revision_draft(code):
        run_action(lambda: new_revision(code, web.form().get("revision")), f"/admin/sop/{code}",
                   refusals=(service.StepError,), to=lambda draft: f"/admin/sop/{code}/{draft.id}")

    @router.get("/admin/sop/<code>/<rev_id:int>", permission="tracker.admin")
    def revision_edit(code, rev_id):
        rev = get_revision(code, rev_id)
        authoring.register_roles(current_app(), json.loads(rev.header))
        return editor(rev, json.loads(rev.header), [authoring.step_row(s) for s in service.steps_of(rev)], {})

    @router.post("/admin/sop/<code>/<rev_id:int>", permission="tracker.admin")
    def revision_save(code, rev_id):
        rev = get_revision(code, rev_id)
        if rev.status != "draft":
            web.flash(_("Revisi yang sudah terbit tidak dapat diubah."), "error")
            redirect(f"/admin/sop/{code}/{rev_id}")
        f = web.form()
        header, rows, errors = authoring.read_form(f, rev, json.loads(rev.header), web.form_list)
        publishing = f.get("publish") == "1"
        effective = web.parse_date(f.get("effective_from"))
        if publishing and effective is None:
            errors["effective_from"] = _("Tanggal efektif wajib diisi untuk menerbitkan.")
        if errors:
            return editor(rev, header, rows, errors, 422, values=f)
        try:
            authoring.save(rev, header, rows)
            if publishing:
                authoring.publish(rev, effective, service.publish)
            authoring.register_roles(current_app(), header)
        except authoring.AuthoringError as exc:
            # Saving and publishing are one request: a refused publish keeps the draft as it was.
            web.response.status = 422
            return editor(rev, header, rows, {"_form": str(exc)}, 422, values=f)
        if publishing:
            web.flash(_("Revisi diterbitkan; berlaku mulai {d}.", d=effective.isoformat()))
            redirect(f"/admin/sop/{code}")
        web.flash(_("Langkah baru ditambahkan di akhir.") if f.get("add_step") == "1" else _("Draf revisi tersimpan."))
        redirect(f"/admin/sop/{code}/{rev_id}")

    # ------------------------------------------------ a new SOP, from nothing or from a document
    @router.get("/admin/sops/new", permission="tracker.admin")
    def sop_new():
        return render("tracker/sop_new.html", page_title=_("SOP baru"), errors={}, values={})

    def new_page(values, errors):
        return render("tracker/sop_new.html", page_title=_("SOP baru"), errors=errors, values=values)

    @router.post("/admin/sops/new", permission="tracker.admin")
    def sop_create():
        return submit_form(NewSopForm(), new_sop, new_page, refusals=(authoring.AuthoringError,),
                           message=_("Draf SOP dibuat. Lengkapi pelaksana dan langkahnya, lalu terbitkan."),
                           to=lambda rev: f"/admin/sop/{rev.code}/{rev.id}")

    @router.post("/admin/sops/import", permission="tracker.admin")
    def sop_import():
        from core.tracker import sopimport
        return submit_form(ImportForm(), lambda data: import_sop(data, bottle.request.files.get("document"),
                                                                 web.form().get("text") or ""),
                           new_page, refusals=(sopimport.ImportRefused,), message=import_message,
                           to=lambda rev: f"/admin/sop/{rev.code}/{rev.id}")


class NewSopForm(forms.Schema):
    code = forms.String(max_length=64, label=lazy("Kode SOP"))
    title = forms.String(required=True, label=lazy("Judul SOP"),
                         error_messages={"required": "Judul SOP wajib diisi.", "null": "Judul SOP wajib diisi."})


class ImportForm(forms.Schema):
    code = forms.String(max_length=64, label=lazy("Kode SOP (kosong: dari nomor SOP di dokumen)"))


def new_revision(code, label):
    """A draft revision of an SOP, copied from the one in force; its label is required."""
    label = (label or "").strip()[:40] if isinstance(label, str) else ""
    if not label:
        raise Refusal(_("Nomor revisi wajib diisi."))
    return service.draft_revision(code, label)


def new_sop(data):
    """A draft SOP from nothing: a code (or one made from the title), a title and one blank step."""
    try:
        return authoring.new_draft(data.get("code") or "", data["title"], {"roles": []}, [authoring.blank_step(1)])
    except authoring.AuthoringError as exc:
        raise Refusal(str(exc), "code")


def import_sop(data, upload, text):
    """A draft SOP read from an SOP AP document (a .docx upload, or the table pasted as text)."""
    from core.tracker import sopimport
    if upload is not None and (upload.raw_filename or "").strip():
        body = upload.file.read(MAX_IMPORT_BYTES + 1)
        if len(body) > MAX_IMPORT_BYTES:
            raise sopimport.ImportRefused(_("Berkas terlalu besar (maksimal 5 MB)."), "document")
        parsed = sopimport.read_file(upload.raw_filename, body)
    elif isinstance(text, str) and text.strip():
        parsed = sopimport.read_text(text)
    else:
        raise sopimport.ImportRefused(_("Pilih berkas .docx atau tempel teks tabel SOP."), "document")
    try:
        return sopimport.make_draft(current_app(), parsed, code=data.get("code") or None)
    except authoring.AuthoringError as exc:
        raise Refusal(str(exc), "code")


def import_message(rev):
    found = len(json.loads(rev.header).get("import_problems") or [])
    return (_("Draf SOP dibuat dari dokumen; {n} catatan impor perlu diperiksa.", n=found) if found
            else _("Draf SOP dibuat dari dokumen. Periksa lalu terbitkan."))
