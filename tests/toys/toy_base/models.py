import peewee

from core.toolkit import BaseModel


class Gadget(BaseModel):
    name = peewee.CharField(max_length=40, unique=True)
    nik = peewee.CharField(max_length=16, null=True)
    size = peewee.IntegerField(null=True)

    class Meta:
        table_name = "toy_gadget"
