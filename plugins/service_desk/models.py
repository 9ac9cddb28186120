"""Tables of the service desk: guest visits (each one run of KDI-PM-06), selection
settings and scores per batch, cooperations with their minutes, RAB lines,
PKS, approvals and ID Billing, and the LSP's competency-test result per batch."""
import decimal

import peewee

from core.toolkit import BaseModel, User, forms, utcnow
from plugins.training.models import BATCH_STATUS, ENROLMENT_STATUS, Batch, Enrolment

CATEGORIES = forms.Choices(("umum", "Masyarakat umum"), ("instansi", "Instansi"), ("industri", "Dunia industri"),
                           ("mitra", "Mitra lainnya"))
PURPOSES = forms.Choices(("registration", "Pendaftaran pelatihan"), ("cooperation", "Kerja sama"),
                         ("information", "Informasi saja"), ("complaint", "Pengaduan"))
COOPERATION_KINDS = forms.Choices(("training_certification", "Kerja sama pelatihan dan sertifikasi"),
                                  ("placement", "Kerja sama penempatan kerja"))
DOC_STATUS = forms.Choices(("draft", "Draf"), ("submitted", "Menunggu persetujuan"), ("approved", "Disetujui"),
                           ("returned", "Dikembalikan"))
# A selection result is not a training's graduation ("Lulus" seleksi = passed, not graduated).
RESULTS = forms.Choices(("pass", "Lulus"), ("reserve", "Cadangan"), ("fail", "Tidak lulus"), context="seleksi")
# The training plugin's codes, shown on this plugin's pages in the training plugin's words.
TRAINING_BATCH_STATUS = forms.Choices(*BATCH_STATUS)
TRAINING_ENROLMENT_STATUS = forms.Choices(*ENROLMENT_STATUS)
MONEY = dict(max_digits=15, decimal_places=2)
SCORE = dict(max_digits=6, decimal_places=2)


class GuestVisit(BaseModel):
    """One visitor received at the front desk (Buku Registrasi Tamu)."""
    visited_at = peewee.DateTimeField(default=utcnow)
    day = peewee.DateField(index=True)                       # local date, for the daily recap
    name = peewee.CharField(max_length=150)
    category = peewee.CharField(max_length=12)
    organisation = peewee.CharField(max_length=200, default="")
    phone = peewee.CharField(max_length=20, default="")
    purpose = peewee.CharField(max_length=16)
    consent = peewee.BooleanField(default=False)             # UU 27/2022 consent to keep personal data
    notes = peewee.TextField(default="")
    received_by = peewee.ForeignKeyField(User, null=True, backref="+")
    batch = peewee.ForeignKeyField(Batch, null=True, backref="+")          # training the run hands over to
    enrolment = peewee.ForeignKeyField(Enrolment, null=True, backref="+")  # registration of step 2

    field_choices = {"category": CATEGORIES, "purpose": PURPOSES}

    class Meta:
        table_name = "service_desk_visit"
        indexes = ((("day", "category", "purpose"), False),)

    def __str__(self):
        return self.name


class SelectionSetting(BaseModel):
    """Weights and marks of one batch's selection (step 3)."""
    batch = peewee.ForeignKeyField(Batch, unique=True, backref="+")
    cbt_weight = peewee.DecimalField(**SCORE, default=decimal.Decimal("60"))
    interview_weight = peewee.DecimalField(**SCORE, default=decimal.Decimal("40"))
    pass_mark = peewee.DecimalField(**SCORE, default=decimal.Decimal("70"))
    reserve_mark = peewee.DecimalField(**SCORE, default=decimal.Decimal("60"))
    finalised_at = peewee.DateTimeField(null=True)
    finalised_by = peewee.ForeignKeyField(User, null=True, backref="+")

    class Meta:
        table_name = "service_desk_selection_setting"


class SelectionScore(BaseModel):
    """A candidate's CBT and interview scores, the interview sheet notes and the result."""
    enrolment = peewee.ForeignKeyField(Enrolment, unique=True, backref="+")
    cbt_score = peewee.DecimalField(**SCORE, null=True)
    interview_score = peewee.DecimalField(**SCORE, null=True)
    interview_notes = peewee.TextField(default="")
    total = peewee.DecimalField(**SCORE, null=True)
    result = peewee.CharField(max_length=10, default="")

    field_choices = {"result": RESULTS}

    class Meta:
        table_name = "service_desk_selection_score"


class Cooperation(BaseModel):
    """The cooperation track of a visit (steps 4–5): minutes, RAB, PKS, ID Billing."""
    visit = peewee.ForeignKeyField(GuestVisit, unique=True, backref="+")
    kind = peewee.CharField(max_length=30, default="training_certification")
    meeting_date = peewee.DateField(null=True)
    attendees = peewee.TextField(default="")
    minutes = peewee.TextField(default="")                  # notulen hasil pertemuan
    follow_up = peewee.TextField(default="")
    batch = peewee.ForeignKeyField(Batch, null=True, backref="+")
    rab_status = peewee.CharField(max_length=12, default="draft")
    rab_reason = peewee.TextField(default="")                # last return reason
    pks_status = peewee.CharField(max_length=12, default="draft")
    pks_reason = peewee.TextField(default="")
    billing_id = peewee.CharField(max_length=40, default="")
    billing_amount = peewee.DecimalField(**MONEY, null=True)
    billed_on = peewee.DateField(null=True)
    paid = peewee.BooleanField(default=False)
    paid_on = peewee.DateField(null=True)

    field_choices = {"kind": COOPERATION_KINDS, "rab_status": DOC_STATUS, "pks_status": DOC_STATUS}

    class Meta:
        table_name = "service_desk_cooperation"


class RabLine(BaseModel):
    """One cost line of the RAB (Rencana Anggaran Biaya)."""
    cooperation = peewee.ForeignKeyField(Cooperation, backref="rab_lines", on_delete="CASCADE")
    item = peewee.CharField(max_length=200)
    volume = peewee.DecimalField(**MONEY)
    unit = peewee.CharField(max_length=30)
    unit_cost = peewee.DecimalField(**MONEY)

    class Meta:
        table_name = "service_desk_rab_line"

    @property
    def total(self):
        return (self.volume * self.unit_cost).quantize(decimal.Decimal("0.01"))


class Pks(BaseModel):
    """The cooperation agreement (Perjanjian Kerja Sama) and its signed scan."""
    cooperation = peewee.ForeignKeyField(Cooperation, unique=True, backref="+")
    number = peewee.CharField(max_length=80, default="")
    parties = peewee.TextField()
    scope = peewee.TextField()
    period_start = peewee.DateField()
    period_end = peewee.DateField()
    scan_filename = peewee.CharField(max_length=200, default="")
    scan_sha256 = peewee.CharField(max_length=64, default="")
    scan_size = peewee.IntegerField(default=0)
    scan_type = peewee.CharField(max_length=100, default="")

    class Meta:
        table_name = "service_desk_pks"


class Approval(BaseModel):
    """A decision of the head of the institution on a RAB or PKS."""
    cooperation = peewee.ForeignKeyField(Cooperation, backref="approvals", on_delete="CASCADE")
    document = peewee.CharField(max_length=4)                # rab | pks
    decision = peewee.CharField(max_length=10)               # approved | returned
    reason = peewee.TextField(default="")
    decided_by = peewee.ForeignKeyField(User, backref="+")
    decided_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "service_desk_approval"


class TestResult(BaseModel):
    """The LSP's competency test of a batch (step 7): a linked test event of the
    ``certification`` plugin, or the result recorded by hand."""
    __test__ = False
    batch = peewee.ForeignKeyField(Batch, unique=True, backref="+")
    test_event_id = peewee.IntegerField(null=True)           # certification_test_event.id when linked
    ba_number = peewee.CharField(max_length=80, default="")  # berita acara
    ba_date = peewee.DateField(null=True)
    candidates = peewee.IntegerField(null=True)
    passed = peewee.IntegerField(null=True)
    file_name = peewee.CharField(max_length=200, default="")
    file_sha256 = peewee.CharField(max_length=64, default="")
    file_size = peewee.IntegerField(default=0)
    file_type = peewee.CharField(max_length=100, default="")
    recorded_by = peewee.ForeignKeyField(User, null=True, backref="+")
    recorded_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "service_desk_test_result"


class SkmResponse(BaseModel):
    """One answered satisfaction questionnaire (SKM, PermenPANRB 14/2017): nine elements on a 1–4 scale."""
    answered_at = peewee.DateTimeField(default=utcnow, index=True)
    day = peewee.DateField(index=True)
    visit = peewee.ForeignKeyField(GuestVisit, null=True, unique=True, backref="+")   # one answer per visit link
    client = peewee.CharField(max_length=32, default="", index=True)     # hash of the address: rate limit only
    sex = peewee.CharField(max_length=1, default="")
    education = peewee.CharField(max_length=10, default="")
    u1 = peewee.SmallIntegerField()
    u2 = peewee.SmallIntegerField()
    u3 = peewee.SmallIntegerField()
    u4 = peewee.SmallIntegerField()
    u5 = peewee.SmallIntegerField()
    u6 = peewee.SmallIntegerField()
    u7 = peewee.SmallIntegerField()
    u8 = peewee.SmallIntegerField()
    u9 = peewee.SmallIntegerField()
    suggestion = peewee.TextField(default="")

    class Meta:
        table_name = "service_desk_skm_response"


COMPLAINT_CHANNELS = forms.Choices(("langsung", "Datang langsung"), ("telepon", "Telepon / WhatsApp"),
                                   ("surat", "Surat / email"), ("lapor", "SP4N-LAPOR!"))


class Complaint(BaseModel):
    """A complaint (pengaduan) with its time standard and the answer given."""
    day = peewee.DateField(index=True)
    received_at = peewee.DateTimeField(default=utcnow)
    visit = peewee.ForeignKeyField(GuestVisit, null=True, backref="+")
    name = peewee.CharField(max_length=150)
    contact = peewee.CharField(max_length=150, default="")
    channel = peewee.CharField(max_length=12)
    subject = peewee.CharField(max_length=200)
    text = peewee.TextField()
    received_by = peewee.ForeignKeyField(User, backref="+")
    due_at = peewee.DateTimeField()
    answer = peewee.TextField(default="")
    answered_at = peewee.DateTimeField(null=True)
    answered_by = peewee.ForeignKeyField(User, null=True, backref="+")

    field_choices = {"channel": COMPLAINT_CHANNELS}

    class Meta:
        table_name = "service_desk_complaint"


MODELS = [GuestVisit, SelectionSetting, SelectionScore, Cooperation, RabLine, Pks, Approval, TestResult, SkmResponse, Complaint]
