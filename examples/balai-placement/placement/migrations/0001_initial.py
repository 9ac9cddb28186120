# Generated from a schema diff (balai new-plugin placement).
from peewee import *


def up(migrator, db):
    class Submission(Model):
        applicant = CharField(max_length=150)
        subject = CharField(index=True, max_length=200)
        request_date = DateField()
        notes = TextField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'placement_submission'
    db.create_tables([Submission])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('placement_submission'))
