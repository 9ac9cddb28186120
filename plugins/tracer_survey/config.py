"""Configuration, dates and states of the tracer survey, shared by its service modules
(waves, contacts, answers, recap, export)."""
import calendar
import datetime

from core.toolkit import _, forms, tracker
from plugins.tracer_survey.models import Survey

CODE = "KDI-PM-09"
SUBJECT = Survey.audit_type()      # "tracer_survey": one run of KDI-PM-09 per batch
FLOW = tracker.Workflow(CODE, SUBJECT)
PLUGIN = "tracer_survey"
DEFAULT_SMILE = ("NIK=nik,Nama=name,Status Kebekerjaan=status_label,Nama Perusahaan=employer,"
                 "Tanggal Mulai Kerja=start_date")
DAYS_PER_MONTH = 30.4375


class TracerError(Exception):
    """A refusal the user can read; ``field`` names the form field it concerns (shown next to it)."""
    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


# ---------------------------------------------------------------- configuration

def parse_months(value):
    """``wave_months`` (a list, or the text "1 3 6") → sorted distinct ints."""
    parts = value.replace(",", " ").split() if isinstance(value, str) else list(value or [])
    return sorted({int(p) for p in parts})


def check_months(value):
    try:
        months = parse_months(value)
    except (TypeError, ValueError):
        return "expected whole numbers of months, e.g. 1 3 6"
    if not months:
        return "give at least one number of months, e.g. 1 3 6"
    if any(m < 1 or m > 60 for m in months):
        return "each number of months must be between 1 and 60"
    return None


def check_open_days(value):
    return None if 1 <= int(value) <= 365 else "must be between 1 and 365 days"


# Fields the SMILe export can use: name → description (for the config check and docs).
EXPORT_FIELDS = {
    "nik": "NIK", "name": "Nama", "phone": "Telepon (62…)", "programme_code": "Kode program",
    "programme": "Program pelatihan", "batch": "Angkatan", "batch_end_date": "Tanggal selesai pelatihan",
    "wave_months": "Gelombang (bulan setelah pelatihan)", "status": "Kode status", "status_label": "Status",
    "employer": "Nama perusahaan/usaha", "position": "Jabatan", "sector": "Kode bidang usaha",
    "sector_label": "Bidang usaha", "start_date": "Tanggal mulai kerja", "waiting_months": "Masa tunggu (bulan)",
    "income_band": "Kode penghasilan", "income_label": "Penghasilan", "relevance": "Kesesuaian (1–5)",
    "found_via": "Kode cara mendapat kerja", "found_via_label": "Cara mendapat kerja",
    "answered_at": "Tanggal menjawab", "source": "Sumber jawaban (form/import)",
}


def parse_smile_columns(text):
    """"Header=field,…" → [(header, field)]; raises ValueError listing every problem."""
    pairs, problems, headers = [], [], set()
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        header, sep, name = part.rpartition("=")
        header, name = header.strip(), name.strip()
        if not sep or not header or not name:
            problems.append(f"{part!r} is not Header=field")
            continue
        if name not in EXPORT_FIELDS:
            problems.append(f"unknown field {name!r} in {part!r}")
            continue
        if header in headers:
            problems.append(f"header {header!r} repeats")
            continue
        headers.add(header)
        pairs.append((header, name))
    if not pairs and not problems:
        problems.append("no columns given")
    if problems:
        raise ValueError("; ".join(problems) + f" (known fields: {', '.join(EXPORT_FIELDS)})")
    return pairs


def check_smile_columns(text):
    try:
        parse_smile_columns(text)
    except ValueError as exc:
        return str(exc)
    return None


def settings(app):
    opts = app.config.plugin(PLUGIN)
    return {"months": parse_months(opts.get("wave_months") or "1 3 6"),
            "open_days": int(opts.get("wave_open_days") or 30),
            "smile": parse_smile_columns(opts.get("smile_columns") or DEFAULT_SMILE)}


# ---------------------------------------------------------------- dates and states

def add_months(day, months):
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def wave_state(wave, today):
    """upcoming | open | closed (closed by date, or early by the officer)."""
    if wave.closed_at is not None or today > wave.closes_on:
        return "closed"
    if today < wave.opens_on:
        return "upcoming"
    return "open"


STATE_LABELS = forms.Choices(("upcoming", "Belum dibuka"), ("open", "Dibuka"), ("closed", "Ditutup"))


def wave_title(wave, batch=None):
    batch = batch or wave.batch
    return _("Survei kebekerjaan +{n} bulan — {p} {b}", n=wave.months, p=batch.programme.title, b=batch.name)


def survey_title(batch):
    return _("Survei kebekerjaan alumni — {p} {b}", p=batch.programme.title, b=batch.name)


# The SOP's step 6 is done "per caturwulan": the year in three four-month periods.
CATURWULAN_NAMES = {1: "I", 2: "II", 3: "III"}


def caturwulan(day):
    """The four-month reporting period of a date: (year, 1|2|3); Jan–Apr is I, May–Aug II, Sep–Dec III."""
    return day.year, (day.month - 1) // 4 + 1


def caturwulan_label(day):
    year, n = caturwulan(day)
    return _("Caturwulan {n} {y}", n=CATURWULAN_NAMES[n], y=year)


def caturwulan_range(year, n):
    """First and last day of a caturwulan."""
    first = datetime.date(year, 4 * (n - 1) + 1, 1)
    last_month = 4 * n
    return first, datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])


def parse_caturwulan(text):
    """"2026-2" → (2026, 2), or None for anything else."""
    year, sep, n = (text or "").partition("-")
    if sep and year.isdigit() and n in ("1", "2", "3") and 2000 <= int(year) <= 2100:
        return int(year), int(n)
    return None
