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
    """Notify each holder of a step's role once when it is due soon and once when overdue."""
    from core.i18n import format_datetime
    rows = list(RunStep.select(RunStep, SopStep, Run).join(SopStep).switch(RunStep).join(Run)
                .where(RunStep.status.in_(("ready", "paused")) & RunStep.due_at.is_null(False)
                       & (RunStep.due_at <= now + DUE_SOON)))
    if not rows:
        return 0
    holders = {}
    for user_id, role in (identity.UserRole.select(identity.UserRole.user, identity.UserRole.role)
                          .join(identity.User).where(identity.User.active == True).tuples()):  # noqa: E712
        holders.setdefault(role, set()).add(user_id)
    created = 0
    keys = [f"{k}:{rs.id}" for rs in rows for k in ("overdue", "due_soon")]
    existing = set(Notification.select(Notification.key, Notification.user).where(Notification.key.in_(keys)).tuples())
    with db.write():
        for rs in rows:
            kind = "overdue" if rs.due_at < now else "due_soon"
            text = ("Terlambat" if kind == "overdue" else "Segera jatuh tempo") + \
                f": langkah {rs.no} — {rs.run.title} ({rs.run.code}), batas {format_datetime(rs.due_at)}"
            users = set()
            for role in json.loads(rs.step.roles):
                users |= holders.get(role, set())
            for uid in users:
                if (f"{kind}:{rs.id}", uid) in existing:
                    continue
                Notification.insert(user=uid, key=f"{kind}:{rs.id}", message=text,
                                    link=f"/runs/{rs.run_id}").on_conflict_ignore().execute()
                created += 1
    if app.config["mail_host"] and created:
        send_mail(app)
    return created


def send_mail(app):
    """Mail unread reminders to users with an email address (best effort, logged)."""
    try:
        with smtplib.SMTP(app.config["mail_host"], timeout=10) as smtp:
            for n in (Notification.select(Notification, identity.User).join(identity.User)
                      .where(Notification.read_at.is_null() & (identity.User.email != ""))
                      .where(Notification.created_at > db.utcnow() - datetime.timedelta(minutes=20))):
                msg = EmailMessage()
                msg["From"], msg["To"], msg["Subject"] = app.config["mail_from"], n.user.email, "Pengingat SOP"
                msg.set_content(n.message)
                smtp.send_message(msg)
    except OSError:
        log.exception("mail server %s unreachable; reminders stay in the UI", app.config["mail_host"])


JOBS = [Job("tracker.reminders", remind, every_minutes=15)]
