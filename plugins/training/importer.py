"""Row-by-row import of spreadsheets (CSV or XLSX), reusable by any plugin.

Staff bring lists as spreadsheets (SIAPkerja downloads, survey answers). This
module reads such a file into rows, checks every row against column specs and
reports every problem with its row number, before anything is written. It
knows nothing about the database: the caller adds its own checks (e.g.
"already enrolled") through ``row_check`` and decides what to write.

API::

    from plugins.training import importer as imp

    COLUMNS = [
        imp.Column("nik", required=True, parse=imp.nik),
        imp.Column("nama", required=True, parse=imp.text(150)),
        imp.Column("tanggal_lahir", parse=imp.date(past_only=True)),
        imp.Column("jenis_kelamin", required=True, parse=imp.choice({"L": "L", "P": "P"})),
        imp.Column("telepon", parse=imp.phone),
    ]
    rows = imp.read_table(filename, data)          # [(row_number, {header: raw})]; ImportFormatError
    results = imp.check_rows(rows, COLUMNS, unique=("nik",), row_check=my_check)
    # → [RowResult(row_number, data, errors)], data = {column: parsed value}, errors = [message, ...]
    good = [r for r in results if r.ok]

- ``read_table(filename, data)`` — ``data`` is the file's bytes; the extension
  (``.csv`` or ``.xlsx``) decides the reader. The first non-empty row is the
  header (names lower-cased, spaces → ``_``); data rows are numbered as in the
  spreadsheet (header = row 1 normally); fully empty rows are skipped. CSV may
  be UTF-8 (with or without BOM) or Windows-1252, separated by ``,`` or ``;``.
  Raises ``ImportFormatError`` (message for the user) for an unreadable file.
- ``missing_columns(rows_or_headers, columns)`` — required columns absent from
  the header (check this first and refuse the whole file).
- ``check_rows(rows, columns, unique=(), row_check=None)`` — parses each
  column with its ``parse`` function (raw value → clean value; raise
  ``RowError(message)`` to refuse); a blank required column is an error;
  ``unique`` names columns that must not repeat within the file (the second
  and later rows are reported with the first row's number); ``row_check(data)``
  returns a list of further messages (only called when the row parsed).
- Parsers: ``text(max_length)``, ``nik``, ``digits(n)``, ``phone``, ``money``,
  ``date(past_only=False)``, ``choice(mapping)``, ``integer(min, max)``.
- ``template_csv(columns, example=None)`` / ``template_xlsx(...)`` — bytes of an
  empty template (header + optional example row) to offer for download.
- ``summary(results)`` — (number of valid rows, number of bad rows).

Messages are Indonesian msgids translated with ``_`` when raised. NIK, phone,
text and money go through ``toolkit.values``, the same normalisers as the forms,
so an imported value is stored exactly as the same value typed in a form.
"""
import datetime
import re
from dataclasses import dataclass, field
from typing import Callable

from core.toolkit import _, local_today, tabular, values

MAX_ROWS = tabular.MAX_ROWS
# The file cannot be read as a table (wrong type, broken, empty, too big).
ImportFormatError = tabular.TabularError


class RowError(Exception):
    """A value refused by a parser; the message is shown with the row number."""


@dataclass
class Column:
    name: str
    required: bool = False
    parse: Callable | None = None
    label: str = ""              # shown in messages; defaults to ``name``

    @property
    def title(self):
        return self.label or self.name


@dataclass
class RowResult:
    row_number: int
    data: dict
    errors: list = field(default_factory=list)
    raw: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.errors


# ---------------------------------------------------------------- reading

def read_table(filename, data):
    """[(row_number, {header: raw value})] of a CSV or XLSX file's first sheet (core.tabular reads it)."""
    return tabular.read_table(filename, data, max_rows=MAX_ROWS)[1]


def headers_of(rows):
    names = set()
    for _n, record in rows:
        names.update(record)
    return names


def missing_columns(rows, columns):
    """Required columns absent from the file's header (names)."""
    present = headers_of(rows) if not isinstance(rows, (set, frozenset)) else rows
    return [c.name for c in columns if c.required and c.name not in present]


# ---------------------------------------------------------------- parsers

def _value(normalise, value):
    """Run a ``toolkit.values`` normaliser (the one the forms use), as a row error."""
    try:
        return normalise(value)
    except values.ValueProblem as exc:
        raise RowError(str(exc))


def text(max_length=255):
    def parse(value):
        value = values.line(value)
        if len(value) > max_length:
            raise RowError(_("Terlalu panjang (maksimal {n} karakter).", n=max_length))
        if re.search(r"<\s*/?\s*[a-zA-Z!?]", value):
            raise RowError(_("Tidak boleh berisi tag HTML (< >)."))
        return value
    return parse


def digits(n, message=None):
    return lambda value: _value(lambda v: values.digits(v, n, message), value)


def nik(value):
    return _value(values.nik, value)


def phone(value):
    """Stored in E.164 (+62…) like the forms' phone field; 8… (zero dropped by a spreadsheet) is 08…."""
    return _value(values.phone, value)


def money(value):
    """Rupiah read as written in Indonesian: "1.250" is 1250, "Rp 650.000,00" is 650000."""
    return _value(values.money, value)


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def date(past_only=False):
    def parse(value):
        if isinstance(value, datetime.datetime):
            day = value.date()
        elif isinstance(value, datetime.date):
            day = value
        else:
            day = None
            for fmt in DATE_FORMATS:
                try:
                    day = datetime.datetime.strptime(str(value).strip(), fmt).date()
                    break
                except ValueError:
                    continue
            if day is None:
                raise RowError(_("Tanggal tidak valid (gunakan TTTT-BB-HH atau HH/BB/TTTT)."))
        if day.year < 1900:
            raise RowError(_("Tanggal tidak valid."))
        if past_only and day > local_today():
            raise RowError(_("Tanggal tidak boleh di masa depan."))
        return day
    return parse


def choice(mapping):
    """``mapping``: accepted spelling (case-insensitive) → stored value."""
    lowered = {str(k).lower(): v for k, v in mapping.items()}

    def parse(value):
        key = str(value).strip().lower()
        if key not in lowered:
            raise RowError(_("Pilihan tidak valid (boleh: {c}).", c=", ".join(dict.fromkeys(map(str, mapping)))))
        return lowered[key]
    return parse


def integer(minimum=None, maximum=None):
    def parse(value):
        try:
            number = int(str(value).strip())
        except ValueError:
            raise RowError(_("Harus berupa bilangan bulat."))
        if minimum is not None and number < minimum or maximum is not None and number > maximum:
            raise RowError(_("Harus antara {a} dan {b}.", a=minimum, b=maximum))
        return number
    return parse


# ---------------------------------------------------------------- checking

def check_rows(rows, columns, unique=(), row_check=None):
    """Check every row; returns one RowResult per row, in file order."""
    results, seen = [], {name: {} for name in unique}
    for number, record in rows:
        data, errors = {}, []
        for col in columns:
            raw = record.get(col.name, "")
            if raw == "" or raw is None:
                if col.required:
                    errors.append(_("Kolom {c} wajib diisi.", c=col.title))
                data[col.name] = None
                continue
            try:
                data[col.name] = col.parse(raw) if col.parse else raw
            except RowError as exc:
                errors.append(f"{col.title}: {exc}")
                data[col.name] = None
        for name in unique:
            value = data.get(name)
            if value in (None, ""):
                continue
            if value in seen[name]:
                errors.append(_("{c} {v} sama dengan baris {n}.", c=name.upper() if len(name) <= 4 else name,
                                v=value, n=seen[name][value]))
            else:
                seen[name][value] = number
        if not errors and row_check is not None:
            errors.extend(row_check(data) or [])
        results.append(RowResult(number, data, errors, record))
    return results


def summary(results):
    good = sum(1 for r in results if r.ok)
    return good, len(results) - good


# ---------------------------------------------------------------- templates

def template_csv(columns, example=None):
    rows = [[example.get(c.name, "") for c in columns]] if example else []
    return tabular.csv_bytes([c.name for c in columns], rows)


def template_xlsx(columns, example=None, title="Data"):
    # Every column is text, so Excel does not drop leading zeros of NIK, phone and references.
    rows = [[example.get(c.name, "") for c in columns]] if example else []
    return tabular.xlsx_bytes([c.name for c in columns], rows, title=title,
                              text_columns=range(len(columns)), template_rows=500)


def xlsx_bytes(header, rows, title="Data"):
    """A simple workbook (header in bold) from lists of values — for exports."""
    return tabular.xlsx_bytes(header, rows, title=title)
