"""The core's form POSTs go through the one shape (``submit_form`` / ``run_action``): a refusal is
shown next to its field with status 422 and nothing saved; success flashes and redirects."""
import datetime

from core import db, identity
from core.testing import TEST_PASSWORD, make_user
from core.tracker.models import Acting, CalendarException


def test_calendar_exception_refusals_next_to_the_field_and_nothing_saved(balai_app, balai_client):
    """A bad or taken day re-renders the calendar with the message by the date field (422)."""
    app = balai_app()
    admin = balai_client(app, "admin")
    bad = admin.post("/admin/calendar", {"day": "31-02-2026", "name": "Libur daerah"}, status=422)
    assert 'id="cal-day-err"' in bad.text and "Tanggal tidak valid" in bad.text
    assert 'value="Libur daerah"' in bad.text, "what the user typed stays in the form"
    done = admin.follow(admin.post("/admin/calendar", {"day": "2026-08-18", "name": "Libur daerah"}, status=303))
    assert "Pengecualian kalender tersimpan." in done.text
    taken = admin.post("/admin/calendar", {"day": "2026-08-18", "name": "Lagi"}, status=422)
    assert "Tanggal itu sudah punya pengecualian." in taken.text
    with db.connection():
        assert [(e.day, e.name) for e in CalendarException.select()] == [(datetime.date(2026, 8, 18), "Libur daerah")]
        exc_id = CalendarException.get().id
    gone = admin.follow(admin.post(f"/admin/calendar/{exc_id}/delete", status=303))
    assert "Pengecualian dihapus." in gone.text
    admin.post(f"/admin/calendar/{exc_id}/delete", status=404)


def test_acting_official_form_refuses_per_field(balai_app, balai_client):
    """Plt./Plh.: an unknown role, a range ending before it starts, a user's own role — each refused by its field."""
    app = balai_app("training")
    admin = balai_client(app, "admin")
    head = make_user(app, "kepala1", ("admin",))
    today = datetime.date.today()
    base = {"user": str(head.id), "kind": "Plt.", "date_from": today.isoformat(),
            "date_to": (today + datetime.timedelta(days=5)).isoformat(), "note": "ST-1"}
    res = admin.post("/admin/tracker/acting", {**base, "role": "tidak_ada"}, status=422)
    assert "Pilih jabatan (peran)." in res.text
    res = admin.post("/admin/tracker/acting", {**base, "role": "admin", "date_to": "2000-01-01"}, status=422)
    assert "Tanggal akhir tidak boleh sebelum tanggal mulai." in res.text
    res = admin.post("/admin/tracker/acting", {**base, "role": "admin"}, status=422)
    assert "sudah memegang jabatan ini sendiri" in res.text
    with db.connection():
        assert Acting.select().count() == 0


def test_own_password_change_refusals_and_success(balai_app, balai_client):
    """Wrong current password, different repeats: 422 next to the field; then the change is saved."""
    app = balai_app()
    user = make_user(app, "budi", ("admin",))
    client = balai_client(app, user=user)
    res = client.post("/account/password", {"current": "salah", "new": "Kopi-Sawah-2027!", "repeat": "x"}, status=422)
    assert "Kata sandi sekarang salah." in res.text
    res = client.post("/account/password", {"current": TEST_PASSWORD, "new": "Kopi-Sawah-2027!", "repeat": "x"},
                      status=422)
    assert "Kedua kata sandi baru tidak sama." in res.text
    res = client.post("/account/password", {"current": TEST_PASSWORD, "new": "Kopi-Sawah-2027!",
                                            "repeat": "Kopi-Sawah-2027!"}, status=303)
    assert res.headers["Location"].endswith("/tasks")
    with db.connection():
        stored = identity.User.get_by_id(user.id)
        # The hash is a secret field (left out of audit rows): it must be saved all the same.
        assert identity.check_password(stored, "Kopi-Sawah-2027!")
        assert not identity.check_password(stored, TEST_PASSWORD)


def test_admin_user_form_and_password_reset(balai_app, balai_client):
    """A taken username is refused next to it; a weak reset password is flashed and changes nothing."""
    app = balai_app()
    admin = balai_client(app, "admin")
    make_user(app, "siti", ())
    res = admin.post("/admin/users/new", {"username": "siti", "full_name": "Siti Lain", "active": "1",
                                          "password": "Kopi-Sawah-2027!"}, status=422)
    assert "Nama pengguna sudah dipakai." in res.text
    res = admin.post("/admin/users/new", {"username": "rina", "full_name": "Rina", "active": "1",
                                          "password": "Kopi-Sawah-2027!"}, status=303)
    with db.connection():
        rina = identity.User.get(identity.User.username == "rina")
    assert res.headers["Location"].endswith(f"/admin/users/{rina.id}")
    page = admin.follow(admin.post(f"/admin/users/{rina.id}/reset", {"password": "123"}, status=303))
    assert 'flash-error' in page.text
    with db.connection():
        assert identity.check_password(identity.User.get_by_id(rina.id), "Kopi-Sawah-2027!")
    page = admin.follow(admin.post(f"/admin/users/{rina.id}/reset", {"password": "Gunung-Rotan-2028"}, status=303))
    assert "Kata sandi direset" in page.text
    with db.connection():
        rina = identity.User.get_by_id(rina.id)
        assert identity.check_password(rina, "Gunung-Rotan-2028") and rina.must_change_password
