"""The case files of generic SOPs and their notes."""
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class CaseFile(Model):
        code = CharField(max_length=64, index=True)
        title = CharField(max_length=200)
        requester = CharField(max_length=150)
        values = TextField(default="{}")
        created_by = ForeignKeyField(User, null=True, backref="+")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'casefile_case'
            indexes = ((("code", "created_at"), False),)

    class CaseNote(Model):
        case = ForeignKeyField(CaseFile, backref="case_notes", on_delete="CASCADE")
        text = TextField()
        author = ForeignKeyField(User, null=True, backref="+")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = 'casefile_note'
    db.create_tables([CaseFile, CaseNote])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('casefile_note'))
    migrator.migrate(migrator.drop_table('casefile_case'))
