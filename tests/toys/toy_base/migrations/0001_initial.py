from peewee import *


def up(migrator, db):
    class Gadget(Model):
        name = CharField(max_length=40, unique=True)
        nik = CharField(max_length=16, null=True)
        size = IntegerField(null=True)

        class Meta:
            database = db
            table_name = "toy_gadget"
    db.create_tables([Gadget])
