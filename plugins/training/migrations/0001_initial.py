# Training tables: programmes, units, batches, instructors, people, enrolments, attendance, certificates.
from peewee import *


def up(migrator, db):
    class Person(Model):
        nik = CharField(unique=True, max_length=16)
        name = CharField(index=True, max_length=150)
        sex = CharField(max_length=1)
        birth_date = DateField(null=True)
        province = CharField(max_length=80, default='')
        regency = CharField(max_length=80, default='')
        district = CharField(max_length=80, default='')
        address = CharField(default='')
        phone = CharField(max_length=20, default='')
        email = CharField(max_length=150, default='')
        education = CharField(max_length=10, default='')
        disability = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'training_person'
    db.create_tables([Person])

    class Programme(Model):
        code = CharField(unique=True, max_length=40)
        title = CharField(index=True, max_length=200)
        field = CharField(max_length=10)
        version = CharField(max_length=20, default='1')
        total_jp = IntegerField()
        delivery = CharField(max_length=20, default='institutional')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'training_programme'
    db.create_tables([Programme])

    class Batch(Model):
        programme = ForeignKeyField(Programme)
        name = CharField(max_length=120)
        wave = CharField(max_length=60, default='')
        start_date = DateField()
        end_date = DateField()
        quota = IntegerField()
        reg_opens = DateField()
        reg_closes = DateField()
        venue = CharField(max_length=200, default='')
        funding = CharField(max_length=60, default='DIPA')
        status = CharField(index=True, max_length=20, default='planned')
        class Meta:
            database = db
            table_name = 'training_batch'
            indexes = ((('start_date',), False),)
    db.create_tables([Batch])

    class Enrolment(Model):
        person = ForeignKeyField(Person)
        batch = ForeignKeyField(Batch)
        status = CharField(max_length=20, default='registered')
        source = CharField(max_length=20, default='walk_in')
        siapkerja_ref = CharField(max_length=60, default='')
        nominated_by = CharField(max_length=150, default='')
        registered_at = DateTimeField()
        status_changed_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'training_enrolment'
            indexes = ((('person', 'batch'), True), (('batch', 'status'), False))
    db.create_tables([Enrolment])

    class Attendance(Model):
        enrolment = ForeignKeyField(Enrolment, on_delete='CASCADE')
        day = DateField()
        status = CharField(max_length=1)
        class Meta:
            database = db
            table_name = 'training_attendance'
            indexes = ((('enrolment', 'day'), True),)
    db.create_tables([Attendance])

    class Certificate(Model):
        enrolment = ForeignKeyField(Enrolment, unique=True)
        number = CharField(unique=True, max_length=80)
        issued_on = DateField()
        token = CharField(unique=True, max_length=40)
        revoked = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'training_certificate'
    db.create_tables([Certificate])

    class CompetencyUnit(Model):
        programme = ForeignKeyField(Programme, on_delete='CASCADE')
        code = CharField(max_length=60)
        title = CharField()
        jp = IntegerField()
        class Meta:
            database = db
            table_name = 'training_unit'
            indexes = ((('programme', 'code'), True),)
    db.create_tables([CompetencyUnit])

    class Instructor(Model):
        batch = ForeignKeyField(Batch, on_delete='CASCADE')
        name = CharField(max_length=150)
        kind = CharField(max_length=10, default='internal')
        nip = CharField(null=True, max_length=18)
        class Meta:
            database = db
            table_name = 'training_instructor'
    db.create_tables([Instructor])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('training_instructor'))
    migrator.migrate(migrator.drop_table('training_unit'))
    migrator.migrate(migrator.drop_table('training_certificate'))
    migrator.migrate(migrator.drop_table('training_attendance'))
    migrator.migrate(migrator.drop_table('training_enrolment'))
    migrator.migrate(migrator.drop_table('training_batch'))
    migrator.migrate(migrator.drop_table('training_programme'))
    migrator.migrate(migrator.drop_table('training_person'))
