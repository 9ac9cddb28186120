"""Issues 15 (mechanisms 7, 8) and 26: SOPs Balai has never seen, imported from their SOP AP
documents (a .docx and pasted text, written by hand for these tests in tests/sop_documents/),
reviewed and fixed in the revision editor, published, and run on case files through HTTP —
with the right roles, working-day due times, the compliance report and the flowchart."""
import datetime
import html
import json
import os
import re
import sys

import pytest
from balai_toys import TOYS

from core import db
from core.cli import main
from core.testing import complete_steps, make_user, start_app, write_config
from core.tracker import service
from core.tracker.models import Run, RunStep, SopRevision, SopStep
from core.tracker.workcal import parse_time_standard

DOCS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sop_documents")
sys.path.insert(0, DOCS)
import build_docx  # noqa: E402


def text_of(name):
    with open(os.path.join(DOCS, name), encoding="utf-8") as fh:
        return fh.read()


def editor_of(res):
    return re.search(r"/admin/sop/([^/]+)/(\d+)", res.headers["Location"]).groups()


def problems_on(page):
    return [html.unescape(re.sub(r"<[^>]+>", "", m)).strip() for m in re.findall(r'<p class="error problem">(.*?)</p>', page.text)]


def revision(rev_id):
    with db.connection():
        rev = SopRevision.get_by_id(rev_id)
        return rev, list(SopStep.select().where(SopStep.revision == rev).order_by(SopStep.no))


# ---------------------------------------------------------------- pasted text, end to end

def test_pasted_sop_imported_reviewed_published_and_run_on_a_case_file(balai_app, balai_client):
    app = balai_app("training", "casefile")
    admin = balai_client(app, "admin")
    res = admin.post("/admin/sops/import", {"text": text_of("cuti-pegawai.txt")})
    code, rev_id = editor_of(res)
    assert code == "BPV-KPG-04"
    rev, steps = revision(int(rev_id))
    header = json.loads(rev.header)
    assert (rev.status, rev.source, rev.revision, rev.title) == ("draft", "import", "2", "PROSEDUR PENGAJUAN CUTI PEGAWAI")
    assert header["approved_by"] == {"position": "KEPALA BALAI PELATIHAN VOKASI DAN PRODUKTIVITAS CONTOH",
                                     "name": "Dra. SITI AMINAH, M.M.", "nip": "197008151994032002", "rank": ""}
    assert header["legal_basis"][1] == "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen Pegawai Negeri Sipil"
    assert header["equipment"] == ["Komputer", "Aplikasi SIMPEG", "Printer"]
    assert header["effective"] == "2025-07-01"
    assert [r["code"] for r in header["roles"]] == ["pegawai", "atasan_langsung", "petugas_kepegawaian",
                                                    "kepala_subbagian_umum"]
    assert [(s.no, json.loads(s.roles), s.time) for s in steps] == [
        (1, ["pegawai"], "15 menit"), (2, ["atasan_langsung"], "1 hari"), (3, ["petugas_kepegawaian"], "2 jam"),
        (4, ["kepala_subbagian_umum"], "1 hari"), (5, ["petugas_kepegawaian"], "1 hari")]
    assert steps[2].requirements == "Data sisa cuti, aplikasi SIMPEG" and steps[2].output == "Hasil verifikasi sisa cuti"
    assert json.loads(steps[2].branches) == [{"label": "Sisa cuti cukup", "to": 4},
                                             {"label": "Sisa cuti tidak cukup", "to": 1}]
    assert json.loads(steps[3].branches) == [{"label": "Disetujui", "to": 5}, {"label": "Ditolak", "to": None}]
    # The only import note: the actors became new roles. Publishing waits until it is reviewed.
    assert header["import_problems"] == ["Peran baru dibuat untuk pelaksana: Pegawai, Atasan Langsung, Petugas "
                                         "Kepegawaian, Kepala Subbagian Umum. Tandai sebagai pihak luar bila mereka "
                                         "tidak punya akun, lalu berikan peran ini kepada pengguna."]
    page = admin.get(f"/admin/sop/{code}/{rev_id}")
    assert "Catatan impor belum dinyatakan sudah diperiksa." in page.text
    # The run-side keys are in the editor under the office's words, not as column names.
    assert "Batas waktu: akhir hari kejadian itu" in page.text and "due at anchor" not in page.text
    form = page.forms["revision-form"]
    form["effective_from"] = "2020-06-01"
    res = form.submit("publish", value="1", status=422)
    assert "Belum dapat diterbitkan" in res.text
    assert revision(int(rev_id))[0].status == "draft"

    # The reviewer declares a case-file field, ticks the import notes and publishes.
    page = admin.get(f"/admin/sop/{code}/{rev_id}")
    form = page.forms["revision-form"]
    form["field-0-label"], form["field-0-type"], form["field-0-required"] = "Tanggal mulai cuti", "date", True
    form["import_reviewed"] = True
    form["effective_from"] = "2020-06-01"
    admin.follow(form.submit("publish", value="1", status=303))
    rev, _steps = revision(int(rev_id))
    assert rev.status == "published" and rev.effective_from == datetime.date(2020, 6, 1)
    assert json.loads(rev.header)["case_fields"][0]["key"] == "tanggal_mulai_cuti"
    # A published revision never changes.
    res = admin.follow(admin.post(f"/admin/sop/{code}/{rev_id}", {"title": "Lain", "step_count": "0"}))
    assert "Revisi yang sudah terbit tidak dapat diubah." in res.text
    assert revision(int(rev_id))[0].title == "PROSEDUR PENGAJUAN CUTI PEGAWAI"

    # The flowchart draws the way back to step 1 and the way to the end, with labels.
    sop_page = admin.get(f"/sop/{code}")
    assert "fc-back" in sop_page.text and "Sisa cuti tidak cukup" in sop_page.text and ">Selesai<" in sop_page.text

    # A case file (berkas): the requester fills it in; the declared date field is required.
    pegawai = balai_client(app, "pegawai")
    atasan = balai_client(app, "atasan_langsung")
    petugas = balai_client(app, "petugas_kepegawaian")
    kepala = balai_client(app, "kepala_subbagian_umum")
    form_page = pegawai.get(f"/berkas/new?code={code}")
    assert "Tanggal mulai cuti" in form_page.text
    res = pegawai.post("/berkas/new", {"code": code, "title": "Cuti tahunan Budi", "requester": "Budi Santoso"},
                       status=422)
    assert re.search(r'id="f-f_tanggal_mulai_cuti-err">[^<]+<', res.text)
    res = pegawai.post("/berkas/new", {"code": code, "title": "Cuti tahunan Budi", "requester": "Budi Santoso",
                                       "f_tanggal_mulai_cuti": "2026-12-21"})
    case_id = int(res.headers["Location"].rsplit("/", 1)[1])
    case_page = pegawai.get(f"/berkas/{case_id}")
    assert "21 Desember 2026" in case_page.text
    with db.connection():
        run = Run.get((Run.subject_type == "casefile_case") & (Run.subject_id == str(case_id)))
    assert run.revision_id == int(rev_id)
    assert f"/runs/{run.id}" in pegawai.get("/tasks").text and f"/runs/{run.id}" not in atasan.get("/tasks").text

    # Each step by its own role; the wrong role is refused with the SOP's titles.
    page = atasan.follow(atasan.post(f"/runs/{run.id}/complete", {"no": "1"}))
    assert "Langkah 1 hanya dapat dikerjakan oleh: Pegawai." in page.text
    complete_steps(pegawai, run.id, 1, notes="Cuti 21-24 Desember")
    complete_steps(atasan, run.id, 2)
    complete_steps(petugas, run.id, 3, branch="Sisa cuti tidak cukup")       # back to step 1
    complete_steps(pegawai, run.id, 1, notes="Dikurangi menjadi 2 hari")
    complete_steps(atasan, run.id, 2)
    complete_steps(petugas, run.id, 3, branch="Sisa cuti cukup")
    complete_steps(kepala, run.id, 4, branch="Disetujui")
    complete_steps(petugas, run.id, 5, notes="Surat izin cuti terbit")
    cal = service.calendar_for(app)
    with db.connection():
        assert Run.get_by_id(run.id).status == "completed"
        activations = list(RunStep.select().where(RunStep.run == run.id).order_by(RunStep.id))
    assert [(a.no, a.branch) for a in activations] == [(1, ""), (2, ""), (3, "Sisa cuti tidak cukup"), (1, ""), (2, ""),
                                                       (3, "Sisa cuti cukup"), (4, "Disetujui"), (5, "")]
    for a in activations:        # due times in working time, from the time standard as written in the document
        standard = parse_time_standard({1: "15 menit", 2: "1 hari", 3: "2 jam", 4: "1 hari", 5: "1 hari"}[a.no])
        assert a.due_at == service.naive(cal.due(service.aware(a.ready_at), standard))
        assert a.standard_minutes == standard.working_minutes(service.day_minutes(cal))
        assert a.due_at.replace(tzinfo=datetime.timezone.utc).astimezone(cal.tz).weekday() < 5
        assert a.on_time is True
    report = admin.get(f"/compliance?code={code}&since=2020-01-01")
    assert f"{code} · 3" in report.text or f"{code}</td>" in report.text
    csv = admin.get(f"/compliance?code={code}&since=2020-01-01&format=csv").text
    assert f"{code},3,2,2,2,0,0" in csv

    # A done step's output is issued as a paper signed by whoever did the step — nobody else.
    step5 = activations[-1]
    issue_path = f"/berkas/{case_id}/steps/{step5.id}/document"
    assert issue_path in petugas.get(f"/berkas/{case_id}").text
    assert issue_path not in atasan.get(f"/berkas/{case_id}").text
    page = atasan.follow(atasan.post(issue_path, {}))
    assert "Hanya pelaksana langkah ini yang dapat menandatangani keterangan hasilnya." in page.text
    page = petugas.follow(petugas.post(issue_path, {}))
    assert "Keterangan hasil langkah diterbitkan dengan nomor 001/BERKAS/" in page.text
    assert "Surat izin cuti" in page.text
    page = petugas.follow(petugas.post(issue_path, {}))
    assert "Output langkah ini sudah diterbitkan." in page.text
    first_step = activations[0]           # not done with an output of its own? refused, never a blank paper
    refused = petugas.follow(petugas.post(f"/berkas/{case_id}/steps/{first_step.id}/document", {}))
    assert "Hanya pelaksana" in refused.text or "tidak memiliki output" in refused.text

    # Running runs stay on theirs: a new revision with a new time standard leaves this run alone.
    res = admin.post(f"/admin/sop/{code}/draft", {"revision": "3"})
    assert revision(int(editor_of(res)[1]))[0].status == "draft"
    with db.connection():
        assert Run.get_by_id(run.id).revision_id == int(rev_id)


# ---------------------------------------------------------------- .docx through the CLI, then the editor

def test_docx_imported_by_cli_matches_roles_and_an_added_step_is_published(balai_app, balai_client, tmp_path,
                                                                           capsys):
    app = balai_app("training", "casefile")
    path = build_docx.build(str(tmp_path / "peminjaman-aset.docx"))
    config = str(tmp_path / "config.ini")
    assert main(["--config", config, "sop", "import", path]) == 0
    out = capsys.readouterr().out
    assert "draf BPV-BMN-07 revisi 1 dibuat: 5 langkah, 1 catatan impor" in out
    assert main(["--config", config, "sop", "list"]) == 0
    assert re.search(r"BPV-BMN-07\s+1\s+DRAF\s+5", capsys.readouterr().out)
    assert main(["--config", config, "sop", "show", "BPV-BMN-07"]) == 0
    shown = capsys.readouterr().out
    assert "kelengkapan: Daftar aset (SIMAK BMN)" in shown
    assert "keterangan: Staf pelatihan menyaksikan serah terima" in shown
    assert "Tersedia → 3 | Tidak tersedia → selesai" in shown and "revisi 1, DRAF" in shown

    with db.connection():
        rev = SopRevision.get(SopRevision.code == "BPV-BMN-07")
        steps = list(SopStep.select().where(SopStep.revision == rev).order_by(SopStep.no))
    header = json.loads(rev.header)
    # "STAF  pelatihan" is the training plugin's role (title matched without case and spacing).
    assert [(r["code"], r["title"]) for r in header["roles"]] == [
        ("peminjam", "Peminjam"), ("petugas_bmn", "Petugas BMN"), ("staf_pelatihan", "Staf Pelatihan"),
        ("kepala_subbagian_umum", "Kepala Subbagian Umum")]
    assert json.loads(steps[3].roles) == ["petugas_bmn", "staf_pelatihan"]
    assert header["approved_by"]["name"] == "Ir. BAMBANG WIDODO, M.T."

    # The reviewer adds a step (archiving), routes step 5 to it, and publishes.
    admin = balai_client(app, "admin")
    page = admin.get(f"/admin/sop/BPV-BMN-07/{rev.id}")
    form = page.forms["revision-form"]
    form["import_reviewed"] = True
    page = admin.follow(form.submit("add_step", value="1", status=303))
    assert "Langkah baru ditambahkan" in page.text
    form = page.forms["revision-form"]
    assert "Langkah 6: kegiatan wajib diisi." in problems_on(page)
    form["step-5-activity"] = "Mengarsipkan berita acara pengembalian"
    form["step-5-time"] = "15 menit"
    form.set("step-5-roles", True, index=1)          # the second role checkbox: Petugas BMN
    form["effective_from"] = "2026-02-02"
    admin.follow(form.submit("publish", value="1", status=303))
    with db.connection():
        rev = SopRevision.get_by_id(rev.id)
        steps = list(SopStep.select().where(SopStep.revision == rev).order_by(SopStep.no))
    assert rev.status == "published"
    assert [(s.no, json.loads(s.roles), s.time) for s in steps][-1] == (6, ["petugas_bmn"], "15 menit")
    assert main(["--config", config, "sop", "list"]) == 0
    assert re.search(r"BPV-BMN-07\s+1\s+berlaku\s+6", capsys.readouterr().out)


def test_show_piped_to_a_reader_that_stops_early_exits_quietly(balai_app, tmp_path):
    import subprocess
    balai_app("casefile")
    config = str(tmp_path / "config.ini")
    exe = os.path.join(os.path.dirname(sys.executable), "balai")
    document = os.path.join(DOCS, "cuti-pegawai.txt")
    assert main(["--config", config, "sop", "import", document]) == 0
    first = subprocess.run(f"'{exe}' --config '{config}' sop show BPV-KPG-04 | head -1", shell=True,
                           capture_output=True, text=True, cwd=str(tmp_path))
    assert first.stdout == "BPV-KPG-04 — PROSEDUR PENGAJUAN CUTI PEGAWAI (revisi 2, DRAF)\n"
    # `true` reads nothing and exits at once: every write of balai meets a closed pipe.
    for command in ("sop show BPV-KPG-04", "sop list"):
        done = subprocess.run(f"'{exe}' --config '{config}' {command} | true; echo \"rc=${{PIPESTATUS[0]}}\"",
                              shell=True, executable="/bin/bash", capture_output=True, text=True, cwd=str(tmp_path))
        assert done.stdout == "rc=0\n" and "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done


# ---------------------------------------------------------------- a damaged document

def test_damaged_document_lists_its_problems_and_the_editor_fixes_them(balai_app, balai_client):
    app = balai_app("casefile")
    admin = balai_client(app, "admin")
    res = admin.post("/admin/sops/import", {"text": text_of("pengaduan-rusak.txt")})
    code, rev_id = editor_of(res)
    rev, _steps = revision(int(rev_id))
    listed = json.loads(rev.header)["import_problems"]
    for expected in ("Tanggal efektif tidak terbaca: tiga puluh Juni.",
                     "Kolom Output tidak ditemukan di tabel langkah.",
                     "Langkah 1: waktu 'segera' tidak terbaca sebagai standar waktu",
                     "Langkah 2: tidak ada kolom pelaksana yang ditandai",
                     "Langkah 2 tampak sebagai keputusan",
                     "Langkah 3: hanya satu cabang terbaca (Selesai ditangani → 9)"):
        assert any(p.startswith(expected) for p in listed), expected
    page = admin.get(f"/admin/sop/{code}/{rev_id}")
    shown = problems_on(page)
    assert "Langkah 1: standar waktu 'segera' tidak terbaca; tulis angka dan satuan, mis. 15 menit, 2 jam, 3 hari." in shown
    assert "Langkah 2: belum ada peran yang mengerjakannya." in shown
    assert "Langkah 3: cabang Selesai ditangani menuju langkah 9 yang tidak ada." in shown
    form = page.forms["revision-form"]
    form["effective_from"] = "2026-01-05"
    form["import_reviewed"] = True
    assert "Belum dapat diterbitkan" in form.submit("publish", value="1", status=422).text
    # A form error is shown next to its field and nothing is saved.
    form["step-2-branches"] = "Belum selesai ke mana saja"
    res = form.submit("publish", value="0", status=422)
    assert "Baris cabang tidak terbaca: Belum selesai ke mana saja." in res.text

    page = admin.get(f"/admin/sop/{code}/{rev_id}")
    form = page.forms["revision-form"]
    form["step-0-time"] = "1 jam"
    form["step-1-kind"] = "decision"
    form["step-1-branches"] = "Ya → 3\nTidak → selesai"
    form.set("step-1-roles", True, index=1)          # Kepala Seksi decides
    form["step-2-branches"] = "Selesai ditangani → 4\nBelum selesai: kembali ke langkah 3"
    form["approver-nip"] = "1234"
    res = form.submit("publish", value="0", status=422)
    assert "NIP harus 18 digit angka." in res.text
    form["approver-nip"] = "197001012000031001"
    form["approver-name"] = "Kepala Balai"
    form["import_reviewed"] = True
    form["effective_from"] = "2026-01-05"
    admin.follow(form.submit("publish", value="1", status=303))
    rev, steps = revision(int(rev_id))
    assert rev.status == "published"
    assert json.loads(steps[2].branches) == [{"label": "Selesai ditangani", "to": 4}, {"label": "Belum selesai", "to": 3}]
    assert json.loads(steps[1].branches)[1] == {"label": "Tidak", "to": None}


# ---------------------------------------------------------------- promote later

def test_a_plugin_claims_a_generic_sop_and_its_case_files_keep_their_runs(balai_app, balai_client, tmp_path,
                                                                         balai_db):
    app = balai_app("casefile", plugin_dirs=TOYS)
    admin = balai_client(app, "admin")
    code, rev_id = editor_of(admin.post("/admin/sops/import", {"text": text_of("cuti-pegawai.txt")}))
    form = admin.get(f"/admin/sop/{code}/{rev_id}").forms["revision-form"]
    form["import_reviewed"], form["effective_from"] = True, "2020-06-01"
    form.submit("publish", value="1", status=303)
    pegawai_user = make_user(app, "budi", ["pegawai"])
    pegawai = balai_client(app, user=pegawai_user)
    res = pegawai.post("/berkas/new", {"code": code, "title": "Cuti Budi", "requester": "Budi"})
    case_id = int(res.headers["Location"].rsplit("/", 1)[1])
    complete_steps(pegawai, service_run(case_id), 1)

    # The same database, now with a plugin declaring BPV-KPG-04.
    config = write_config(str(tmp_path), ("casefile", "toy_claim"), balai_db, plugin_dirs=TOYS)
    app2 = start_app(config)
    with db.connection():
        in_force = service.published_revision(code)
        old_run = Run.get_by_id(service_run(case_id))
    assert (in_force.plugin, in_force.revision) == ("toy_claim", "3")
    assert old_run.revision_id == int(rev_id) and old_run.current_no == 2          # kept, on its own revision
    admin2 = balai_client(app2, "admin")
    assert f"/berkas/{case_id}" in admin2.get(f"/runs/{old_run.id}").text       # its case page still linked
    atasan = balai_client(app2, "atasan_langsung")
    complete_steps(atasan, old_run.id, 2)                                         # and it runs on
    refused = admin2.post("/berkas/new", {"code": code, "title": "Cuti lagi", "requester": "Sri"}, status=422)
    assert "SOP BPV-KPG-04 sekarang dijalankan oleh plugin-nya sendiri" in refused.text


def service_run(case_id):
    with db.connection():
        return Run.get((Run.subject_type == "casefile_case") & (Run.subject_id == str(case_id))).id


@pytest.mark.parametrize("text", ["", "hanya sebaris teks tanpa tabel"])
def test_import_without_a_step_table_is_refused_next_to_the_field(balai_app, balai_client, text):
    app = balai_app("casefile")
    admin = balai_client(app, "admin")
    res = admin.post("/admin/sops/import", {"text": text}, status=422)
    assert re.search(r'id="(document|text)-err">(Pilih berkas|Tabel langkah tidak ditemukan)', res.text)
    with db.connection():
        assert SopRevision.select().where(SopRevision.source == "import").count() == 0


def test_case_file_pages_and_the_editor_do_not_grow(balai_app, balai_client):
    from core.context import set_actor
    from core.testing import count_queries
    from plugins.casefile import service as casefile
    from plugins.casefile.models import CaseFile
    app = balai_app("casefile")
    admin = balai_client(app, "admin", "pegawai", "atasan_langsung")
    code, rev_id = editor_of(admin.post("/admin/sops/import", {"text": text_of("cuti-pegawai.txt")}))
    form = admin.get(f"/admin/sop/{code}/{rev_id}").forms["revision-form"]
    form["import_reviewed"], form["effective_from"] = True, "2020-06-01"
    form.submit("publish", value="1", status=303)

    def grow(n):
        with db.connection():
            set_actor(admin.user)
            for i in range(n):
                case = casefile.open_case(app, code, {"title": f"Cuti {i}", "requester": f"Pegawai {i}"}, {}, admin.user)
                with db.write():
                    casefile.add_note(case, admin.user, f"catatan {i}")
                    casefile.add_note(case, admin.user, "catatan kedua")
            return CaseFile.select().order_by(CaseFile.id).first().id
    first = grow(2)
    pages = ["/berkas", f"/berkas/{first}", f"/admin/sop/{code}/{rev_id}", f"/sop/{code}", "/tasks"]
    small = {p: count_queries(lambda p=p: admin.get(p)) for p in pages}
    grow(25)
    large = {p: count_queries(lambda p=p: admin.get(p)) for p in pages}
    assert small == large


def test_an_sop_written_from_nothing_in_the_editor(balai_app, balai_client):
    app = balai_app("casefile")
    admin = balai_client(app, "admin")
    res = admin.post("/admin/sops/new", {"code": "BPV/ARS/01", "title": "Peminjaman Arsip"}, status=422)
    assert "tanpa spasi dan garis miring" in res.text
    res = admin.post("/admin/sops/new", {"code": "BPV-ARS-01", "title": "Peminjaman Arsip"})
    code, rev_id = editor_of(res)
    form = admin.follow(res).forms["revision-form"]
    form["role-new-title"] = "Petugas Arsip"
    form = admin.follow(form.submit("publish", value="0", status=303)).forms["revision-form"]
    form["role-new-title"] = "Peminjam"
    form["role-new-external"] = True
    page = admin.follow(form.submit("add_step", value="1", status=303))
    form = page.forms["revision-form"]
    form["step-0-activity"], form["step-0-time"] = "Mencatat permintaan arsip", "15 menit"
    form.set("step-0-roles", True, index=0)
    form.set("step-0-lanes", True, index=1)          # the borrower's lane is marked too
    form["step-1-activity"], form["step-1-time"] = "Menyerahkan arsip", "1 hari"
    form.set("step-1-roles", True, index=0)
    form["section-scope"] = "Arsip inaktif di gudang arsip balai."
    form["effective_from"] = "2026-01-05"
    admin.follow(form.submit("publish", value="1", status=303))
    rev, steps = revision(int(rev_id))
    header = json.loads(rev.header)
    assert rev.status == "published" and rev.source == "institution" and rev.plugin == "casefile"
    assert header["roles"] == [{"code": "petugas_arsip", "title": "Petugas Arsip", "external": False},
                               {"code": "peminjam", "title": "Peminjam", "external": True}]
    assert [(s.no, json.loads(s.roles), json.loads(s.lanes)) for s in steps] == [
        (1, ["petugas_arsip"], ["petugas_arsip", "peminjam"]), (2, ["petugas_arsip"], ["petugas_arsip"])]
    assert header["sections"]["scope"] == "Arsip inaktif di gudang arsip balai."
    assert "Arsip inaktif di gudang arsip balai." in admin.get(f"/sop/{code}").text
    with db.connection():
        from core.audit import AuditLog
        actions = {(a.action, a.object_type) for a in AuditLog.select().where(AuditLog.object_type.in_(
            ("sop_revision", "sop_step")))}
    assert {("create", "sop_revision"), ("update", "sop_revision"), ("create", "sop_step"),
            ("sop_published", "sop_revision")} <= actions
