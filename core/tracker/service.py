"""The step tracker's service layer: what plugins and routes call to run an SOP.

    run = service.start_run("KDI-PM-06", "guest_visit", visit.id, "Tamu: Budi")
    service.complete(run, user, notes="…", branch="Kerja sama")
    service.return_to(run, user, 4, "RAB belum lengkap")

Every transition is written with its audit row in one transaction, and emits
``tracker.run_started`` / ``tracker.step_completed`` / ``tracker.run_completed``
after commit. Errors a user can fix raise ``StepError`` with a message in
their language.
"""
import datetime
import hashlib
import json
import mimetypes
import os
import time

import peewee

from core import audit, db, events, identity
from core.context import current_app
from core.i18n import _
from core.tracker import sop as sop_mod
from core.tracker.models import (CalendarException, Evidence, Run, RunStep, SopRevision, SopStep,
                                 SopStepRole)
from core.tracker.workcal import TimeStandard, WorkCalendar, parse_time_standard

OPEN = ("ready", "paused")
ALLOWED_UPLOADS = {".pdf", ".png", ".jpg", ".jpeg", ".xlsx", ".xls", ".docx", ".doc", ".csv", ".txt", ".odt", ".ods"}
MAGIC = {".pdf": [b"%PDF"], ".png": [b"\x89PNG"], ".jpg": [b"\xff\xd8\xff"], ".jpeg": [b"\xff\xd8\xff"],
         ".xlsx": [b"PK\x03\x04"], ".docx": [b"PK\x03\x04"], ".odt": [b"PK\x03\x04"], ".ods": [b"PK\x03\x04"],
         ".xls": [b"\xd0\xcf\x11\xe0"], ".doc": [b"\xd0\xcf\x11\xe0"]}


class StepError(Exception):
    """A refusal the user can understand and act on."""


# ---------------------------------------------------------------- calendar

_calendar_cache = {}


def calendar_for(app, refresh=False):
    """The institution's working calendar (exceptions re-read at most once a minute)."""
    key = (app.config["timezone"], app.config["office_hours"])
    cached = _calendar_cache.get(key)
    if cached and not refresh and time.monotonic() - cached[0] < 60:
        return cached[1]
    start, _sep, end = app.config["office_hours"].partition("-")
    holidays_extra, workdays_extra = {}, set()
    for exc in CalendarException.select():
        if exc.working:
            workdays_extra.add(exc.day)
        else:
            holidays_extra[exc.day] = exc.name
    cal = WorkCalendar(app.config["timezone"], start.strip(), end.strip(), holidays_extra, workdays_extra)
    _calendar_cache[key] = (time.monotonic(), cal)
    return cal


def day_minutes(cal):
    return (cal._end - cal._start) // 60 if hasattr(cal, "_end") else 480


def aware(naive_utc):
    return naive_utc.replace(tzinfo=datetime.timezone.utc) if naive_utc is not None else None


def naive(aware_dt):
    return aware_dt.astimezone(datetime.timezone.utc).replace(tzinfo=None) if aware_dt is not None else None


def standard_for(step, params):
    """The step's TimeStandard for this run ("JP" takes the run's lesson hours)."""
    text = step.time
    if text == "JP":
        jp = (params or {}).get("JP")
        return TimeStandard(int(jp), "JP", f"{int(jp)} JP") if jp else None
    return parse_time_standard(text)


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
                approval=bool(s.get("approval")), return_to=s.get("return_to"), skippable=bool(s.get("skippable")))


def copy_steps(revision, rows):
    for row in rows:
        step = SopStep.create(revision=revision, **row)
        for role in json.loads(row["roles"]):
            SopStepRole.create(step=step, role=role)


def published_revision(code, on=None):
    """The revision in force on a date: the published one with the latest effective date ≤ that day."""
    on = on or datetime.date.today()
    q = (SopRevision.select().where((SopRevision.code == code) & (SopRevision.status == "published")
                                    & (SopRevision.effective_from.is_null() | (SopRevision.effective_from <= on)))
         .order_by(SopRevision.effective_from.desc(nulls="last"), SopRevision.id.desc()))
    rev = q.first()
    if rev is None:   # nothing effective yet: the earliest published one
        rev = (SopRevision.select().where((SopRevision.code == code) & (SopRevision.status == "published"))
               .order_by(SopRevision.effective_from, SopRevision.id).first())
    if rev is None:
        raise StepError(_("SOP {code} tidak dikenal atau belum diterbitkan.", code=code))
    return rev


_published_steps = {}      # revision id → steps; safe to keep: a published revision never changes


def steps_of(revision, cached=False):
    """The steps of a revision in order; ``cached`` for a run's (published) revision."""
    rev_id = revision if isinstance(revision, int) else revision.id
    key = (db.database.obj.database, rev_id)       # the same id in another database is another revision
    if cached and key in _published_steps:
        return _published_steps[key]
    steps = list(SopStep.select().where(SopStep.revision == rev_id).order_by(SopStep.no))
    if cached:
        _published_steps[key] = steps
    return steps


def draft_revision(code, label, user=None):
    """A new institution draft copied from the revision in force."""
    base = published_revision(code)
    if SopRevision.select().where((SopRevision.code == code) & (SopRevision.revision == label)).exists():
        raise StepError(_("Nomor revisi {r} sudah ada.", r=label))
    with db.write():
        draft = audit.create(SopRevision, code=code, plugin=base.plugin, revision=label, title=base.title,
                             status="draft", source="institution", header=base.header)
        copy_steps(draft, [{f: getattr(s, f) for f in ("no", "activity", "lanes", "roles", "requirements", "time",
                                                       "output", "notes", "kind", "branches", "next_no", "ends",
                                                       "approval", "return_to", "skippable")} for s in steps_of(base)])
    return draft


def publish(revision, effective_from):
    if revision.status != "draft":
        raise StepError(_("Revisi yang sudah terbit tidak dapat diubah."))
    audit.update(revision, status="published", effective_from=effective_from, published_at=db.utcnow())


# ---------------------------------------------------------------- runs

def _activate(run, step, cal, params, when=None):
    when = when or db.utcnow()
    standard = standard_for(step, params)
    due = cal.due(aware(when), standard) if standard else None
    minutes = standard.working_minutes(day_minutes(cal)) if standard else None
    rs = audit.create(RunStep, run=run, step=step, code=run.code, no=step.no, status="ready", ready_at=when,
                      due_at=naive(due), standard_minutes=minutes)
    audit.update(run, current_no=step.no)
    return rs


def start_run(code, subject_type, subject_id, title, params=None, app=None, first_no=None):
    """Start a run of the SOP in force today for a subject record; returns the Run."""
    from core.context import actor
    app = app or current_app()
    rev = published_revision(code)
    steps = steps_of(rev)
    if not steps:
        raise StepError(_("SOP {code} tidak memiliki langkah.", code=code))
    user = actor()
    with db.write():
        run = audit.create(Run, revision=rev, code=code, subject_type=subject_type, subject_id=str(subject_id),
                           title=title[:255], params=json.dumps(params or {}),
                           started_by=user.id if getattr(user, "id", None) else None)
        first = next((s for s in steps if s.no == first_no), steps[0]) if first_no else steps[0]
        _activate(run, first, calendar_for(app), params or {})
        events.emit("tracker.run_started", run_id=run.id, code=code, subject_type=subject_type, subject_id=str(subject_id))
    return run


def run_for(subject_type, subject_id, code=None):
    q = Run.select().where((Run.subject_type == subject_type) & (Run.subject_id == str(subject_id)))
    if code:
        q = q.where(Run.code == code)
    return q.order_by(Run.id.desc()).first()


def open_step(run):
    return (RunStep.select(RunStep, SopStep).join(SopStep)
            .where((RunStep.run == run) & RunStep.status.in_(OPEN)).order_by(RunStep.id.desc()).first())


def step_roles(step):
    return set(json.loads(step.roles))


def can_act(user, step):
    return bool(user is not None and getattr(user, "id", None) and step_roles(step) & set(user.roles))


def _require(user, rs, run, rule=None):
    if run.status != "active":
        raise StepError(_("Run ini sudah selesai; tidak ada langkah yang dapat dikerjakan."))
    if rs is None:
        raise StepError(_("Tidak ada langkah yang terbuka pada run ini."))
    if rule is None and not can_act(user, rs.step):
        titles = ", ".join(current_app().role_title(r) for r in sorted(step_roles(rs.step)))
        raise StepError(_("Langkah {no} hanya dapat dikerjakan oleh: {roles}.", no=rs.no, roles=titles))


def _close(rs, status, cal, user, **fields):
    now = db.utcnow()
    paused = rs.paused_minutes
    if rs.status == "paused" and rs.paused_at:
        paused += cal.working_minutes_between(aware(rs.paused_at), aware(now))
    elapsed = max(0, cal.working_minutes_between(aware(rs.ready_at), aware(now)) - paused)
    on_time = None if rs.due_at is None else now <= rs.due_at
    audit.update(rs, status=status, completed_at=now, completed_by=getattr(user, "id", None), elapsed_minutes=elapsed,
                 on_time=on_time, paused_at=None, paused_minutes=paused, **fields)


def _next_step(rs, steps, branch_to=None):
    if branch_to is not None:
        return next(s for s in steps if s.no == branch_to)
    if rs.step.ends:
        return None
    if rs.step.next_no:
        return next(s for s in steps if s.no == rs.step.next_no)
    later = [s for s in steps if s.no > rs.no]
    return later[0] if later else None


def complete(run, user, notes="", branch=None, files=(), links=(), expect_no=None, app=None, rule=None):
    """Complete the open step; a decision needs ``branch`` (its label). Returns the next RunStep or None.

    ``rule``: the step is done because of a plugin's rule (the head approved the
    RAB; the batch ended), not by a holder of the step's role: the role check is
    skipped, the rule is kept in the notes and ``completed_by`` is the user who
    triggered it (None for the system, e.g. a scheduled job).
    """
    app = app or current_app()
    with db.write():
        run = Run.get_by_id(run.id)
        rs = open_step(run)
        _require(user, rs, run, rule)
        if rule:
            notes = f"{_('Selesai menurut aturan')}: {rule}" + (f" — {notes}" if notes else "")
        if expect_no is not None and rs.no != int(expect_no):
            raise StepError(_("Langkah {no} sudah dikerjakan orang lain; muat ulang halaman.", no=expect_no))
        if rs.status == "paused":
            raise StepError(_("Langkah ini sedang ditunda; lanjutkan dulu sebelum menyelesaikan."))
        branches = json.loads(rs.step.branches)
        target = None
        if branches:
            match = [b for b in branches if b["label"] == branch]
            if not match:
                raise StepError(_("Pilih salah satu keputusan: {opts}.", opts=" / ".join(b["label"] for b in branches)))
            target = match[0]["to"]
        cal = calendar_for(app)
        _close(rs, "done", cal, user, notes=(notes or "")[:5000], branch=branch or "")
        for f in files:
            Evidence.create(run_step=rs, kind="file", **f)
        for label, url in links:
            Evidence.create(run_step=rs, kind="link", label=label[:255], url=url[:500])
        nxt = _next_step(rs, steps_of(run.revision_id, cached=True), target)
        events.emit("tracker.step_completed", run_id=run.id, code=run.code, no=rs.no, branch=branch or "",
                    subject_type=run.subject_type, subject_id=run.subject_id)
        if nxt is None:
            audit.update(run, status="completed", completed_at=db.utcnow(), current_no=None)
            events.emit("tracker.run_completed", run_id=run.id, code=run.code,
                        subject_type=run.subject_type, subject_id=run.subject_id)
            return None
        return _activate(run, nxt, cal, json.loads(run.params))


def return_to(run, user, to_no, reason, app=None):
    """Send the work back to an earlier step with a reason (approval steps)."""
    app = app or current_app()
    reason = (reason or "").strip()
    with db.write():
        run = Run.get_by_id(run.id)
        rs = open_step(run)
        _require(user, rs, run)
        if not rs.step.approval:
            raise StepError(_("Langkah ini bukan langkah persetujuan; tidak dapat dikembalikan."))
        if not reason:
            raise StepError(_("Alasan pengembalian wajib diisi."))
        to_no = int(to_no or rs.step.return_to or 0)
        steps = steps_of(run.revision_id, cached=True)
        target = next((s for s in steps if s.no == to_no and s.no < rs.no), None)
        if target is None:
            raise StepError(_("Langkah tujuan pengembalian tidak valid."))
        cal = calendar_for(app)
        _close(rs, "returned", cal, user, reason=reason[:5000])
        events.emit("tracker.step_returned", run_id=run.id, code=run.code, no=rs.no, to=to_no, reason=reason,
                    subject_type=run.subject_type, subject_id=run.subject_id)
        return _activate(run, target, cal, json.loads(run.params))


def skip(run, user, reason, app=None):
    app = app or current_app()
    with db.write():
        run = Run.get_by_id(run.id)
        rs = open_step(run)
        _require(user, rs, run)
        if not rs.step.skippable:
            raise StepError(_("Langkah {no} tidak boleh dilewati menurut SOP.", no=rs.no))
        if not (reason or "").strip():
            raise StepError(_("Alasan wajib diisi."))
        cal = calendar_for(app)
        _close(rs, "skipped", cal, user, reason=reason.strip()[:5000])
        nxt = _next_step(rs, steps_of(run.revision_id, cached=True))
        if nxt is None:
            audit.update(run, status="completed", completed_at=db.utcnow(), current_no=None)
            events.emit("tracker.run_completed", run_id=run.id, code=run.code,
                        subject_type=run.subject_type, subject_id=run.subject_id)
            return None
        return _activate(run, nxt, cal, json.loads(run.params))


def pause(run, user, reason):
    """Wait for an outside party: the time until resume does not count."""
    with db.write():
        run = Run.get_by_id(run.id)
        rs = open_step(run)
        _require(user, rs, run)
        if rs.status == "paused":
            raise StepError(_("Langkah ini sudah ditunda."))
        if not (reason or "").strip():
            raise StepError(_("Alasan penundaan wajib diisi."))
        audit.update(rs, status="paused", paused_at=db.utcnow(), reason=reason.strip()[:5000])


def resume(run, user, app=None):
    app = app or current_app()
    with db.write():
        run = Run.get_by_id(run.id)
        rs = open_step(run)
        _require(user, rs, run)
        if rs.status != "paused":
            raise StepError(_("Langkah ini tidak sedang ditunda."))
        cal = calendar_for(app)
        gap = cal.working_minutes_between(aware(rs.paused_at), aware(db.utcnow()))
        due = naive(cal.shift(aware(rs.due_at), gap)) if rs.due_at else None
        audit.update(rs, status="ready", paused_at=None, paused_minutes=rs.paused_minutes + gap, due_at=due)


def complete_by_plugin(subject_type, subject_id, code, no, user, notes="", links=(), branch=None, rule=None):
    """A plugin's action completes a step (e.g. saving an approved RAB completes step 5).

    Does nothing when the run is not at that step; raises StepError when the
    user may not perform it (unless ``rule`` says why the step is done, see ``complete``).
    """
    run = run_for(subject_type, subject_id, code)
    if run is None or run.status != "active" or run.current_no != no:
        return None
    return complete(run, user, notes=notes, links=links, branch=branch, expect_no=no, rule=rule)


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


# ---------------------------------------------------------------- reading

def timeline(run):
    """All step activations of a run with their step and who completed them: one query."""
    Completer = identity.User.alias()
    return list(RunStep.select(RunStep, SopStep, Completer)
                .join(SopStep).switch(RunStep).join(Completer, peewee.JOIN.LEFT_OUTER, on=(RunStep.completed_by == Completer.id))
                .where(RunStep.run == run).order_by(RunStep.id))


def evidence_of(run_steps):
    out = {}
    ids = [rs.id for rs in run_steps]
    if ids:
        for ev in Evidence.select().where(Evidence.run_step.in_(ids)).order_by(Evidence.id):
            out.setdefault(ev.run_step_id, []).append(ev)
    return out


def inbox(user, limit=200):
    """Open steps the user's roles perform, most urgent first.

    Two queries whatever the number of runs: steps with a due time in due order
    (a scan of the partial index ``run_step_open_due``), then, if room is left,
    steps without a time standard.
    """
    roles = list(user.roles)
    if not roles:
        return []

    # Literal values, not parameters: only then may SQLite use the partial index.
    is_open = peewee.NodeList((RunStep.status, peewee.SQL("IN ('ready', 'paused')")))

    def query():
        return (RunStep.select(RunStep, SopStep, Run)
                .join(SopStep).switch(RunStep).join(Run)
                .where(is_open
                       & fn_exists(SopStepRole.select(SopStepRole.id).where((SopStepRole.step == SopStep.id)
                                                                            & SopStepRole.role.in_(roles)))))
    timed = list(query().where(RunStep.due_at.is_null(False)).order_by(RunStep.due_at, RunStep.id).limit(limit))
    if len(timed) < limit:
        timed += list(query().where(RunStep.due_at.is_null()).order_by(RunStep.id).limit(limit - len(timed)))
    return timed


def fn_exists(subquery):
    return peewee.fn.EXISTS(subquery)


def compliance(code=None, since=None, until=None):
    """Per SOP step: activations, finished, on time, late, open overdue, median and standard minutes.

    Two queries whatever the number of runs (aggregates, then medians by window),
    both on run_step alone: each activation keeps its run's SOP code.
    """
    now = db.utcnow()
    cond = RunStep.status.in_(("done", "returned", "skipped", "ready", "paused"))
    if code:
        cond &= RunStep.code == code
    if since:
        cond &= RunStep.ready_at >= datetime.datetime.combine(since, datetime.time())
    if until:
        cond &= RunStep.ready_at < datetime.datetime.combine(until + datetime.timedelta(days=1), datetime.time())
    finished = RunStep.status.in_(("done", "returned"))
    rows = (RunStep.select(RunStep.code, RunStep.no,
                           peewee.fn.COUNT(RunStep.id).alias("total"),
                           peewee.fn.SUM(peewee.Case(None, [(finished, 1)], 0)).alias("finished"),
                           peewee.fn.SUM(peewee.Case(None, [(finished & (RunStep.on_time == True), 1)], 0)).alias("on_time"),  # noqa: E712
                           peewee.fn.SUM(peewee.Case(None, [(finished & (RunStep.on_time == False), 1)], 0)).alias("late"),  # noqa: E712
                           peewee.fn.SUM(peewee.Case(None, [(RunStep.status.in_(OPEN) & (RunStep.due_at < now), 1)], 0)).alias("overdue"),
                           peewee.fn.MAX(RunStep.standard_minutes).alias("standard"))
            .where(cond).group_by(RunStep.code, RunStep.no).order_by(RunStep.code, RunStep.no).dicts())
    result = {(r["code"], r["no"]): dict(r, median=None) for r in rows}
    # Median of elapsed minutes per step, by window functions (SQLite ≥ 3.25 and PostgreSQL).
    ranked = (RunStep.select(RunStep.code.alias("code"), RunStep.no.alias("no"), RunStep.elapsed_minutes.alias("m"),
                             peewee.fn.ROW_NUMBER().over(partition_by=[RunStep.code, RunStep.no],
                                                         order_by=[RunStep.elapsed_minutes]).alias("rn"),
                             peewee.fn.COUNT(RunStep.id).over(partition_by=[RunStep.code, RunStep.no]).alias("cnt"))
              .where(cond & finished & RunStep.elapsed_minutes.is_null(False)))
    sub = ranked.alias("r")
    medians = (peewee.Select([sub], [sub.c.code, sub.c.no, peewee.fn.AVG(sub.c.m)])
               .where((sub.c.rn >= (sub.c.cnt + 1) / 2) & (sub.c.rn <= (sub.c.cnt + 2) / 2))
               .group_by(sub.c.code, sub.c.no).bind(db.database.obj))
    for code_, no, median in medians.tuples():
        if (code_, no) in result:
            result[(code_, no)]["median"] = float(median) if median is not None else None
    out = list(result.values())
    for r in out:
        r["on_time_pct"] = round(100.0 * r["on_time"] / r["finished"], 1) if r["finished"] else None
    return out
