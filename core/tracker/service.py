"""The step tracker's service layer: what plugins and routes call to run an SOP.

    run = service.start_run("KDI-PM-06", "guest_visit", visit.id, "Tamu: Budi")
    service.complete(run, user, notes="…", branch="Kerja sama")
    service.return_to(run, user, 4, "RAB belum lengkap")
    service.cancel_run(run, user, "Angkatan dibatalkan")

This module is the tracker's one public face: it keeps storing definitions and
evidence files, and re-exports the parts that live by concern in
``base`` (calendar, revisions), ``runs`` (transitions), ``reports`` (timeline,
inbox, compliance), ``guards`` (conditions and anchors), ``people`` (acting
officials) and ``tasks`` (pending actions). Every transition is written with its
audit row in one transaction and emits ``tracker.*`` events after commit.
Errors a user can fix raise ``StepError`` with a message in their language.
"""
import datetime
import hashlib
import json
import mimetypes
import os

from core import audit, db
from core.i18n import _
from core.tracker import sop as sop_mod
from core.tracker.base import (OPEN, StepError, _calendar_cache, _published_steps, app_of, aware,  # noqa: F401
                               calendar_for, day_minutes, local_today, local_zone, naive, published_revision,
                               standard_for, steps_of)
from core.tracker.guards import anchor_of, blockers  # noqa: F401
from core.tracker.models import Run, SopRevision, SopStep, SopStepRole  # noqa: F401
from core.tracker.reports import (compliance, evidence_of, fn_exists, inbox, run_outcomes, signoffs_of,  # noqa: F401
                                  timeline)
from core.tracker.runs import (FINISHED, assign, can_act, cancel_run, complete, complete_by_plugin, end_run,  # noqa: F401
                               may_act, open_step, open_steps, pause, reanchor, resume, return_to, run_for, skip,
                               start_run, step_roles, stop_runs)

ALLOWED_UPLOADS = {".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".xls", ".docx", ".doc", ".csv", ".txt", ".odt", ".ods"}
MAGIC = {".pdf": [b"%PDF"], ".png": [b"\x89PNG"], ".jpg": [b"\xff\xd8\xff"], ".jpeg": [b"\xff\xd8\xff"],
         ".xlsx": [b"PK\x03\x04"], ".docx": [b"PK\x03\x04"], ".odt": [b"PK\x03\x04"], ".ods": [b"PK\x03\x04"],
         ".xls": [b"\xd0\xcf\x11\xe0"], ".doc": [b"\xd0\xcf\x11\xe0"]}


# ---------------------------------------------------------------- definitions

def load_definitions(app):
    """Store each plugin's SOP as a published revision (once per definition)."""
    for plugin_name, sop in app.sops:
        bad = sop_mod.problems(sop)
        if bad:
            raise ValueError("\n".join(bad))
        fp = sop_mod.fingerprint(sop)
        if SopRevision.select().where((SopRevision.code == sop["code"]) & (SopRevision.fingerprint == fp)).exists():
            continue
        with db.write():
            label = str(sop["revision"])
            if SopRevision.select().where((SopRevision.code == sop["code"]) & (SopRevision.revision == label)).exists():
                label = f"{label}+{fp[:6]}"   # the plugin changed its SOP without a new number
            effective = sop.get("effective")
            rev = audit.create(SopRevision, code=sop["code"], plugin=plugin_name, revision=label, title=sop["title"],
                               status="published", source="plugin", fingerprint=fp,
                               effective_from=datetime.date.fromisoformat(effective) if effective else None,
                               header=json.dumps(sop_mod.header_of(sop), ensure_ascii=False),
                               published_at=db.utcnow())
            copy_steps(rev, [step_fields(s) for s in sop["steps"]])


def step_fields(s):
    """A definition's step dict → SopStep column values."""
    return dict(no=s["no"], activity=s["activity"], lanes=json.dumps(s.get("lanes", s["roles"])),
                roles=json.dumps(s["roles"]), requirements=s.get("requirements", ""), time=s.get("time", ""),
                output=s.get("output", ""), notes=s.get("notes", ""), kind=s.get("kind", "process"),
                branches=json.dumps(s.get("branches", []), ensure_ascii=False),
                next_no=s.get("next"), ends=("next" in s and s["next"] is None),
                approval=bool(s.get("approval")), return_to=s.get("return_to"), skippable=bool(s.get("skippable")),
                # tracker v2, run side (docs/step-tracker.md §9–§13)
                sign_off=s.get("sign_off", "any"), anchor=s.get("anchor", ""),
                not_before=bool(s.get("not_before", bool(s.get("anchor")))), due_at_anchor=bool(s.get("due_at_anchor")),
                parallel=json.dumps(s.get("parallel", [])), join=bool(s.get("join")),
                escalate_after_days=s.get("escalate_after_days"), escalate_to=s.get("escalate_to", ""))


def copy_steps(revision, rows):
    for row in rows:
        step = SopStep.create(revision=revision, **row)
        for role in json.loads(row["roles"]):
            SopStepRole.create(step=step, role=role)


def draft_revision(code, label, user=None):
    """A new institution draft copied from the revision in force."""
    base = published_revision(code)
    if SopRevision.select().where((SopRevision.code == code) & (SopRevision.revision == label)).exists():
        raise StepError(_("Nomor revisi {r} sudah ada.", r=label))
    with db.write():
        draft = audit.create(SopRevision, code=code, plugin=base.plugin, revision=label, title=base.title,
                             status="draft", source="institution", header=base.header)
        columns = [f for f in SopStep._meta.sorted_field_names if f not in ("id", "revision")]
        copy_steps(draft, [{f: getattr(s, f) for f in columns} for s in steps_of(base)])
    return draft


def publish(revision, effective_from):
    if revision.status != "draft":
        raise StepError(_("Revisi yang sudah terbit tidak dapat diubah."))
    audit.update(revision, status="published", effective_from=effective_from, published_at=db.utcnow())


# ---------------------------------------------------------------- evidence files

def store_upload(app, upload):
    """Check and store an uploaded file by sha256; returns Evidence fields."""
    name = os.path.basename(upload.raw_filename or upload.filename or "berkas")[:200]
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED_UPLOADS:
        raise StepError(_("Jenis berkas {ext} tidak diterima. Gunakan PDF, gambar, atau dokumen kantor.", ext=ext or "?"))
    limit = app.config["upload_max_mb"] * 1024 * 1024
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise StepError(_("Berkas lebih besar dari {n} MB.", n=app.config["upload_max_mb"]))
    if not data:
        raise StepError(_("Berkas kosong."))
    if ext in MAGIC and not any(data.startswith(m) for m in MAGIC[ext]):
        raise StepError(_("Isi berkas tidak sesuai dengan jenisnya ({ext}).", ext=ext))
    digest = hashlib.sha256(data).hexdigest()
    folder = os.path.join(app.config["upload_dir"], digest[:2])
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, digest)
    if not os.path.exists(path):
        tmp = path + ".tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return {"filename": name, "sha256": digest, "size": len(data),
            "content_type": mimetypes.guess_type(name)[0] or "application/octet-stream", "label": name}


def evidence_path(app, sha):
    return os.path.join(app.config["upload_dir"], sha[:2], sha)


