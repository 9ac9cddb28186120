"""Running document numbers (letters, certificates, decrees): never reused, unique
under concurrent requests and several processes.

    number = numbering.next_number("blk-letter", "{n:03d}/BLK-PA/{roman_month}/{year}")
    # → "007/BLK-PA/IV/2024"

The counter of a series restarts each year. Tokens: ``{n}`` or ``{seq}`` (with
a format such as ``{seq:03d}``), ``{year}``, ``{month}``, ``{roman_month}`` or
``{month_roman}``, ``{day}``, and any keyword passed in ``values`` (the
document service passes ``{classification}``, the office's kode klasifikasi)::

    {seq}/{classification}/BLK-PA/{month_roman}/{year}   → 12/503/BLK-PA/XII/2026

The counter row is locked (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's
IMMEDIATE transaction serialises writers) in the caller's transaction, so a
number taken by an issue that rolls back is taken again by the next one and
two processes never get the same number.
"""
import datetime

import peewee

from core import audit, db
from core.db import BaseModel, is_sqlite

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


class NumberCounter(BaseModel):
    series = peewee.CharField(max_length=64)
    year = peewee.IntegerField()
    last = peewee.IntegerField(default=0)

    class Meta:
        table_name = "number_counter"
        indexes = ((("series", "year"), True),)


def check_pattern(pattern):
    """The problem with a pattern (for config validation), or None."""
    try:
        render(pattern, 1, datetime.date(2024, 4, 1), {"code": "X", "programme": "X", "classification": "000"})
    except (KeyError, ValueError, IndexError, AttributeError) as exc:
        return f"invalid number pattern {pattern!r}: {exc}"
    if "{n" not in pattern and "{seq" not in pattern:
        return f"number pattern {pattern!r} has no {{n}} or {{seq}}"
    return None


def render(pattern, n, day, values=None):
    return pattern.format(n=n, seq=n, year=day.year, month=f"{day.month:02d}", roman_month=ROMAN[day.month - 1],
                          month_roman=ROMAN[day.month - 1], day=f"{day.day:02d}", **(values or {}))


def next_number(series, pattern, day=None, values=None):
    """Take the next number of ``series`` in the current write transaction."""
    day = day or datetime.date.today()
    with db.write():
        NumberCounter.insert(series=series, year=day.year, last=0).on_conflict_ignore().execute()
        q = NumberCounter.select().where((NumberCounter.series == series) & (NumberCounter.year == day.year))
        if not is_sqlite():
            q = q.for_update()     # SQLite's IMMEDIATE transaction already serialises writers
        counter = q.get()
        n = counter.last + 1
        audit.update(counter, last=n)       # a counter's change is audited like every other record
    return render(pattern, n, day, values)
