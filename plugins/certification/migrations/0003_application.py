# The candidate's application (APL-01 data) and its supporting documents. Generated from a schema diff.
from peewee import *


def up(migrator, db):
    class Candidate(Model):
        class Meta:
            database = db
            table_name = 'certification_candidate'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Application(Model):
        candidate = ForeignKeyField(Candidate, unique=True, on_delete='CASCADE')
        education = CharField(max_length=20)
        institution = CharField(max_length=150, default='')
        purpose = CharField(max_length=20, default='sertifikasi')
        interview_notes = TextField(default='')
        received_by = ForeignKeyField(User, null=True)
        received_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'certification_application'
    db.create_tables([Application])

    class ApplicationDocument(Model):
        application = ForeignKeyField(Application, on_delete='CASCADE')
        kind = CharField(max_length=20)
        sha256 = CharField(max_length=64)
        filename = CharField(max_length=200)
        content_type = CharField(max_length=100)
        class Meta:
            database = db
            table_name = 'certification_application_document'
            indexes = ((('application', 'kind'), True),)
    db.create_tables([ApplicationDocument])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('certification_application_document'))
    migrator.migrate(migrator.drop_table('certification_application'))
