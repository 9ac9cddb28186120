"""The core document service through HTTP: issue, archive, PDF, public verification,
correction (supersede), revocation, hostile edited templates refused on save, and
numbers unique under concurrent issuing (threads on SQLite, processes on PostgreSQL)."""
import datetime
import multiprocessing
import os
import re

import pytest

from core import db
from core.documents import words
from core.documents.models import Document
from core.testing import institution_today, pdf_text, start_app, write_config

TODAY = institution_today()          # what the app dates its papers (WIB), not the server's date


@pytest.fixture
def app(balai_app):
    return balai_app("training", institution="BPVP Kendari", city="Kendari", theme="kendari")


def make_batch():
    from plugins.training.models import Batch, Enrolment, Person, Programme
    from core import audit
    with db.connection(), db.write():
        prog = audit.create(Programme, code="TIK-01", title="Teknisi Komputer", field="TIK", total_jp=240,
                            version="2024", delivery="institutional")
        batch = audit.create(Batch, programme=prog, name="Angkatan I", wave="Gelombang 1",
                             start_date=TODAY - datetime.timedelta(days=3), end_date=TODAY + datetime.timedelta(days=3),
                             quota=16, reg_opens=TODAY - datetime.timedelta(days=40),
                             reg_closes=TODAY - datetime.timedelta(days=10), venue="Workshop", funding="DIPA",
                             status="running")
        for i, name in enumerate(["Nur Aisyah", "Rudi Hartono", "Wa Ode Nurul"], 1):
            p = audit.create(Person, nik=f"74710141019{i:05d}", name=name, sex="P" if i % 2 else "L",
                             birth_date=datetime.date(2000, 1, i), regency="Kota Kendari")
            audit.create(Enrolment, batch=batch, person=p, status="training")
    return batch


def test_words_are_indonesian():
    day = datetime.date(2026, 12, 3)
    assert words.tanggal(day) == "3 Desember 2026"
    assert words.rupiah_terbilang(650000) == "enam ratus lima puluh ribu rupiah"
    assert words.tanggal_kata(day) == ("Pada hari ini Kamis tanggal tiga bulan Desember tahun "
                                       "dua ribu dua puluh enam")
    assert words.place_date("Kendari", day) == "Kendari, 3 Desember 2026"
    assert words.check_place("Kendari") is None and words.check_place("<script>") is not None


def test_issue_archive_pdf_verify_supersede_revoke(app, balai_client):
    batch = make_batch()
    staff = balai_client(app, "staf_pelatihan")
    admin = balai_client(app, "admin")
    with db.connection(), db.write():
        from core import audit
        audit.update(staff.user, position="Kepala Seksi Penyelenggaraan Pelatihan", nip="198001012005011001",
                     rank="Penata Tk. I (III/d)")
    res = staff.post(f"/training/batches/{batch.id}/papers/attendance", {"day": TODAY.isoformat()}, status=303)
    page = staff.follow(res)
    doc_id = int(re.search(r"/documents/(\d+)/pdf", page.text).group(1))
    with db.connection():
        doc = Document.get_by_id(doc_id)
    assert doc.number == f"001/DH/PEL/{words.roman_month(TODAY)}/{TODAY.year}" and doc.status == "valid"
    assert "Nur Aisyah" in page.text and "Tanda tangan" in page.text and 'class="letterhead"' in page.text

    # the PDF: A4, real text (number, signer name, position, NIP, the place-and-date line)
    text, sizes = pdf_text(staff.get(f"/documents/{doc_id}/pdf").body)
    assert sizes == [(595, 842)]
    for expected in (doc.number, "DAFTAR HADIR", "Nur Aisyah", "Kepala Seksi Penyelenggaraan Pelatihan",
                     "198001012005011001", f"Kendari, {words.tanggal(TODAY)}", "BALAI PELATIHAN VOKASI"):
        assert expected in text, expected

    # the archive: searchable, who issued it, one query whatever the rows
    staff.follow(staff.post(f"/training/batches/{batch.id}/papers/participants", status=303))
    archive = staff.get("/documents", params={"q": "Daftar Hadir"})
    assert doc.number in archive.text and "/DP/" not in archive.text and staff.user.full_name in archive.text
    assert "/DP/" in staff.get("/documents", params={"type": "training.participants"}).text
    assert staff.get("/documents", params={"record": f"training_batch:{batch.id}"}).text.count("/pdf") == 2

    # public verification: status and what the paper shows, nothing more (no NIK)
    public = balai_client(app)
    page = public.get(f"/verify/{doc.token}")
    assert "SAH" in page.text and doc.number in page.text and "Kepala Seksi" in page.text
    assert "74710141019" not in page.text
    assert public.get("/verify/tidak-ada-dokumen-ini", status=404)

    # a correction: a new version with the same number; the old one is kept and says it was superseded
    staff.post(f"/documents/{doc_id}/reissue", status=403)                 # needs documents.revoke
    res = admin.post(f"/documents/{doc_id}/reissue", status=303)
    with db.connection():
        old, new = Document.get_by_id(doc_id), Document.get(Document.supersedes == doc_id)
    assert (old.status, old.superseded_by_id, new.version, new.number) == ("superseded", new.id, 2, old.number)
    assert old.pdf_sha256 != new.pdf_sha256 and old.token != new.token
    page = public.get(f"/verify/{old.token}")
    assert "DIGANTIKAN" in page.text and "SAH:" not in page.text and f"/verify/{new.token}" in page.text
    assert pdf_text(staff.get(f"/documents/{doc_id}/pdf").body)[0] == text      # frozen: never rewritten

    # revocation needs a reason and the permission
    admin.post(f"/documents/{new.id}/revoke", {"reason": ""}, status=303)
    with db.connection():
        assert Document.get_by_id(new.id).status == "valid"
    admin.post(f"/documents/{new.id}/revoke", {"reason": "Salah tanggal"}, status=303)
    assert "TIDAK BERLAKU" in public.get(f"/verify/{new.token}").text


HOSTILE = [
    ("{% extends \"documents/paper.html\" %}\n{% block body %}\n{% for i in range(10**9) %}x{% endfor %}{% endblock %}",
     "baris 3", "terlalu besar"),
    ("{% extends \"documents/paper.html\" %}\n{% block body %}\n\n{{ batch.tanggal_mulai }}{% endblock %}",
     "baris 4", "tanggal_mulai"),
    ("{% extends \"documents/paper.html\" %}{% block body %}{{ holder.__class__.__mro__ }}{% endblock %}",
     "baris 1", "__class__"),
    ("{% if %}", "baris 1", "Expected an expression"),
    ("{{ 'a' * 100000000 }}", "baris 1", "terlalu besar"),
]


@pytest.mark.parametrize("source,line,reason", HOSTILE)
def test_hostile_templates_are_refused_on_save_with_line_and_reason(app, balai_client, source, line, reason):
    admin = balai_client(app, "admin")
    form = admin.get("/documents/templates/training.certificate")
    assert "SERTIFIKAT PELATIHAN" in form.text                 # the chain's template, with a preview
    page = admin.post("/documents/templates/training.certificate", {"source": source}, status=422)
    assert line in page.text and reason in page.text
    with db.connection():
        from core.documents.models import DocumentTemplate
        assert DocumentTemplate.select().count() == 0


def test_edited_template_is_used_and_preview_shown(app, balai_client):
    admin = balai_client(app, "admin")
    source = admin.get("/documents/templates/training.certificate").forms  # noqa: F841 (page opens)
    good = ('{% extends "documents/paper.html" %}{% block body %}<p class="doc-title">PIAGAM</p>'
            '<p>{{ holder.name }} — {{ 650000|rupiah_terbilang }}</p>{% endblock %}')
    page = admin.post("/documents/templates/training.certificate", {"source": good, "preview": "1"}, status=200)
    assert "PIAGAM" in page.text and "enam ratus lima puluh ribu rupiah" in page.text
    admin.post("/documents/templates/training.certificate", {"source": good}, status=303)
    with db.connection():
        from core.documents.models import DocumentTemplate
        assert DocumentTemplate.get().source == good
    staff = balai_client(app, "staf_pelatihan")
    staff.get("/documents/templates", status=403)


# ---------------------------------------------------------------- numbers under concurrency

def _issue_many(config_path, n, out):
    from core import app as app_mod, db as db_mod
    from core.documents import service as svc
    app = app_mod.build(config_path)
    with db_mod.connection():
        for i in range(n):
            svc.issue(app, "training.participants", {"batch": {"name": "A", "start_date": "2026-01-01",
                                                               "end_date": "2026-01-02", "programme": "P",
                                                               "programme_code": "P", "total_jp": 1},
                                                     "people": []}, subject=f"proses {os.getpid()} #{i}")
    out.put(os.getpid())


def test_numbers_unique_under_several_processes(tmp_path, balai_db):
    """Several processes (like several server workers) issue at once: no number twice, none skipped."""
    path = write_config(str(tmp_path), ["training"], balai_db)
    start_app(path)
    db.database.obj.close()
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_issue_many, args=(path, 4, out)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    with db.connection():
        numbers = [d.number for d in Document.select()]
    assert len(numbers) == 16 and len(set(numbers)) == 16
    seqs = sorted(int(n.split("/")[0]) for n in numbers)
    assert seqs == list(range(1, 17))


def test_archive_runs_the_same_queries_whatever_the_rows(app, balai_client):
    from core.testing import count_queries
    batch = make_batch()
    staff = balai_client(app, "staf_pelatihan")

    def more(n):
        for _ in range(n):
            staff.post(f"/training/batches/{batch.id}/papers/participants", status=303)
    more(1)
    small = count_queries(lambda: staff.get("/documents"))
    more(5)
    large = count_queries(lambda: staff.get("/documents"))
    assert small == large
    assert staff.get("/documents").text.count("/pdf") == 6


def test_a_document_type_names_who_may_read_its_papers(balai_app, balai_client):
    """``DocumentType(view_permission=...)``: the practice plugin's officers read its letters at /documents/<id>
    (and the PDF) though their roles lost ``documents.view``; others without it get 403, and the archive stays
    ``documents.view``'s."""
    from balai_toys import placement_letter
    app, clerk, paper = placement_letter(balai_app, balai_client)
    outsider = balai_client(app, "staf_pelatihan")
    shown = clerk.get(paper)
    assert "SURAT PENGANTAR KANDIDAT" in shown.text and 'href="/documents"' not in shown.text
    assert clerk.get(paper + "/pdf").content_type == "application/pdf"
    assert outsider.get(paper, status=403).status_int == 403
    assert outsider.get(paper + "/pdf", status=403).status_int == 403
    assert clerk.get("/documents", status=403).status_int == 403
