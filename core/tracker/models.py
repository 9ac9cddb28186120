"""Step tracker tables: SOP revisions and steps, runs and their steps, evidence,
the working calendar's exceptions, notifications, monitoring notes, job slots."""
import peewee

from core.db import BaseModel, utcnow
from core.forms import Choices
from core.i18n import lazy
from core.identity import User


# What a person reads for each stored status (core/forms.py Choices: code stored, label translated).
REVISION_STATUS = Choices(("draft", "draf"), ("published", "terbit"))
RUN_STATUS = Choices(("active", "berjalan"), ("completed", "selesai"), ("ended", "berakhir"), ("cancelled", "dibatalkan"))
STEP_STATUS = Choices(("ready", "menunggu"), ("paused", "ditunda"), ("done", "selesai"), ("skipped", "dilewati"),
                      ("returned", "dikembalikan"), ("stopped", "dihentikan"))

class SopRevision(BaseModel):
    """A revision of an SOP. Published ones never change; runs keep theirs."""
    code = peewee.CharField(max_length=64, index=True)
    plugin = peewee.CharField(max_length=64)
    revision = peewee.CharField(max_length=40)
    title = peewee.CharField(max_length=255)
    status = peewee.CharField(max_length=12, default="draft")     # draft | published
    field_choices = {"status": REVISION_STATUS}
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
    # Tracker v2 (docs/step-tracker.md §9–§13)
    sign_off = peewee.CharField(max_length=4, default="any")      # any | all: one of the roles, or each of them
    anchor = peewee.CharField(max_length=64, default="")          # the real-world moment the step records
    not_before = peewee.BooleanField(default=False)               # completion refused before the anchor
    due_at_anchor = peewee.BooleanField(default=False)            # due at the end of the anchor's day
    parallel = peewee.TextField(default="[]")                     # JSON: steps opened together after this one
    join = peewee.BooleanField(default=False)                     # opens only when no other step is open
    escalate_after_days = peewee.IntegerField(null=True)          # working days overdue before escalating
    escalate_to = peewee.CharField(max_length=64, default="")     # the supervising role told

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
    status = peewee.CharField(max_length=12, default="active")     # active | completed | ended | cancelled
    field_choices = {"status": RUN_STATUS}
    # Record history reads these (core/history.py): a run's page shows labels, not column names.
    field_labels = {"code": lazy("Kode SOP"), "revision": lazy("Revisi SOP"), "subject_type": lazy("Jenis data"),
                    "subject_id": lazy("Nomor data"), "current_no": lazy("Langkah berjalan"),
                    "params": lazy("Parameter"), "id": lazy("Nomor run")}
    current_no = peewee.IntegerField(null=True)
    end_reason = peewee.TextField(default="")                       # why it ended early / was cancelled
    ended_by = peewee.ForeignKeyField(User, null=True, backref="+")
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
    status = peewee.CharField(max_length=12, default="ready")   # ready | paused | done | skipped | returned | stopped
    field_choices = {"status": STEP_STATUS}
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
    starts_at = peewee.DateTimeField(null=True)                  # the anchor: the clock starts here, not at ready_at
    assigned_to = peewee.ForeignKeyField(User, null=True, backref="+")
    escalated_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "run_step"
        indexes = ((("status", "due_at"), False), (("run", "id"), False), (("step", "status"), False),
                   (("code", "ready_at"), False))


# The inbox reads open steps in due order: a partial index keeps that a short index scan
# however many runs are finished (SQLite and PostgreSQL both support it).
RunStep.add_index(RunStep.index(RunStep.due_at, RunStep.id, where=RunStep.status.in_(("ready", "paused")),
                                name="run_step_open_due"))


class StepSignoff(BaseModel):
    """One role's sign-off of a joint step (``sign_off: all``); the step completes when every role signed."""
    run_step = peewee.ForeignKeyField(RunStep, backref="signoffs", on_delete="CASCADE")
    role = peewee.CharField(max_length=64)
    user = peewee.ForeignKeyField(User, backref="+")
    acting = peewee.CharField(max_length=4, default="")          # "Plt." / "Plh." when signed as acting official
    signed_at = peewee.DateTimeField(default=utcnow)
    notes = peewee.TextField(default="")

    class Meta:
        table_name = "step_signoff"
        indexes = ((("run_step", "role"), True),)


class Acting(BaseModel):
    """A user acts for a position (role) from date to date: Plt. (vacant) or Plh. (holder away)."""
    user = peewee.ForeignKeyField(User, backref="+", on_delete="CASCADE")
    role = peewee.CharField(max_length=64)
    kind = peewee.CharField(max_length=4)                          # Plt. | Plh.
    date_from = peewee.DateField()
    date_to = peewee.DateField()
    note = peewee.CharField(max_length=255, default="")            # e.g. the decree (SK/surat perintah) number
    created_by = peewee.ForeignKeyField(User, null=True, backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "acting"
        indexes = ((("user", "date_from"), False), (("role", "date_from"), False))


class Task(BaseModel):
    """Anything a person must act on outside a run step (approve, paraf, sign, confirm).

    For a user, or for whoever holds a role; ``key`` makes opening idempotent."""
    key = peewee.CharField(max_length=160, unique=True)
    user = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="CASCADE")
    role = peewee.CharField(max_length=64, default="")
    title = peewee.CharField(max_length=255)
    link = peewee.CharField(max_length=255, default="")
    source_type = peewee.CharField(max_length=64, default="")
    source_id = peewee.CharField(max_length=64, default="")
    status = peewee.CharField(max_length=10, default="open")      # open | done | cancelled
    due_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)
    closed_at = peewee.DateTimeField(null=True)
    closed_by = peewee.ForeignKeyField(User, null=True, backref="+")

    class Meta:
        table_name = "task"
        indexes = ((("status", "user"), False), (("status", "role"), False), (("source_type", "source_id"), False))


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
    def unread_subquery(cls):
        """Unread count as a subquery correlated on ``User.id`` (read with the session)."""
        return cls.select(peewee.fn.COUNT(cls.id)).where((cls.user == User.id) & cls.read_at.is_null())

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


MODELS = [SopRevision, SopStep, SopStepRole, Run, RunStep, StepSignoff, Acting, Task, Evidence, CalendarException,
          Notification, MonitoringEntry, JobSlot]
