"""Demo data of the ``placement`` plugin for ``balai demo``: one submission with its run. Idempotent."""
import datetime

from core.toolkit import audit, db

from placement.models import Submission
from placement.routes import start_run


def load(app):
    if Submission.select().exists():
        return []
    with db.write():
        obj = audit.create(Submission, applicant="Budi Santoso", subject="Contoh permohonan",
                           request_date=datetime.date.today())
        start_run(obj, True)
    return ["1 permohonan contoh dengan run SOP"]
