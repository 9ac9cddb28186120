"""Tracer survey tables: the batch's survey (its one run of KDI-PM-09), waves, the alumni
roster of a wave (their survey links are core public links, see links.py), responses,
the vacancy board, the log of vacancies shared and the contact log."""
import peewee

from core.toolkit import BaseModel, utcnow
from plugins.training.models import Batch, Person


class Survey(BaseModel):
    """The tracer survey of one batch: the subject of its ONE run of KDI-PM-09.

    The SOP collects the alumni data once (a month after training) and surveys
    at 1, 3 and 6 months: the waves are parts of this run, not runs of their own."""
    batch = peewee.ForeignKeyField(Batch, backref="+", unique=True)
    smile_ref = peewee.CharField(max_length=200, default="")    # the SMILe report's reference (step 9)
    reported_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "tracer_survey"


class Wave(BaseModel):
    """A survey wave of a batch: ``months`` after the batch ended, open for a window."""
    batch = peewee.ForeignKeyField(Batch, backref="tracer_waves")
    months = peewee.IntegerField()                       # 1, 3, 6 … months after the end date
    opens_on = peewee.DateField()
    closes_on = peewee.DateField()                       # last day answers are accepted
    closed_at = peewee.DateTimeField(null=True)          # closed by the officer (step 6 recorded)
    roster_confirmed_at = peewee.DateTimeField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "tracer_wave"
        indexes = ((("batch", "months"), True),)


class Alumnus(BaseModel):
    """One former trainee on a wave's roster (their survey link: a public link with this record as subject)."""
    wave = peewee.ForeignKeyField(Wave, backref="alumni", on_delete="CASCADE")
    person = peewee.ForeignKeyField(Person, null=True, backref="+")
    nik = peewee.CharField(max_length=16)
    name = peewee.CharField(max_length=150)
    phone = peewee.CharField(max_length=20, default="")
    source = peewee.CharField(max_length=20, default="graduates")     # graduates | import
    created_at = peewee.DateTimeField(default=utcnow)

    sensitive = {"nik": "training.nik"}      # masked like the trainee's NIK (core/privacy.py)

    class Meta:
        table_name = "tracer_alumnus"
        indexes = ((("wave", "nik"), True),)


class Response(BaseModel):
    """The one answer of an alumnus in a wave (corrected in place until the wave closes)."""
    alumnus = peewee.ForeignKeyField(Alumnus, backref="responses", unique=True, on_delete="CASCADE")
    status = peewee.CharField(max_length=12, index=True)      # bekerja | wirausaha | studi | belum
    employer = peewee.CharField(max_length=150, default="")
    position = peewee.CharField(max_length=150, default="")
    sector = peewee.CharField(max_length=20, default="")
    start_date = peewee.DateField(null=True)
    income_band = peewee.CharField(max_length=10, default="")
    relevance = peewee.IntegerField(null=True)                # 1–5
    found_via = peewee.CharField(max_length=20, default="")
    employer_type = peewee.CharField(max_length=12, default="")   # pemerintah | swasta | bumn | usaha_sendiri
    job_level = peewee.CharField(max_length=14, default="")       # lokal | nasional | multinasional
    province = peewee.CharField(max_length=60, default="")
    city = peewee.CharField(max_length=60, default="")
    consent_at = peewee.DateTimeField(null=True)                  # the alumnus agreed to the consent text
    source = peewee.CharField(max_length=10, default="form")  # form | import
    submitted_at = peewee.DateTimeField(default=utcnow)
    updated_at = peewee.DateTimeField(default=utcnow)
    corrections = peewee.IntegerField(default=0)

    class Meta:
        table_name = "tracer_response"


class Vacancy(BaseModel):
    """A job vacancy gathered for alumni (step 2)."""
    employer = peewee.CharField(max_length=150)
    position = peewee.CharField(max_length=150, index=True)
    location = peewee.CharField(max_length=150, default="")
    closes_on = peewee.DateField(null=True)
    source = peewee.CharField(max_length=150, default="")
    link = peewee.CharField(max_length=500, default="")
    notes = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "tracer_vacancy"

    def __str__(self):
        return f"{self.position} — {self.employer}"


class VacancyShare(BaseModel):
    """A vacancy shared with an alumnus (step 3): when, how, by whom."""
    vacancy = peewee.ForeignKeyField(Vacancy, backref="shares", on_delete="CASCADE")
    alumnus = peewee.ForeignKeyField(Alumnus, backref="vacancy_shares", on_delete="CASCADE")
    channel = peewee.CharField(max_length=20)
    shared_at = peewee.DateTimeField(default=utcnow)
    shared_by = peewee.IntegerField(null=True)                  # user id
    shared_by_name = peewee.CharField(max_length=150, default="")

    class Meta:
        table_name = "tracer_vacancy_share"
        indexes = ((("alumnus", "vacancy"), False),)


class Contact(BaseModel):
    """An alumnus contacted with the survey link (invitation) or reminded (steps 4–5)."""
    alumnus = peewee.ForeignKeyField(Alumnus, backref="contacts", on_delete="CASCADE")
    kind = peewee.CharField(max_length=10)          # invite | reminder
    channel = peewee.CharField(max_length=20)       # wa | wa_blast | phone | group | other
    at = peewee.DateTimeField(default=utcnow)
    by_user = peewee.IntegerField(null=True)
    by_name = peewee.CharField(max_length=150, default="")
    note = peewee.CharField(max_length=255, default="")

    class Meta:
        table_name = "tracer_contact"
        indexes = ((("alumnus", "at"), False),)


MODELS = [Survey, Wave, Alumnus, Response, Vacancy, VacancyShare, Contact]
