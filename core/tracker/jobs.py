"""Scheduled work: reminders for steps due soon and overdue, once each.

Run by ``balai jobs run`` (cron, Windows Task Scheduler) and by the scheduler
thread inside ``balai serve``. A job's time slot is claimed in the database
(``job_slot``), so several server processes run it once, not once each.
"""
import datetime
import json
import logging
import smtplib
from email.message import EmailMessage

import peewee

from core import db, identity
from core.plugins import Job
from core.tracker.models import JobSlot, Notification, Run, RunStep, SopStep

log = logging.getLogger("balai.jobs")
DUE_SOON = datetime.timedelta(hours=2)


def claim(name, slot):
    """True if this process won the slot (unique row); False if another did."""
    try:
        with db.write():
            JobSlot.create(name=name, slot=slot)
        return True
    except peewee.IntegrityError:
        return False


def run_due(app, now=None, force=False):
    """Run every job whose slot is free; returns [(job name, result)]."""
    now = now or db.utcnow()
    done = []
    for job in app.jobs:
        minute = (now.hour * 60 + now.minute) // job.every_minutes * job.every_minutes
        slot = f"{now:%Y-%m-%d}T{minute // 60:02d}{minute % 60:02d}"
        if force or claim(job.name, slot):
            try:
                done.append((job.name, job.run(app, now)))
            except Exception:
                log.exception("job %s failed", job.name)
                done.append((job.name, "error"))
    return done


def remind(app, now):
    """Remind once before and once after the due time; escalate overdue work.

    Each holder of a step's role (own or acting; only the assignee of an
    assigned step; only roles yet to sign a joint step) and each recipient of an
    open task is told once when it is due within two hours and once when it is
    overdue, in their own language, with the time in the institution's zone.
    A step overdue by its SOP's ``escalate_after_days`` working days (default
    ``[balai] escalate_after_days``; 0: never) is reported to the holders of
    ``escalate_to`` (default ``[balai] escalate_to``).
    """
    from core.tracker import people, tasks
    from core.tracker.base import calendar_for, local_zone
    from core.tracker.models import StepSignoff, Task
    zone = local_zone(app)
    rows = list(RunStep.select(RunStep, SopStep, Run).join(SopStep).switch(RunStep).join(Run)
                .where(RunStep.status.in_(("ready", "paused")) & RunStep.due_at.is_null(False)
                       & (RunStep.due_at <= now + DUE_SOON)))
    open_tasks = list(Task.select().where((Task.status == "open") & Task.due_at.is_null(False)
                                          & (Task.due_at <= now + DUE_SOON)))
    if not rows and not open_tasks:
        return 0
    signed = {}
    if rows:
        for rs_id, role in StepSignoff.select(StepSignoff.run_step, StepSignoff.role).where(
                StepSignoff.run_step.in_([rs.id for rs in rows])).tuples():
            signed.setdefault(rs_id, set()).add(role)
    roles = {r for rs in rows for r in json.loads(rs.step.roles)} | {t.role for t in open_tasks if t.role}
    roles |= {escalation_of(app, rs.step)[1] for rs in rows} - {""}
    holders = people.holders(roles, now)
    items, escalated = [], []           # every notice of this run of the job, sent with one notify_many
    for rs in rows:
        kind = "overdue" if rs.due_at < now else "due_soon"
        users = {rs.assigned_to_id} if rs.assigned_to_id else {
            u for role in set(json.loads(rs.step.roles)) - signed.get(rs.id, set()) for u in holders.get(role, ())}
        items.append((users, f"{kind}:{rs.id}", reminder_text(kind, rs.no, rs.run.title, rs.run.code, rs.due_at, zone),
                      f"/runs/{rs.run_id}"))
        days, role = escalation_of(app, rs.step)
        if kind == "overdue" and days and role and rs.escalated_at is None \
                and calendar_for(app).due(aware(rs.due_at), f"{days} hari") <= aware(now):
            items.append((holders.get(role, ()), f"escalate:{rs.id}",
                          escalation_text(rs.no, rs.run.title, rs.run.code, rs.due_at, days, zone), f"/runs/{rs.run_id}"))
            escalated.append(rs.id)
    for task in open_tasks:
        kind = "overdue" if task.due_at < now else "due_soon"
        users = {task.user_id} if task.user_id else holders.get(task.role, set())
        items.append((users, f"task-{kind}:{task.id}", reminder_text(kind, None, task.title, "", task.due_at, zone),
                      task.link))
    created = tasks.notify_many(app, items)
    if escalated:
        with db.write():
            RunStep.update(escalated_at=now).where(RunStep.id.in_(escalated)).execute()
    if app.config["mail_host"] and created:
        send_mail(app)
    return created


def escalation_of(app, step):
    """(working days overdue, role to tell) for a step: its SOP data, else the institution's default."""
    days = step.escalate_after_days if step.escalate_after_days is not None else app.config["escalate_after_days"]
    return days or 0, step.escalate_to or app.config["escalate_to"] or ""


def aware(naive_utc):
    return naive_utc.replace(tzinfo=datetime.timezone.utc)


def reminder_text(kind, no, title, code, due_at, zone):
    """A callable: the reminder in the current (recipient's) language, the time in the institution's zone."""
    from core.i18n import _, format_datetime

    def text():
        when = format_datetime(due_at, zone)
        what = _("langkah {no} — {title} ({code})", no=no, title=title, code=code) if no else title
        if kind == "overdue":
            return _("Terlambat: {what}, batas {when}", what=what, when=when)
        return _("Segera jatuh tempo: {what}, batas {when}", what=what, when=when)
    return text


def escalation_text(no, title, code, due_at, days, zone):
    from core.i18n import _, format_datetime
    return lambda: _("Eskalasi: langkah {no} — {title} ({code}) terlambat lebih dari {days} hari kerja (batas {when}).",
                     no=no, title=title, code=code, days=days, when=format_datetime(due_at, zone))


def send_mail(app):
    """Mail unread reminders to users with an email address (best effort, logged)."""
    try:
        with smtplib.SMTP(app.config["mail_host"], timeout=10) as smtp:
            for n in (Notification.select(Notification, identity.User).join(identity.User)
                      .where(Notification.read_at.is_null() & (identity.User.email != ""))
                      .where(Notification.created_at > db.utcnow() - datetime.timedelta(minutes=20))):
                msg = EmailMessage()
                from core.i18n import in_language_of, lazy
                subject = in_language_of(n.user, lazy("Pengingat SOP"))
                msg["From"], msg["To"], msg["Subject"] = app.config["mail_from"], n.user.email, subject
                msg.set_content(n.message)
                smtp.send_message(msg)
    except OSError:
        log.exception("mail server %s unreachable; reminders stay in the UI", app.config["mail_host"])


JOBS = [Job("tracker.reminders", remind, every_minutes=15)]
