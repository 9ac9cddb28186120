"""Working-time calendar for Indonesian government SOP time standards.

Offices work Monday–Friday during office hours (default 08:00–16:00 local) in one
of the Indonesian time zones. Days off are national holidays and cuti bersama
(joint leave), plus admin exceptions.

Holiday source: the `holidays` package, categories PUBLIC (libur nasional) and
GOVERNMENT (cuti bersama per SKB 3 Menteri). Version 0.109 includes cuti bersama
for 2018–2027, so this module has no table of its own. For later years, add the
decreed dates through `holidays_extra` until the package is upgraded.

All public functions take aware datetimes and return UTC-aware datetimes.
"""
from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

TIMEZONES = {"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

# ---------------------------------------------------------------- time standards

_UNITS = {"menit": "menit", "jam": "jam", "hari": "hari", "minggu": "minggu",
          "bulan": "bulan", "jp": "JP"}
_RE = re.compile(r"^(\d+)\s*(menit|jam|hari|minggu|bulan|jp)$", re.IGNORECASE)
_NO_STANDARD = {"", "-", "—", "–"}


@dataclass(frozen=True)
class TimeStandard:
    value: int
    unit: str  # "menit", "jam", "hari", "minggu", "bulan" or "JP"
    text: str

    def working_minutes(self, day_minutes: int) -> int | None:
        """Length in working minutes. Returns None for 'bulan', which is calendar time."""
        per_unit = {"menit": 1, "jam": 60, "JP": 45, "hari": day_minutes,
                    "minggu": 5 * day_minutes}.get(self.unit)
        return None if per_unit is None else self.value * per_unit


def parse_time_standard(text: str | None) -> TimeStandard | None:
    """'5 menit' -> TimeStandard(5, 'menit', '5 menit'). Returns None for no standard.

    Ignores case and extra spaces. Raises ValueError with an Indonesian message
    for text it cannot read.
    """
    if text is None or text.strip() in _NO_STANDARD:
        return None
    m = _RE.match(" ".join(text.split()))
    if not m:
        raise ValueError(
            f"Standar waktu tidak dikenali: {text!r}. Gunakan angka dan satuan, "
            "mis. '5 menit', '2 jam', '3 hari', '1 minggu', '1 bulan', '48 JP'.")
    return TimeStandard(int(m.group(1)), _UNITS[m.group(2).lower()], text.strip())


# ---------------------------------------------------------------- holidays

@lru_cache(maxsize=None)
def _national_holidays(year: int) -> dict[date, str]:
    # Building the package's holiday set takes about 0.1 s, so build it once per year
    # for the whole process.
    import holidays          # ~0.1–0.2 s and several MB: loaded at the first due date, not at start-up
    h = holidays.country_holidays("ID", years=year, language="id",
                                  categories=(holidays.PUBLIC, holidays.GOVERNMENT))
    return dict(h.items())


def _hhmm(s: str) -> int:
    h, m = s.split(":")
    return int(h) * 60 + int(m)


# ---------------------------------------------------------------- calendar

class WorkCalendar:
    """Working days and hours for one office.

    When the admin edits exceptions, build a new instance. The extras are copied
    here and feed per-year caches.
    """

    def __init__(self, timezone: str = "WIB", start: str = "08:00", end: str = "16:00",
                 holidays_extra: dict[date, str] | None = None,
                 workdays_extra: set[date] | None = None):
        self.tz = ZoneInfo(TIMEZONES.get(timezone.upper(), timezone))
        self.open_min, self.close_min = _hhmm(start), _hhmm(end)
        if not 0 <= self.open_min < self.close_min <= 24 * 60:
            raise ValueError(f"Jam kerja tidak valid: {start}–{end}")
        self.day_minutes = self.close_min - self.open_min
        self.holidays_extra = dict(holidays_extra or {})
        self.workdays_extra = frozenset(workdays_extra or ())
        # year -> prefix counts: cum[i] = number of working days among the year's first i days.
        self._cum: dict[int, list[int]] = {}

    # ---- days
    def holiday_name(self, d: date) -> str | None:
        return self.holidays_extra.get(d) or _national_holidays(d.year).get(d)

    def is_working_day(self, d: date) -> bool:
        # workdays_extra wins: the admin explicitly opened that date.
        if d in self.workdays_extra:
            return True
        return d.weekday() < 5 and self.holiday_name(d) is None

    def _year_cum(self, y: int) -> list[int]:
        cum = self._cum.get(y)
        if cum is None:
            cum, d = [0], date(y, 1, 1)
            while d.year == y:
                cum.append(cum[-1] + self.is_working_day(d))
                d += timedelta(days=1)
            self._cum[y] = cum
        return cum

    def _count(self, a: date, b: date) -> int:
        """Number of working days in [a, b), computed from prefix counts in O(years)."""
        if b <= a:
            return 0
        ca = self._year_cum(a.year)
        ia, ib = a.timetuple().tm_yday - 1, b.timetuple().tm_yday - 1
        if a.year == b.year:
            return ca[ib] - ca[ia]
        total = ca[-1] - ca[ia]
        for y in range(a.year + 1, b.year):
            total += self._year_cum(y)[-1]
        return total + self._year_cum(b.year)[ib]

    def add_working_days(self, d: date, n: int) -> date:
        """Returns the n-th working day after d; d itself is not counted, and n=0 returns d."""
        if n < 0:
            raise ValueError("n harus >= 0")
        if n == 0:
            return d
        y, idx = d.year, d.timetuple().tm_yday  # idx = prefix index just after d
        for _ in range(n // 200 + 10):  # every year has at least 200 working days
            cum = self._year_cum(y)
            if cum[-1] - cum[idx] >= n:
                j = bisect.bisect_left(cum, cum[idx] + n)  # j-th day (1-based) of year y
                return date(y, 1, 1) + timedelta(days=j - 1)
            n -= cum[-1] - cum[idx]
            y, idx = y + 1, 0
        raise ValueError("Tidak cukup hari kerja di kalender")

    # ---- helpers for local time
    def _local(self, dt: datetime) -> tuple[date, int]:
        if dt.tzinfo is None:
            raise ValueError("datetime harus memiliki zona waktu (aware)")
        loc = dt.astimezone(self.tz)
        return loc.date(), loc.hour * 3600 + loc.minute * 60 + loc.second

    def _utc(self, d: date, secs: int) -> datetime:
        local = datetime.combine(d, time(), tzinfo=self.tz) + timedelta(seconds=secs)
        return local.astimezone(timezone.utc)

    # ---- durations
    def _advance(self, start: datetime, minutes: int) -> datetime:
        """Add working minutes. Moves whole days in O(1) instead of looping minute by minute."""
        if minutes < 0:
            raise ValueError("menit kerja harus >= 0")
        if minutes == 0:
            return start.astimezone(timezone.utc)
        d, s = self._local(start)
        op, cl = self.open_min * 60, self.close_min * 60
        if not self.is_working_day(d) or s >= cl:  # outside office hours: wait for next opening
            d, s = self.add_working_days(d, 1), op
        s = max(s, op)
        rem = minutes * 60
        if rem <= cl - s:
            return self._utc(d, s + rem)
        rem -= cl - s
        full, part = divmod(rem, self.day_minutes * 60)
        if part == 0:  # finish exactly at closing time, not at the next opening
            return self._utc(self.add_working_days(d, full), cl)
        return self._utc(self.add_working_days(d, full + 1), op + part)

    def due(self, start: datetime, standard: TimeStandard | str | None) -> datetime | None:
        if isinstance(standard, str):
            standard = parse_time_standard(standard)
        if standard is None:
            return None
        if standard.unit == "bulan":  # calendar months, same local wall-clock time
            loc = start.astimezone(self.tz)
            m = loc.month - 1 + standard.value
            y, m = loc.year + m // 12, m % 12 + 1
            day = min(loc.day, calendar.monthrange(y, m)[1])
            return loc.replace(year=y, month=m, day=day).astimezone(timezone.utc)
        if standard.unit in ("hari", "minggu"):  # closing time of the N-th working day
            n = standard.value * (5 if standard.unit == "minggu" else 1)
            d, _ = self._local(start)
            return self._utc(self.add_working_days(d, n), self.close_min * 60)
        return self._advance(start, standard.working_minutes(self.day_minutes))

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Working minutes in [start, end); returns 0 if end <= start."""
        if end <= start:
            return 0
        (d1, s1), (d2, s2) = self._local(start), self._local(end)
        op, cl = self.open_min * 60, self.close_min * 60

        def part(d: date, a: int, b: int) -> int:  # working seconds of day d within [a, b)
            return max(0, min(b, cl) - max(a, op)) if self.is_working_day(d) else 0

        if d1 == d2:
            secs = part(d1, s1, s2)
        else:
            middle = self._count(d1 + timedelta(days=1), d2)
            secs = part(d1, s1, cl) + middle * self.day_minutes * 60 + part(d2, op, s2)
        return secs // 60

    def shift(self, due: datetime, working_minutes: int) -> datetime:
        """Moves a due time later by that many working minutes, e.g. to leave out a pause."""
        return self._advance(due, working_minutes)
