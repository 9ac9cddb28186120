import peewee

from core.toolkit import BaseModel


class Club(BaseModel):
    name = peewee.CharField(max_length=60)
    founded = peewee.DateField()

    class Meta:
        table_name = "toy_club"

    def __str__(self):
        return self.name


class Member(BaseModel):
    club = peewee.ForeignKeyField(Club, backref="members")
    name = peewee.CharField(max_length=60)
    joined = peewee.DateField()
    mentor = peewee.ForeignKeyField("self", null=True, backref="mentees")

    class Meta:
        table_name = "toy_member"

    def __str__(self):
        return self.name
