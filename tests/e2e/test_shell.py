"""The web shell in a real browser: keyboard-only login, menus of one deployment only, phone width."""
from browser import check_page, login, logout, screenshot, scrolls_sideways

from core.testing import make_user


def test_keyboard_login_menus_and_phone_width(deployment, page, phone):
    server = deployment("tangerang")
    make_user(server.app, "admin.tng", ["admin"], full_name="Admin Tangerang")
    page.goto(server.url + "/")
    assert page.url.endswith("/login")
    check_page(page, "shell-login")
    # Wrong password: the message is on the page, the field is kept.
    login(page, server.url, "admin.tng", "bukan-kata-sandi-1")
    assert page.get_by_role("alert").inner_text() == "Nama pengguna atau kata sandi salah."
    login(page, server.url, "admin.tng")
    assert page.url.endswith("/tasks")
    nav = page.get_by_role("navigation", name="Navigasi utama").inner_text()
    assert "Pengguna" in nav and "Log audit" in nav
    for absent in ("Buku tamu", "Rencana kerja", "Survei"):      # other deployments' menus leave no trace
        assert absent not in nav
    check_page(page, "shell-tasks")
    page.goto(server.url + "/admin/users/new")
    check_page(page, "shell-user-form")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan").click()
    assert page.locator("#f-username-err").inner_text() == "Wajib diisi."
    logout(page)
    assert page.url.endswith("/login")

    login(phone, server.url, "admin.tng")
    for path in ("/tasks", "/sop", "/admin/users", "/compliance"):
        phone.goto(server.url + path)
        assert not scrolls_sideways(phone), f"{path} scrolls sideways at 375 px"
    screenshot(phone, "shell-phone-compliance")
