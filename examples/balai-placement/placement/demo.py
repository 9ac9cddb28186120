"""Demo data of the ``placement`` plugin for ``balai demo``: one vacancy with its run. Idempotent."""
import datetime

from placement.models import Vacancy
from placement.routes import VACANCIES


def load(app):
    if Vacancy.select().exists():
        return []
    VACANCIES.persist(None, {"company": "PT Maju Bersama", "position": "Operator las", "quota": 3,  # starts its run
                             "closes_on": datetime.date.today() + datetime.timedelta(days=30)})
    return ["1 lowongan contoh dengan run SOP PTK-01"]
