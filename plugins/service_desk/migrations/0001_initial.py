# Generated from a schema diff on 2026-11-23 04:13.
from peewee import *
import decimal


def up(migrator, db):
    class Batch(Model):
        class Meta:
            database = db
            table_name = 'training_batch'

    class Enrolment(Model):
        class Meta:
            database = db
            table_name = 'training_enrolment'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class GuestVisit(Model):
        visited_at = DateTimeField()
        day = DateField(index=True)
        name = CharField(max_length=150)
        category = CharField(max_length=12)
        organisation = CharField(max_length=200, default='')
        phone = CharField(max_length=20, default='')
        purpose = CharField(max_length=16)
        consent = BooleanField(default=False)
        notes = TextField(default='')
        received_by = ForeignKeyField(User, null=True)
        batch = ForeignKeyField(Batch, null=True)
        enrolment = ForeignKeyField(Enrolment, null=True)
        class Meta:
            database = db
            table_name = 'service_desk_visit'
            indexes = ((('day', 'category', 'purpose'), False),)
    db.create_tables([GuestVisit])

    class Cooperation(Model):
        visit = ForeignKeyField(GuestVisit, unique=True)
        kind = CharField(max_length=30, default='training_certification')
        meeting_date = DateField(null=True)
        attendees = TextField(default='')
        minutes = TextField(default='')
        follow_up = TextField(default='')
        batch = ForeignKeyField(Batch, null=True)
        rab_status = CharField(max_length=12, default='draft')
        rab_reason = TextField(default='')
        pks_status = CharField(max_length=12, default='draft')
        pks_reason = TextField(default='')
        billing_id = CharField(max_length=40, default='')
        billing_amount = DecimalField(null=True, max_digits=15, decimal_places=2)
        billed_on = DateField(null=True)
        paid = BooleanField(default=False)
        paid_on = DateField(null=True)
        class Meta:
            database = db
            table_name = 'service_desk_cooperation'
    db.create_tables([Cooperation])

    class Approval(Model):
        cooperation = ForeignKeyField(Cooperation, on_delete='CASCADE')
        document = CharField(max_length=4)
        decision = CharField(max_length=10)
        reason = TextField(default='')
        decided_by = ForeignKeyField(User)
        decided_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'service_desk_approval'
    db.create_tables([Approval])

    class Pks(Model):
        cooperation = ForeignKeyField(Cooperation, unique=True)
        number = CharField(max_length=80, default='')
        parties = TextField()
        scope = TextField()
        period_start = DateField()
        period_end = DateField()
        scan_filename = CharField(max_length=200, default='')
        scan_sha256 = CharField(max_length=64, default='')
        scan_size = IntegerField(default=0)
        scan_type = CharField(max_length=100, default='')
        class Meta:
            database = db
            table_name = 'service_desk_pks'
    db.create_tables([Pks])

    class RabLine(Model):
        cooperation = ForeignKeyField(Cooperation, on_delete='CASCADE')
        item = CharField(max_length=200)
        volume = DecimalField(max_digits=15, decimal_places=2)
        unit = CharField(max_length=30)
        unit_cost = DecimalField(max_digits=15, decimal_places=2)
        class Meta:
            database = db
            table_name = 'service_desk_rab_line'
    db.create_tables([RabLine])

    class SelectionScore(Model):
        enrolment = ForeignKeyField(Enrolment, unique=True)
        cbt_score = DecimalField(null=True, max_digits=6, decimal_places=2)
        interview_score = DecimalField(null=True, max_digits=6, decimal_places=2)
        interview_notes = TextField(default='')
        total = DecimalField(null=True, max_digits=6, decimal_places=2)
        result = CharField(max_length=10, default='')
        class Meta:
            database = db
            table_name = 'service_desk_selection_score'
    db.create_tables([SelectionScore])

    class SelectionSetting(Model):
        batch = ForeignKeyField(Batch, unique=True)
        cbt_weight = DecimalField(max_digits=6, decimal_places=2, default=decimal.Decimal('60'))
        interview_weight = DecimalField(max_digits=6, decimal_places=2, default=decimal.Decimal('40'))
        pass_mark = DecimalField(max_digits=6, decimal_places=2, default=decimal.Decimal('70'))
        reserve_mark = DecimalField(max_digits=6, decimal_places=2, default=decimal.Decimal('60'))
        finalised_at = DateTimeField(null=True)
        finalised_by = ForeignKeyField(User, null=True)
        class Meta:
            database = db
            table_name = 'service_desk_selection_setting'
    db.create_tables([SelectionSetting])

    class TestResult(Model):
        batch = ForeignKeyField(Batch, unique=True)
        test_event_id = IntegerField(null=True)
        ba_number = CharField(max_length=80, default='')
        ba_date = DateField(null=True)
        candidates = IntegerField(null=True)
        passed = IntegerField(null=True)
        file_name = CharField(max_length=200, default='')
        file_sha256 = CharField(max_length=64, default='')
        file_size = IntegerField(default=0)
        file_type = CharField(max_length=100, default='')
        recorded_by = ForeignKeyField(User, null=True)
        recorded_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'service_desk_test_result'
    db.create_tables([TestResult])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('service_desk_test_result'))
    migrator.migrate(migrator.drop_table('service_desk_selection_setting'))
    migrator.migrate(migrator.drop_table('service_desk_selection_score'))
    migrator.migrate(migrator.drop_table('service_desk_rab_line'))
    migrator.migrate(migrator.drop_table('service_desk_pks'))
    migrator.migrate(migrator.drop_table('service_desk_approval'))
    migrator.migrate(migrator.drop_table('service_desk_cooperation'))
    migrator.migrate(migrator.drop_table('service_desk_visit'))
