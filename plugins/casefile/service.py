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

from core.toolkit import _, audit, db, documents, local_today, tracker

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


OUTPUT = "casefile.output"


def document_types(app):
    """One generic paper: the output of a step of any SOP run on a case file."""
    return [documents.DocumentType(
        OUTPUT, "Keterangan Hasil Langkah SOP", "casefile/documents/output.html",
        number_format=app.config.plugin("casefile")["output_number"], record_type="casefile_step",
        editable=True, sample=lambda app: {"case": {"title": "Contoh berkas", "requester": "Budi", "code": "SOP-X"},
                                           "step": {"no": 1, "activity": "Contoh kegiatan", "output": "Contoh output",
                                                    "notes": "", "done_at": local_today(app).isoformat()},
                                           "sop_title": "Contoh SOP"})]


def output_document(app, case, run_step_id, user):
    """Issue the output of a done step of this case file, signed by the person who did the step.

    Only that person may issue it (a signature is a person's own), only once the step is
    done, and once per step (a correction supersedes it from the document's page)."""
    run = tracker.run_for(CaseFile.audit_type(), case.id)
    rs = next((r for r in (tracker.timeline(run) if run else []) if r.id == run_step_id), None)
    if rs is None:
        raise CaseError(_("Langkah ini bukan bagian dari berkas ini."))
    if rs.status != "done" or rs.completed_at is None:
        raise CaseError(_("Output hanya dapat diterbitkan setelah langkahnya selesai."))
    if not (rs.step.output or "").strip():
        raise CaseError(_("Langkah ini tidak memiliki output."))
    if rs.completed_by_id != getattr(user, "id", None):
        raise CaseError(_("Hanya pelaksana langkah ini yang dapat menandatangani keterangan hasilnya."))
    if documents.current_for("casefile_step", rs.id, OUTPUT) is not None:
        raise CaseError(_("Output langkah ini sudah diterbitkan."))
    values = {"case": {"title": case.title, "requester": case.requester, "code": case.code},
              "sop_title": run.revision.title,
              "step": {"no": rs.no, "activity": rs.step.activity, "output": rs.step.output,
                       "notes": rs.notes or "", "done_at": rs.completed_at.date().isoformat()}}
    try:
        return documents.issue(app, OUTPUT, values, subject=f"{rs.step.output} — {case.title}"[:300],
                               record=("casefile_step", rs.id), signer=user, issued_by=user)
    except documents.DocumentError as exc:
        raise CaseError(str(exc))


def output_documents(run_steps):
    """run step id → its valid output document (one query)."""
    ids = [str(rs.id) for rs in run_steps]
    return {int(d.record_id): d for d in documents.for_record("casefile_step", ids) if d.status == "valid"} \
        if ids else {}


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
