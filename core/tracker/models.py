"""Step tracker tables: SOP revisions and steps, runs and their steps, evidence,
the working calendar's exceptions, notifications, monitoring notes, job slots."""
import peewee

from core.db import BaseModel, utcnow
from core.identity import User


class SopRevision(BaseModel):
    """A revision of an SOP. Published ones never change; runs keep theirs."""
    code = peewee.CharField(max_length=64, index=True)
    plugin = peewee.CharField(max_length=64)
    revision = peewee.CharField(max_length=40)
    title = peewee.CharField(max_length=255)
    status = peewee.CharField(max_length=12, default="draft")     # draft | published
    effective_from = peewee.DateField(null=True)
    header = peewee.TextField(default="{}")                         # JSON: document-control header and roles
    source = peewee.CharField(max_length=12, default="plugin")      # plugin | institution
    fingerprint = peewee.CharField(max_length=64, default="")
    created_at = peewee.DateTimeField(default=utcnow)
    published_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "sop_revision"
        indexes = ((("code", "revision"), True),)


class SopStep(BaseModel):
    revision = peewee.ForeignKeyField(SopRevision, backref="steps", on_delete="CASCADE")
    no = peewee.IntegerField()
    activity = peewee.TextField()
    lanes = peewee.TextField(default="[]")          # JSON list of role codes (swimlanes marked)
    roles = peewee.TextField(default="[]")          # JSON list of role codes that perform it
    requirements = peewee.TextField(default="")
    time = peewee.CharField(max_length=40, default="")
    output = peewee.TextField(default="")
    notes = peewee.TextField(default="")
    kind = peewee.CharField(max_length=12, default="process")   # process | decision
    branches = peewee.TextField(default="[]")       # JSON [{"label": .., "to": n}]
    next_no = peewee.IntegerField(null=True)        # explicit next step (when not no+1)
    ends = peewee.BooleanField(default=False)       # the run ends after this step
    approval = peewee.BooleanField(default=False)
    return_to = peewee.IntegerField(null=True)
    skippable = peewee.BooleanField(default=False)

    class Meta:
        table_name = "sop_step"
        indexes = ((("revision", "no"), True),)


class SopStepRole(BaseModel):
    """Who performs a step, one row per role: lets the inbox be one indexed join."""
    step = peewee.ForeignKeyField(SopStep, backref="role_rows", on_delete="CASCADE")
    role = peewee.CharField(max_length=64)

    class Meta:
        table_name = "sop_step_role"
        indexes = ((("role", "step"), True),)


class Run(BaseModel):
    """One instance of an SOP for a subject record of a plugin."""
    revision = peewee.ForeignKeyField(SopRevision, backref="runs")
    code = peewee.CharField(max_length=64)
    subject_type = peewee.CharField(max_length=64)
    subject_id = peewee.CharField(max_length=64)
    title = peewee.CharField(max_length=255)
    status = peewee.CharField(max_length=12, default="active")     # active | completed | cancelled
    current_no = peewee.IntegerField(null=True)
    params = peewee.TextField(default="{}")       # JSON, e.g. {"JP": 160}
    started_by = peewee.ForeignKeyField(User, null=True, backref="+")
    started_at = peewee.DateTimeField(default=utcnow)
    completed_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "run"
        indexes = ((("subject_type", "subject_id"), False), (("code", "started_at"), False), (("status",), False))


class RunStep(BaseModel):
    """One activation of a step in a run (a returned step is activated again)."""
    run = peewee.ForeignKeyField(Run, backref="run_steps", on_delete="CASCADE")
    step = peewee.ForeignKeyField(SopStep, backref="+")
    code = peewee.CharField(max_length=64, default="")             # the run's SOP code, kept here for the compliance report
    no = peewee.IntegerField()
    status = peewee.CharField(max_length=12, default="ready")   # ready | paused | done | skipped | returned
    ready_at = peewee.DateTimeField(default=utcnow)
    due_at = peewee.DateTimeField(null=True)
    standard_minutes = peewee.IntegerField(null=True)
    completed_at = peewee.DateTimeField(null=True)
    completed_by = peewee.ForeignKeyField(User, null=True, backref="+")
    elapsed_minutes = peewee.IntegerField(null=True)             # working minutes, pauses excluded; frozen at completion
    on_time = peewee.BooleanField(null=True)
    paused_at = peewee.DateTimeField(null=True)
    paused_minutes = peewee.IntegerField(default=0)
    branch = peewee.CharField(max_length=255, default="")
    notes = peewee.TextField(default="")
    reason = peewee.TextField(default="")                        # return / skip / pause reason

    class Meta:
        table_name = "run_step"
        indexes = ((("status", "due_at"), False), (("run", "id"), False), (("step", "status"), False),
                   (("code", "ready_at"), False))


# The inbox reads open steps in due order: a partial index keeps that a short index scan
# however many runs are finished (SQLite and PostgreSQL both support it).
RunStep.add_index(RunStep.index(RunStep.due_at, RunStep.id, where=RunStep.status.in_(("ready", "paused")),
                                name="run_step_open_due"))


class Evidence(BaseModel):
    """A file (stored by sha256) or a link to a record, attached to a step completion."""
    run_step = peewee.ForeignKeyField(RunStep, backref="evidence", on_delete="CASCADE")
    kind = peewee.CharField(max_length=8)           # file | link
    label = peewee.CharField(max_length=255, default="")
    filename = peewee.CharField(max_length=255, default="")
    sha256 = peewee.CharField(max_length=64, default="")
    size = peewee.IntegerField(default=0)
    content_type = peewee.CharField(max_length=100, default="")
    url = peewee.CharField(max_length=500, default="")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "evidence"


class CalendarException(BaseModel):
    """A date made a holiday (``working`` false) or a working day (true) by the admin."""
    day = peewee.DateField(unique=True)
    working = peewee.BooleanField(default=False)
    name = peewee.CharField(max_length=150, default="")

    class Meta:
        table_name = "calendar_exception"


class Notification(BaseModel):
    """A reminder shown in the UI (and mailed when a mail server is set); ``key`` makes it idempotent."""
    user = peewee.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    key = peewee.CharField(max_length=120)
    message = peewee.TextField()
    link = peewee.CharField(max_length=255, default="")
    created_at = peewee.DateTimeField(default=utcnow)
    read_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "notification"
        indexes = ((("key", "user"), True), (("user", "read_at"), False))

    @classmethod
    def unread_count(cls, user):
        if user is None or getattr(user, "id", None) is None:
            return 0
        return cls.select().where((cls.user == user.id) & cls.read_at.is_null()).count()


class MonitoringEntry(BaseModel):
    """The SOP AP semi-annual monitoring table: per step, running well or not, notes, action."""
    revision = peewee.ForeignKeyField(SopRevision, backref="+", on_delete="CASCADE")
    no = peewee.IntegerField()
    period = peewee.CharField(max_length=10)        # e.g. 2026-S1
    running_well = peewee.BooleanField(default=True)
    notes = peewee.TextField(default="")
    action = peewee.TextField(default="")

    class Meta:
        table_name = "monitoring_entry"
        indexes = ((("revision", "period", "no"), True),)


class JobSlot(BaseModel):
    """A scheduled job's time slot, claimed once across all processes."""
    name = peewee.CharField(max_length=64)
    slot = peewee.CharField(max_length=32)
    claimed_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "job_slot"
        indexes = ((("name", "slot"), True),)


MODELS = [SopRevision, SopStep, SopStepRole, Run, RunStep, Evidence, CalendarException,
          Notification, MonitoringEntry, JobSlot]
