from peewee import *


def up(migrator, db):
    class Club(Model):
        name = CharField(max_length=60)
        founded = DateField()

        class Meta:
            database = db
            table_name = "toy_club"

    class Member(Model):
        club = ForeignKeyField(Club, backref="members")
        name = CharField(max_length=60)
        joined = DateField()
        mentor = ForeignKeyField("self", null=True, backref="mentees")

        class Meta:
            database = db
            table_name = "toy_member"
    db.create_tables([Club, Member])
