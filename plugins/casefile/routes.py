"""Screens of the ``casefile`` plugin: case files (list, new, detail), notes and field files.

A case file's steps are done on the tracker's generic run page (/runs/<id>),
reached from *Tugas saya*; this page shows the case's data and its run.
"""
import json

import bottle

from core.toolkit import User, _, current_app, forms, get_or_404, lazy, paginate, submit_form, tracker, web
from plugins.casefile import service
from plugins.casefile.models import CaseFile, CaseNote

BASE = "/berkas"
NOTE_FORM = forms.Schema.from_dict({"text": forms.Text(required=True, label=lazy("Catatan baru"))})


def case_form(header):
    """The marshmallow form of a new case file of this SOP: title, requester and its declared fields."""
    fields = {"title": forms.String(required=True, max_length=200, label="Judul berkas"),
              "requester": forms.String(required=True, max_length=150, label="Pemohon")}
    for cf in header.get("case_fields") or []:
        name, label, required = f"f_{cf['key']}", cf["label"], bool(cf.get("required"))
        if cf["type"] == "date":
            fields[name] = forms.Date(required=required, label=label)
        elif cf["type"] == "number":
            fields[name] = forms.Decimal(required=required, label=label, places=4)
        elif cf["type"] == "choice":
            fields[name] = forms.Choice([(c, c) for c in cf.get("choices") or []], required=required, label=label)
        elif cf["type"] == "text":
            fields[name] = forms.String(required=required, max_length=1000, label=label)
    return forms.Schema.from_dict(fields)()


def new_page(app, code, rev, values, errors, status=200):
    web.response.status = status
    header = json.loads(rev.header) if rev else {}
    return web.render("casefile/new.html", page_title=_("Berkas baru"), sops=service.generic_sops(app), code=code,
                  rev=rev, fields=forms.form_fields(case_form(header)) if rev else [],
                  file_fields=[cf for cf in header.get("case_fields") or [] if cf["type"] == "file"],
                  values=values, errors=errors)


def register(router):
    @router.get(BASE, permission="casefile.view")
    def case_list():
        code = web.query("code")
        q = CaseFile.select().order_by(CaseFile.id.desc())
        if code:
            q = q.where(CaseFile.code == code)
        page = max(int(web.query("page", "1")) if web.query("page", "1").isdigit() else 1, 1)
        rows, has_next = paginate(q, page, 50)
        runs = tracker.runs_of(CaseFile, rows)
        return web.render("casefile/list.html", page_title=_("Berkas SOP"), rows=rows, runs=runs, page=page,
                      has_next=has_next, code=code, sops=service.generic_sops(current_app()))

    @router.get(BASE + "/new", permission="casefile.create")
    def case_new():
        app, code = current_app(), web.query("code")
        rev = None
        if code:
            try:
                rev = service.revision_for_new_case(app, code)
            except service.CaseError as exc:
                return new_page(app, code, None, {}, {"code": str(exc)}, 422)
        return new_page(app, code, rev, {}, {})

    @router.post(BASE + "/new", permission="casefile.create")
    def case_create():
        app, raw = current_app(), web.form()
        code = raw.get("code") or ""
        try:
            rev = service.revision_for_new_case(app, code)
        except service.CaseError as exc:
            return new_page(app, code, None, raw, {"code": str(exc)}, 422)
        header = json.loads(rev.header)
        data, errors = forms.validate(case_form(header), raw)
        files = {}
        for cf in header.get("case_fields") or []:
            upload = web.request.files.get(f"f_{cf['key']}")
            if cf["type"] == "file" and upload is not None and (upload.raw_filename or "").strip():
                try:
                    files[cf["key"]] = tracker.store_upload(app, upload)
                except tracker.StepError as exc:
                    errors[f"f_{cf['key']}"] = str(exc)
        if not errors:
            try:
                case = service.open_case(app, code, data, files, web.user())
            except (service.CaseError, tracker.StepError) as exc:
                errors[getattr(exc, "field", None) or "_form"] = str(exc)
        if errors:
            return new_page(app, code, rev, raw, errors, 422)
        web.flash(_("Berkas dibuat; langkah pertama ada di Tugas saya pelaksananya."))
        web.redirect(f"{BASE}/{case.id}")

    def case_view(case, note_values=None, note_errors=None):
        run = tracker.run_for(CaseFile.audit_type(), case.id)
        header = json.loads(run.revision.header) if run else {}
        notes = list(CaseNote.select(CaseNote, User).join(User, on=(
            CaseNote.author == User.id)).where(CaseNote.case == case).order_by(CaseNote.id))
        items = tracker.timeline(run) if run else []
        return web.render("casefile/detail.html", page_title=case.title, case=case, run=run,
                          items=items, values=json.loads(case.values), outputs=service.output_documents(items),
                          case_fields=header.get("case_fields") or [], notes=notes, errors={},
                          note_values=note_values or {}, note_errors=note_errors or {})

    @router.get(BASE + "/<case_id:int>", permission="casefile.view")
    def case_page(case_id):
        return case_view(get_or_404(CaseFile, case_id))

    @router.post(BASE + "/<case_id:int>/steps/<run_step_id:int>/document", permission="casefile.view")
    def case_output(case_id, run_step_id):
        case = get_or_404(CaseFile, case_id)
        try:
            doc = service.output_document(current_app(), case, run_step_id, web.user())
        except service.CaseError as exc:
            web.flash(str(exc), "error")
            web.redirect(f"{BASE}/{case.id}#outputs")
        web.flash(_("Keterangan hasil langkah diterbitkan dengan nomor {n}.", n=doc.number))
        web.redirect(f"/documents/{doc.id}")

    @router.post(BASE + "/<case_id:int>/notes", permission="casefile.view")
    def case_note(case_id):
        case = get_or_404(CaseFile, case_id)
        return submit_form(NOTE_FORM(), lambda data: service.add_note(case, web.user(), data["text"]),
                           lambda values, errors: case_view(case, values, errors),
                           message=_("Catatan tersimpan."), to=f"{BASE}/{case.id}#notes",
                           refusals=(service.CaseError,))

    @router.get(BASE + "/<case_id:int>/files/<key>", permission="casefile.view")
    def case_file(case_id, key):
        case = get_or_404(CaseFile, case_id)
        stored = json.loads(case.values).get(key)
        if not isinstance(stored, dict) or not stored.get("sha256"):
            raise web.NotFound()
        sha = stored["sha256"]
        return bottle.static_file(sha, root=current_app().config["upload_dir"] + "/" + sha[:2],
                                  mimetype=stored.get("content_type") or "application/octet-stream",
                                  download=stored.get("filename") or "berkas")
