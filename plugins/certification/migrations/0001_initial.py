# Generated from a schema diff on 2026-11-23 04:21.
from peewee import *


def up(migrator, db):
    class Batch(Model):
        class Meta:
            database = db
            table_name = 'training_batch'

    class Enrolment(Model):
        class Meta:
            database = db
            table_name = 'training_enrolment'

    class Person(Model):
        class Meta:
            database = db
            table_name = 'training_person'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Assessor(Model):
        name = CharField(index=True, max_length=150)
        met_number = CharField(unique=True, max_length=60)
        met_expiry = DateField()
        phone = CharField(max_length=20, default='')
        user = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'certification_assessor'
    db.create_tables([Assessor])

    class Scheme(Model):
        code = CharField(unique=True, max_length=20)
        number = CharField(unique=True, max_length=80)
        title = CharField(index=True, max_length=200)
        kind = CharField(max_length=12, default='kkni')
        validity_years = IntegerField(default=3)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'certification_scheme'
    db.create_tables([Scheme])

    class AssessorScheme(Model):
        assessor = ForeignKeyField(Assessor, on_delete='CASCADE')
        scheme = ForeignKeyField(Scheme, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'certification_assessor_scheme'
            indexes = ((('assessor', 'scheme'), True),)
    db.create_tables([AssessorScheme])

    class Tuk(Model):
        name = CharField(unique=True, max_length=150)
        kind = CharField(max_length=15, default='sewaktu')
        address = CharField(default='')
        capacity = IntegerField()
        head_name = CharField(max_length=150, default='')
        head_nip = CharField(null=True, max_length=18)
        class Meta:
            database = db
            table_name = 'certification_tuk'
    db.create_tables([Tuk])

    class TestEvent(Model):
        scheme = ForeignKeyField(Scheme)
        tuk = ForeignKeyField(Tuk)
        date = DateField(index=True)
        start_time = TimeField()
        end_time = TimeField()
        batch = ForeignKeyField(Batch, null=True)
        status = CharField(index=True, max_length=20, default='scheduled')
        notes = TextField(default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'certification_test_event'
    db.create_tables([TestEvent])

    class Candidate(Model):
        event = ForeignKeyField(TestEvent, on_delete='CASCADE')
        person = ForeignKeyField(Person)
        enrolment = ForeignKeyField(Enrolment, null=True)
        token = CharField(unique=True, max_length=40)
        confirmation = CharField(max_length=10, default='pending')
        confirmed_at = DateTimeField(null=True)
        confirmed_via = CharField(max_length=10, default='')
        present = BooleanField(null=True)
        result = CharField(max_length=2, default='')
        recommendation = TextField(default='')
        class Meta:
            database = db
            table_name = 'certification_candidate'
            indexes = ((('event', 'person'), True),)
    db.create_tables([Candidate])

    class ChecklistItem(Model):
        scheme = ForeignKeyField(Scheme, on_delete='CASCADE')
        category = CharField(max_length=12, default='equipment')
        label = CharField(max_length=200)
        class Meta:
            database = db
            table_name = 'certification_checklist_item'
    db.create_tables([ChecklistItem])

    class ChecklistTick(Model):
        event = ForeignKeyField(TestEvent, on_delete='CASCADE')
        item = ForeignKeyField(ChecklistItem, on_delete='CASCADE')
        done = BooleanField(default=False)
        notes = CharField(max_length=500, default='')
        photo_sha256 = CharField(max_length=64, default='')
        photo_name = CharField(max_length=200, default='')
        photo_type = CharField(max_length=100, default='')
        ticked_by = ForeignKeyField(User, null=True)
        ticked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'certification_checklist_tick'
            indexes = ((('event', 'item'), True),)
    db.create_tables([ChecklistTick])

    class CompetencyCertificate(Model):
        candidate = ForeignKeyField(Candidate, unique=True)
        number = CharField(unique=True, max_length=80)
        issued_on = DateField()
        expires_on = DateField(index=True)
        class Meta:
            database = db
            table_name = 'certification_certificate'
    db.create_tables([CompetencyCertificate])

    class EventAssessor(Model):
        event = ForeignKeyField(TestEvent, on_delete='CASCADE')
        assessor = ForeignKeyField(Assessor)
        confirmation = CharField(max_length=10, default='pending')
        confirmed_at = DateTimeField(null=True)
        present = BooleanField(null=True)
        class Meta:
            database = db
            table_name = 'certification_event_assessor'
            indexes = ((('event', 'assessor'), True),)
    db.create_tables([EventAssessor])

    class SchemeUnit(Model):
        scheme = ForeignKeyField(Scheme, on_delete='CASCADE')
        code = CharField(max_length=60)
        title = CharField()
        class Meta:
            database = db
            table_name = 'certification_scheme_unit'
            indexes = ((('scheme', 'code'), True),)
    db.create_tables([SchemeUnit])

    class Signature(Model):
        event = ForeignKeyField(TestEvent, on_delete='CASCADE')
        role = CharField(max_length=12)
        assessor = ForeignKeyField(Assessor, null=True)
        name = CharField(max_length=150)
        nip = CharField(max_length=18, default='')
        signed_at = DateTimeField()
        user = ForeignKeyField(User)
        class Meta:
            database = db
            table_name = 'certification_signature'
    db.create_tables([Signature])

    class UnitResult(Model):
        candidate = ForeignKeyField(Candidate, on_delete='CASCADE')
        unit = ForeignKeyField(SchemeUnit)
        result = CharField(max_length=2)
        class Meta:
            database = db
            table_name = 'certification_unit_result'
            indexes = ((('candidate', 'unit'), True),)
    db.create_tables([UnitResult])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('certification_unit_result'))
    migrator.migrate(migrator.drop_table('certification_signature'))
    migrator.migrate(migrator.drop_table('certification_scheme_unit'))
    migrator.migrate(migrator.drop_table('certification_event_assessor'))
    migrator.migrate(migrator.drop_table('certification_certificate'))
    migrator.migrate(migrator.drop_table('certification_checklist_tick'))
    migrator.migrate(migrator.drop_table('certification_checklist_item'))
    migrator.migrate(migrator.drop_table('certification_candidate'))
    migrator.migrate(migrator.drop_table('certification_test_event'))
    migrator.migrate(migrator.drop_table('certification_tuk'))
    migrator.migrate(migrator.drop_table('certification_assessor_scheme'))
    migrator.migrate(migrator.drop_table('certification_scheme'))
    migrator.migrate(migrator.drop_table('certification_assessor'))
