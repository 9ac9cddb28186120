"""Tables of the ``casefile`` plugin. After a change: ``balai makemigration casefile LABEL``."""
import peewee

from core.toolkit import BaseModel, User, utcnow


class CaseFile(BaseModel):
    """One case (berkas) of a generic SOP: it owns one run of that SOP."""
    code = peewee.CharField(max_length=64, index=True)        # the SOP it runs
    title = peewee.CharField(max_length=200)
    requester = peewee.CharField(max_length=150)
    values = peewee.TextField(default="{}")                   # JSON: the SOP's declared fields, by key
    created_by = peewee.ForeignKeyField(User, null=True, backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "casefile_case"
        indexes = ((("code", "created_at"), False),)

    def __str__(self):
        return self.title


class CaseNote(BaseModel):
    """A note on a case file, by whoever works on it (the run's steps carry their own notes)."""
    case = peewee.ForeignKeyField(CaseFile, backref="case_notes", on_delete="CASCADE")
    text = peewee.TextField()
    author = peewee.ForeignKeyField(User, null=True, backref="+")
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "casefile_note"


MODELS = [CaseFile, CaseNote]
