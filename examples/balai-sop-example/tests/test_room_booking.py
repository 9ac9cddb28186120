"""Tests of the ``room_booking`` example plugin, with Balai's pytest plugin (module ``core.testing``, pytest plugin ``balai``).

``plugin_dirs`` points at this repository, so the tests pass before and after
``pip install -e .``.
"""
import os
import re

from core.testing import check_plugin_contract, complete_steps, run_steps

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BOOKING = {"applicant": "Rahmat Hidayat", "organisation": "Dinas Koperasi dan UKM", "room": "aula",
           "purpose": "Sosialisasi KUR", "start_date": "2026-03-17", "end_date": "2026-03-18", "participants": "80"}


def new_booking(clerk, **changes):
    page = clerk.follow(clerk.post("/room-booking/bookings/new", dict(BOOKING, **changes)))
    return page, int(re.search(r'href="/runs/(\d+)"', page.text).group(1))


def test_booking_approved_and_handed_over(balai_app, balai_client):
    app = balai_app("room_booking", plugin_dirs=REPO)
    clerk, head = balai_client(app, "petugas_sarpras"), balai_client(app, "kepala_subbag_umum")
    page, run_id = new_booking(clerk)
    assert "Sosialisasi KUR" in page.text and "Dinas Koperasi dan UKM" in page.text
    url = page.request.path

    # The hand-over button refuses before approval.
    refused = clerk.follow(clerk.post(url + "/hand-over"))
    assert "Ruang belum dapat diserahkan: peminjaman belum disetujui." in refused.text
    complete_steps(clerk, run_id, 1, branch="Tersedia")
    complete_steps(head, run_id, 2)
    assert "Serahkan ruang (langkah 3)" in clerk.get(url).text
    page = clerk.follow(clerk.post(url + "/hand-over"))
    assert "Serah terima ruang tercatat." in page.text and "Diserahkan" in page.text
    assert run_steps(run_id) == [(1, "done", "Tersedia"), (2, "done", ""), (3, "done", "")]
    assert "Serahkan ruang" not in clerk.get(url).text


def test_booked_room_is_refused_through_step_4(balai_app, balai_client):
    app = balai_app("room_booking", plugin_dirs=REPO)
    clerk = balai_client(app, "petugas_sarpras")
    _page, run_id = new_booking(clerk, purpose="Rapat koordinasi")
    complete_steps(clerk, run_id, 1, branch="Tidak tersedia")
    complete_steps(clerk, run_id, 4)
    assert run_steps(run_id) == [(1, "done", "Tidak tersedia"), (4, "done", "")]


def test_form_checks_and_permissions(balai_app, balai_client):
    app = balai_app("room_booking", plugin_dirs=REPO)
    clerk, head = balai_client(app, "petugas_sarpras"), balai_client(app, "kepala_subbag_umum")
    res = clerk.post("/room-booking/bookings/new", dict(BOOKING, participants="0", room="gudang"), status=422)
    assert "Harus antara 1 dan 500." in res.text and "Pilihan tidak valid." in res.text
    res = clerk.post("/room-booking/bookings/new", dict(BOOKING, end_date="2026-03-16"), status=422)
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in res.text
    head.get("/room-booking/bookings/new", status=403)
    assert "Belum ada data." in head.get("/room-booking/bookings").text


def test_contract(tmp_path):
    summary = check_plugin_contract("room_booking", tmp_path, plugin_dirs=[REPO])
    assert summary["tables"] == {"room_booking_booking": 2}          # the demo data survived disable/enable
