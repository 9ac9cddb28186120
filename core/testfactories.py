"""Test data factories of the test kit: training records a plugin's tests need, made in one line.

Imported through ``core.testing`` (``from core.testing import make_enrolment``). Each factory
writes through the audit path in its own transaction, fills every required field with a
plausible value (unique where the table wants it) and takes any field as a keyword to
override it. They need the ``training`` plugin enabled (``depends=("training",)`` does it).

    graduate = make_enrolment(status="graduated")          # a person, a batch, a programme too
    others = [make_enrolment(batch=graduate.batch) for _ in range(3)]
"""
import datetime
import itertools

_serial = itertools.count(1)
NAMES = ["Budi Santoso", "Siti Rahmawati", "Agus Setiawan", "Dewi Lestari", "Rizky Pratama", "Nur Aisyah",
         "Hendra Wijaya", "Putri Ayu", "Fajar Nugroho", "Intan Permata"]


def _create(model, fields):
    from core import audit, db
    with db.connection(), db.write():
        return audit.create(model, **fields)


def make_programme(**fields):
    """A programme (``code`` unique): ``make_programme(title="Pengelasan SMAW", field="LAS")``."""
    from plugins.training.models import Programme
    n = next(_serial)
    return _create(Programme, {"code": f"PRG-{n:03d}", "title": f"Teknisi Komputer {n}", "field": "TIK",
                               "total_jp": 160, **fields})


def make_batch(programme=None, **fields):
    """A batch of ``programme`` (a new one when not given), running from today for 30 days,
    open for registration (window around today, quota 30)."""
    from plugins.training.models import Batch
    today = datetime.date.today()
    return _create(Batch, {"programme": programme or make_programme(), "name": f"Angkatan {next(_serial)}",
                           "start_date": today, "end_date": today + datetime.timedelta(days=30), "quota": 30,
                           "reg_opens": today - datetime.timedelta(days=10),
                           "reg_closes": today + datetime.timedelta(days=10), "status": "registration", **fields})


def make_person(**fields):
    """A person with a unique valid NIK, a name, a sex and a mobile phone (stored ``+62…``)."""
    from plugins.training.models import Person
    n = next(_serial)
    return _create(Person, {"nik": f"7471{n:012d}", "name": NAMES[n % len(NAMES)], "sex": "L" if n % 2 else "P",
                            "phone": f"+62812{n:08d}", **fields})


def make_enrolment(person=None, batch=None, status="registered", **fields):
    """``person`` enrolled in ``batch`` (each made when not given) with this ``status``
    (set directly: no lifecycle checks, no events — a starting point for a test)."""
    from plugins.training.models import Enrolment
    return _create(Enrolment, {"person": person or make_person(), "batch": batch or make_batch(),
                               "status": status, **fields})
