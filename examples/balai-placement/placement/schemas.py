"""Forms of the ``placement`` plugin (labels in Indonesian; translated in locale/en)."""
from core.toolkit import forms
from plugins.training.models import Batch, Enrolment, Person

from placement.models import STATUS, Vacancy


def graduates():
    return [(e.id, f"{e.person.name} ({e.batch.name})") for e in Enrolment.select(Enrolment, Person, Batch)
            .join(Person).switch(Enrolment).join(Batch).where(Enrolment.status == "graduated").order_by(Person.name)]


class VacancyForm(forms.Schema):
    company = forms.String(required=True, max_length=150, label="Perusahaan")
    position = forms.String(required=True, max_length=150, label="Posisi")
    quota = forms.Integer(required=True, validate=forms.Range(min=1, max=500), label="Kuota")
    closes_on = forms.Date(required=True, label="Tanggal tutup")


class PlacementForm(forms.Schema):
    vacancy = forms.Related(lambda: [(v.id, str(v)) for v in Vacancy.select()], required=True, label="Lowongan")
    enrolment = forms.Related(graduates, required=True, label="Lulusan")
    status = forms.Choice(STATUS, label="Status")
    start_date = forms.Date(label="Tanggal mulai")
    salary = forms.Money(label="Gaji")
