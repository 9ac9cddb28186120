"""Tables of the ``placement`` plugin. After a change: ``balai makemigration placement LABEL``."""
import peewee

from core.toolkit import BaseModel, MoneyField, forms
from plugins.training.models import Enrolment

STATUS = forms.Choices(("matched", "Dicocokkan"), ("sent", "Dikirim"), ("invited", "Diundang wawancara"),
                       ("rejected", "Ditolak"), ("passed", "Lulus wawancara"), ("failed", "Tidak lulus wawancara"),
                       ("placed", "Ditempatkan"))


class Vacancy(BaseModel):
    """A partner company's vacancy: it owns one run of SOP PTK-01."""
    company = peewee.CharField(max_length=150, verbose_name="Perusahaan")
    position = peewee.CharField(max_length=150, verbose_name="Posisi")
    quota = peewee.IntegerField(verbose_name="Kuota")
    closes_on = peewee.DateField(verbose_name="Tanggal tutup")

    def __str__(self):
        return f"{self.position} — {self.company}"


class Placement(BaseModel):
    """A graduate proposed for a vacancy, then invited, interviewed and placed."""
    vacancy = peewee.ForeignKeyField(Vacancy, backref="placements", verbose_name="Lowongan kerja")
    enrolment = peewee.ForeignKeyField(Enrolment, backref="placements", verbose_name="Lulusan", choices=Enrolment.graduate_choices)
    status = peewee.CharField(max_length=20, default="matched", choices=STATUS, verbose_name="Status")
    start_date = peewee.DateField(null=True, verbose_name="Tanggal mulai")
    salary = MoneyField(null=True, verbose_name="Gaji")

    def __str__(self):
        return f"{self.enrolment.person.name} — {self.vacancy}"


MODELS = [Vacancy, Placement]
