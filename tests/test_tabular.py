"""core.tabular: formulas are inert in every CSV/XLSX export, imports read CSV and XLSX the
same way, and no module outside core/tabular.py writes or reads spreadsheets itself."""
import csv
import datetime
import io
import os
import re

import openpyxl
import pytest

from core import audit, db, tabular

EVIL = '=HYPERLINK("http://x","y")'
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def csv_rows(body):
    text = body.decode("utf-8-sig") if isinstance(body, bytes) else body.lstrip("\ufeff")
    return list(csv.reader(io.StringIO(text)))


def xlsx_cells(body):
    book = openpyxl.load_workbook(io.BytesIO(body))
    return [cell for row in book.active.iter_rows() for cell in row if cell.value is not None]


def assert_inert_csv(body):
    cells = [c for row in csv_rows(body) for c in row]
    assert "'" + EVIL in cells, cells
    assert not any(c.startswith(tabular.FORMULA_START) for c in cells if "HYPERLINK" in c)


def assert_inert_xlsx(body):
    cells = [c for c in xlsx_cells(body) if "HYPERLINK" in str(c.value)]
    assert cells, "the name is missing from the workbook"
    for cell in cells:
        assert cell.data_type == "s" and cell.value == "'" + EVIL


# ---------------------------------------------------------------- the module

@pytest.mark.parametrize("value", ["=1+1", "+62812", "-2", "@SUM(A1)", "\tx", "\rx", EVIL])
def test_every_formula_start_is_escaped(value):
    assert tabular.escape(value) == "'" + value
    assert tabular.unescape(tabular.escape(value)) == value
    assert csv_rows(tabular.csv_bytes(["a"], [[value]]))[1] == ["'" + value]
    (_header, cell), = [xlsx_cells(tabular.xlsx_bytes(["a"], [[value]]))]
    # (XML stores a CR as a line feed: what matters is the apostrophe in front)
    assert cell.value.replace("\n", "\r") == ("'" + value).replace("\n", "\r") and cell.data_type == "s"


def test_values_that_are_not_text_stay_values():
    body = tabular.xlsx_bytes(["n", "d", "t"], [[-5, datetime.date(2024, 12, 16), "Budi"]])
    _h1, _h2, _h3, n, d, t = xlsx_cells(body)
    assert n.value == -5 and d.value.date() == datetime.date(2024, 12, 16) and t.value == "Budi"
    assert csv_rows(tabular.csv_bytes(["n", "d"], [[-5, datetime.date(2024, 12, 16)]]))[1] == ["-5", "2024-12-16"]


def test_csv_and_xlsx_read_the_same_way_and_round_trip():
    header, rows = ["NIK", "Nama Lengkap"], [["7471010000000001", EVIL], ["", ""], ["7471010000000002", "Ani"]]
    for name, body in (("a.csv", tabular.csv_bytes(header, rows)), ("a.xlsx", tabular.xlsx_bytes(header, rows))):
        cols, read = tabular.read_table(name, body)
        assert cols == ["nik", "nama_lengkap"]
        assert read == [(2, {"nik": "7471010000000001", "nama_lengkap": EVIL}),
                        (4, {"nik": "7471010000000002", "nama_lengkap": "Ani"})]
        cols, read = tabular.read_table(name, body, aliases={"nama_lengkap": "name"})
        assert cols == ["name"] and read[1] == (4, {"name": "Ani"})
    semicolons = "nik;nama\n7471;Budi\n".encode("cp1252")
    assert tabular.read_table("b.csv", semicolons)[1] == [(2, {"nik": "7471", "nama": "Budi"})]
    for name, body in (("c.txt", b"x"), ("c.xlsx", b"not a workbook"), ("c.csv", b"")):
        with pytest.raises(tabular.TabularError):
            tabular.read_table(name, body)


def test_no_module_writes_or_reads_spreadsheets_by_itself():
    """One way to do it: csv writers/readers and openpyxl appear only in core/tabular.py."""
    offenders = []
    for top in ("core", "plugins", "examples"):
        for folder, _dirs, files in os.walk(os.path.join(ROOT, top)):
            for name in files:
                path = os.path.join(folder, name)
                if not name.endswith(".py") or path.endswith(os.path.join("core", "tabular.py")):
                    continue
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
                if re.search(r"\bcsv\.(writer|reader|DictWriter|DictReader)\b|\bopenpyxl\b|\bWorkbook\(", text):
                    offenders.append(os.path.relpath(path, ROOT))
    assert offenders == []


# ---------------------------------------------------------------- the exports

def test_a_formula_name_is_inert_in_every_export(balai_app, balai_client):
    from plugins.training.models import Batch, Enrolment, Person, Programme
    app = balai_app("training")
    staff = balai_client(app, "staf_pelatihan")
    admin = balai_client(app, "admin")
    today = datetime.date.today()
    with db.connection(), db.write():
        programme = audit.create(Programme, code="TIK-01", title=EVIL, field="TIK", total_jp=240)
        batch = audit.create(Batch, programme=programme, name="Angkatan I", start_date=today, quota=16,
                             reg_opens=today, reg_closes=today,
                             end_date=today + datetime.timedelta(days=30), status="registration")
        person = audit.create(Person, nik="7471010000000001", name=EVIL, sex="L")
        audit.create(Enrolment, person=person, batch=batch, status="registered")
    # roster of the batch
    assert_inert_csv(staff.get(f"/training/batches/{batch.id}/roster.csv").body)
    assert_inert_xlsx(staff.get(f"/training/batches/{batch.id}/roster.xlsx").body)
    # a generic list (with its filter kept), headed by the translated column labels
    res = staff.get("/training/programmes?field=TIK&format=csv")
    assert csv_rows(res.body)[0][:2] == ["Kode", "Judul program"]
    assert_inert_csv(res.body)
    assert staff.get("/training/programmes?field=LAS&format=csv").body.count(b"\n") == 1   # header only
    res = staff.get("/training/programmes?format=xlsx")
    assert res.content_type == tabular.XLSX_TYPE and 'filename="training-programmes.xlsx"' in res.headers["Content-Disposition"]
    assert_inert_xlsx(res.body)
    # the audit viewer's export, filtered, with readable headers
    res = admin.get("/admin/audit?object_type=training_person&format=csv")
    rows = csv_rows(res.body)
    assert rows[0][:3] == ["No.", "Waktu (UTC)", "Pelaku"] and len(rows) == 2 and "HYPERLINK" in rows[1][6]
    assert [c.value for c in xlsx_cells(admin.get("/admin/audit?object_type=training_person&format=xlsx").body)][:2] \
        == ["No.", "Waktu (UTC)"]
    # list pages link to both formats
    page = staff.get("/training/programmes?field=TIK").text
    assert "field=TIK" in page and "format=xlsx" in page and "format=csv" in page


def test_headers_people_read_are_in_the_request_language():
    """``tabular.download`` translates its header and sheet title (``translated``): Indonesian msgids
    through the caller's catalogs, lazy labels as shown, codes and data unchanged."""
    from core import i18n
    i18n.load_domains([i18n.Domain("core", os.path.join(ROOT, "core"), os.path.join(ROOT, "core", "locale"))])
    try:
        with i18n.using("en"):
            assert tabular.translated(["Kepatuhan SOP", "NIK", i18n.lazy("Simpan"), 3]) == \
                ["SOP compliance", "NIK", i18n.translate("Simpan"), 3]
            assert i18n.translate("Simpan") != "Simpan"
        with i18n.using("id"):
            assert tabular.translated(["Kepatuhan SOP", "NIK"]) == ["Kepatuhan SOP", "NIK"]
    finally:
        i18n.load_domains([])
