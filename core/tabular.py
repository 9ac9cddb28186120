"""Spreadsheets in and out: the ONE place Balai writes and reads CSV and XLSX.

Writing::

    from core import tabular
    body = tabular.csv_bytes(["Nama", "NIK"], rows)          # UTF-8 with BOM (Excel opens it right)
    body = tabular.xlsx_bytes(["Nama", "NIK"], rows, title="Peserta", text_columns={1})
    return tabular.download("xlsx", "peserta-angkatan-3", header, rows, title="Peserta")   # in a route

Every text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is written with a leading apostrophe (OWASP's advice against
CSV/formula injection): a person named ``=HYPERLINK(...)`` stays a name in
Excel, LibreOffice and Google Sheets. Numbers, dates and booleans are written
as values; ``None`` is an empty cell. XLSX text cells are also typed as
strings, so openpyxl never stores them as formulas.

Reading (imports)::

    header, rows = tabular.read_table(filename, data, aliases={"nama": "name"})
    # header: [normalised column names]; rows: [(row_number, {column: value})]

The extension (``.csv`` / ``.xlsx``) picks the reader; both give the same
shape: the first non-empty row is the header (lower-cased, spaces → ``_``,
then renamed through ``aliases`` when given), rows are numbered as in the
spreadsheet, fully empty rows are skipped, values are stripped text (dates
stay dates), and the apostrophe this module adds on export is removed so an
exported file can be imported again. CSV may be UTF-8 (with or without BOM)
or Windows-1252, separated by ``,`` or ``;``. An unreadable file raises
``TabularError`` with a message for the user.
"""
import csv
import datetime
import decimal
import io
import re

from core import i18n
from core.i18n import _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 5000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


class TabularError(Exception):
    """The file cannot be read as a table (wrong type, broken, empty, too big)."""


# ---------------------------------------------------------------- cells

def escape(value):
    """A text value made inert in spreadsheets (leading apostrophe); other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unescape(value):
    """Undo ``escape`` on a value read back from a file."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def _text(value):
    """A cell as CSV text: dates ISO, None empty, text escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float, decimal.Decimal)):
        return str(value)
    return escape(str(value))


# ---------------------------------------------------------------- writing

def csv_text(header, rows, delimiter=","):
    """CSV as text (no BOM) of a header and rows of values."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if header is not None:
        writer.writerow([_text(h) for h in header])
    for row in rows:
        writer.writerow([_text(v) for v in row])
    return out.getvalue()


def csv_bytes(header, rows, delimiter=","):
    """CSV in UTF-8 with a BOM, so Excel opens Indonesian names correctly."""
    return ("\ufeff" + csv_text(header, rows, delimiter)).encode("utf-8")


def xlsx_bytes(header, rows, title="Data", preamble=(), text_columns=(), template_rows=0):
    """A workbook of one sheet: optional ``preamble`` lines, the header in bold, the rows.

    ``text_columns`` (0-based indexes) are formatted as text, so Excel keeps
    leading zeros of NIK and phone numbers — for ``template_rows`` empty rows
    too (import templates).
    """
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = (re.sub(r"[\[\]:*?/\\]", " ", str(title)) or "Data")[:31]
    r = 0
    for line in preamble:
        r += 1
        _put_row(sheet, r, line)
    if header is not None:
        r += 1
        _put_row(sheet, r, header)
        for cell in sheet[r]:
            cell.font = Font(bold=True)
        for i, name in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(12, min(50, len(str(name)) + 4))
    first_data = r + 1
    for row in rows:
        r += 1
        _put_row(sheet, r, row, text_columns)
    for i in text_columns:
        for row_no in range(first_data, max(r, first_data + template_rows - 1) + 1):
            sheet.cell(row=row_no, column=i + 1).number_format = "@"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _put_row(sheet, r, values, text_columns=()):
    for c, value in enumerate(values, start=1):
        cell = sheet.cell(row=r, column=c)
        if value is None:
            continue
        if isinstance(value, datetime.datetime):
            cell.value = value
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, datetime.date):
            cell.value = value
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, (bool, int, float, decimal.Decimal)):
            cell.value = value
        else:
            cell.value = escape(str(value))
            cell.data_type = "s"          # never a formula, whatever was typed
        if (c - 1) in text_columns:
            cell.number_format = "@"


def translated(cells, domain=None):
    """Header cells people read, in the request's language: ``lazy`` labels as they are shown, Indonesian
    msgids through the caller's catalogs; anything else (codes such as "NIK", data) unchanged."""
    domain = domain or i18n.caller_domain()
    return [str(c) if isinstance(c, i18n.lazy) else (i18n.translate_known(c, domain) if isinstance(c, str) else c)
            for c in cells]


def download(fmt, filename, header, rows, title="Data", preamble=()):
    """Answer the current request with the table as a ``csv`` or ``xlsx`` attachment (the header and the
    sheet title in the request's language, see ``translated``)."""
    from core import web
    domain = i18n.caller_domain()
    header, title = translated(header, domain), translated([title], domain)[0]
    if fmt == "xlsx":
        body, ctype = xlsx_bytes(header, rows, title=title, preamble=preamble), XLSX_TYPE
    else:
        lines = [list(line) for line in preamble] + ([[]] if preamble else [])
        body, ctype = csv_bytes(None, lines + [list(header)] + [list(r) for r in rows]), CSV_TYPE
        fmt = "csv"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "data"
    web.response.content_type = ctype
    web.response.set_header("Content-Disposition", f'attachment; filename="{safe}.{fmt}"')
    return body


# ---------------------------------------------------------------- reading

def normalise_header(value):
    return re.sub(r"\s+", "_", str(value or "").strip().lower())


def _cell(value):
    """A cell read from a file: stripped text, dates kept as dates, the export's apostrophe removed."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2 ** 53:
        return str(int(value))     # a larger one lost digits in the float: kept as a number, the NIK check says so
    if isinstance(value, float):
        return value
    return unescape(str(value).strip())


def _table(matrix, aliases, max_rows):
    rows, header = [], None
    for number, values in matrix:
        values = [_cell(v) for v in values]
        if all(v == "" for v in values):
            continue
        if header is None:
            header = [normalise_header(v) for v in values]
            if aliases is not None:
                header = [aliases.get(h, "") for h in header]
            continue
        if len(rows) >= max_rows:
            raise TabularError(_("Berkas terlalu besar: paling banyak {n} baris.", n=i18n.format_number(max_rows, 0)))
        record = {}
        for i, name in enumerate(header):
            if name:
                record[name] = values[i] if i < len(values) else ""
        rows.append((number, record))
    if header is None:
        raise TabularError(_("Berkas kosong: tidak ada baris judul kolom."))
    return [h for h in header if h], rows


def _read_csv(data, aliases, max_rows):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        raise TabularError(_("Berkas CSV tidak dapat dibaca (pengodean teks tidak dikenal)."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return _table(enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1), aliases, max_rows)
    except csv.Error as exc:
        raise TabularError(_("Berkas CSV rusak: {e}", e=str(exc)))


def _read_xlsx(data, aliases, max_rows):
    import openpyxl
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise TabularError(_("Berkas XLSX tidak dapat dibuka. Simpan ulang sebagai Excel (.xlsx) atau CSV."))
    try:
        sheet = book.worksheets[0]
        return _table(enumerate(sheet.iter_rows(values_only=True), start=1), aliases, max_rows)
    finally:
        book.close()


def read_table(filename, data, aliases=None, max_rows=MAX_ROWS):
    """(header, [(row_number, {column: value})]) of a CSV or XLSX file's first sheet.

    ``aliases`` maps normalised header names to the caller's column names;
    columns not in it are dropped (without it every column is kept).
    """
    ext = (filename or "").lower().rsplit(".", 1)[-1] if "." in (filename or "") else ""
    if not data:
        raise TabularError(_("Berkas kosong."))
    if ext == "csv":
        return _read_csv(data, aliases, max_rows)
    if ext == "xlsx":
        return _read_xlsx(data, aliases, max_rows)
    raise TabularError(_("Jenis berkas tidak didukung. Gunakan .xlsx atau .csv."))
