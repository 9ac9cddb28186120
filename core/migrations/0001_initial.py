# The core tables: identity, audit log, numbering, step tracker. Generated from a schema diff.
from peewee import *


def up(migrator, db):
    class AuditLog(Model):
        seq = BigIntegerField(primary_key=True)
        at = DateTimeField()
        actor = CharField(max_length=150)
        actor_id = IntegerField(null=True)
        action = CharField(max_length=40)
        object_type = CharField(max_length=80, default='')
        object_id = CharField(max_length=80, default='')
        diff = TextField(default='{}')
        prev_hash = CharField(max_length=64)
        hash = CharField(max_length=64)
        class Meta:
            database = db
            table_name = 'audit_log'
            indexes = ((('object_type', 'object_id', 'seq'), False), (('at',), False), (('actor',), False))
    db.create_tables([AuditLog])

    class CalendarException(Model):
        day = DateField(unique=True)
        working = BooleanField(default=False)
        name = CharField(max_length=150, default='')
        class Meta:
            database = db
            table_name = 'calendar_exception'
    db.create_tables([CalendarException])

    class SopRevision(Model):
        code = CharField(index=True, max_length=64)
        plugin = CharField(max_length=64)
        revision = CharField(max_length=40)
        title = CharField()
        status = CharField(max_length=12, default='draft')
        effective_from = DateField(null=True)
        header = TextField(default='{}')
        source = CharField(max_length=12, default='plugin')
        fingerprint = CharField(max_length=64, default='')
        created_at = DateTimeField()
        published_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'sop_revision'
            indexes = ((('code', 'revision'), True),)
    db.create_tables([SopRevision])

    class User(Model):
        username = CharField(unique=True, max_length=64)
        full_name = CharField(max_length=150)
        nip = CharField(null=True, max_length=18)
        rank = CharField(max_length=80, default='')
        email = CharField(max_length=150, default='')
        phone = CharField(max_length=20, default='')
        active = BooleanField(default=True)
        password_hash = CharField(default='')
        must_change_password = BooleanField(default=False)
        language = CharField(max_length=5, default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'user'
    db.create_tables([User])

    class Run(Model):
        revision = ForeignKeyField(SopRevision)
        code = CharField(max_length=64)
        subject_type = CharField(max_length=64)
        subject_id = CharField(max_length=64)
        title = CharField()
        status = CharField(max_length=12, default='active')
        current_no = IntegerField(null=True)
        params = TextField(default='{}')
        started_by = ForeignKeyField(User, null=True)
        started_at = DateTimeField()
        completed_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'run'
            indexes = ((('subject_type', 'subject_id'), False), (('code', 'started_at'), False), (('status',), False))
    db.create_tables([Run])

    class SopStep(Model):
        revision = ForeignKeyField(SopRevision, on_delete='CASCADE')
        no = IntegerField()
        activity = TextField()
        lanes = TextField(default='[]')
        roles = TextField(default='[]')
        requirements = TextField(default='')
        time = CharField(max_length=40, default='')
        output = TextField(default='')
        notes = TextField(default='')
        kind = CharField(max_length=12, default='process')
        branches = TextField(default='[]')
        next_no = IntegerField(null=True)
        ends = BooleanField(default=False)
        approval = BooleanField(default=False)
        return_to = IntegerField(null=True)
        skippable = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'sop_step'
            indexes = ((('revision', 'no'), True),)
    db.create_tables([SopStep])

    class RunStep(Model):
        run = ForeignKeyField(Run, on_delete='CASCADE')
        step = ForeignKeyField(SopStep)
        no = IntegerField()
        status = CharField(max_length=12, default='ready')
        ready_at = DateTimeField()
        due_at = DateTimeField(null=True)
        standard_minutes = IntegerField(null=True)
        completed_at = DateTimeField(null=True)
        completed_by = ForeignKeyField(User, null=True)
        elapsed_minutes = IntegerField(null=True)
        on_time = BooleanField(null=True)
        paused_at = DateTimeField(null=True)
        paused_minutes = IntegerField(default=0)
        branch = CharField(default='')
        notes = TextField(default='')
        reason = TextField(default='')
        class Meta:
            database = db
            table_name = 'run_step'
            indexes = ((('status', 'due_at'), False), (('run', 'id'), False), (('step', 'status'), False))
    db.create_tables([RunStep])

    class Evidence(Model):
        run_step = ForeignKeyField(RunStep, on_delete='CASCADE')
        kind = CharField(max_length=8)
        label = CharField(default='')
        filename = CharField(default='')
        sha256 = CharField(max_length=64, default='')
        size = IntegerField(default=0)
        content_type = CharField(max_length=100, default='')
        url = CharField(max_length=500, default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'evidence'
    db.create_tables([Evidence])

    class JobSlot(Model):
        name = CharField(max_length=64)
        slot = CharField(max_length=32)
        claimed_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'job_slot'
            indexes = ((('name', 'slot'), True),)
    db.create_tables([JobSlot])

    class LoginAttempt(Model):
        username = CharField(index=True, max_length=64)
        client = CharField(index=True, max_length=64)
        at = DateTimeField(index=True)
        success = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'login_attempt'
    db.create_tables([LoginAttempt])

    class MonitoringEntry(Model):
        revision = ForeignKeyField(SopRevision, on_delete='CASCADE')
        no = IntegerField()
        period = CharField(max_length=10)
        running_well = BooleanField(default=True)
        notes = TextField(default='')
        action = TextField(default='')
        class Meta:
            database = db
            table_name = 'monitoring_entry'
            indexes = ((('revision', 'period', 'no'), True),)
    db.create_tables([MonitoringEntry])

    class Notification(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        key = CharField(max_length=120)
        message = TextField()
        link = CharField(default='')
        created_at = DateTimeField()
        read_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'notification'
            indexes = ((('key', 'user'), True), (('user', 'read_at'), False))
    db.create_tables([Notification])

    class NumberCounter(Model):
        series = CharField(max_length=64)
        year = IntegerField()
        last = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'number_counter'
            indexes = ((('series', 'year'), True),)
    db.create_tables([NumberCounter])

    class PermissionSeen(Model):
        key = CharField(primary_key=True, max_length=170)
        class Meta:
            database = db
            table_name = 'permission_seen'
    db.create_tables([PermissionSeen])

    class RolePermission(Model):
        role = CharField(max_length=64)
        permission = CharField(max_length=100)
        class Meta:
            database = db
            table_name = 'role_permission'
            indexes = ((('role', 'permission'), True),)
    db.create_tables([RolePermission])

    class Session(Model):
        key_hash = CharField(primary_key=True, max_length=64)
        user = ForeignKeyField(User, on_delete='CASCADE')
        csrf_token = CharField(max_length=64)
        created_at = DateTimeField()
        last_seen = DateTimeField()
        client = CharField(max_length=64, default='')
        class Meta:
            database = db
            table_name = 'session'
    db.create_tables([Session])

    class SopStepRole(Model):
        step = ForeignKeyField(SopStep, on_delete='CASCADE')
        role = CharField(max_length=64)
        class Meta:
            database = db
            table_name = 'sop_step_role'
            indexes = ((('role', 'step'), True),)
    db.create_tables([SopStepRole])

    class UserRole(Model):
        user = ForeignKeyField(User, on_delete='CASCADE')
        role = CharField(max_length=64)
        class Meta:
            database = db
            table_name = 'user_role'
            indexes = ((('user', 'role'), True), (('role',), False))
    db.create_tables([UserRole])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('user_role'))
    migrator.migrate(migrator.drop_table('sop_step_role'))
    migrator.migrate(migrator.drop_table('session'))
    migrator.migrate(migrator.drop_table('role_permission'))
    migrator.migrate(migrator.drop_table('permission_seen'))
    migrator.migrate(migrator.drop_table('number_counter'))
    migrator.migrate(migrator.drop_table('notification'))
    migrator.migrate(migrator.drop_table('monitoring_entry'))
    migrator.migrate(migrator.drop_table('login_attempt'))
    migrator.migrate(migrator.drop_table('job_slot'))
    migrator.migrate(migrator.drop_table('evidence'))
    migrator.migrate(migrator.drop_table('run_step'))
    migrator.migrate(migrator.drop_table('sop_step'))
    migrator.migrate(migrator.drop_table('run'))
    migrator.migrate(migrator.drop_table('user'))
    migrator.migrate(migrator.drop_table('sop_revision'))
    migrator.migrate(migrator.drop_table('calendar_exception'))
    migrator.migrate(migrator.drop_table('audit_log'))
