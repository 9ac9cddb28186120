# Public links answered by outside parties (core/public_links.py) and their rate-limit log. Generated from a schema diff.
from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class PublicLink(Model):
        token = CharField(unique=True, max_length=64)
        purpose = CharField(index=True, max_length=60)
        subject_type = CharField(max_length=80)
        subject_id = CharField(max_length=40)
        recipient_name = CharField(max_length=150, default='')
        recipient_phone = CharField(max_length=20, default='')
        recipient_email = CharField(max_length=150, default='')
        created_at = DateTimeField()
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        expires_at = DateTimeField()
        correctable_until = DateTimeField(null=True)
        answer_json = TextField(default='')
        answered_at = DateTimeField(null=True)
        corrected_at = DateTimeField(null=True)
        answer_count = IntegerField(default=0)
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'public_link'
            indexes = ((('subject_type', 'subject_id', 'purpose'), False),)
    db.create_tables([PublicLink])

    class PublicLinkAttempt(Model):
        client = CharField(max_length=64)
        at = DateTimeField()
        kind = CharField(max_length=10)
        class Meta:
            database = db
            table_name = 'public_link_attempt'
            indexes = ((('client', 'at'), False),)
    db.create_tables([PublicLinkAttempt])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('public_link_attempt'))
    migrator.migrate(migrator.drop_table('public_link'))
