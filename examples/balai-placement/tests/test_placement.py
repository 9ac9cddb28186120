"""Tests of the ``placement`` plugin, with Balai's pytest plugin (module ``core.testing``, pytest plugin ``balai``):
``balai_app(...)`` is an app on a fresh database, ``balai_client(app, role)`` a
logged-in user with that role.

``plugin_dirs`` points at this repository, so the tests pass before and after
``pip install -e .``.
"""
import os
import re

from core.testing import check_plugin_contract, complete_steps

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_a_submission_runs_through_its_sop(balai_app, balai_client):
    app = balai_app("placement", plugin_dirs=REPO)
    clerk = balai_client(app, "pengantar_kerja")
    head = balai_client(app, "subkoor_pemberdayaan")

    res = clerk.post("/placement/submissions/new", {"applicant": "Siti Rahmawati", "subject": "Permohonan pertama",
                                                 "request_date": "2026-03-17"})
    assert res.status_int == 303
    page = clerk.follow(res)
    assert "Permohonan pertama" in page.text and "Siti Rahmawati" in page.text
    run_id = int(re.search(r'href="/runs/(\d+)"', page.text).group(1))

    # Step 1 is the officer's; the head cannot do it.
    assert f"/runs/{run_id}" in clerk.get("/tasks").text
    refused = head.follow(head.post(f"/runs/{run_id}/complete", {"no": "1"}))
    assert "Langkah 1 hanya dapat dikerjakan oleh: Pengantar Kerja." in refused.text
    complete_steps(clerk, run_id, 1)
    # Step 2 is an approval: sent back with a reason, then done again and approved.
    head.post(f"/runs/{run_id}/return", {"to": "1", "reason": "Lampiran belum ada"})
    complete_steps(clerk, run_id, 1)
    complete_steps(head, run_id, 2)
    page = clerk.get(page.request.path)
    assert "Lampiran belum ada" in page.text and 'class="tag ok">Selesai' in page.text


def test_form_errors_and_refusals(balai_app, balai_client):
    app = balai_app("placement", plugin_dirs=REPO)
    clerk = balai_client(app, "pengantar_kerja")
    res = clerk.post("/placement/submissions/new", {"applicant": "", "subject": "Tanpa nama",
                                                 "request_date": "17-03-2026"}, status=422)
    assert "Wajib diisi." in res.text and "Tanggal tidak valid" in res.text
    assert "Tanpa nama" not in clerk.get("/placement/submissions").text     # nothing saved
    head = balai_client(app, "subkoor_pemberdayaan")
    head.get("/placement/submissions/new", status=403)                     # only the officer records
    assert head.get("/placement/submissions").status_int == 200
    balai_client(app, "admin").get("/placement/submissions").mustcontain("Permohonan")


def test_contract(tmp_path):
    """Enable, migrate, use, disable (data kept, UI gone), enable again; permissions; hook names."""
    check_plugin_contract("placement", tmp_path, plugin_dirs=[REPO])
