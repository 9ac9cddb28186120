"""Indonesian words on paper, whatever the UI language: dates (``3 Desember 2026``),
amounts in words (terbilang, through num2words' Indonesian), the berita acara
date sentence and the place-and-date line. Used as filters in document templates."""
import datetime
import decimal

from babel.dates import format_date as babel_format_date

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def num2words(number, lang):
    from num2words import num2words as spell       # ~0.1 s to import: only when a paper spells a number
    return spell(number, lang=lang)


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def tanggal(value):
    """``3 Desember 2026`` (always Indonesian); empty for None/empty."""
    if value in (None, ""):
        return ""
    return babel_format_date(_as_date(value), "d MMMM y", locale="id")


def hari(value):
    """``Rabu``."""
    return DAYS[_as_date(value).weekday()]


def terbilang(amount, unit=""):
    """``650000`` → ``enam ratus lima puluh ribu`` (``unit="rupiah"`` appends it).
    Whole numbers only, as on official papers; cents are dropped."""
    if amount in (None, ""):
        return ""
    n = int(decimal.Decimal(str(amount)).to_integral_value(rounding=decimal.ROUND_DOWN))
    words = ("minus " if n < 0 else "") + num2words(abs(n), lang="id")
    return f"{words} {unit}".strip()


def rupiah_terbilang(amount):
    """``enam ratus lima puluh ribu rupiah``."""
    return terbilang(amount, "rupiah")


def tanggal_kata(value):
    """The berita acara sentence: ``Pada hari ini Rabu tanggal tiga bulan Desember
    tahun dua ribu dua puluh enam``."""
    day = _as_date(value)
    return (f"Pada hari ini {hari(day)} tanggal {num2words(day.day, lang='id')} bulan "
            f"{MONTHS[day.month - 1]} tahun {num2words(day.year, lang='id')}")


def place_date(place, value):
    """``Kendari, 3 Desember 2026``."""
    return f"{place}, {tanggal(value)}" if place else tanggal(value)


def roman_month(value):
    return ROMAN[_as_date(value).month - 1]


def check_place(value):
    """Config check of ``[balai] city``: a place name as written on letters, or None."""
    import re
    if value and not re.fullmatch(r"[A-Za-z][A-Za-z .'\-]{1,59}", value):
        return f"{value!r} is not a place name (letters, spaces, . ' - ; at most 60 characters)"
    return None


FILTERS = {
    "tanggal": tanggal,
    "hari": hari,
    "terbilang": terbilang,
    "rupiah_terbilang": rupiah_terbilang,
    "tanggal_kata": tanggal_kata,
    "bulan_romawi": roman_month,
}
