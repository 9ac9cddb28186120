"""Tables of the ``placement`` plugin. After a change: ``balai makemigration placement LABEL``."""
import peewee

from core.toolkit import BaseModel, forms
from plugins.training.models import Enrolment

STATUS = forms.Choices(("matched", "Dicocokkan"), ("sent", "Dikirim"), ("invited", "Diundang wawancara"),
                       ("rejected", "Ditolak"), ("passed", "Lulus wawancara"), ("failed", "Tidak lulus wawancara"),
                       ("placed", "Ditempatkan"))


class Vacancy(BaseModel):
    """A partner company's vacancy: it owns one run of SOP PTK-01."""
    company = peewee.CharField(max_length=150)
    position = peewee.CharField(max_length=150)
    quota = peewee.IntegerField()
    closes_on = peewee.DateField()

    class Meta:
        table_name = "placement_vacancy"

    def __str__(self):
        return f"{self.position} — {self.company}"


class Placement(BaseModel):
    """A graduate proposed for a vacancy, then invited, interviewed and placed."""
    enrolment = peewee.ForeignKeyField(Enrolment, backref="placements")
    vacancy = peewee.ForeignKeyField(Vacancy, backref="placements")
    status = peewee.CharField(max_length=20, default="matched")
    start_date = peewee.DateField(null=True)
    salary = peewee.DecimalField(max_digits=12, decimal_places=2, null=True)

    class Meta:
        table_name = "placement_placement"


MODELS = [Vacancy, Placement]
