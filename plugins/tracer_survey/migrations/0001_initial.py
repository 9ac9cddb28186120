# Generated from a schema diff on 2026-11-23 04:13.
from peewee import *


def up(migrator, db):
    class Batch(Model):
        class Meta:
            database = db
            table_name = 'training_batch'

    class Person(Model):
        class Meta:
            database = db
            table_name = 'training_person'

    class Wave(Model):
        batch = ForeignKeyField(Batch)
        months = IntegerField()
        opens_on = DateField()
        closes_on = DateField()
        closed_at = DateTimeField(null=True)
        roster_confirmed_at = DateTimeField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'tracer_wave'
            indexes = ((('batch', 'months'), True),)
    db.create_tables([Wave])

    class Alumnus(Model):
        wave = ForeignKeyField(Wave, on_delete='CASCADE')
        person = ForeignKeyField(Person, null=True)
        nik = CharField(max_length=16)
        name = CharField(max_length=150)
        phone = CharField(max_length=20, default='')
        token = CharField(unique=True, max_length=64)
        source = CharField(max_length=20, default='graduates')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'tracer_alumnus'
            indexes = ((('wave', 'nik'), True),)
    db.create_tables([Alumnus])

    class Contact(Model):
        alumnus = ForeignKeyField(Alumnus, on_delete='CASCADE')
        kind = CharField(max_length=10)
        channel = CharField(max_length=20)
        at = DateTimeField()
        by_user = IntegerField(null=True)
        by_name = CharField(max_length=150, default='')
        note = CharField(default='')
        class Meta:
            database = db
            table_name = 'tracer_contact'
            indexes = ((('alumnus', 'at'), False),)
    db.create_tables([Contact])

    class Response(Model):
        alumnus = ForeignKeyField(Alumnus, unique=True, on_delete='CASCADE')
        status = CharField(index=True, max_length=12)
        employer = CharField(max_length=150, default='')
        position = CharField(max_length=150, default='')
        sector = CharField(max_length=20, default='')
        start_date = DateField(null=True)
        income_band = CharField(max_length=10, default='')
        relevance = IntegerField(null=True)
        found_via = CharField(max_length=20, default='')
        source = CharField(max_length=10, default='form')
        submitted_at = DateTimeField()
        updated_at = DateTimeField()
        corrections = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'tracer_response'
    db.create_tables([Response])

    class Vacancy(Model):
        employer = CharField(max_length=150)
        position = CharField(index=True, max_length=150)
        location = CharField(max_length=150, default='')
        closes_on = DateField(null=True)
        source = CharField(max_length=150, default='')
        link = CharField(max_length=500, default='')
        notes = TextField(default='')
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'tracer_vacancy'
    db.create_tables([Vacancy])

    class VacancyShare(Model):
        vacancy = ForeignKeyField(Vacancy, on_delete='CASCADE')
        alumnus = ForeignKeyField(Alumnus, on_delete='CASCADE')
        channel = CharField(max_length=20)
        shared_at = DateTimeField()
        shared_by = IntegerField(null=True)
        shared_by_name = CharField(max_length=150, default='')
        class Meta:
            database = db
            table_name = 'tracer_vacancy_share'
            indexes = ((('alumnus', 'vacancy'), False),)
    db.create_tables([VacancyShare])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('tracer_vacancy_share'))
    migrator.migrate(migrator.drop_table('tracer_vacancy'))
    migrator.migrate(migrator.drop_table('tracer_response'))
    migrator.migrate(migrator.drop_table('tracer_contact'))
    migrator.migrate(migrator.drop_table('tracer_alumnus'))
    migrator.migrate(migrator.drop_table('tracer_wave'))
