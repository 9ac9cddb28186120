# Generated from a schema diff on 2026-11-23 04:16.
from peewee import *


def up(migrator, db):
    class Booking(Model):
        applicant = CharField(max_length=150)
        organisation = CharField(max_length=150)
        room = CharField(max_length=20)
        purpose = CharField(index=True, max_length=200)
        start_date = DateField()
        end_date = DateField()
        participants = IntegerField()
        handed_over_at = DateTimeField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'room_booking_booking'
    db.create_tables([Booking])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('room_booking_booking'))
