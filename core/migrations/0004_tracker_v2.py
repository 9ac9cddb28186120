"""Tracker v2: run endings, guards and anchors, joint/parallel steps, assignees, acting officials, tasks."""
from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model,
                    TextField)


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class RunStep(Model):
        class Meta:
            database = db
            table_name = "run_step"

    migrator.migrate(
        migrator.add_column("sop_step", "sign_off", CharField(max_length=4, default="any")),
        migrator.add_column("sop_step", "anchor", CharField(max_length=64, default="")),
        migrator.add_column("sop_step", "not_before", BooleanField(default=False)),
        migrator.add_column("sop_step", "parallel", TextField(default="[]")),
        migrator.add_column("sop_step", "join", BooleanField(default=False)),
        migrator.add_column("sop_step", "escalate_after_days", IntegerField(null=True)),
        migrator.add_column("sop_step", "escalate_to", CharField(max_length=64, default="")),
        migrator.add_column("run", "end_reason", TextField(default="")),
        migrator.add_column("run", "ended_by_id", ForeignKeyField(User, null=True, field=User.id)),
        migrator.add_column("run_step", "starts_at", DateTimeField(null=True)),
        migrator.add_column("run_step", "assigned_to_id", ForeignKeyField(User, null=True, field=User.id)),
        migrator.add_column("run_step", "escalated_at", DateTimeField(null=True)),
    )

    class StepSignoff(Model):
        run_step = ForeignKeyField(RunStep, on_delete="CASCADE")
        role = CharField(max_length=64)
        user = ForeignKeyField(User)
        acting = CharField(max_length=4, default="")
        signed_at = DateTimeField()
        notes = TextField(default="")

        class Meta:
            database = db
            table_name = "step_signoff"
            indexes = ((("run_step", "role"), True),)

    class Acting(Model):
        user = ForeignKeyField(User, on_delete="CASCADE")
        role = CharField(max_length=64)
        kind = CharField(max_length=4)
        date_from = DateField()
        date_to = DateField()
        note = CharField(max_length=255, default="")
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "acting"
            indexes = ((("user", "date_from"), False), (("role", "date_from"), False))

    class Task(Model):
        key = CharField(max_length=160, unique=True)
        user = ForeignKeyField(User, null=True, on_delete="CASCADE")
        role = CharField(max_length=64, default="")
        title = CharField(max_length=255)
        link = CharField(max_length=255, default="")
        source_type = CharField(max_length=64, default="")
        source_id = CharField(max_length=64, default="")
        status = CharField(max_length=10, default="open")
        due_at = DateTimeField(null=True)
        created_at = DateTimeField()
        closed_at = DateTimeField(null=True)
        closed_by = ForeignKeyField(User, null=True)

        class Meta:
            database = db
            table_name = "task"
            indexes = ((("status", "user"), False), (("status", "role"), False), (("source_type", "source_id"), False))

    db.create_tables([StepSignoff, Acting, Task])
