"""Tables of the document service: issued documents (frozen), their stored
files (by sha256) and the templates an institution edited."""
import peewee

from core.db import BaseModel, utcnow
from core.identity import User

STATUSES = ("valid", "superseded", "revoked")


class DocumentFile(BaseModel):
    """Bytes of a frozen HTML or PDF, addressed by their sha256: written once, never changed.
    In the database (not on disk) so an issue that rolls back leaves nothing behind
    and a backup holds every paper."""
    sha256 = peewee.CharField(max_length=64, primary_key=True)
    content_type = peewee.CharField(max_length=60)
    size = peewee.IntegerField()
    content = peewee.BlobField()

    class Meta:
        table_name = "document_file"


class Document(BaseModel):
    """One issued paper (one version of it). Its text, PDF and number never change;
    only its status moves: valid → superseded (by a correction) or revoked."""
    type_code = peewee.CharField(max_length=80)
    number = peewee.CharField(max_length=120)
    version = peewee.IntegerField(default=1)
    subject = peewee.CharField(max_length=300)                 # perihal / title on the paper
    dated = peewee.DateField()
    place = peewee.CharField(max_length=80, default="")
    record_type = peewee.CharField(max_length=80, default="")   # the record it is about
    record_id = peewee.CharField(max_length=40, default="")
    signer = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    signer_name = peewee.CharField(max_length=150, default="")
    signer_title = peewee.CharField(max_length=200, default="")   # "Plt. Kepala BPVP", "a.n. ..." as printed
    signer_nip = peewee.CharField(max_length=18, default="")
    signer_rank = peewee.CharField(max_length=80, default="")
    values_json = peewee.TextField(default="{}")               # what it was rendered from (for a correction)
    html_sha256 = peewee.CharField(max_length=64)
    pdf_sha256 = peewee.CharField(max_length=64)
    token = peewee.CharField(max_length=64, unique=True)      # of the public verification page
    status = peewee.CharField(max_length=12, default="valid")
    supersedes = peewee.ForeignKeyField("self", null=True, backref="+", on_delete="SET NULL")
    superseded_by = peewee.ForeignKeyField("self", null=True, backref="+", on_delete="SET NULL")
    revoked_reason = peewee.TextField(default="")
    revoked_at = peewee.DateTimeField(null=True)
    revoked_by = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    issued_by = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    issued_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "document"
        indexes = (
            (("type_code", "number", "version"), True),
            (("record_type", "record_id"), False),
            (("type_code", "issued_at"), False),
            (("number",), False),
        )


class DocumentTemplate(BaseModel):
    """An institution's own text of an editable document type's template."""
    type_code = peewee.CharField(max_length=80, unique=True)
    source = peewee.TextField()
    updated_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "document_template"


MODELS = [DocumentFile, Document, DocumentTemplate]
