# Generated from a schema diff on 2026-12-03 13:22.
from peewee import *

def up(migrator, db):
    class Enrolment(Model):
        class Meta:
            database = db
            table_name = 'training_enrolment'

    class Vacancy(Model):
        company = CharField(max_length=150)
        position = CharField(max_length=150)
        quota = IntegerField()
        closes_on = DateField()
        class Meta:
            database = db
            table_name = 'placement_vacancy'
    db.create_tables([Vacancy])

    class Placement(Model):
        enrolment = ForeignKeyField(Enrolment)
        vacancy = ForeignKeyField(Vacancy)
        status = CharField(max_length=20, default='matched')
        start_date = DateField(null=True)
        salary = DecimalField(null=True, max_digits=12, decimal_places=2)
        class Meta:
            database = db
            table_name = 'placement_placement'
    db.create_tables([Placement])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('placement_placement'))
    migrator.migrate(migrator.drop_table('placement_vacancy'))
