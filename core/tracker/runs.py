"""Runs and their step transitions: start, complete (and sign off), return, skip,
pause, resume, assign, end and cancel.

Every transition locks its run row first (``SELECT … FOR UPDATE`` on PostgreSQL;
on SQLite ``db.write()`` already takes the write lock at BEGIN) and re-reads the
open steps after locking: of two people acting on one step at once, one wins
and the other gets a ``StepError`` saying what happened. Each transition is
written with its audit rows in one transaction; events are delivered after
commit.
"""
import datetime
import json

from core import audit, db, events
from core.i18n import _
from core.tracker import guards, people
from core.tracker.base import (OPEN, StepError, app_of, aware, calendar_for, day_minutes, local_today, naive,
                               published_revision, standard_for, steps_of)
from core.tracker.models import Evidence, Run, RunStep, SopStep, StepSignoff

FINISHED = ("completed", "ended", "cancelled")


# ---------------------------------------------------------------- reading one run

def run_for(subject_type, subject_id, code=None):
    """The latest run of a subject record (of one SOP), or None."""
    q = Run.select().where((Run.subject_type == subject_type) & (Run.subject_id == str(subject_id)))
    if code:
        q = q.where(Run.code == code)
    return q.order_by(Run.id.desc()).first()


# Read by every transition, twice by a completion: its SQL is built once (core/db.py Prepared).
_OPEN_STEPS = db.Prepared(lambda: RunStep.select(RunStep, SopStep).join(SopStep)
                          .where((RunStep.run == db.param("run")) & RunStep.status.in_(OPEN)).order_by(RunStep.id))


def open_steps(run):
    """The run's open step activations (ready or paused), oldest first; several when the flow forked."""
    return _OPEN_STEPS.rows(run=getattr(run, "id", run))


def open_step(run):
    """The most recently opened open step, or None."""
    steps = open_steps(run)
    return steps[-1] if steps else None


def step_roles(step):
    return set(json.loads(step.roles))


def can_act(user, step, on=None):
    """Does the user hold (or act for, that day) one of the step's roles?"""
    return bool(user is not None and getattr(user, "id", None) and step_roles(step) & people.roles_on(user, on))


def may_act(user, rs):
    """May the user perform this open step: their role, and it is not assigned to someone else."""
    if rs.assigned_to_id and rs.assigned_to_id != getattr(user, "id", None):
        return False
    return can_act(user, rs.step)


def _locked(run):
    """The run row, locked until the transaction ends (``db.lock``): one run's transitions happen one at a time."""
    return db.lock(Run, getattr(run, "id", run))


def _require_active(run):
    if run.status == "cancelled":
        raise StepError(_("Run ini sudah dibatalkan: {reason}", reason=run.end_reason))
    if run.status == "ended":
        raise StepError(_("Run ini sudah berakhir: {reason}", reason=run.end_reason))
    if run.status != "active":
        raise StepError(_("Run ini sudah selesai; tidak ada langkah yang dapat dikerjakan."))


def _pick(run, no=None, user=None, rule=None):
    """The open step to act on: step ``no`` (refused if no longer open), else the user's, else the latest."""
    steps = open_steps(run)
    if no not in (None, ""):
        match = [rs for rs in steps if rs.no == int(no)]
        if not match:
            raise StepError(_("Langkah {no} sudah dikerjakan orang lain; muat ulang halaman.", no=no))
        return match[-1]
    if not steps:
        raise StepError(_("Tidak ada langkah yang terbuka pada run ini."))
    if user is not None and rule is None:
        mine = [rs for rs in steps if may_act(user, rs)]
        if mine:
            return mine[-1]
    return steps[-1]


def _require(app, user, rs, rule=None):
    if rule is not None:
        return
    if not can_act(user, rs.step):
        titles = ", ".join(app.role_title(r) for r in sorted(step_roles(rs.step)))
        raise StepError(_("Langkah {no} hanya dapat dikerjakan oleh: {roles}.", no=rs.no, roles=titles))
    if rs.assigned_to_id and rs.assigned_to_id != user.id:
        name = people.users_by_id([rs.assigned_to_id])[rs.assigned_to_id]
        raise StepError(_("Langkah {no} ditugaskan kepada {name}.", no=rs.no, name=str(name)))


# ---------------------------------------------------------------- opening and closing steps

def _due(cal, step, standard, ready_at, anchor):
    """When the step is due (naive UTC): its time standard counted from the later of the moment it
    opened and its anchor; for ``due_at_anchor`` steps, the end of the anchor's local day (the
    activity takes place before that moment, e.g. a training due on its last day), or of the day the
    step opened when that is later (no step is late before it is anyone's turn). None while an
    anchored step's moment is unknown, or without a standard."""
    if step.anchor and anchor is None:
        return None
    if step.due_at_anchor:
        day = max(aware(anchor), aware(ready_at)).astimezone(cal.tz).date() + datetime.timedelta(days=1)
        return naive(datetime.datetime.combine(day, datetime.time(), tzinfo=cal.tz))
    if not standard:
        return None
    return naive(cal.due(aware(max(ready_at, anchor) if anchor else ready_at), standard))


def _activate(app, run, step, cal, params, when=None):
    """Open a step: its due time counts from its anchor (when it has one) or from now."""
    when = when or db.utcnow()
    standard = standard_for(step, params)
    anchor = guards.anchor_of(app, run, step) if step.anchor else None
    due = _due(cal, step, standard, when, anchor)
    minutes = standard.working_minutes(day_minutes(cal)) if standard else None
    rs = audit.create(RunStep, run=run, step=step, code=run.code, no=step.no, status="ready", ready_at=when,
                      starts_at=anchor, due_at=due, standard_minutes=minutes)
    audit.update(run, current_no=step.no)
    return rs


def _acting_on(app, run, user, no=None, rule=None):
    """The prologue of every step transition: lock the run, check it is active, pick the
    user's open step and check they may act on it (or that a plugin rule does)."""
    run = _locked(run)
    _require_active(run)
    rs = _pick(run, no, user, rule)
    _require(app, user, rs, rule)
    return run, rs


def reanchor(run, app=None):
    """Recompute the anchor and due time of the run's open anchored steps (call when the plugin's dates change)."""
    app = app_of(app)
    with db.write():
        run = _locked(run)
        cal = calendar_for(app)
        params = json.loads(run.params)
        for rs in open_steps(run):
            if not rs.step.anchor:
                continue
            anchor = guards.anchor_of(app, run, rs.step)
            standard = standard_for(rs.step, params)
            due = _due(cal, rs.step, standard, rs.ready_at, anchor)
            # The standard may have become known with the anchor (a "JP" step once the batch is set).
            minutes = standard.working_minutes(day_minutes(cal)) if standard else None
            if (anchor, due, minutes) != (rs.starts_at, rs.due_at, rs.standard_minutes):
                audit.update(rs, starts_at=anchor, due_at=due, standard_minutes=minutes)


def _close(rs, status, cal, user, **fields):
    now = db.utcnow()
    paused = rs.paused_minutes
    if rs.status == "paused" and rs.paused_at:
        paused += cal.working_minutes_between(aware(rs.paused_at), aware(now))
    start = min(max(rs.ready_at, rs.starts_at or rs.ready_at), now)
    elapsed = max(0, cal.working_minutes_between(aware(start), aware(now)) - paused)
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
    later = [s for s in steps if s.no > rs.no and not _in_fork(s, steps)]
    return later[0] if later else None


def _in_fork(step, steps):
    """Steps opened by a fork are reached through it, not as "the next number"."""
    return any(step.no in json.loads(s.parallel or "[]") for s in steps)


def _finish(run, status, reason="", user=None):
    """The run ends (completed, ended by a decision, cancelled); steps still open are stopped, not late."""
    now = db.utcnow()
    for rs in open_steps(run):
        audit.update(rs, status="stopped", completed_at=now, on_time=None, paused_at=None,
                     reason=(reason or rs.reason)[:5000])
    audit.update(run, status=status, completed_at=now, current_no=None, end_reason=(reason or "")[:5000],
                 ended_by=getattr(user, "id", None))
    events.emit(f"tracker.run_{status}", run_id=run.id, code=run.code, reason=reason or "",
                subject_type=run.subject_type, subject_id=run.subject_id)


def _advance(app, run, rs, chosen, cal):
    """After ``rs`` closed: end the run, fork, wait at a join, or open the next step."""
    steps = steps_of(run.revision_id, cached=True)
    params = json.loads(run.params)
    if chosen is not None and (chosen.get("end") or chosen.get("to") is None):
        _finish(run, "ended", _("Keputusan langkah {no}: {label}", no=rs.no, label=chosen["label"]))
        return None
    fork = json.loads(rs.step.parallel or "[]") if chosen is None else []
    if fork:
        opened = [_activate(app, run, next(s for s in steps if s.no == no), cal, params) for no in fork]
        return opened[0]
    nxt = _next_step(rs, steps, chosen["to"] if chosen else None)
    others = open_steps(run)
    if nxt is None or (nxt.join and others) or any(o.no == nxt.no for o in others):
        if others:                       # another branch of a fork is still open
            audit.update(run, current_no=others[-1].no)
            return None
        if nxt is None:
            _finish(run, "completed")
            return None
    return _activate(app, run, nxt, cal, params)


def _sign(app, rs, user, notes):
    """A joint step (``sign_off: all``): record the user's roles' sign-offs; True when every role signed."""
    roles = step_roles(rs.step)
    signed = {s.role for s in StepSignoff.select().where(StepSignoff.run_step == rs)}
    today = local_today(app)
    mine = (roles & people.roles_on(user, today)) - signed
    if not mine:
        pending = ", ".join(app.role_title(r) for r in sorted(roles - signed))
        raise StepError(_("Anda sudah menandatangani langkah ini; menunggu: {roles}.", roles=pending))
    for role in sorted(mine):
        acting = people.acting_for(user, role, today)
        audit.create(StepSignoff, run_step=rs, role=role, user=user.id, acting=acting.kind if acting else "",
                     notes=(notes or "")[:5000])
    events.emit("tracker.step_signed", run_id=rs.run_id, code=rs.code, no=rs.no, roles=sorted(mine),
                user_id=user.id)
    return signed | mine >= roles


# ---------------------------------------------------------------- transitions

def start_run(code, subject_type, subject_id, title, params=None, app=None, first_no=None):
    """Start a run of the SOP in force today for a subject record; returns the Run."""
    from core.context import actor
    app = app_of(app)
    rev = published_revision(code)
    steps = steps_of(rev)
    if not steps:
        raise StepError(_("SOP {code} tidak memiliki langkah.", code=code))
    user = actor()
    with db.write():
        run = audit.create(Run, revision=rev, code=code, subject_type=subject_type, subject_id=str(subject_id),
                           title=title[:255], params=json.dumps(params or {}),
                           started_by=user.id if getattr(user, "id", None) else None)
        first = next(s for s in steps if s.no == first_no) if first_no else steps[0]
        _activate(app, run, first, calendar_for(app), params or {})
        events.emit("tracker.run_started", run_id=run.id, code=code, subject_type=subject_type, subject_id=str(subject_id))
    return run


def complete(run, user, notes="", branch=None, files=(), links=(), expect_no=None, app=None, rule=None):
    """Complete an open step (``expect_no``, else the user's); a decision needs ``branch`` (its label).

    Returns the next RunStep, the same one while a joint step waits for other
    roles' sign-off, or None when the run finished or waits at a join.
    ``rule``: the step is done because of a plugin's rule (the head approved the
    RAB; the batch ended), not by a holder of the step's role: the role check is
    skipped, the rule is kept in the notes and ``completed_by`` is the user who
    triggered it (None for the system, e.g. a scheduled job). Guards still apply.
    """
    app = app_of(app)
    with db.write():
        run, rs = _acting_on(app, run, user, expect_no, rule)
        if rs.status == "paused":
            raise StepError(_("Langkah ini sedang ditunda; lanjutkan dulu sebelum menyelesaikan."))
        reasons = guards.blockers(app, run, rs)
        if reasons:
            raise StepError(" ".join(reasons))
        if rule:
            notes = f"{_('Selesai menurut aturan')}: {rule}" + (f" — {notes}" if notes else "")
        branches = json.loads(rs.step.branches)
        chosen = None
        if branches:
            match = [b for b in branches if b["label"] == branch]
            if not match:
                raise StepError(_("Pilih salah satu keputusan: {opts}.", opts=" / ".join(b["label"] for b in branches)))
            chosen = match[0]
        for f in files:
            Evidence.create(run_step=rs, kind="file", **f)
        for label, url in links:
            Evidence.create(run_step=rs, kind="link", label=label[:255], url=url[:500])
        if rs.step.sign_off == "all" and rule is None and not _sign(app, rs, user, notes):
            return rs
        cal = calendar_for(app)
        _close(rs, "done", cal, user, notes=(notes or "")[:5000], branch=branch or "")
        events.emit("tracker.step_completed", run_id=run.id, code=run.code, no=rs.no, branch=branch or "",
                    subject_type=run.subject_type, subject_id=run.subject_id)
        return _advance(app, run, rs, chosen, cal)


def return_to(run, user, to_no, reason, app=None, no=None):
    """Send the work back to an earlier step with a reason (approval steps)."""
    app = app_of(app)
    reason = (reason or "").strip()
    with db.write():
        run, rs = _acting_on(app, run, user, no)
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
        return _activate(app, run, target, cal, json.loads(run.params))


def skip(run, user, reason, app=None, no=None):
    app = app_of(app)
    with db.write():
        run, rs = _acting_on(app, run, user, no)
        if not rs.step.skippable:
            raise StepError(_("Langkah {no} tidak boleh dilewati menurut SOP.", no=rs.no))
        if not (reason or "").strip():
            raise StepError(_("Alasan wajib diisi."))
        cal = calendar_for(app)
        _close(rs, "skipped", cal, user, reason=reason.strip()[:5000])
        return _advance(app, run, rs, None, cal)


def pause(run, user, reason, app=None, no=None):
    """Wait for an outside party: the time until resume does not count."""
    app = app_of(app)
    with db.write():
        run, rs = _acting_on(app, run, user, no)
        if rs.status == "paused":
            raise StepError(_("Langkah ini sudah ditunda."))
        if not (reason or "").strip():
            raise StepError(_("Alasan penundaan wajib diisi."))
        audit.update(rs, status="paused", paused_at=db.utcnow(), reason=reason.strip()[:5000])


def resume(run, user, app=None, no=None):
    app = app_of(app)
    with db.write():
        run, rs = _acting_on(app, run, user, no)
        if rs.status != "paused":
            raise StepError(_("Langkah ini tidak sedang ditunda."))
        cal = calendar_for(app)
        gap = cal.working_minutes_between(aware(rs.paused_at), aware(db.utcnow()))
        due = naive(cal.shift(aware(rs.due_at), gap)) if rs.due_at else None
        audit.update(rs, status="ready", paused_at=None, paused_minutes=rs.paused_minutes + gap, due_at=due)


def complete_by_plugin(subject_type, subject_id, code, no, user, notes="", links=(), branch=None, rule=None, app=None):
    """A plugin's action completes a step (e.g. saving an approved RAB completes step 5).

    Does nothing when step ``no`` is not open; raises StepError when the user
    may not perform it (unless ``rule`` says why the step is done, see ``complete``).
    """
    run = run_for(subject_type, subject_id, code)
    if run is None or run.status != "active" or not any(rs.no == no for rs in open_steps(run)):
        return None
    return complete(run, user, notes=notes, links=links, branch=branch, expect_no=no, rule=rule, app=app)


# ---------------------------------------------------------------- people on a step

def assign(run, no, assignee, by, app=None):
    """Give open step ``no`` to a named user holding its role (``assignee`` None: back to the role).

    Claiming is assigning to oneself (any holder of the role); giving it to
    someone else needs ``tracker.assign``.
    """
    app = app_of(app)
    from core.tracker import tasks as tasks_mod
    with db.write():
        run = _locked(run)
        _require_active(run)
        rs = _pick(run, no)
        self_claim = assignee is not None and assignee.id == by.id
        if self_claim and not can_act(by, rs.step):
            _require(app, by, rs)
        if not self_claim and not by.can("tracker.assign"):
            raise StepError(_("Anda tidak berwenang menugaskan langkah kepada orang lain."))
        if assignee is not None and not (assignee.active and can_act(assignee, rs.step)):
            raise StepError(_("{name} tidak memegang peran pelaksana langkah {no}.", name=str(assignee), no=rs.no))
        audit.update(rs, assigned_to=assignee.id if assignee else None)
        if assignee is not None and not self_claim:
            tasks_mod.notify(app, [assignee.id], f"assigned:{rs.id}:{assignee.id}",
                             lambda: _("Tugas baru: langkah {no} — {title}", no=rs.no, title=run.title),
                             f"/runs/{run.id}")
        return rs


# ---------------------------------------------------------------- ending a run early

def cancel_run(run, user, reason, app=None, rule=None):
    """Cancel a run with a reason (``tracker.cancel_run``, or a plugin's ``rule``): it leaves inboxes and reminders."""
    return _stop(run, user, reason, "cancelled", rule)


def end_run(run, user, reason, app=None, rule=None):
    """End a run early because its outcome is settled (a plugin's subject ended): reported apart, like a cancel."""
    return _stop(run, user, reason, "ended", rule)


def _stop(run, user, reason, status, rule):
    reason = (reason or "").strip()
    if not reason:
        raise StepError(_("Alasan pembatalan wajib diisi."))
    with db.write():
        run = _locked(run)
        _require_active(run)
        if rule is None and not (user is not None and user.can("tracker.cancel_run")):
            raise StepError(_("Anda tidak berwenang membatalkan run ini."))
        if rule:
            reason = f"{reason} ({_('menurut aturan')}: {rule})"
        _finish(run, status, reason, user)
    return run


def stop_runs(subject_type, subject_id, reason, status="cancelled", code=None, user=None, rule=None):
    """End or cancel every active run of a subject (its batch, test event or wave was cancelled); returns how many."""
    q = Run.select().where((Run.subject_type == subject_type) & (Run.subject_id == str(subject_id))
                           & (Run.status == "active"))
    if code:
        q = q.where(Run.code == code)
    n = 0
    for run in q:
        _stop(run, user, reason, status, rule or reason)
        n += 1
    return n
