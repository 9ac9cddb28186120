"""The recap of answers per wave and per programme (step 8): counts, rates, waiting time."""
import statistics

import peewee

from core.toolkit import forms
from plugins.tracer_survey import schemas
from plugins.tracer_survey.config import DAYS_PER_MONTH, caturwulan_range
from plugins.tracer_survey.models import Alumnus, Response, Wave
from plugins.training.models import Batch, Person, Programme


# ---------------------------------------------------------------- recap

def waiting_months(end_date, start_date, places=1):
    """Months from the end of training to the job start (0 when already working before)."""
    if start_date is None or end_date is None:
        return None
    months = max(0, (start_date - end_date).days) / DAYS_PER_MONTH
    return round(months, places) if places is not None else months


STATUSES = ("bekerja", "wirausaha", "studi", "belum")


def _pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _finish(row, values):
    n = row["responded"]
    row["response_rate"] = _pct(n, row["alumni"])
    for key in ("bekerja", "wirausaha", "studi", "belum"):
        row[f"pct_{key}"] = _pct(row[key], n)
    row["median_wait"] = round(statistics.median(values), 1) if values else None
    row["waits"] = len(values)
    return row


def _where(programme_id=None, batch_id=None, months=None, period=None):
    """The filter of the recap: programme, batch, wave (months) and the caturwulan ``(year, n)``
    in which the wave closed (the SOP reports per four-month period)."""
    cond = peewee.SQL("1 = 1")
    if programme_id:
        cond &= Batch.programme == programme_id
    if batch_id:
        cond &= Wave.batch == batch_id
    if months:
        cond &= Wave.months == months
    if period:
        first, last = caturwulan_range(*period)
        cond &= Wave.closes_on.between(first, last)
    return cond


def recap(programme_id=None, batch_id=None, months=None, period=None):
    """Per wave and per programme × months: counts, rates and median waiting time.

    Two queries whatever the number of waves: counts by GROUP BY, then the
    waiting times of working/self-employed answers (medians in Python).
    """
    cond = _where(programme_id, batch_id, months, period)

    def count(status):
        return peewee.fn.SUM(peewee.Case(None, [(Response.status == status, 1)], 0))
    q = (Wave.select(Wave.id, Wave.months, Wave.opens_on, Wave.closes_on, Wave.closed_at,
                     Batch.id.alias("batch_id"), Batch.name.alias("batch_name"), Batch.end_date,
                     Programme.id.alias("programme_id"), Programme.code.alias("programme_code"),
                     Programme.title.alias("programme_title"),
                     peewee.fn.COUNT(Alumnus.id).alias("alumni"), peewee.fn.COUNT(Response.id).alias("responded"),
                     count("bekerja").alias("bekerja"), count("wirausaha").alias("wirausaha"),
                     count("studi").alias("studi"), count("belum").alias("belum"))
         .join(Batch).join(Programme)
         .switch(Wave).join(Alumnus, peewee.JOIN.LEFT_OUTER)
         .join(Response, peewee.JOIN.LEFT_OUTER)
         .where(cond)
         .group_by(Wave.id, Wave.months, Wave.opens_on, Wave.closes_on, Wave.closed_at, Batch.id, Batch.name,
                   Batch.end_date, Programme.id, Programme.code, Programme.title)
         .order_by(Programme.code, Batch.end_date.desc(), Batch.id, Wave.months)
         .dicts())
    waves = []
    for r in q:
        for key in ("alumni", "responded", "bekerja", "wirausaha", "studi", "belum"):
            r[key] = int(r[key] or 0)
        waves.append(r)
    waits = {}
    wq = (Response.select(Alumnus.wave, Response.start_date, Batch.end_date, Batch.programme, Wave.months)
          .join(Alumnus).join(Wave).join(Batch)
          .where(cond & Response.status.in_(schemas.WORKING) & Response.start_date.is_null(False)).tuples())
    by_programme = {}
    for wave_id, start, end, programme_id_, months_ in wq:
        value = waiting_months(end, start, places=None)
        waits.setdefault(wave_id, []).append(value)
        by_programme.setdefault((programme_id_, months_), []).append(value)
    for r in waves:
        _finish(r, waits.get(r["id"], []))
    programmes = {}
    for r in waves:
        key = (r["programme_id"], r["months"])
        p = programmes.setdefault(key, {"programme_id": r["programme_id"], "programme_code": r["programme_code"],
                                        "programme_title": r["programme_title"], "months": r["months"],
                                        "batches": 0, "alumni": 0, "responded": 0, "bekerja": 0,
                                        "wirausaha": 0, "studi": 0, "belum": 0})
        p["batches"] += 1
        for key_ in ("alumni", "responded", "bekerja", "wirausaha", "studi", "belum"):
            p[key_] += r[key_]
    per_programme = [_finish(p, by_programme.get(k, [])) for k, p in sorted(
        programmes.items(), key=lambda kv: (kv[1]["programme_code"], kv[1]["months"]))]
    return waves, per_programme


def nonresponders(wave):
    return list(Alumnus.select().join(Response, peewee.JOIN.LEFT_OUTER)
                .where((Alumnus.wave == wave) & Response.id.is_null()).order_by(Alumnus.name))


# ---------------------------------------------------------------- breakdowns

SEX_LABELS = {"L": "Laki-laki", "P": "Perempuan"}                 # Indonesian, for the paper
SEX = forms.Choices(("L", "Laki-laki"), ("P", "Perempuan"))       # translated, for the screen


def breakdowns(programme_id=None, batch_id=None, months=None, period=None):
    """Respondents by sex, programme and funding source: {dimension: [row]}, one query each.

    Every percentage has the respondents of its row as denominator, as the recap table."""
    cond = _where(programme_id, batch_id, months, period)

    def count(status):
        return peewee.fn.SUM(peewee.Case(None, [(Response.status == status, 1)], 0))
    dims = {"sex": Person.sex, "programme": Programme.code, "funding": Batch.funding}
    out = {}
    for name, column in dims.items():
        q = (Response.select(column.alias("key"), peewee.fn.COUNT(Response.id).alias("responded"),
                             *[count(s).alias(s) for s in STATUSES])
             .join(Alumnus).join(Wave).join(Batch).join(Programme)
             .switch(Alumnus).join(Person, peewee.JOIN.LEFT_OUTER)
             .where(cond).group_by(column).order_by(column).dicts())
        rows = []
        for r in q:
            r = {k: (int(v or 0) if k != "key" else v) for k, v in r.items()}
            r["key"] = r["key"] if r["key"] is not None else ""
            if name == "sex":
                r["label"] = SEX_LABELS.get(r["key"], "Tidak diketahui")
            else:
                r["label"] = r["key"] or "—"
            for status in STATUSES:
                r[f"pct_{status}"] = _pct(r[status], r["responded"])
            rows.append(r)
        out[name] = rows
    return out
