"""Tables of the ``placement`` plugin. After a change: ``balai makemigration placement LABEL``."""
import peewee

from core.toolkit import BaseModel, utcnow


class Submission(BaseModel):
    """One request handled by the SOP: each owns one run of it."""
    applicant = peewee.CharField(max_length=150)
    subject = peewee.CharField(max_length=200, index=True)
    request_date = peewee.DateField()
    notes = peewee.TextField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "placement_submission"

    def __str__(self):
        return self.subject


MODELS = [Submission]
