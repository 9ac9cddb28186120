# Generated from a schema diff on 2026-11-23 04:11.
from peewee import *


def up(migrator, db):
    class Batch(Model):
        class Meta:
            database = db
            table_name = 'training_batch'

    class Programme(Model):
        class Meta:
            database = db
            table_name = 'training_programme'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class WorkPlan(Model):
        activity = CharField(max_length=200)
        programme = ForeignKeyField(Programme)
        batch = ForeignKeyField(Batch, null=True)
        start_date = DateField()
        end_date = DateField()
        venue = CharField(max_length=200)
        quota = IntegerField(default=16)
        dpa_number = CharField(max_length=100)
        budget_amount = DecimalField(max_digits=15, decimal_places=2)
        schedule = TextField(default='')
        status = CharField(index=True, max_length=12, default='draft')
        return_reason = TextField(default='')
        instruction_note = TextField(default='')
        meeting_date = DateField(null=True)
        meeting_place = CharField(max_length=200, default='')
        meeting_attendees = TextField(default='')
        meeting_minutes = TextField(default='')
        report_text = TextField(default='')
        report_received_at = DateTimeField(null=True)
        report_received_by = ForeignKeyField(User, null=True)
        created_by = ForeignKeyField(User, null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'delivery_work_plan'
    db.create_tables([WorkPlan])

    class Addressee(Model):
        work_plan = ForeignKeyField(WorkPlan, on_delete='CASCADE')
        name = CharField(max_length=150)
        position = CharField(default='')
        sent_on = DateField(null=True)
        proof_ref = CharField(max_length=120, default='')
        proof_filename = CharField(default='')
        proof_sha256 = CharField(max_length=64, default='')
        proof_content_type = CharField(max_length=100, default='')
        replied_on = DateField(null=True)
        reply_ref = CharField(max_length=120, default='')
        class Meta:
            database = db
            table_name = 'delivery_addressee'
            indexes = ((('work_plan', 'name'), True), (('sent_on', 'replied_on'), False))
    db.create_tables([Addressee])

    class CommitteeMember(Model):
        work_plan = ForeignKeyField(WorkPlan, on_delete='CASCADE')
        name = CharField(max_length=150)
        nip = CharField(max_length=18, default='')
        position = CharField(max_length=150, default='')
        role = CharField(max_length=60)
        sort = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'delivery_committee_member'
    db.create_tables([CommitteeMember])

    class Letter(Model):
        work_plan = ForeignKeyField(WorkPlan, on_delete='CASCADE')
        kind = CharField(max_length=20)
        addressee = ForeignKeyField(Addressee, null=True, on_delete='CASCADE')
        title = CharField(max_length=200)
        source = TextField()
        text = TextField(default='')
        status = CharField(max_length=10, default='draft')
        number = CharField(unique=True, null=True, max_length=80)
        dated = DateField(null=True)
        paraf_by = ForeignKeyField(User, null=True)
        paraf_at = DateTimeField(null=True)
        paraf_name = CharField(max_length=150, default='')
        paraf_nip = CharField(max_length=18, default='')
        paraf_rank = CharField(max_length=80, default='')
        signed_by = ForeignKeyField(User, null=True)
        signed_at = DateTimeField(null=True)
        signer_name = CharField(max_length=150, default='')
        signer_nip = CharField(max_length=18, default='')
        signer_rank = CharField(max_length=80, default='')
        return_reason = TextField(default='')
        class Meta:
            database = db
            table_name = 'delivery_letter'
            indexes = ((('work_plan', 'kind'), False),)
    db.create_tables([Letter])

    class LetterTemplate(Model):
        kind = CharField(unique=True, max_length=20)
        title = CharField(max_length=200)
        body = TextField()
        class Meta:
            database = db
            table_name = 'delivery_letter_template'
    db.create_tables([LetterTemplate])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('delivery_letter_template'))
    migrator.migrate(migrator.drop_table('delivery_letter'))
    migrator.migrate(migrator.drop_table('delivery_committee_member'))
    migrator.migrate(migrator.drop_table('delivery_addressee'))
    migrator.migrate(migrator.drop_table('delivery_work_plan'))
