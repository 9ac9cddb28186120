"""The test kit's one-line helpers: ``Client.create``, ``Client.edit`` (and ``form_values``) on the
training programmes screen and the example plugin's bookings, ``LiveServer.login`` in Chromium."""
import html
import re

import pytest
import webtest

from core.testing import find_run

BASE = "/training/programmes"
PROGRAMME = {"code": "TIK-01", "title": "Desain Grafis Muda", "field": "TIK", "version": "2", "total_jp": 240,
             "delivery": "mtu", "active": True}
BOOKING = {"applicant": "Rahmat Hidayat", "organisation": "Dinas Koperasi dan UKM", "room": "aula",
           "purpose": "Sosialisasi KUR", "start_date": "2026-03-17", "end_date": "2026-03-18", "participants": 80}
STALE = "Data ini sudah diubah oleh pengguna lain sejak Anda membukanya."


def record(page):
    """The detail page's fields: {label: shown value}."""
    text = lambda s: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", s)).split())
    return {text(dt): text(dd) for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", page.text, re.S)}


@pytest.fixture
def staff(balai_app, balai_client):
    return balai_client(balai_app("training"), "staf_pelatihan")


def test_create_returns_the_new_record_page(staff):
    page = staff.create(BASE, PROGRAMME)
    assert page.request.path == f"{BASE}/{page.record_id}" and page.record_id > 0
    assert page.run_id is None                                   # programmes have no workflow
    assert "Data tersimpan." in page.text
    assert record(page) == {"Kode program": "TIK-01", "Judul program": "Desain Grafis Muda",
                            "Kejuruan": "TIK — Teknologi Informasi dan Komunikasi", "Versi": "2",
                            "Total JP": "240 JP Jumlah JP unit: 0", "Jenis penyelenggaraan": "Mobile Training Unit",
                            "Aktif": "Ya"}
    second = staff.create(BASE, dict(PROGRAMME, code="TIK-02", active=False))
    assert second.record_id != page.record_id and record(second)["Aktif"] == "Tidak"


def test_create_refused_returns_the_form_with_its_message(staff):
    res = staff.create(BASE, dict(PROGRAMME, total_jp=0), status=422)
    assert res.status_int == 422 and "Harus antara 1 dan 5000." in res.text
    assert not hasattr(res, "record_id")
    assert "Belum ada data." in staff.get(BASE).text             # nothing saved
    with pytest.raises(webtest.AppError, match="422"):            # another status than expected fails the test
        staff.create(BASE, dict(PROGRAMME, total_jp=0))


def test_create_finds_the_run_of_a_workflow(balai_app, balai_client):
    clerk = balai_client(balai_app("room_booking"), "petugas_sarpras")
    page = clerk.create("/room-booking/bookings", BOOKING)
    run = find_run("room_booking_booking", page.record_id)
    assert run is not None and page.run_id == run.id


def test_edit_changes_one_field_and_keeps_the_others(staff):
    page = staff.create(BASE, PROGRAMME)
    before = record(page)
    path = page.request.path
    values = dict(staff.form_values(path))
    assert values["total_jp"] == "240" and values["field"] == "TIK" and values["delivery"] == "mtu"
    assert values["active"] == "1" and values["_version"] and values["csrf_token"]

    page = staff.edit(path, {"total_jp": 120})
    assert page.request.path == path and "Data tersimpan." in page.text
    assert record(page) == dict(before, **{"Total JP": "120 JP Jumlah JP unit: 0"})

    page = staff.edit(path + "/edit", {"active": False, "delivery": "blended"})    # the edit path works too
    assert record(page) == dict(before, **{"Total JP": "120 JP Jumlah JP unit: 0", "Aktif": "Tidak",
                                           "Jenis penyelenggaraan": "Blended"})
    assert "active" not in dict(staff.form_values(path))          # an unchecked box is not sent
    page = staff.edit(path, {"active": True})
    assert record(page)["Aktif"] == "Ya" and record(page)["Kejuruan"] == before["Kejuruan"]


def test_edit_refused_returns_the_form_and_saves_nothing(staff):
    page = staff.create(BASE, PROGRAMME)
    path, before = page.request.path, record(page)
    res = staff.edit(path, {"total_jp": 0, "title": "Judul baru"}, status=422)
    assert "Harus antara 1 dan 5000." in res.text
    assert record(staff.get(path)) == before
    with pytest.raises(AssertionError, match="no field 'totl_jp'"):        # a misspelt field fails clearly
        staff.edit(path, {"totl_jp": 10})


def test_edit_of_a_stale_version_is_refused(staff):
    path = staff.create(BASE, PROGRAMME).request.path
    opened = dict(staff.form_values(path))["_version"]           # an editor opens the form…
    staff.edit(path, {"title": "Desain Grafis Lanjut"})          # …someone else saves first
    res = staff.edit(path, {"title": "Desain Grafis Dasar", "_version": opened}, status=409)
    assert STALE in res.text
    assert record(staff.get(path))["Judul program"] == "Desain Grafis Lanjut"
    page = staff.edit(path, {"title": "Desain Grafis Dasar"})    # a fresh form saves
    assert record(page)["Judul program"] == "Desain Grafis Dasar"


def test_live_login_in_the_browser(balai_app, balai_client, balai_live, balai_page):
    app = balai_app("training")
    staff = balai_client(app, "staf_pelatihan")
    live = balai_live(app)
    with pytest.raises(AssertionError, match="Nama pengguna atau kata sandi salah."):
        live.login(balai_page, staff, password="salah-sandi")
    res = live.login(balai_page, staff)
    assert res.ok and balai_page.url == live.url + "/tasks"
    res = live.open(balai_page, BASE)
    assert res.status == 200 and "Program pelatihan" in balai_page.content()
    with pytest.raises(AssertionError, match="already logged in"):
        live.login(balai_page, staff.user.username)
