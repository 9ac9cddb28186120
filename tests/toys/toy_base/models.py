import peewee

from core.toolkit import BaseModel


class Gadget(BaseModel):
    name = peewee.CharField(max_length=40, unique=True)
    nik = peewee.CharField(max_length=16, null=True)
    size = peewee.IntegerField(null=True)

    sensitive = {"nik": "toy.edit"}         # core/privacy.py: masked for whoever cannot edit gadgets

    class Meta:
        table_name = "toy_gadget"
