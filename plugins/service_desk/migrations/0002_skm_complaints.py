# Generated from a schema diff on 2026-12-03 11:19.
from peewee import *


def up(migrator, db):
    class GuestVisit(Model):
        class Meta:
            database = db
            table_name = 'service_desk_visit'

    class User(Model):
        class Meta:
            database = db
            table_name = 'user'

    class Complaint(Model):
        day = DateField(index=True)
        received_at = DateTimeField()
        visit = ForeignKeyField(GuestVisit, null=True)
        name = CharField(max_length=150)
        contact = CharField(max_length=150, default='')
        channel = CharField(max_length=12)
        subject = CharField(max_length=200)
        text = TextField()
        received_by = ForeignKeyField(User)
        due_at = DateTimeField()
        answer = TextField(default='')
        answered_at = DateTimeField(null=True)
        answered_by = ForeignKeyField(User, null=True)
        class Meta:
            database = db
            table_name = 'service_desk_complaint'
    db.create_tables([Complaint])

    class SkmResponse(Model):
        answered_at = DateTimeField(index=True)
        day = DateField(index=True)
        visit = ForeignKeyField(GuestVisit, unique=True, null=True)
        client = CharField(index=True, max_length=32, default='')
        sex = CharField(max_length=1, default='')
        education = CharField(max_length=10, default='')
        u1 = SmallIntegerField()
        u2 = SmallIntegerField()
        u3 = SmallIntegerField()
        u4 = SmallIntegerField()
        u5 = SmallIntegerField()
        u6 = SmallIntegerField()
        u7 = SmallIntegerField()
        u8 = SmallIntegerField()
        u9 = SmallIntegerField()
        suggestion = TextField(default='')
        class Meta:
            database = db
            table_name = 'service_desk_skm_response'
    db.create_tables([SkmResponse])

    migrator.migrate(migrator.add_column('service_desk_visit', 'skm_token', CharField(index=True, max_length=40, default='')))


def down(migrator, db):
    migrator.migrate(migrator.drop_index('service_desk_visit', 'service_desk_visit_skm_token'))
    migrator.migrate(migrator.drop_column('service_desk_visit', 'skm_token'))
    migrator.migrate(migrator.drop_table('service_desk_skm_response'))
    migrator.migrate(migrator.drop_table('service_desk_complaint'))
