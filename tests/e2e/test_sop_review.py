"""Issue 26 in a real browser: an administrator pastes an SOP AP table, reviews the draft in
the revision editor (problems listed before publishing), publishes it, and sees its flowchart."""
import os

from browser import check_page, click_and_wait, flashes, login

from core.testing import make_user

DOCS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "sop_documents")


def test_review_and_publish_an_imported_sop(deployment, page):
    server = deployment("pagaralam")
    make_user(server.app, "admin.pga", ["admin"], full_name="Admin Pagar Alam")
    login(page, server.url, "admin.pga")
    page.goto(server.url + "/sop")
    click_and_wait(page, page.get_by_role("link", name="SOP baru / impor"))
    check_page(page, "sop-import")
    with open(os.path.join(DOCS, "cuti-pegawai.txt"), encoding="utf-8") as fh:
        page.get_by_label("atau teks tabel yang ditempel").fill(fh.read())
    click_and_wait(page, page.get_by_role("button", name="Impor menjadi draf"))
    assert "/admin/sop/BPV-KPG-04/" in page.url
    problems = page.locator("#problems").inner_text()
    assert "Catatan impor belum dinyatakan sudah diperiksa." in problems
    assert "Peran baru dibuat untuk pelaksana: Pegawai" in page.locator("#import-problems").inner_text()
    check_page(page, "sop-review-draft")
    # Publishing before the review is refused and says why; nothing changes.
    click_and_wait(page, page.get_by_role("button", name="Terbitkan"))
    assert "Belum dapat diterbitkan" in page.get_by_role("alert").first.inner_text()
    page.get_by_label("Semua catatan impor sudah saya periksa").check()
    page.get_by_label("Berlaku mulai (untuk terbit)").fill("2026-01-05")
    click_and_wait(page, page.get_by_role("button", name="Terbitkan"))
    assert page.url.endswith("/admin/sop/BPV-KPG-04")
    assert any("Revisi diterbitkan" in f for f in flashes(page))
    page.goto(server.url + "/sop/BPV-KPG-04")
    chart = page.locator("svg.flowchart")
    assert chart.locator("path.fc-back").count() == 1 and "Sisa cuti tidak cukup" in chart.inner_html()
    check_page(page, "sop-published-flowchart")
