"""Training tables: programmes and their competency units, batches and their
instructors, people, enrolments, attendance, training certificates."""
import peewee

from core.toolkit import BaseModel, forms, utcnow

KEJURUAN = forms.Choices(("TIK", "Teknologi Informasi dan Komunikasi"), ("LAS", "Pengelasan"), ("OTO", "Otomotif"),
                         ("LIS", "Listrik"), ("MAN", "Manufaktur"), ("PAR", "Pariwisata"), ("FAS", "Fashion/Garmen"),
                         ("BSM", "Bisnis dan Manajemen"), ("PRT", "Pertanian"), ("KON", "Konstruksi"))
DELIVERY = forms.Choices(("institutional", "Institusional"), ("mtu", "Mobile Training Unit"), ("blended", "Blended"))
# "Berjalan"/"Selesai" of a batch read "Running"/"Ended", not the core's run words (msgctxt).
BATCH_STATUS = forms.Choices(("planned", "Direncanakan"), ("registration", "Pendaftaran"), ("selection", "Seleksi"),
                             ("running", "Berjalan"), ("ended", "Selesai"), ("cancelled", "Dibatalkan"),
                             context="status angkatan")
_SEX = (("L", "Laki-laki"), ("P", "Perempuan"))
SEX = forms.Choices(*_SEX)
EDUCATION = forms.Choices(("SD", "SD"), ("SMP", "SMP"), ("SMA", "SMA/SMK"), ("D3", "D3"), ("S1", "S1"), ("S2", "S2"))
ATTENDANCE = forms.Choices(("H", "Hadir"), ("I", "Izin"), ("S", "Sakit"), ("A", "Alpa"))
INSTRUCTOR_KIND = forms.Choices(("internal", "Instruktur internal"), ("external", "Instruktur luar (dibayar per JP)"))
SOURCE = forms.Choices(("walk_in", "Datang langsung"), ("siapkerja", "SIAPkerja"), ("nomination", "Usulan/rekomendasi"),
                       ("import", "Impor berkas"))

# The enrolment lifecycle. "Active" enrolments hold or wait for a place.
_ENROLMENT = (
    ("registered", "Terdaftar"), ("selection", "Seleksi"), ("accepted", "Diterima"), ("reserve", "Cadangan"),
    ("rejected", "Tidak diterima"), ("reregistered", "Daftar ulang"), ("training", "Mengikuti pelatihan"),
    ("graduated", "Lulus"), ("not_graduated", "Tidak lulus"),
)
ENROLMENT_STATUS = forms.Choices(*_ENROLMENT)
# Official papers stay Indonesian whatever the reader's language: the same words, untranslated.
PAPER_STATUS, PAPER_SEX = dict(_ENROLMENT), dict(_SEX)
TRANSITIONS = {
    "registered": {"selection", "rejected"},
    "selection": {"accepted", "reserve", "rejected"},
    "reserve": {"accepted", "rejected"},
    "accepted": {"reregistered", "rejected"},
    "reregistered": {"training", "rejected"},
    "training": {"graduated", "not_graduated"},
    "rejected": set(), "graduated": set(), "not_graduated": set(),
}
PLACE_HOLDING = ("accepted", "reregistered", "training", "graduated", "not_graduated")


class Programme(BaseModel):
    field_choices = {"field": KEJURUAN, "delivery": DELIVERY}
    code = peewee.CharField(max_length=40, unique=True)
    title = peewee.CharField(max_length=200, index=True)
    field = peewee.CharField(max_length=10)                 # kejuruan
    version = peewee.CharField(max_length=20, default="1")
    total_jp = peewee.IntegerField()                        # jam pelajaran of 45 minutes
    delivery = peewee.CharField(max_length=20, default="institutional")
    active = peewee.BooleanField(default=True)

    class Meta:
        table_name = "training_programme"

    def __str__(self):
        return f"{self.code} — {self.title}"


class CompetencyUnit(BaseModel):
    programme = peewee.ForeignKeyField(Programme, backref="units", on_delete="CASCADE")
    code = peewee.CharField(max_length=60)
    title = peewee.CharField(max_length=255)
    jp = peewee.IntegerField()

    class Meta:
        table_name = "training_unit"
        indexes = ((("programme", "code"), True),)


class Batch(BaseModel):
    field_choices = {"status": BATCH_STATUS}
    programme = peewee.ForeignKeyField(Programme, backref="batches")
    name = peewee.CharField(max_length=120)                 # e.g. "Angkatan I"
    wave = peewee.CharField(max_length=60, default="")      # gelombang
    start_date = peewee.DateField()
    end_date = peewee.DateField()
    quota = peewee.IntegerField()
    reg_opens = peewee.DateField()
    reg_closes = peewee.DateField()
    venue = peewee.CharField(max_length=200, default="")
    funding = peewee.CharField(max_length=60, default="DIPA")
    status = peewee.CharField(max_length=20, default="planned", index=True)

    class Meta:
        table_name = "training_batch"
        indexes = ((("start_date",), False),)

    def __str__(self):
        return f"{self.programme.title if self.programme_id else ''} — {self.name}"


class Instructor(BaseModel):
    field_choices = {"kind": INSTRUCTOR_KIND}
    batch = peewee.ForeignKeyField(Batch, backref="instructors", on_delete="CASCADE")
    name = peewee.CharField(max_length=150)
    kind = peewee.CharField(max_length=10, default="internal")   # internal | external (paid per JP)
    nip = peewee.CharField(max_length=18, null=True)

    class Meta:
        table_name = "training_instructor"


class Person(BaseModel):
    field_choices = {"sex": SEX, "education": EDUCATION}
    nik = peewee.CharField(max_length=16, unique=True)
    name = peewee.CharField(max_length=150, index=True)
    sex = peewee.CharField(max_length=1)
    birth_date = peewee.DateField(null=True)
    province = peewee.CharField(max_length=80, default="")
    regency = peewee.CharField(max_length=80, default="")
    district = peewee.CharField(max_length=80, default="")
    address = peewee.CharField(max_length=255, default="")
    phone = peewee.CharField(max_length=20, default="")
    email = peewee.CharField(max_length=150, default="")
    education = peewee.CharField(max_length=10, default="")
    disability = peewee.BooleanField(default=False)

    sensitive = {"nik": "training.nik"}      # masked without this permission: pages, history, exports, audit

    class Meta:
        table_name = "training_person"

    @property
    def nik_masked(self):
        return mask_nik(self.nik)

    def __str__(self):
        return self.name


class Enrolment(BaseModel):
    field_choices = {"status": ENROLMENT_STATUS, "source": SOURCE}
    person = peewee.ForeignKeyField(Person, backref="enrolments")
    batch = peewee.ForeignKeyField(Batch, backref="enrolments")
    status = peewee.CharField(max_length=20, default="registered")
    source = peewee.CharField(max_length=20, default="walk_in")   # walk_in | siapkerja | nomination | import
    siapkerja_ref = peewee.CharField(max_length=60, default="")    # proof of registration in SIAPkerja
    nominated_by = peewee.CharField(max_length=150, default="")    # e.g. the regency that nominated
    registered_at = peewee.DateTimeField(default=utcnow)
    status_changed_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "training_enrolment"
        # One person holds at most one enrolment in a batch.
        indexes = ((("person", "batch"), True), (("batch", "status"), False))

    @classmethod
    def graduate_choices(cls):
        """[(enrolment id, "name (batch)")] of every graduate, by name (one query): the picker of a record
        about a graduate, ``peewee.ForeignKeyField(Enrolment, choices=Enrolment.graduate_choices)``."""
        return [(e.id, f"{e.person.name} ({e.batch.name})") for e in cls.select(cls, Person, Batch)
                .join(Person).switch(cls).join(Batch).where(cls.status == "graduated").order_by(Person.name)]


class Attendance(BaseModel):
    field_choices = {"status": ATTENDANCE}
    enrolment = peewee.ForeignKeyField(Enrolment, backref="attendance", on_delete="CASCADE")
    day = peewee.DateField()
    status = peewee.CharField(max_length=1)      # H I S A

    class Meta:
        table_name = "training_attendance"
        indexes = ((("enrolment", "day"), True),)


class Certificate(BaseModel):
    enrolment = peewee.ForeignKeyField(Enrolment, backref="certificates", unique=True)
    number = peewee.CharField(max_length=80, unique=True)
    issued_on = peewee.DateField()
    token = peewee.CharField(max_length=40, unique=True)          # in the QR code's verification link
    revoked = peewee.BooleanField(default=False)

    class Meta:
        table_name = "training_certificate"


MODELS = [Programme, CompetencyUnit, Batch, Instructor, Person, Enrolment, Attendance, Certificate]


def mask_nik(nik):
    """``7401********0003``: enough to tell people apart, not enough to misuse (UU 27/2022)."""
    return (nik[:4] + "*" * 8 + nik[-4:]) if nik and len(nik) == 16 else (nik or "")
