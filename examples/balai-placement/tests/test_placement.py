"""Tests of the ``placement`` plugin (SOP PTK-01) with Balai's pytest plugin: the whole run over HTTP, the
company's answer in Chromium, and the plugin contract."""
import os
import re

from core.testing import TEST_PASSWORD, check_plugin_contract, complete_steps, make_enrolment, run_steps

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VACANCY = {"company": "PT Maju Bersama", "position": "Operator las", "quota": "2", "closes_on": "2026-12-31"}


def start(balai_app, balai_client):
    app = balai_app("placement", plugin_dirs=REPO)
    clerk = balai_client(app, "pengantar_kerja")
    page = clerk.follow(clerk.post("/placement/vacancies/new", VACANCY))
    return app, clerk, page, int(re.search(r'href="/runs/(\d+)"', page.text).group(1))


def send(clerk, page, enrolment):
    """Step 2 (match through the vacancy's "Tambah") and step 3 (letter + link); returns the link."""
    vacancy = re.search(r"/placement/vacancies/(\d+)", page.request.path).group(1)
    assert f"/placement/placements/new?vacancy={vacancy}" in page.text
    clerk.post("/placement/placements/new", {"vacancy": vacancy, "enrolment": enrolment.id}, status=303)
    complete_steps(clerk, int(re.search(r'href="/runs/(\d+)"', page.text).group(1)), 2)
    page = clerk.follow(clerk.post(page.request.path + "/send"))
    assert "Kandidat dikirim ke perusahaan." in page.text and "/PTK/2026</a>" in page.text
    assert "SURAT PENGANTAR KANDIDAT" in clerk.get(re.search(r'href="(/documents/\d+)"', page.text).group(1)).text
    return re.findall(r"/placement/answer/[\w-]+", page.text)[-1]


def test_a_vacancy_runs_through_ptk_01(balai_app, balai_client):
    app, clerk, page, run_id = start(balai_app, balai_client)
    rejected, placed = make_enrolment(status="graduated"), make_enrolment(status="graduated")
    complete_steps(clerk, run_id, 1)
    refused = clerk.follow(clerk.post(f"/runs/{run_id}/complete", {"no": "2"}))
    assert "Belum ada lulusan yang dicocokkan." in refused.text          # the step-2 condition
    company = balai_client(app)
    company.post(send(clerk, page, rejected), {"answer": "reject"}, status=200)  # → back to step 2
    link = send(clerk, page, placed)
    assert placed.person.name in company.get(link).text and rejected.person.name not in company.get(link).text
    company.post(link, {"answer": "invite"}).mustcontain("Terima kasih, jawaban Anda tercatat.")
    assert "Jawaban sudah tercatat" in company.post(link, {"answer": "reject"}, status=409).text  # one answer
    row = f"/placement/placements/{placed.placements.get().id}/edit"
    clerk.post(row, {"vacancy": page.request.path.split("/")[-1], "enrolment": placed.id, "status": "passed"})
    complete_steps(clerk, run_id, 5)
    clerk.post(row, {"vacancy": page.request.path.split("/")[-1], "enrolment": placed.id, "status": "placed"})
    assert "Tanggal mulai dan gaji belum diisi." in clerk.get(f"/runs/{run_id}").text
    clerk.post(row, {"vacancy": page.request.path.split("/")[-1], "enrolment": placed.id, "status": "placed",
                     "start_date": "2027-01-04", "salary": "4.500.000"})
    complete_steps(clerk, run_id, 6)
    complete_steps(balai_client(app, "subkoor_pemberdayaan"), run_id, 7)
    assert [no for no, status, _ in run_steps(run_id)] == [1, 2, 3, 4, 2, 3, 4, 5, 6, 7]
    assert "Rp 4.500.000" in clerk.get("/placement/placements?status=placed").text
    assert placed.person.name in clerk.get(row[:-5]).html.select_one("dl.record").text   # not the enrolment's id


def test_the_company_answers_in_the_browser(balai_app, balai_client, balai_live, balai_page):
    app, clerk, page, run_id = start(balai_app, balai_client)
    complete_steps(clerk, run_id, 1)
    link = send(clerk, page, make_enrolment(status="graduated"))
    balai_page.goto(balai_live(app).url + link)
    with balai_page.expect_navigation():
        balai_page.get_by_role("button", name="Undang wawancara").click()
    assert "Terima kasih, jawaban Anda tercatat." in balai_page.content()
    balai_page.goto(balai_live(app).url + "/login")
    balai_page.get_by_label("Nama pengguna").fill(clerk.user.username)
    balai_page.get_by_label("Kata sandi").fill(TEST_PASSWORD)
    with balai_page.expect_navigation():
        balai_page.keyboard.press("Enter")
    balai_page.goto(balai_live(app).url + page.request.path)
    assert "Diundang wawancara" in balai_page.content()


def test_contract(tmp_path):
    """Enable, migrate, use, disable (data kept, UI gone), enable again; permissions; hook names."""
    check_plugin_contract("placement", tmp_path, plugin_dirs=[REPO])
