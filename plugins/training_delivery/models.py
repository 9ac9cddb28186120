"""Tables of ``training_delivery``: the work plan (one SOP run each), the
invited regencies/cities, the committee, letter templates and letters."""
import peewee

from core.toolkit import BaseModel, User, forms, utcnow
from plugins.training.models import Batch, Programme

PLAN_STATUS = forms.Choices(("draft", "Konsep"), ("submitted", "Diajukan"), ("returned", "Dikembalikan"),
                            ("approved", "Disetujui"))
LETTER_KINDS = forms.Choices(("invitation", "Surat undangan"), ("cover", "Surat pengantar"),
                             ("decree", "Keputusan Panitia"))
LETTER_STATUS = forms.Choices(("draft", "Konsep"), ("final", "Final"))
# The role is printed in the SK Panitia as written (Indonesian): stored as its own label.
COMMITTEE_ROLES = forms.Choices(("Penanggung Jawab", "Penanggung Jawab"), ("Ketua", "Ketua"),
                                ("Sekretaris", "Sekretaris"), ("Bendahara", "Bendahara"), ("Anggota", "Anggota"))


class WorkPlan(BaseModel):
    """Rencana kerja kegiatan: the subject of one run of SOP BLK-PA-503-47."""
    field_choices = {"status": PLAN_STATUS}
    activity = peewee.CharField(max_length=200)
    programme = peewee.ForeignKeyField(Programme, backref="+")
    batch = peewee.ForeignKeyField(Batch, null=True, backref="+")
    start_date = peewee.DateField()
    end_date = peewee.DateField()
    venue = peewee.CharField(max_length=200)
    quota = peewee.IntegerField(default=16)
    dpa_number = peewee.CharField(max_length=100)
    budget_amount = peewee.DecimalField(max_digits=15, decimal_places=2)
    schedule = peewee.TextField(default="")
    status = peewee.CharField(max_length=12, default="draft", index=True)
    return_reason = peewee.TextField(default="")
    instruction_note = peewee.TextField(default="")
    meeting_date = peewee.DateField(null=True)
    meeting_place = peewee.CharField(max_length=200, default="")
    meeting_attendees = peewee.TextField(default="")
    meeting_minutes = peewee.TextField(default="")
    report_text = peewee.TextField(default="")             # pelaksanaan (assembled, then edited)
    report_instructors = peewee.TextField(default="")      # instruktur dan materi
    report_obstacles = peewee.TextField(default="")        # kendala dan saran
    report_closing = peewee.TextField(default="")          # penutup
    budget_realised = peewee.DecimalField(max_digits=15, decimal_places=2, null=True)
    report_received_at = peewee.DateTimeField(null=True)
    report_received_by = peewee.ForeignKeyField(User, null=True, backref="+")
    created_by = peewee.ForeignKeyField(User, null=True, backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "delivery_work_plan"

    def __str__(self):
        return self.activity


class BudgetLine(BaseModel):
    """One line of the work plan's itemised budget (RAB): what, how many, of what unit, at what price."""
    work_plan = peewee.ForeignKeyField(WorkPlan, backref="budget_lines", on_delete="CASCADE")
    description = peewee.CharField(max_length=200)
    volume = peewee.DecimalField(max_digits=12, decimal_places=2)
    unit = peewee.CharField(max_length=40)
    price = peewee.DecimalField(max_digits=15, decimal_places=2)
    sort = peewee.IntegerField(default=0)

    class Meta:
        table_name = "delivery_budget_line"

    @property
    def total(self):
        return self.volume * self.price


class Addressee(BaseModel):
    """An invited regency/city: distribution register and its reply."""
    work_plan = peewee.ForeignKeyField(WorkPlan, backref="addressees", on_delete="CASCADE")
    name = peewee.CharField(max_length=150)               # e.g. "Kabupaten Lahat"
    position = peewee.CharField(max_length=255, default="")  # the recipient, e.g. "Kepala Dinas Tenaga Kerja"
    sent_on = peewee.DateField(null=True)
    proof_ref = peewee.CharField(max_length=120, default="")   # receipt / tracking number
    proof_filename = peewee.CharField(max_length=255, default="")
    proof_sha256 = peewee.CharField(max_length=64, default="")
    proof_content_type = peewee.CharField(max_length=100, default="")
    replied_on = peewee.DateField(null=True)
    reply_ref = peewee.CharField(max_length=120, default="")   # number of the reply letter
    reminded_on = peewee.DateField(null=True)    # the day the staff were told its reply is late (once)

    class Meta:
        table_name = "delivery_addressee"
        indexes = ((("work_plan", "name"), True), (("sent_on", "replied_on"), False))

    def __str__(self):
        return self.name


class CommitteeMember(BaseModel):
    """A member of the training committee listed in the SK Panitia."""
    work_plan = peewee.ForeignKeyField(WorkPlan, backref="members", on_delete="CASCADE")
    name = peewee.CharField(max_length=150)
    nip = peewee.CharField(max_length=18, default="")
    position = peewee.CharField(max_length=150, default="")   # jabatan
    role = peewee.CharField(max_length=60)                    # role in the committee
    sort = peewee.IntegerField(default=0)

    class Meta:
        table_name = "delivery_committee_member"


class ReportPhoto(BaseModel):
    """A photo of the training attached to the implementation report (stored by the tracker's upload store)."""
    work_plan = peewee.ForeignKeyField(WorkPlan, backref="photos", on_delete="CASCADE")
    caption = peewee.CharField(max_length=200)
    filename = peewee.CharField(max_length=255)
    sha256 = peewee.CharField(max_length=64)
    content_type = peewee.CharField(max_length=100)

    class Meta:
        table_name = "delivery_report_photo"


class LetterTemplate(BaseModel):
    """A letter's Jinja text (rendered in a sandbox), editable by an admin."""
    field_choices = {"kind": LETTER_KINDS}
    kind = peewee.CharField(max_length=20, unique=True)
    title = peewee.CharField(max_length=200)                 # perihal
    body = peewee.TextField()

    class Meta:
        table_name = "delivery_letter_template"

    def __str__(self):
        return self.title


class Letter(BaseModel):
    """A draft or final letter of a work plan; its number is taken when it is finalised."""
    field_choices = {"kind": LETTER_KINDS, "status": LETTER_STATUS}
    work_plan = peewee.ForeignKeyField(WorkPlan, backref="letters", on_delete="CASCADE")
    kind = peewee.CharField(max_length=20)
    addressee = peewee.ForeignKeyField(Addressee, null=True, backref="letters", on_delete="CASCADE")
    title = peewee.CharField(max_length=200)
    source = peewee.TextField()                              # template text of this letter (editable while draft)
    text = peewee.TextField(default="")                      # rendered text, frozen when final
    status = peewee.CharField(max_length=10, default="draft")
    number = peewee.CharField(max_length=80, null=True, unique=True)
    dated = peewee.DateField(null=True)
    paraf_by = peewee.ForeignKeyField(User, null=True, backref="+")
    paraf_at = peewee.DateTimeField(null=True)
    paraf_name = peewee.CharField(max_length=150, default="")
    paraf_nip = peewee.CharField(max_length=18, default="")
    paraf_rank = peewee.CharField(max_length=80, default="")
    signed_by = peewee.ForeignKeyField(User, null=True, backref="+")
    signed_at = peewee.DateTimeField(null=True)
    signer_name = peewee.CharField(max_length=150, default="")
    signer_nip = peewee.CharField(max_length=18, default="")
    signer_rank = peewee.CharField(max_length=80, default="")
    return_reason = peewee.TextField(default="")

    class Meta:
        table_name = "delivery_letter"
        indexes = ((("work_plan", "kind"), False),)


MODELS = [WorkPlan, BudgetLine, Addressee, CommitteeMember, ReportPhoto, LetterTemplate, Letter]
