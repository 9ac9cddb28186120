"""The step tracker through the API: my tasks, a run with its steps and evidence,
and the step actions (complete, return, pause, resume) — each one call of the
tracker's service (core/tracker/service.py), as the run page does.

A step that a plugin's own screen performs (``balai_step_action``) is refused
here with 409, as on the run page: its records change with it.
"""
import base64
import binascii
import io
import json

from marshmallow import Schema, fields as mf, validate as mv

from core import forms
from core.api.problems import ApiError, field_errors
from core.api.router import File, body, user
from core.i18n import _, lazy

MAX_EVIDENCE = 5


# ---------------------------------------------------------------- schemas

class TaskSchema(Schema):
    run_id = mf.Integer(required=True)
    code = mf.String(required=True)
    title = mf.String(required=True)
    no = mf.Integer(required=True)
    activity = mf.String(required=True)
    status = mf.String(required=True, validate=mv.OneOf(["ready", "paused"]))
    ready_at = mf.DateTime(required=True)
    due_at = mf.DateTime(required=True, allow_none=True)
    overdue = mf.Boolean(required=True)


class TaskListSchema(Schema):
    items = mf.List(mf.Nested(TaskSchema), required=True)


class EvidenceSchema(Schema):
    id = mf.Integer(required=True)
    kind = mf.String(required=True, validate=mv.OneOf(["file", "link"]))
    label = mf.String(required=True)
    filename = mf.String(required=True)
    sha256 = mf.String(required=True)
    size = mf.Integer(required=True)
    url = mf.String(required=True, metadata={"description": "Tautan (bukti jenis link) atau alamat unduhan API (file)"})


class RunStepSchema(Schema):
    id = mf.Integer(required=True)
    no = mf.Integer(required=True)
    activity = mf.String(required=True)
    status = mf.String(required=True, validate=mv.OneOf(["ready", "paused", "done", "skipped", "returned"]))
    ready_at = mf.DateTime(required=True)
    due_at = mf.DateTime(required=True, allow_none=True)
    completed_at = mf.DateTime(required=True, allow_none=True)
    completed_by = mf.String(required=True, allow_none=True)
    on_time = mf.Boolean(required=True, allow_none=True)
    branch = mf.String(required=True)
    notes = mf.String(required=True)
    reason = mf.String(required=True)
    evidence = mf.List(mf.Nested(EvidenceSchema), required=True)


class RunSchema(Schema):
    id = mf.Integer(required=True)
    code = mf.String(required=True)
    title = mf.String(required=True)
    subject_type = mf.String(required=True)
    subject_id = mf.String(required=True)
    status = mf.String(required=True, validate=mv.OneOf(["active", "completed", "cancelled"]))
    current_no = mf.Integer(required=True, allow_none=True)
    started_at = mf.DateTime(required=True)
    completed_at = mf.DateTime(required=True, allow_none=True)
    open_step = mf.Integer(required=True, allow_none=True)
    can_act = mf.Boolean(required=True, metadata={"description": "Pemilik token boleh mengerjakan langkah terbuka"})
    branches = mf.List(mf.String(), required=True, metadata={"description": "Keputusan yang boleh dipilih"})
    steps = mf.List(mf.Nested(RunStepSchema), required=True)


class LinkInput(forms.Schema):
    label = forms.String(max_length=255)
    url = forms.String(required=True, max_length=500)


class FileInput(forms.Schema):
    filename = forms.String(required=True, max_length=200)
    content_base64 = forms.String(required=True, max_length=64 * 1024 * 1024, metadata={"description": "Isi berkas, base64"})


class CompleteInput(forms.Schema):
    no = forms.Integer(metadata={"description": "Nomor langkah yang Anda selesaikan (ditolak bila run sudah berpindah)"})
    notes = forms.Text()
    branch = forms.String(metadata={"description": "Keputusan (label cabang) untuk langkah keputusan"})
    links = mf.List(mf.Nested(LinkInput), load_default=list, validate=forms.Length(max=MAX_EVIDENCE),
                    error_messages={"invalid": "Harus berupa daftar."})
    evidence = mf.List(mf.Nested(FileInput), load_default=list, validate=forms.Length(max=MAX_EVIDENCE),
                       error_messages={"invalid": "Harus berupa daftar."})


class ReturnInput(forms.Schema):
    to = forms.Integer(metadata={"description": "Langkah tujuan (bawaan: menurut SOP)"})
    reason = forms.Text(required=True)


class PauseInput(forms.Schema):
    reason = forms.Text(required=True)


class ResumeInput(forms.Schema):
    pass


# ---------------------------------------------------------------- shapes

def run_json(app, run):
    from core.tracker import service
    steps = service.timeline(run)
    evidence = service.evidence_of(steps)
    open_rs = next((rs for rs in reversed(steps) if rs.status in service.OPEN), None)
    return {
        "id": run.id, "code": run.code, "title": run.title, "subject_type": run.subject_type,
        "subject_id": run.subject_id, "status": run.status, "current_no": run.current_no,
        "started_at": run.started_at, "completed_at": run.completed_at,
        "open_step": open_rs.no if open_rs else None,
        "can_act": bool(open_rs and service.can_act(user(), open_rs.step)),
        "branches": [b["label"] for b in json.loads(open_rs.step.branches)] if open_rs else [],
        "steps": [{
            "id": rs.id, "no": rs.no, "activity": rs.step.activity, "status": rs.status, "ready_at": rs.ready_at,
            "due_at": rs.due_at, "completed_at": rs.completed_at,
            "completed_by": rs.completed_by.full_name if rs.completed_by_id else None,
            "on_time": rs.on_time, "branch": rs.branch, "notes": rs.notes, "reason": rs.reason,
            "evidence": [{"id": ev.id, "kind": ev.kind, "label": ev.label, "filename": ev.filename,
                          "sha256": ev.sha256, "size": ev.size,
                          "url": ev.url if ev.kind == "link" else f"/api/v1/evidence/{ev.id}"}
                         for ev in evidence.get(rs.id, [])],
        } for rs in steps],
    }


def validated(schema):
    try:
        return schema.load(body(required=False))
    except forms.ValidationError as exc:
        raise ApiError(422, _("Data tidak valid."), errors=field_errors(exc.normalized_messages()))


class _Upload:
    """A decoded evidence file in the shape ``service.store_upload`` reads (as bottle's upload)."""

    def __init__(self, filename, data):
        self.raw_filename = self.filename = filename
        self.file = io.BytesIO(data)


# ---------------------------------------------------------------- endpoints

def register(router, app):
    from core.tracker import service
    from core.tracker.models import Evidence, Run, SopRevision
    for name, schema in (("Task", TaskSchema), ("TaskList", TaskListSchema), ("Run", RunSchema),
                         ("StepComplete", CompleteInput), ("StepReturn", ReturnInput), ("StepPause", PauseInput),
                         ("StepResume", ResumeInput)):
        router.schema(name, schema)

    def get_run(run_id):
        run = Run.select(Run, SopRevision).join(SopRevision).where(Run.id == run_id).first()
        if run is None:
            raise ApiError(404, _("Run tidak ditemukan."))
        return run

    @router.get("/tasks", permission="tracker.tasks", scope="read", summary=lazy("Tugas saya"), tags=("Tracker",),
                response="TaskList")
    def my_tasks():
        from core.db import utcnow
        now = utcnow()
        return {"items": [{"run_id": rs.run.id, "code": rs.run.code, "title": rs.run.title, "no": rs.no,
                           "activity": rs.step.activity, "status": rs.status, "ready_at": rs.ready_at,
                           "due_at": rs.due_at, "overdue": bool(rs.due_at and rs.due_at < now)}
                          for rs in service.inbox(user())]}

    @router.get("/runs/{id}", permission="tracker.view", scope="read", summary=lazy("Run SOP dengan langkahnya"),
                tags=("Tracker",), response="Run")
    def run_detail(id):
        return run_json(app, get_run(id))

    def act(run_id, fn, generic=True):
        run = get_run(run_id)
        claimed = generic and run.current_no and app.plugins.first("balai_step_action", run=run, no=run.current_no)
        if claimed:
            raise ApiError(409, _("Langkah ini dikerjakan di layar: {label}.", label=str(claimed[0])),
                           reason="step_done_elsewhere")
        try:
            fn(run)
        except service.StepError as exc:
            raise ApiError(409, str(exc), reason="step_refused")
        return run_json(app, get_run(run_id))

    @router.post("/runs/{id}/complete", permission="tracker.tasks", scope="tracker", tags=("Tracker",),
                 summary=lazy("Selesaikan langkah terbuka"), body="StepComplete", response="Run")
    def step_complete(id):
        data = validated(CompleteInput())

        def do(run):
            files = []
            for i, f in enumerate(data["evidence"]):
                try:
                    raw = base64.b64decode(f["content_base64"], validate=True)
                except (binascii.Error, ValueError):
                    raise ApiError(422, _("Data tidak valid."), errors={f"evidence.{i}": _("Isi berkas bukan base64.")})
                files.append(service.store_upload(app, _Upload(f["filename"], raw)))
            links = []
            for link in data["links"]:
                if not link["url"].startswith(("/", "https://", "http://")):
                    raise service.StepError(_("Tautan bukti harus berupa alamat web atau alamat di aplikasi ini."))
                links.append(((link.get("label") or link["url"]), link["url"]))
            service.complete(run, user(), notes=data.get("notes") or "", branch=data.get("branch") or None,
                             files=files, links=links, expect_no=data.get("no"), app=app)
        return act(id, do)

    @router.post("/runs/{id}/return", permission="tracker.tasks", scope="tracker", tags=("Tracker",),
                 summary=lazy("Kembalikan ke langkah sebelumnya dengan alasan"), body="StepReturn", response="Run")
    def step_return(id):
        data = validated(ReturnInput())
        return act(id, lambda run: service.return_to(run, user(), data.get("to") or 0, data["reason"], app=app))

    @router.post("/runs/{id}/pause", permission="tracker.tasks", scope="tracker", tags=("Tracker",),
                 summary=lazy("Tunda langkah terbuka (menunggu pihak luar)"), body="StepPause", response="Run")
    def step_pause(id):
        data = validated(PauseInput())
        return act(id, lambda run: service.pause(run, user(), data["reason"]), generic=False)

    @router.post("/runs/{id}/resume", permission="tracker.tasks", scope="tracker", tags=("Tracker",),
                 summary=lazy("Lanjutkan langkah yang ditunda"), body="StepResume", response="Run")
    def step_resume(id):
        validated(ResumeInput())
        return act(id, lambda run: service.resume(run, user(), app=app), generic=False)

    @router.get("/evidence/{id}", permission="tracker.view", scope="read", tags=("Tracker",),
                summary=lazy("Unduh berkas bukti"), produces="application/octet-stream")
    def evidence_file(id):
        ev = Evidence.get_or_none(Evidence.id == id)
        if ev is None or ev.kind != "file":
            raise ApiError(404, _("Berkas bukti tidak ditemukan."))
        try:
            with open(service.evidence_path(app, ev.sha256), "rb") as fh:
                data = fh.read()
        except OSError:
            raise ApiError(404, _("Berkas bukti tidak ditemukan."))
        return File(data, ev.content_type or "application/octet-stream", ev.filename)

