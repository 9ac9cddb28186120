"""Tests of the ``placement`` plugin, with Balai's pytest plugin (module ``core.testing``, pytest plugin ``balai``):
``balai_app(...)`` is an app on a fresh database, ``balai_client(app, role)`` a
logged-in user with that role.

``plugin_dirs`` points at this repository, so the tests pass before and after
``pip install -e .``.
"""
import os
import re

from core.testing import check_plugin_contract, complete_steps, make_enrolment, run_steps

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VACANCY = {"company": "PT Maju Bersama", "position": "Operator las", "quota": 2, "closes_on": "2026-12-31"}


def start(balai_app, balai_client):
    app = balai_app("placement", plugin_dirs=REPO)
    clerk = balai_client(app, "pengantar_kerja")
    page = clerk.create("/placement/vacancies", VACANCY)
    complete_steps(clerk, page.run_id, 1)
    return app, clerk, page


def send(clerk, page, enrolment):
    """Step 2 (a candidate added from the vacancy's page) and step 3 (letter + link); returns the link."""
    clerk.create("/placement/placements", {"vacancy": page.record_id, "enrolment": enrolment.id})
    complete_steps(clerk, page.run_id, 2)
    page = clerk.follow(clerk.post(page.request.path + "/send"))
    assert "Kandidat dikirim ke perusahaan." in page.text and "Surat Pengantar Kandidat 001/PTK/" in page.text
    return re.findall(r"/placement/answer/[\w-]+", page.text)[-1]


def test_a_vacancy_runs_through_ptk_01(balai_app, balai_client):
    app, clerk, page = start(balai_app, balai_client)
    rejected, placed = make_enrolment(status="graduated"), make_enrolment(status="graduated")
    refused = clerk.follow(clerk.post(f"/runs/{page.run_id}/complete", {"no": "2"}))
    assert "Belum ada lulusan yang dicocokkan." in refused.text          # the step-2 condition
    company = balai_client(app)
    company.post(send(clerk, page, rejected), {"answer": "reject"}, status=200)  # → back to step 2
    link = send(clerk, page, placed)
    assert placed.person.name in company.get(link).text and rejected.person.name not in company.get(link).text
    company.post(link, {"answer": "invite"}).mustcontain("Terima kasih, jawaban Anda tercatat.")
    assert "Jawaban sudah tercatat" in company.post(link, {"answer": "reject"}, status=409).text  # one answer
    row = f"/placement/placements/{placed.placements.get().id}"
    assert "Hasil wawancara belum dicatat." in clerk.get(f"/runs/{page.run_id}").text      # the step-5 condition
    clerk.edit(row, {"status": "passed"})
    complete_steps(clerk, page.run_id, 5)
    clerk.edit(row, {"status": "placed"})
    assert "Tanggal mulai dan gaji belum diisi." in clerk.get(f"/runs/{page.run_id}").text
    clerk.edit(row, {"start_date": "2027-01-04", "salary": "4.500.000"})
    complete_steps(clerk, page.run_id, 6)
    complete_steps(balai_client(app, "subkoor_pemberdayaan"), page.run_id, 7)
    assert [no for no, status, _ in run_steps(page.run_id)] == [1, 2, 3, 4, 2, 3, 4, 5, 6, 7]
    assert "Rp 4.500.000" in clerk.get("/placement/placements?status=placed").text


def test_the_company_answers_in_the_browser(balai_app, balai_client, balai_live, balai_page):
    app, clerk, page = start(balai_app, balai_client)
    link, live = send(clerk, page, make_enrolment(status="graduated")), balai_live(app)
    live.open(balai_page, link)
    with balai_page.expect_navigation():
        balai_page.get_by_role("button", name="Undang wawancara").click()
    assert "Terima kasih, jawaban Anda tercatat." in balai_page.content()
    live.login(balai_page, clerk)
    live.open(balai_page, page.request.path)
    assert "Diundang wawancara" in balai_page.content()


def test_contract(tmp_path):
    """Enable, migrate, use, disable (data kept, UI gone), enable again; permissions; hook names."""
    check_plugin_contract("placement", tmp_path, plugin_dirs=[REPO])
