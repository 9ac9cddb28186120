"""Certification tables: schemes (skema) with their competency units and
facility checklist, test sites (TUK), assessors and the schemes they may
assess, test events with their assessors and candidates, results per unit,
readiness ticks, berita acara signatures and competency certificates."""
import peewee

from core.toolkit import BaseModel, User, format_date, forms, utcnow
from plugins.training.models import Batch, Enrolment, Person

# Coded values: the code is stored, the label (translated in this plugin's catalog) is what people read.
SCHEME_KINDS = forms.Choices(("kkni", "KKNI"), ("okupasi", "Okupasi"), ("klaster", "Klaster"))
TUK_KINDS = forms.Choices(("sewaktu", "TUK Sewaktu"), ("tempat_kerja", "TUK Tempat Kerja"), ("mandiri", "TUK Mandiri"))
CHECK_CATEGORIES = forms.Choices(("equipment", "Peralatan"), ("materials", "Bahan"), ("room", "Ruangan/tempat"))
RESULTS = forms.Choices(("K", "Kompeten"), ("BK", "Belum Kompeten"))
EDUCATION = forms.Choices(("sd", "SD"), ("smp", "SMP"), ("sma", "SMA/SMK"), ("d3", "D3"), ("s1", "S1/D4"),
                          ("s2", "S2 atau lebih"))
PURPOSES = forms.Choices(("sertifikasi", "Sertifikasi"), ("rpl", "Rekognisi Pembelajaran Lampau (RPL)"),
                         ("lainnya", "Lainnya"))
APPLICATION_DOCUMENTS = forms.Choices(("ktp", "KTP"), ("ijazah", "Ijazah terakhir"), ("foto", "Pas foto"),
                                      ("sertifikat_pelatihan", "Sertifikat pelatihan"))
CONFIRM_STATES = forms.Choices(("pending", "Belum konfirmasi"), ("confirmed", "Sudah konfirmasi"),
                               ("declined", "Berhalangan"))
# The event's status follows its SOP run: the open step (or "archived" when the run ended).
STATUS_BY_STEP = {1: "scheduled", 2: "preparing", 3: "preparing", 4: "confirming", 5: "ready",
                  6: "reporting", 7: "review", 8: "filing"}
EVENT_STATUS = forms.Choices(("scheduled", "Terjadwal (konfirmasi asesor)"), ("preparing", "Persiapan sarana"),
                             ("confirming", "Konfirmasi peserta"), ("ready", "Siap diuji"),
                             ("reporting", "Berita acara"), ("review", "Kaji ulang mutu"), ("filing", "Pengarsipan"),
                             ("archived", "Diarsipkan"))


class Scheme(BaseModel):
    """A certification scheme (skema sertifikasi) of the LSP."""
    code = peewee.CharField(max_length=20, unique=True)          # short code used in certificate numbers
    number = peewee.CharField(max_length=80, unique=True)        # the scheme's registered number
    title = peewee.CharField(max_length=200, index=True)
    kind = peewee.CharField(max_length=12, default="kkni")
    validity_years = peewee.IntegerField(default=3)
    active = peewee.BooleanField(default=True)

    field_choices = {"kind": SCHEME_KINDS}       # record history and |value_label read them

    class Meta:
        table_name = "certification_scheme"

    def __str__(self):
        return f"{self.code} — {self.title}"


class SchemeUnit(BaseModel):
    scheme = peewee.ForeignKeyField(Scheme, backref="units", on_delete="CASCADE")
    code = peewee.CharField(max_length=60)
    title = peewee.CharField(max_length=255)

    class Meta:
        table_name = "certification_scheme_unit"
        indexes = ((("scheme", "code"), True),)


class ChecklistItem(BaseModel):
    """One line of a scheme's facility-readiness form (equipment, materials, room)."""
    scheme = peewee.ForeignKeyField(Scheme, backref="checklist", on_delete="CASCADE")
    category = peewee.CharField(max_length=12, default="equipment")
    label = peewee.CharField(max_length=200)

    field_choices = {"category": CHECK_CATEGORIES}       # record history and |value_label read them

    class Meta:
        table_name = "certification_checklist_item"


class Tuk(BaseModel):
    """A test site (Tempat Uji Kompetensi)."""
    name = peewee.CharField(max_length=150, unique=True)
    kind = peewee.CharField(max_length=15, default="sewaktu")
    address = peewee.CharField(max_length=255, default="")
    capacity = peewee.IntegerField()
    head_name = peewee.CharField(max_length=150, default="")
    head_nip = peewee.CharField(max_length=18, null=True)
    # the head's login: only this user signs the berita acara of this TUK's tests as Kepala TUK
    head_user = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")

    field_choices = {"kind": TUK_KINDS}       # record history and |value_label read them

    class Meta:
        table_name = "certification_tuk"

    def __str__(self):
        return self.name


class Assessor(BaseModel):
    """A competency assessor licensed by BNSP (registration number MET)."""
    name = peewee.CharField(max_length=150, index=True)
    met_number = peewee.CharField(max_length=60, unique=True)
    met_expiry = peewee.DateField()
    phone = peewee.CharField(max_length=20, default="")
    user = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")   # their login, if any

    class Meta:
        table_name = "certification_assessor"

    def __str__(self):
        return self.name


class AssessorScheme(BaseModel):
    """The schemes an assessor may assess."""
    assessor = peewee.ForeignKeyField(Assessor, backref="scheme_rows", on_delete="CASCADE")
    scheme = peewee.ForeignKeyField(Scheme, backref="assessor_rows", on_delete="CASCADE")

    class Meta:
        table_name = "certification_assessor_scheme"
        indexes = ((("assessor", "scheme"), True),)


class TestEvent(BaseModel):
    """A competency test (jadwal uji kompetensi): one run of PSM-DISNAKER-10.

    Other plugins rely on ``id``, ``date``, ``status`` and ``batch``."""
    __test__ = False     # not a pytest test class despite the name
    scheme = peewee.ForeignKeyField(Scheme, backref="events")
    tuk = peewee.ForeignKeyField(Tuk, backref="events")
    date = peewee.DateField(index=True)
    start_time = peewee.TimeField(formats=["%H:%M:%S", "%H:%M"])
    end_time = peewee.TimeField(formats=["%H:%M:%S", "%H:%M"])
    batch = peewee.ForeignKeyField(Batch, null=True, backref="+")
    status = peewee.CharField(max_length=20, default="scheduled", index=True)
    notes = peewee.TextField(default="")
    created_at = peewee.DateTimeField(default=utcnow)

    field_choices = {"status": EVENT_STATUS}       # record history and |value_label read them

    class Meta:
        table_name = "certification_test_event"

    def __str__(self):
        return f"{self.scheme.title if self.scheme_id else ''} — {format_date(self.date) if self.date else ''}"


class EventAssessor(BaseModel):
    event = peewee.ForeignKeyField(TestEvent, backref="assessor_rows", on_delete="CASCADE")
    assessor = peewee.ForeignKeyField(Assessor, backref="event_rows")
    confirmation = peewee.CharField(max_length=10, default="pending")
    confirmed_at = peewee.DateTimeField(null=True)
    present = peewee.BooleanField(null=True)

    field_choices = {"confirmation": CONFIRM_STATES}       # record history and |value_label read them

    class Meta:
        table_name = "certification_event_assessor"
        indexes = ((("event", "assessor"), True),)


class Candidate(BaseModel):
    """A person taking the test (calon peserta uji kompetensi)."""
    event = peewee.ForeignKeyField(TestEvent, backref="candidates", on_delete="CASCADE")
    person = peewee.ForeignKeyField(Person, backref="+")
    enrolment = peewee.ForeignKeyField(Enrolment, null=True, backref="+")   # when picked from a batch
    confirmation = peewee.CharField(max_length=10, default="pending")
    confirmed_at = peewee.DateTimeField(null=True)
    confirmed_via = peewee.CharField(max_length=10, default="")             # staff | link
    present = peewee.BooleanField(null=True)
    result = peewee.CharField(max_length=2, default="")                     # K | BK | "" (not yet)
    recommendation = peewee.TextField(default="")
    lsp_decision = peewee.CharField(max_length=2, default="")               # the LSP's: K | BK | "" (not yet)

    field_choices = {"confirmation": CONFIRM_STATES, "result": RESULTS, "lsp_decision": RESULTS}       # record history and |value_label read them

    class Meta:
        table_name = "certification_candidate"
        indexes = ((("event", "person"), True),)


class Application(BaseModel):
    """The candidate's application (APL-01 data), received and interviewed by the office before the test."""
    candidate = peewee.ForeignKeyField(Candidate, backref="applications", unique=True, on_delete="CASCADE")
    education = peewee.CharField(max_length=20)
    institution = peewee.CharField(max_length=150, default="")       # school / workplace
    purpose = peewee.CharField(max_length=20, default="sertifikasi")
    interview_notes = peewee.TextField(default="")
    received_by = peewee.ForeignKeyField(User, null=True, backref="+")
    received_at = peewee.DateTimeField(default=utcnow)

    field_choices = {"education": EDUCATION, "purpose": PURPOSES}       # record history and |value_label read them

    class Meta:
        table_name = "certification_application"


class ApplicationDocument(BaseModel):
    """One supporting document of an application: KTP, diploma, photo, training certificate."""
    application = peewee.ForeignKeyField(Application, backref="documents", on_delete="CASCADE")
    kind = peewee.CharField(max_length=20)
    sha256 = peewee.CharField(max_length=64)
    filename = peewee.CharField(max_length=200)
    content_type = peewee.CharField(max_length=100)

    field_choices = {"kind": APPLICATION_DOCUMENTS}       # record history and |value_label read them

    class Meta:
        table_name = "certification_application_document"
        indexes = ((("application", "kind"), True),)


class UnitResult(BaseModel):
    candidate = peewee.ForeignKeyField(Candidate, backref="unit_results", on_delete="CASCADE")
    unit = peewee.ForeignKeyField(SchemeUnit, backref="+")
    result = peewee.CharField(max_length=2)                                 # K | BK

    field_choices = {"result": RESULTS}       # record history and |value_label read them

    class Meta:
        table_name = "certification_unit_result"
        indexes = ((("candidate", "unit"), True),)


class ChecklistTick(BaseModel):
    """The head of the TUK's tick of one readiness item for one event."""
    event = peewee.ForeignKeyField(TestEvent, backref="ticks", on_delete="CASCADE")
    item = peewee.ForeignKeyField(ChecklistItem, backref="+", on_delete="CASCADE")
    done = peewee.BooleanField(default=False)
    notes = peewee.CharField(max_length=500, default="")
    photo_sha256 = peewee.CharField(max_length=64, default="")
    photo_name = peewee.CharField(max_length=200, default="")
    photo_type = peewee.CharField(max_length=100, default="")
    ticked_by = peewee.ForeignKeyField(User, null=True, backref="+")
    ticked_at = peewee.DateTimeField(null=True)

    class Meta:
        table_name = "certification_checklist_tick"
        indexes = ((("event", "item"), True),)


class Signature(BaseModel):
    """A signature of the berita acara: an assessor's or the head of the TUK's."""
    event = peewee.ForeignKeyField(TestEvent, backref="signatures", on_delete="CASCADE")
    role = peewee.CharField(max_length=12)                                  # asesor | kepala_tuk
    assessor = peewee.ForeignKeyField(Assessor, null=True, backref="+")
    name = peewee.CharField(max_length=150)
    nip = peewee.CharField(max_length=18, default="")
    signed_at = peewee.DateTimeField(default=utcnow)
    user = peewee.ForeignKeyField(User, backref="+")

    class Meta:
        table_name = "certification_signature"


class CompetencyCertificate(BaseModel):
    """A competency certificate the LSP issued (on a BNSP blank) to a candidate: its numbers are
    recorded as received from the LSP, never made here; ``handed_over_on`` is the handover to the holder."""
    candidate = peewee.ForeignKeyField(Candidate, backref="certificates", unique=True)
    number = peewee.CharField(max_length=80, unique=True)
    registration_number = peewee.CharField(max_length=80, default="")
    issued_on = peewee.DateField()
    expires_on = peewee.DateField(index=True)
    handed_over_on = peewee.DateField(null=True)

    class Meta:
        table_name = "certification_certificate"


MODELS = [Scheme, SchemeUnit, ChecklistItem, Tuk, Assessor, AssessorScheme, TestEvent, EventAssessor,
          Candidate, Application, ApplicationDocument, UnitResult, ChecklistTick, Signature, CompetencyCertificate]
