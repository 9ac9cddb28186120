"""The training plugin through HTTP: lifecycle, refusals, import, attendance,
certificates and their public verification, NIK masking, events, query counts."""
import datetime
import io
import logging
import re
import types

import pytest

from core import audit, db
from core.testing import institution_today, pdf_text
from core.hookspecs import hookimpl

TODAY = institution_today()     # the institution's (WIB) today
DAY = datetime.timedelta(days=1)


# ---------------------------------------------------------------- helpers

def make_batch(programme=None, code="TIK-01", status="registration", quota=20, opens=-5, closes=5,
               start=10, end=40, name="Angkatan I"):
    from plugins.training.models import Batch, CompetencyUnit, Programme
    with db.connection(), db.write():
        if programme is None:
            programme = Programme.get_or_none(Programme.code == code) or audit.create(
                Programme, code=code, title="Teknisi Komputer", field="TIK", total_jp=240)
            if not CompetencyUnit.select().where(CompetencyUnit.programme == programme).exists():
                audit.create(CompetencyUnit, programme=programme, code="J.611000.001.02",
                             title="Merakit komputer", jp=120)
        return audit.create(Batch, programme=programme, name=name, start_date=TODAY + start * DAY,
                            end_date=TODAY + end * DAY, quota=quota, reg_opens=TODAY + opens * DAY,
                            reg_closes=TODAY + closes * DAY, status=status)


def nik(n, region="7471"):
    return f"{region}01{n:010d}"


def enrol(batch, n, status="registered", name=None):
    from plugins.training.models import Enrolment, Person
    with db.connection(), db.write():
        person = Person.get_or_none(Person.nik == nik(n)) or audit.create(
            Person, nik=nik(n), name=name or f"Peserta {n:03d}", sex="L" if n % 2 else "P")
        return audit.create(Enrolment, person=person, batch=batch, status=status)


def fetch(model, obj_id):
    with db.connection():
        return model.get_by_id(obj_id)


def status_of(enrolment):
    from plugins.training.models import Enrolment
    return fetch(Enrolment, enrolment.id).status


def flashes(res):
    return re.findall(r'class="flash flash-(\w+)"[^>]*>([^<]*)<', res.text)


@pytest.fixture
def app(balai_app):
    return balai_app("training", institution="BPVP Kendari")


@pytest.fixture
def staff(app, balai_client):
    return balai_client(app, "staf_pelatihan")


# ---------------------------------------------------------------- lifecycle

def person_form(n, **extra):
    data = {"nik": nik(n), "name": f"Budi Santoso {n}", "sex": "L", "birth_date": "2000-05-17",
            "phone": "0812 3456 7890", "education": "SMA", "regency": "Kota Kendari", "source": "walk_in"}
    data.update(extra)
    return data


def move(client, batch, enrolments, status):
    res = client.post(f"/training/batches/{batch.id}/enrolments",
                      {"ids": [str(e.id) for e in enrolments], "status": status}, status=303)
    return client.follow(res)


def test_register_and_every_lifecycle_step(app, staff):
    """A walk-in registration stores the person (phone in E.164) and the enrolment moves through
    every status of its life: registered → selection → reserve → accepted → … → graduated."""
    from plugins.training.models import Enrolment, Person
    batch = make_batch()
    page = staff.get(f"/training/batches/{batch.id}/register")
    assert 'name="nik"' in page.text and 'class="flash flash-error"' not in page.text
    staff.post(f"/training/batches/{batch.id}/register", person_form(1), status=303)
    with db.connection():
        person = Person.get(Person.nik == nik(1))
        e = Enrolment.get(Enrolment.person == person)
    assert (person.name, person.phone, e.status, e.source) == ("Budi Santoso 1", "+6281234567890", "registered", "walk_in")

    # registered → selection → reserve → accepted → reregistered → training → graduated
    for target in ["selection", "reserve", "accepted", "reregistered", "training", "graduated"]:
        page = move(staff, batch, [e], target)
        assert status_of(e) == target, (target, flashes(page))
    # every change is in the audit log with who did it
    with db.connection():
        rows = audit.history("training_enrolment", e.id)
    assert [r.action for r in rows].count("update") == 6 and all('"status"' in r.diff for r in rows)
    assert {r.actor for r in rows} == {staff.user.username}

    # not graduated and rejected paths
    e2, e3 = enrol(batch, 2, "training"), enrol(batch, 3, "selection")
    move(staff, batch, [e2], "not_graduated")
    move(staff, batch, [e3], "rejected")
    assert (status_of(e2), status_of(e3)) == ("not_graduated", "rejected")

    # the batch page shows counts per status
    page = staff.get(f"/training/batches/{batch.id}")
    assert "Lulus: 1" in page.text and "Tidak lulus: 1" in page.text and "Tidak diterima: 1" in page.text


def test_illegal_transitions_are_refused_with_the_reason(app, staff):
    batch = make_batch()
    e = enrol(batch, 1, "registered")
    page = move(staff, batch, [e], "graduated")
    assert status_of(e) == "registered"
    assert any(kind == "error" and "Terdaftar tidak dapat diubah menjadi Lulus" in msg for kind, msg in flashes(page))
    done = enrol(batch, 2, "graduated")
    page = move(staff, batch, [done], "training")
    assert status_of(done) == "graduated"
    assert any("Lulus tidak dapat diubah menjadi Mengikuti pelatihan" in msg for _k, msg in flashes(page))


def test_instructor_cannot_move_enrolments(app, balai_client):
    batch = make_batch()
    e = enrol(batch, 1, "registered")
    instructor = balai_client(app, "instruktur")
    instructor.post(f"/training/batches/{batch.id}/enrolments", {"ids": [str(e.id)], "status": "selection"},
                    status=403)
    assert status_of(e) == "registered"


# ---------------------------------------------------------------- refusals

def test_closed_window_not_yet_open_and_full_quota_are_refused(app, staff):
    from plugins.training.models import Enrolment
    closed = make_batch(opens=-20, closes=-1, name="Tutup")
    res = staff.post(f"/training/batches/{closed.id}/register", person_form(1), status=422)
    assert "sudah ditutup pada" in res.text
    assert "sudah ditutup pada" in staff.get(f"/training/batches/{closed.id}/register").text
    later = make_batch(opens=3, closes=9, name="Nanti")
    res = staff.post(f"/training/batches/{later.id}/register", person_form(2), status=422)
    assert "belum dibuka" in res.text

    full = make_batch(quota=1, name="Penuh")
    enrol(full, 3, "accepted")
    res = staff.post(f"/training/batches/{full.id}/register", person_form(4), status=422)
    assert "Kuota Penuh sudah penuh (1 orang)" in res.text
    # accepting one more than the quota is refused too
    with db.connection():
        from plugins.training.models import Batch
        Batch.update(quota=2).where(Batch.id == full.id).execute()
    second, third = enrol(full, 5, "selection"), enrol(full, 6, "selection")
    page = move(staff, full, [second, third], "accepted")
    assert sorted([status_of(second), status_of(third)]) == ["accepted", "selection"]
    assert any("sudah penuh" in msg for _k, msg in flashes(page))
    with db.connection():
        assert Enrolment.select().where(Enrolment.batch == closed.id).count() == 0
        assert Enrolment.select().where(Enrolment.batch == later.id).count() == 0


def test_duplicate_enrolment_is_refused(app, staff):
    from plugins.training.models import Enrolment
    batch = make_batch()
    staff.post(f"/training/batches/{batch.id}/register", person_form(1), status=303)
    res = staff.post(f"/training/batches/{batch.id}/register", person_form(1), status=422)
    assert "sudah terdaftar pada Angkatan I" in res.text
    with db.connection():
        assert Enrolment.select().where(Enrolment.batch == batch.id).count() == 1


def test_register_form_finds_an_existing_person_by_nik(app, staff):
    batch = make_batch()
    enrol(make_batch(name="Lama"), 7, "graduated", name="Wa Ode Sitti")
    page = staff.get(f"/training/batches/{batch.id}/register?nik={nik(7)}")
    assert "Data orang ditemukan: Wa Ode Sitti" in page.text
    assert 'value="Wa Ode Sitti"' in page.text


# ---------------------------------------------------------------- people, NIK

def test_nik_masked_without_permission_and_full_with_it(app, staff, balai_client):
    batch = make_batch()
    enrol(batch, 42, name="Andi Pratama")
    full, masked = nik(42), nik(42)[:4] + "********" + nik(42)[-4:]
    instructor = balai_client(app, "instruktur")
    for url in ["/training/people", f"/training/batches/{batch.id}", f"/training/batches/{batch.id}/roster.csv"]:
        text = instructor.get(url).text
        assert masked in text and full not in text, url
        text = staff.get(url).text
        assert full in text, url
    # search by exact NIK works for both; a partial NIK finds nothing
    assert "Andi Pratama" in instructor.get(f"/training/people?q={full}").text
    assert "Andi Pratama" not in instructor.get(f"/training/people?q={full[:8]}").text
    assert "Andi Pratama" in instructor.get("/training/people?q=pratama").text
    # editing a person needs the full NIK
    with db.connection():
        from plugins.training.models import Person
        pid = Person.get(Person.nik == full).id
    assert masked in instructor.get(f"/training/people/{pid}").text
    instructor.get(f"/training/people/{pid}/edit", status=403)


def test_two_clerks_adding_the_same_new_nik_at_once(app, staff, monkeypatch):
    """The other clerk's person was committed after this clerk's NIK check ran (nik_taken saw nothing):
    the unique index refuses the insert, and the form comes back with the message next to NIK, 422, not
    an error page; registering that NIK into a batch at the same moment finds the other clerk's person."""
    from plugins.training import actions
    from plugins.training.models import Enrolment, Person
    staff.post("/training/people/new", person_form(1), status=303)            # the other clerk, first
    monkeypatch.setattr(actions, "nik_taken", lambda nik, other_than=None: False)
    res = staff.post("/training/people/new", person_form(1, name="Budi Juga"), status=422)
    assert '<p class="error" id="f-nik-err">NIK ini sudah dipakai oleh peserta lain.</p>' in res.text
    batch = make_batch()
    monkeypatch.setattr(Person, "get_or_none", classmethod(lambda cls, *where: None))     # looked before the commit
    res = staff.post(f"/training/batches/{batch.id}/register", person_form(1, name="Budi Santoso 1"), status=303)
    monkeypatch.undo()
    with db.connection():
        assert [p.name for p in Person.select()] == ["Budi Santoso 1"]
        assert Enrolment.select().where(Enrolment.batch == batch.id).count() == 1


def test_person_form_validation(app, staff):
    from plugins.training.models import Person
    staff.post("/training/people/new", person_form(1), status=303)
    res = staff.post("/training/people/new", person_form(1, name="Orang Lain"), status=422)
    assert "NIK ini sudah dipakai" in res.text
    res = staff.post("/training/people/new", person_form(2, nik="12345"), status=422)
    assert "NIK harus 16 digit angka." in res.text
    future = (TODAY + 3 * DAY).isoformat()
    res = staff.post("/training/people/new", person_form(3, birth_date=future), status=422)
    assert "Tanggal lahir tidak boleh di masa depan." in res.text
    res = staff.post("/training/people/new", person_form(4, phone="12ab"), status=422)
    assert "Nomor telepon tidak valid" in res.text
    res = staff.post("/training/people/new", person_form(5, sex="X"), status=422)
    assert "Pilihan tidak valid." in res.text
    with db.connection():
        assert Person.select().count() == 1
        pid = Person.get().id
    res = staff.post(f"/training/people/{pid}/edit", person_form(1, name="Budi Santoso Baru"), status=303)
    assert fetch(Person, pid).name == "Budi Santoso Baru"
    page = staff.get(f"/training/people/{pid}")
    assert "Budi Santoso Baru" in page.text and "Riwayat" in page.text


# ---------------------------------------------------------------- import

HEADER = "nik,nama,jenis_kelamin,tanggal_lahir,telepon,pendidikan,kabupaten,ref_siapkerja"
GOOD = [
    f"{nik(101)},Siti Rahmawati,P,2001-01-10,081234567801,SMA,Kota Kendari,SK-1",
    f"{nik(102)},La Ode Hamid,L,17/08/1999,81234567802,SMK,Konawe,",
    f"{nik(103)},Nur Aisyah,P,1998-12-31,,S1,Kolaka,SK-3",
]


def bad_lines():
    future = (TODAY + 30 * DAY).isoformat()
    return GOOD[:1] + [
        "12345,Pendek NIK,L,2000-01-01,,,,",                       # row 3: NIK shape
        f"{nik(101)},Ganda,P,2000-01-01,,,,",                      # row 4: duplicate of row 2
        f"{nik(104)},,L,2000-01-01,,,,",                           # row 5: name missing
        f"{nik(105)},Masa Depan,L,{future},,,,",                   # row 6: birth date in the future
        f"{nik(106)},Sudah Ada,L,2000-01-01,,,,",                  # row 7: already enrolled
        f"{nik(107)},Tanggal Rusak,X,31-31-2000,,,,",              # row 8: sex and date
    ] + GOOD[1:]                                                    # rows 9-10 valid


def csv_bytes(lines):
    return ("\n".join([HEADER] + lines) + "\n").encode("utf-8")


def xlsx_bytes(lines):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    for line in lines:
        sheet.append(line.split(","))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def upload(client, batch, name, body, status=200):
    return client.post(f"/training/batches/{batch.id}/import", {}, upload_files=[("file", name, body)], status=status)


def key_of(page):
    return re.search(r'name="key" value="([^"]+)"', page.text).group(1)


def enrolled_niks(batch):
    from plugins.training.models import Enrolment, Person
    with db.connection():
        return sorted(p for (p,) in Person.select(Person.nik).join(Enrolment).where(Enrolment.batch == batch.id).tuples())


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_import_good_file(app, staff, kind):
    """A valid CSV/XLSX is checked, shown, and imported only on confirmation; its values are
    stored as the forms store them (the phone in E.164)."""
    from plugins.training.models import Enrolment, Person
    batch = make_batch()
    body = csv_bytes(GOOD) if kind == "csv" else xlsx_bytes(GOOD)
    page = upload(staff, batch, f"pendaftar.{kind}", body)
    assert "3 baris valid" in page.text and "0 baris bermasalah" in page.text
    assert enrolled_niks(batch) == []        # nothing before confirmation
    res = staff.post(f"/training/batches/{batch.id}/import/confirm", {"key": key_of(page), "mode": "all"}, status=303)
    assert any("3 pendaftar diimpor" in m for _k, m in flashes(staff.follow(res)))
    assert enrolled_niks(batch) == [nik(101), nik(102), nik(103)]
    with db.connection():
        hamid = Person.get(Person.nik == nik(102))
        e = Enrolment.get(Enrolment.person == hamid)
        siti = Enrolment.select().join(Person).where(Person.nik == nik(101)).get()
    assert (hamid.birth_date, hamid.phone, hamid.education, hamid.sex) == (datetime.date(1999, 8, 17), "+6281234567802", "SMA", "L")
    assert (e.source, siti.source, siti.siapkerja_ref) == ("import", "siapkerja", "SK-1")
    # the same file again: every row is already enrolled
    page = upload(staff, batch, f"pendaftar.{kind}", body)
    assert "0 baris valid" in page.text and page.text.count("sudah terdaftar pada angkatan ini") == 3


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_import_bad_file_all_or_nothing_then_only_valid(app, staff, kind):
    batch = make_batch()
    enrol(batch, 106)
    body = csv_bytes(bad_lines()) if kind == "csv" else xlsx_bytes(bad_lines())
    page = upload(staff, batch, f"daftar.{kind}", body)
    assert "3 baris valid" in page.text and "6 baris bermasalah" in page.text
    rows = dict(re.findall(r'<tr class="late"><td>(\d+)</td>.*?<ul class="row-errors">(.*?)</ul>', page.text, re.S))
    assert sorted(map(int, rows)) == [3, 4, 5, 6, 7, 8]
    assert "NIK harus 16 digit angka." in rows["3"]
    assert "sama dengan baris 2" in rows["4"]
    assert "Kolom nama wajib diisi." in rows["5"]
    assert "Tanggal tidak boleh di masa depan." in rows["6"]
    assert "sudah terdaftar pada angkatan ini" in rows["7"]
    assert "jenis_kelamin" in rows["8"] and "Tanggal tidak valid" in rows["8"]
    assert "Impor hanya 3 baris yang valid" in page.text
    key = key_of(page)
    # all-or-nothing: refused, nothing imported
    res = staff.post(f"/training/batches/{batch.id}/import/confirm", {"key": key, "mode": "all"}, status=422)
    assert "Tidak ada yang diimpor: 6 baris bermasalah" in res.text
    assert enrolled_niks(batch) == [nik(106)]
    # only the valid rows, as the user chose
    res = staff.post(f"/training/batches/{batch.id}/import/confirm", {"key": key, "mode": "valid", "expected": "3"},
                     status=303)
    assert any("3 pendaftar diimpor. 6 baris dilewati." in m for _k, m in flashes(staff.follow(res)))
    assert enrolled_niks(batch) == [nik(101), nik(102), nik(103), nik(106)]
    # the stored file is gone once imported
    staff.post(f"/training/batches/{batch.id}/import/confirm", {"key": key, "mode": "valid"}, status=422)


def test_import_refuses_unreadable_files_and_missing_columns(app, staff):
    batch = make_batch()
    res = upload(staff, batch, "foto.pdf", b"%PDF-1.4", status=422)
    assert "Gunakan .xlsx atau .csv" in res.text
    res = upload(staff, batch, "rusak.xlsx", b"bukan excel", status=422)
    assert "tidak dapat dibuka" in res.text
    res = upload(staff, batch, "kurang.csv", b"nik,nama\n7471010000000001,Ani\n", status=422)
    assert "Kolom wajib tidak ada: jenis_kelamin, tanggal_lahir" in res.text
    res = staff.post(f"/training/batches/{batch.id}/import/confirm", {"key": "../../etc/passwd", "mode": "all"},
                     status=422)
    assert "Unggah ulang" in res.text


def test_import_templates_download(app, staff):
    import openpyxl
    res = staff.get("/training/import-template.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(res.body)).active
    assert [c.value for c in sheet[1]] == HEADER.split(",")
    res = staff.get("/training/import-template.csv")
    assert res.body.decode("utf-8-sig").splitlines()[0] == HEADER


def test_importer_api_is_generic():
    from plugins.training import importer as imp
    cols = [imp.Column("nik", True, imp.nik), imp.Column("skor", False, imp.integer(1, 5))]
    rows = imp.read_table("x.csv", b"NIK;Skor\n7471010000000001;3\n7471010000000001;9\n\n123;\n")
    results = imp.check_rows(rows, cols, unique=("nik",), row_check=lambda d: ["tolak"] if d["skor"] == 3 else [])
    assert [(r.row_number, r.ok) for r in results] == [(2, False), (3, False), (5, False)]
    assert results[0].errors == ["tolak"]
    assert any("sama dengan baris 2" in e for e in results[1].errors) and any("antara 1 dan 5" in e for e in results[1].errors)
    assert results[2].data == {"nik": None, "skor": None}


# ---------------------------------------------------------------- attendance

def test_attendance_for_a_whole_class(app, staff, balai_client):
    from plugins.training.models import Attendance
    batch = make_batch(status="running", opens=-30, closes=-20, start=-10, end=20)
    a, b, c = enrol(batch, 1, "training", "Ani"), enrol(batch, 2, "training", "Budi"), enrol(batch, 3, "training", "Cici")
    waiting = enrol(batch, 4, "accepted", "Dedi")
    day1, day2 = (TODAY - 2 * DAY).isoformat(), (TODAY - DAY).isoformat()
    page = staff.get(f"/training/batches/{batch.id}/attendance?day={day1}")
    assert page.text.count('type="radio"') == 12 and "Dedi" not in page.text.split("Rekap")[0]
    assert page.text.count("checked") == 3          # default Hadir
    res = staff.post(f"/training/batches/{batch.id}/attendance",
                     {"day": day1, f"st-{a.id}": "H", f"st-{b.id}": "S", f"st-{c.id}": "A", f"st-{waiting.id}": "H"},
                     status=303)
    assert any("3 perubahan" in m for _k, m in flashes(staff.follow(res)))
    staff.post(f"/training/batches/{batch.id}/attendance",
               {"day": day2, f"st-{a.id}": "H", f"st-{b.id}": "H", f"st-{c.id}": "I"}, status=303)
    # change one record of day 1: only one new audit row
    with db.connection():
        before = audit.AuditLog.select().count()
    res = staff.post(f"/training/batches/{batch.id}/attendance",
                     {"day": day1, f"st-{a.id}": "H", f"st-{b.id}": "H", f"st-{c.id}": "A"}, status=303)
    assert any("1 perubahan" in m for _k, m in flashes(staff.follow(res)))
    with db.connection():
        assert audit.AuditLog.select().count() == before + 1
        marks = {(r.enrolment_id, r.day.isoformat()): r.status for r in Attendance.select()}
    assert marks == {(a.id, day1): "H", (b.id, day1): "H", (c.id, day1): "A",
                     (a.id, day2): "H", (b.id, day2): "H", (c.id, day2): "I"}
    recap = staff.get(f"/training/batches/{batch.id}/attendance?day={day2}").text.split("Rekap")[1]
    assert re.search(r"Ani</td>.*?100%", recap, re.S) and re.search(r"Cici</td>.*?0%", recap, re.S)
    # the future and days outside the batch are refused; an instructor may take attendance
    res = staff.post(f"/training/batches/{batch.id}/attendance", {"day": (TODAY + DAY).isoformat(), f"st-{a.id}": "H"},
                     status=422)
    assert 'role="alert">Daftar hadir belum dapat diisi untuk tanggal yang akan datang.' in res.text
    instructor = balai_client(app, "instruktur")
    instructor.post(f"/training/batches/{batch.id}/attendance", {"day": TODAY.isoformat(), f"st-{a.id}": "S"}, status=303)
    with db.connection():
        assert Attendance.get((Attendance.enrolment == a.id) & (Attendance.day == TODAY)).status == "S"
    # graduating below the pass percentage is refused (Cici: 0% of 3 days)
    page = move(staff, batch, [c], "graduated")
    assert status_of(c) == "training" and any("di bawah batas 80%" in m for _k, m in flashes(page))


def freeze_clock(monkeypatch, instant, *modules):
    """Stop the clock at ``instant`` (aware): the institution's date (``local_today``) follows it, and
    ``datetime.date.today()`` in ``modules`` gives the date of a server that keeps UTC."""
    class Clock(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz) if tz else instant.astimezone(datetime.timezone.utc).replace(tzinfo=None)

    class ServerDate(datetime.date):
        @classmethod
        def today(cls):
            return instant.astimezone(datetime.timezone.utc).date()
    import core.toolkit
    monkeypatch.setattr(core.toolkit, "datetime", types.SimpleNamespace(datetime=Clock, date=datetime.date))
    for module in modules:
        monkeypatch.setattr(module, "datetime", types.SimpleNamespace(
            date=ServerDate, datetime=Clock, timedelta=datetime.timedelta, time=datetime.time), raising=False)


def test_attendance_day_is_the_institutions_date_not_the_servers(app, staff, monkeypatch):
    """At 01:30 WIB on 11 March the server (UTC) still says 10 March: the attendance page opens on the
    institution's 11 March and records it (it is not "in the future"); 12 March is refused."""
    from plugins.training import routes_attendance, schemas, service
    from plugins.training.models import Attendance, Batch, Programme
    with db.connection(), db.write():
        programme = audit.create(Programme, code="TIK-02", title="Teknisi Jaringan", field="TIK", total_jp=240)
        batch = audit.create(Batch, programme=programme, name="Angkatan Maret", start_date=datetime.date(2026, 3, 2),
                             end_date=datetime.date(2026, 3, 27), quota=20, reg_opens=datetime.date(2026, 2, 1),
                             reg_closes=datetime.date(2026, 2, 20), status="running")
    a = enrol(batch, 1, "training", "Ani")
    freeze_clock(monkeypatch, datetime.datetime(2026, 3, 10, 18, 30, tzinfo=datetime.timezone.utc),
                 routes_attendance, service, schemas)
    page = staff.get(f"/training/batches/{batch.id}/attendance")
    assert 'name="day" type="date" value="2026-03-11"' in page.text
    assert "tanggal yang akan datang" not in page.text
    staff.post(f"/training/batches/{batch.id}/attendance", {"day": "2026-03-11", f"st-{a.id}": "H"}, status=303)
    with db.connection():
        assert [(r.day, r.status) for r in Attendance.select()] == [(datetime.date(2026, 3, 11), "H")]
    res = staff.post(f"/training/batches/{batch.id}/attendance", {"day": "2026-03-12", f"st-{a.id}": "H"}, status=422)
    assert "Daftar hadir belum dapat diisi untuk tanggal yang akan datang." in res.text


# ---------------------------------------------------------------- certificates

def test_certificate_issue_print_and_public_verification(app, staff, balai_client):
    from plugins.training.models import Certificate
    batch = make_batch(status="ended", opens=-60, closes=-50, start=-40, end=-1)
    grad = enrol(batch, 1, "graduated", "Muhammad Rizky")
    failed = enrol(batch, 2, "not_graduated")
    res = staff.post(f"/training/enrolments/{failed.id}/certificate", {}, status=303)
    assert any("hanya untuk peserta yang lulus" in m for _k, m in flashes(staff.follow(res)))
    res = staff.post(f"/training/enrolments/{grad.id}/certificate", {}, status=303)
    with db.connection():
        cert = Certificate.get(Certificate.enrolment == grad.id)
    assert cert.number == f"0001/SERT-PEL/TIK-01/{['I','II','III','IV','V','VI','VII','VIII','IX','X','XI','XII'][TODAY.month - 1]}/{TODAY.year}"
    page = staff.follow(res)
    assert "SERTIFIKAT PELATIHAN" in page.text and "Muhammad Rizky" in page.text
    assert 'src="data:image/png;base64,' in page.text and 'class="letterhead"' in page.text and "<script" not in page.text
    link = f"http://localhost/verify/{cert.token}"
    assert link in page.text
    # the frozen paper: an A4 PDF with real text (holder's NIK and date of birth, the signer's NIP)
    pdf_link = re.search(r'href="(/documents/\d+/pdf)"', page.text).group(1)
    text, pages = pdf_text(staff.get(pdf_link).body)
    assert pages == [(595, 842)]
    assert "SERTIFIKAT PELATIHAN" in text and "Muhammad Rizky" in text and nik(1) in text and cert.number in text
    # issuing again gives the same certificate
    staff.post(f"/training/enrolments/{grad.id}/certificate", {}, status=303)
    with db.connection():
        assert Certificate.select().count() == 1

    public = balai_client(app)
    page = public.get(f"/verify/{cert.token}")
    assert "SAH" in page.text and "Muhammad Rizky" in page.text and "Teknisi Komputer" in page.text and "Angkatan I" in page.text
    assert nik(1) not in page.text
    page = public.get("/verify/tidak-ada-sertifikat-ini", status=404)
    assert "Dokumen tidak dikenal" in page.text
    staff.post(f"/training/certificates/{cert.id}/revoke", {}, status=303)
    page = public.get(f"/verify/{cert.token}")
    assert "TIDAK BERLAKU" in page.text and "SAH:" not in page.text


def test_certificate_qr_uses_base_url_and_issue_all(balai_app, balai_client):
    from plugins.training.models import Certificate
    app = balai_app("training", base_url="https://blk.example.go.id",
                    options={"training": {"certificate_number": "SRT-{n:03d}/{year}"}})
    staff = balai_client(app, "staf_pelatihan")
    batch = make_batch(status="ended", opens=-60, closes=-50, start=-40, end=-1)
    e1, _e2, _e3 = enrol(batch, 1, "graduated"), enrol(batch, 2, "graduated"), enrol(batch, 3, "not_graduated")
    res = staff.post(f"/training/batches/{batch.id}/certificates", {}, status=303)
    assert any("2 sertifikat diterbitkan" in m for _k, m in flashes(staff.follow(res)))
    with db.connection():
        certs = {c.enrolment_id: c for c in Certificate.select()}
    assert sorted(c.number for c in certs.values()) == [f"SRT-001/{TODAY.year}", f"SRT-002/{TODAY.year}"]
    page = staff.get(f"/training/certificates/{certs[e1.id].id}")
    assert f"https://blk.example.go.id/verify/{certs[e1.id].token}" in page.text


# ---------------------------------------------------------------- events

def test_events_are_emitted_after_commit(app, staff):
    from plugins.training.models import Batch, Enrolment
    seen = []

    class Listener:
        @hookimpl
        def balai_event(self, name, data):
            with db.connection():
                committed = {"training.batch_ended": lambda: Batch.get_by_id(data["batch_id"]).status,
                             "training.trainee_graduated": lambda: Enrolment.get_by_id(data["enrolment_id"]).status}
                seen.append((name, data, committed[name]() if name in committed else None,
                             db.database.obj.in_transaction()))

    app.plugins.pm.register(Listener(), name="listener")
    try:
        batch = make_batch(status="running", opens=-30, closes=-20, start=-10, end=-1)
        e = enrol(batch, 1, "training")
        move(staff, batch, [e], "graduated")
        page = staff.follow(staff.post(f"/training/batches/{batch.id}/end", {}, status=303))
        assert fetch(Batch, batch.id).status == "ended" and "Angkatan I selesai" in page.text
    finally:
        app.plugins.pm.unregister(name="listener")
    ours = [s for s in seen if s[0].startswith("training.")]
    assert ours == [
        ("training.trainee_graduated", {"enrolment_id": e.id, "batch_id": batch.id, "person_id": e.person_id},
         "graduated", False),
        ("training.batch_ended", {"batch_id": batch.id, "end_date": batch.end_date.isoformat()}, "ended", False),
    ]


def test_end_batch_refused_while_trainees_are_undecided(app, staff):
    from plugins.training.models import Batch
    batch = make_batch(status="running", opens=-30, closes=-20, start=-10, end=-1)
    enrol(batch, 1, "training")
    page = staff.follow(staff.post(f"/training/batches/{batch.id}/end", {}, status=303))
    assert fetch(Batch, batch.id).status == "running"
    assert any("Masih ada 1 peserta" in m for _k, m in flashes(page))
    other = make_batch(status="registration", name="Baru")
    staff.post(f"/training/batches/{other.id}/status", {"status": "running"}, status=303)
    assert fetch(Batch, other.id).status == "running"
    page = staff.follow(staff.post(f"/training/batches/{other.id}/status", {"status": "planned"}, status=303))
    assert fetch(Batch, other.id).status == "running" and any(k == "error" for k, _m in flashes(page))


# ---------------------------------------------------------------- constant queries

class Counter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def queries_for(client, url):
    logger = logging.getLogger("peewee")
    counter, level = Counter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        res = client.get(url)
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)
    return counter.count, res


def bulk_enrol(batch, count, start):
    from plugins.training.models import Certificate, Enrolment, Person
    statuses = ["registered", "selection", "accepted", "training", "graduated"]
    with db.connection(), db.write():
        Person.insert_many([{"nik": nik(start + i, "7401"), "name": f"Orang {start + i}", "sex": "P"}
                            for i in range(count)]).execute()
        ids = {p.nik: p.id for p in Person.select().where(Person.nik.startswith("7401"))}
        Enrolment.insert_many([{"person": ids[nik(start + i, "7401")], "batch": batch.id,
                                "status": statuses[i % len(statuses)]} for i in range(count)]).execute()
        grads = Enrolment.select().where((Enrolment.batch == batch.id) & (Enrolment.status == "graduated")).limit(3)
        Certificate.insert_many([{"enrolment": e.id, "number": f"C-{batch.id}-{e.id}", "issued_on": TODAY,
                                  "token": f"tok{batch.id}x{e.id}xxxxxxxx"} for e in grads]).execute()


def test_batch_roster_runs_a_constant_number_of_queries(app, staff):
    small, large = make_batch(name="Kecil", quota=600), make_batch(name="Besar", quota=600)
    bulk_enrol(small, 10, 1)
    bulk_enrol(large, 500, 1000)
    staff.get(f"/training/batches/{small.id}")      # warm up (session touch, caches)
    n_small, res_small = queries_for(staff, f"/training/batches/{small.id}")
    n_large, res_large = queries_for(staff, f"/training/batches/{large.id}")
    assert res_large.text.count('name="ids"') == 500 and res_small.text.count('name="ids"') == 10
    assert n_small == n_large and n_small < 20, (n_small, n_large)
    for url in ["/training/people", "/training/batches"]:
        assert queries_for(staff, url)[0] < 20


# ---------------------------------------------------------------- programmes, batches, demo

def test_programme_units_and_batch_screens(app, staff):
    from plugins.training.models import Batch, CompetencyUnit, Programme
    res = staff.post("/training/programmes/new", {"code": "LAS-01", "title": "Las SMAW", "field": "LAS",
                                                   "version": "2", "total_jp": "300", "delivery": "institutional",
                                                   "active": "1"}, status=303)
    with db.connection():
        prog = Programme.get(Programme.code == "LAS-01")
    staff.post(f"/training/programmes/{prog.id}/units", {"code": "U1", "title": "K3 pengelasan", "jp": "40"}, status=303)
    staff.post(f"/training/programmes/{prog.id}/units", {"code": "U2", "title": "Las posisi 1G", "jp": "200"}, status=303)
    page = staff.post(f"/training/programmes/{prog.id}/units", {"code": "U2", "title": "x", "jp": "1"}, status=422)
    assert 'id="f-code-err">Kode unit U2 sudah ada pada program ini.' in page.text     # next to the field
    assert 'value="x"' in page.text                                                    # what was typed stays
    with db.connection():
        u2 = CompetencyUnit.get(CompetencyUnit.code == "U2")
    staff.post(f"/training/programmes/{prog.id}/units/{u2.id}", {"code": "U2", "title": "Las posisi 1G", "jp": "260"},
               status=303)
    page = staff.post(f"/training/programmes/{prog.id}/units/{u2.id}", {"code": "U1", "title": "Las posisi 1G",
                                                                        "jp": "260"}, status=422)
    assert f'id="u{u2.id}-code-err">Kode unit U1 sudah ada pada program ini.' in page.text     # in the row edited
    # an instructor without a name: the error next to the field, nothing saved
    some_batch = make_batch(name="Angkatan Instruktur")
    page = staff.post(f"/training/batches/{some_batch.id}/instructors", {"name": "", "kind": "internal"}, status=422)
    assert 'id="f-name-err"' in page.text and "<details open>" in page.text
    page = staff.get(f"/training/programmes/{prog.id}")
    assert "<strong>300</strong> / 300" in page.text and "Sesuai jumlah JP unit" in page.text
    res = staff.post("/training/batches/new", {"programme": str(prog.id), "name": "Angkatan II", "wave": "Gelombang 1",
                                                "start_date": "2030-02-01", "end_date": "2030-01-01", "quota": "16",
                                                "reg_opens": "2030-01-01", "reg_closes": "2030-01-20"}, status=422)
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in res.text
    staff.post("/training/batches/new", {"programme": str(prog.id), "name": "Angkatan II", "wave": "Gelombang 1",
                                          "start_date": "2030-02-01", "end_date": "2030-03-01", "quota": "16",
                                          "reg_opens": "2030-01-01", "reg_closes": "2030-01-20"}, status=303)
    make_batch(name="Angkatan TIK")
    listing = staff.get(f"/training/batches?programme={prog.id}").text
    assert "Angkatan II" in listing and "Angkatan TIK" not in listing
    listing = staff.get("/training/batches?status=registration").text
    assert "Angkatan TIK" in listing and "Angkatan II" not in listing
    assert "Angkatan II" in staff.get("/training/batches?q=Las").text
    with db.connection():
        b = Batch.get(Batch.name == "Angkatan II")
    page = staff.get(f"/training/batches/{b.id}")
    staff.post(f"/training/batches/{b.id}/instructors", {"name": "Ir. Hasanuddin", "kind": "external"}, status=303)
    assert "Ir. Hasanuddin" in staff.get(f"/training/batches/{b.id}").text
    xlsx = staff.get(f"/training/batches/{b.id}/roster.xlsx")
    assert xlsx.content_type.startswith("application/vnd.openxmlformats")


def test_demo_data_is_idempotent(app, staff):
    from plugins.training import demo
    from plugins.training.models import Attendance, Batch, Enrolment, Person, Programme
    with db.connection():
        lines = demo.load(app)
        counts = [m.select().count() for m in (Programme, Batch, Person, Enrolment, Attendance)]
        assert demo.load(app) == []
        assert [m.select().count() for m in (Programme, Batch, Person, Enrolment, Attendance)] == counts
        assert {p.field for p in Programme.select()} == {"TIK", "FAS", "LAS", "PAR"}
        assert {b.status for b in Batch.select()} == {"registration", "running", "ended"}
        assert all(re.fullmatch(r"7471\d{12}", p.nik) for p in Person.select())
        assert Person.select().where(Person.regency == "Kota Kendari").count() == counts[2]
        assert counts[4] > 0 and len({e.status for e in Enrolment.select()}) >= 7 and lines
        assert demo.make_nik("1672", 3, datetime.date(1999, 8, 17), True, 12) == "1672035708990012"
        assert demo.region_for("UPTD BLK Kota Pagar Alam")[0] == "1672"
    for url in ["/training/programmes", "/training/batches", "/training/people"]:
        assert staff.get(url).status_int == 200


# ---------------------------------------------------------------- people search (trigram index)

def test_people_search_uses_the_index_and_follows_every_change(app, staff):
    """A substring anywhere in the name, any case; an edited or deleted person is
    found by the new name only; a term with no match and a two-letter prefix work;
    the search reads the trigram index (FTS5 table / pg_trgm), not the whole table."""
    from plugins.training.models import Person
    with db.connection(), db.write():
        andi = audit.create(Person, nik="7471010101900001", name="Andi Pratama", sex="L")
        wa = audit.create(Person, nik="7471010101900002", name="Wa Ode Sitti", sex="P")
        gone = audit.create(Person, nik="7471010101900003", name="Budi Hamid", sex="L")
        audit.update(wa, name="Wa Ode Nurhayati")
        audit.delete(gone)

    def names(term):
        page = staff.get("/training/people", params={"q": term}).text
        return set(re.findall(r'<a href="/training/people/\d+">([^<]+)</a>', page))

    assert names("ratam") == {"Andi Pratama"}
    assert names("ODE NUR") == {"Wa Ode Nurhayati"}
    assert names("Sitti") == set()                       # the old name left the index
    assert names("Hamid") == set()                       # so did the deleted person
    assert names("zzzq") == set()
    assert names("an") == {"Andi Pratama"}               # short: name prefix
    assert names('"a"%_') == set()                       # query syntax is plain text
    with db.connection():
        if db.is_sqlite():
            found = db.database.obj.execute_sql(
                "SELECT rowid FROM training_person_search WHERE training_person_search MATCH '\"prat\"'").fetchall()
            assert found == [(andi.id,)]
        else:
            sql = db.database.obj.execute_sql
            sql("SET enable_seqscan = off")          # a tiny table: show the index can answer
            plan = "\n".join(r[0] for r in sql("EXPLAIN SELECT id FROM training_person WHERE name ILIKE %s",
                                                ("%prat%",)).fetchall())
            sql("RESET enable_seqscan")
            assert "training_person_name_trgm" in plan, plan


def test_statuses_and_choices_read_in_the_users_language(app, balai_client):
    """Codes are stored, labels shown: in English a batch is "Running" (msgctxt: not the core's
    "Active"), an enrolment "Graduated", a sex "Female"; nothing is looked up twice and reported
    missing; in Indonesian the same page shows no raw code."""
    from core import i18n
    from core.testing import make_user
    from plugins.training.models import Enrolment, Person
    batch = make_batch(status="running")
    with db.connection(), db.write():
        person = audit.create(Person, nik=nik(7), name="Siti", sex="P")
        audit.create(Enrolment, person=person, batch=batch, status="graduated")
    english = balai_client(app, user=make_user(app, "staf.en", ("staf_pelatihan",), language="en"))
    misses = []
    i18n.missed = lambda message, domain: misses.append(message)
    try:
        page = english.get(f"/training/batches/{batch.id}").text
        form = english.get(f"/training/batches/{batch.id}/register").text
    finally:
        i18n.missed = None
    assert '<span class="tag">Running</span>' in page and "Graduated</span>" in page
    assert ">Female</option>" in form and ">Walk-in</option>" in form
    assert not [m for m in misses if m in ("Running", "Graduated", "Female", "Walk-in")], misses
    indonesian = balai_client(app, "staf_pelatihan").get(f"/training/batches/{batch.id}").text
    assert '<span class="tag">Berjalan</span>' in indonesian and ">running<" not in indonesian
