"""Case files of generic SOPs: which SOPs run here, opening a case (its run starts
in the same transaction), notes, and the hook point for issuing step outputs.

An SOP runs on case files when the revision in force has plugin ``casefile``
(it was imported or written in the revision editor) and no enabled plugin
declares its code. **Promote later**: when a plugin starts declaring the same
code, its definition is stored as a new published revision at startup
(``service.load_definitions``); from its effective date new runs take the
plugin's revision, while the runs of existing case files keep theirs to the
end (a run never changes revision) and their case pages keep working. New case
files for a claimed code are refused. See docs/sop-import.md, "Promote later".
"""
import datetime
import json
import logging

from core.toolkit import _, audit, db, tracker

from plugins.casefile.models import CaseFile, CaseNote

log = logging.getLogger("balai.casefile")
GENERIC = "casefile"          # the plugin an imported or office-written SOP runs on (this one)


class CaseError(Exception):
    """A refusal shown next to ``field`` (or above the form)."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def claimed_codes(app):
    """SOP codes an enabled plugin declares: those never run on case files."""
    return {sop["code"] for _plugin, sop in app.sops}


def generic_sops(app):
    """[(code, revision in force)] of the SOPs that run on case files today (one query)."""
    return tracker.generic_sops(app)


def revision_for_new_case(app, code):
    if code in claimed_codes(app):
        raise CaseError(_("SOP {code} sekarang dijalankan oleh plugin-nya sendiri; buat berkas di layar plugin itu.",
                          code=code), "code")
    try:
        rev = tracker.published_revision(code)
    except tracker.StepError:
        raise CaseError(_("SOP {code} belum diterbitkan.", code=code), "code")
    if rev.plugin != GENERIC:
        raise CaseError(_("SOP {code} dijalankan oleh plugin {p}.", code=code, p=rev.plugin), "code")
    return rev


def open_case(app, code, data, files, user):
    """Create a case file and start its run (one transaction): ``data`` holds title, requester
    and the declared fields (``f_<key>``), ``files`` the stored uploads of file fields by key."""
    rev = revision_for_new_case(app, code)
    values = {}
    for cf in json.loads(rev.header).get("case_fields") or []:
        if cf["type"] == "file":
            if cf["key"] in files:
                values[cf["key"]] = files[cf["key"]]
            elif cf.get("required"):
                raise CaseError(_("Berkas {label} wajib diunggah.", label=cf["label"]), f"f_{cf['key']}")
            continue
        value = data.get(f"f_{cf['key']}")
        if isinstance(value, (datetime.date,)):
            value = value.isoformat()
        elif value is not None and not isinstance(value, str):
            value = str(value)
        values[cf["key"]] = value
    with db.write():
        case = audit.create(CaseFile, code=code, title=data["title"], requester=data["requester"],
                            values=json.dumps(values, ensure_ascii=False), created_by=user.id)
        tracker.start_run(code, CaseFile.audit_type(), case.id, f"{rev.title}: {case.title}", app=app)
    return case


def add_note(case, user, text):
    text = (text or "").strip()
    if not text:
        raise CaseError(_("Catatan tidak boleh kosong."), "text")
    return audit.create(CaseNote, case=case, text=text[:5000], author=user.id)


def step_completed(data):
    """After a step of a case file's run is done.

    TODO(documents): issue the step's outputs (SopStep.output) as documents from a
    generic template through the core document service (core/documents, landed
    after this plugin was written): declare a generic type ("casefile.output") in
    ``balai_document_types`` and call ``core.documents.service.issue(app,
    "casefile.output", values, subject=..., record=case)`` for an output the office
    marks as a document, then link it as the step's evidence. This is the one hook
    point; nothing is issued yet (nothing here claims a document exists)."""
    return None


def startup(app):
    """Roles of imported SOPs known to this process; a warning for a claimed code whose
    revision in force is still the generic one (the plugin's ``effective`` date is earlier)."""
    tracker.register_sop_roles(app)            # app.startup() holds the connection
    for code in claimed_codes(app):
        try:
            rev = tracker.published_revision(code)
        except tracker.StepError:
            continue
        if rev.plugin == GENERIC:
            log.warning("SOP %s is declared by a plugin but the generic revision %s is still in force: "
                        "give the plugin's SOP an 'effective' date on or after %s", code, rev.revision,
                        rev.effective_from)
