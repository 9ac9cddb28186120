"""Demo data of the ``placement`` plugin for ``balai demo``: one vacancy with its run. Idempotent."""
import datetime

from core.toolkit import audit, db

from placement.models import Vacancy
from placement.routes import FLOW


def load(app):
    if Vacancy.select().exists():
        return []
    with db.write():
        vacancy = audit.create(Vacancy, company="PT Maju Bersama", position="Operator las", quota=3,
                               closes_on=datetime.date.today() + datetime.timedelta(days=30))
        FLOW.start(vacancy, f"Penempatan: {vacancy}", app=app)
    return ["1 lowongan contoh dengan run SOP PTK-01"]
