"""Issue 3: default deny, CSRF, sessions, login throttling, passwords, the audit chain."""
import os
import re
import subprocess
import sys
import threading

import peewee
import pytest
from balai_toys import TOYS

from core import audit, context, db, identity
from core.testing import TEST_PASSWORD, make_user, start_app, write_config


def sample_path(path):
    return re.sub(r"<[^>]+>", lambda m: "TOY-1" if "code" in m.group() else ("x" * 8 if "token" in m.group() else "1"), path)


def test_default_deny_every_route(balai_app, balai_client):
    app = balai_app("toy_child", plugin_dirs=TOYS)
    anonymous = balai_client(app)
    nobody = balai_client(app, username="tanpa_peran")     # logged in, no roles
    assert nobody.user.roles == frozenset()
    for route in app.router.routes:
        url = sample_path(route.path)
        for client in (anonymous, nobody):
            if route.method == "GET":
                res = client.get(url, status="*")
            else:
                res = client.post(url, {}, status="*")
            if route.public:
                continue
            assert res.status_int != 200, f"{route.method} {url} answered 200 without permission"
            assert res.status_int in (303, 403, 404), (route.method, url, res.status_int)


def test_post_without_csrf_token_changes_nothing(balai_app, balai_client):
    app = balai_app("toy_base", plugin_dirs=TOYS)
    clerk = balai_client(app, "toy_clerk")
    res = clerk.post("/toy/gadgets/new", {"name": "Gergaji"}, csrf=False, status=403)
    assert "CSRF" in res.text
    res = clerk.post("/toy/gadgets/new", {"name": "Gergaji", "csrf_token": "forged"}, csrf=False, status=403)
    # From another site, even with the right token:
    clerk.post("/toy/gadgets/new", {"name": "Gergaji"}, status=403, headers={"Origin": "https://evil.example"})
    with db.connection() as conn:
        assert conn.execute_sql("SELECT COUNT(*) FROM toy_gadget").fetchone()[0] == 0


def test_security_headers_and_cookie_flags(balai_app, balai_client):
    app = balai_app()
    make_user(app, "budi", ["admin"])
    client = balai_client(app)
    page = client.get("/login")
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    before = client.web.cookies.get("balai_session")
    res = client.login("budi")
    cookie = [h for k, h in res.headerlist if k == "Set-Cookie" and h.startswith("balai_session=")][0]
    assert "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    assert client.web.cookies["balai_session"] != before          # a new session id at login


def test_login_logout_and_wrong_password(balai_app, balai_client):
    app = balai_app()
    make_user(app, "sri", ["admin"])
    client = balai_client(app)
    res = client.login("sri", "salah-sekali-123")
    assert res.status_int == 200 and "Nama pengguna atau kata sandi salah." in res.text
    assert client.login("sri").status_int == 303
    assert client.get("/admin/users").status_int == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/tasks").text).group(1)
    client.web.post("/logout", {"csrf_token": token})
    assert client.get("/admin/users").status_int == 303         # back to the login page
    with db.connection():
        actions = [a for (a,) in audit.AuditLog.select(audit.AuditLog.action).tuples()]
    assert {"login_failed", "login", "logout"} <= set(actions)


def test_login_throttling_grows_and_is_logged(balai_app, balai_client):
    app = balai_app()
    make_user(app, "rudi", ["admin"])
    client = balai_client(app)
    for _ in range(5):
        client.login("rudi", "keliru-keliru-1")
    res = client.login("rudi")                                     # right password, but throttled
    assert res.status_int == 429 and "Terlalu banyak percobaan" in res.text
    with db.connection():
        assert audit.AuditLog.select().where(audit.AuditLog.action == "login_throttled").count() == 1


def test_password_policy_and_forced_change(balai_app, balai_client):
    app = balai_app()
    with db.connection():
        assert identity.password_problem("pendek") is not None
        assert identity.password_problem("password123") is not None
        assert identity.password_problem("Rahasia-Kantor-9") is None
    user = make_user(app, "wati", ["admin"], must_change_password=True)
    client = balai_client(app, user=user)
    assert client.get("/admin/users").headers["Location"].endswith("/account/password")
    # No write either before the change: a form posted elsewhere is refused, nothing created.
    res = client.post("/admin/users/new", {"username": "tamu", "full_name": "Tamu", "password": "Kantor-Baru-2026"},
                      status=403)
    assert "Ganti kata sandi Anda terlebih dahulu." in res.text
    with db.connection():
        assert identity.User.get_or_none(identity.User.username == "tamu") is None
    res = client.post("/account/password", {"current": TEST_PASSWORD, "new": "password123", "repeat": "password123"}, status=422)
    assert "terlalu mudah ditebak" in res.text
    res = client.post("/account/password", {"current": TEST_PASSWORD, "new": "Kantor-Baru-2026", "repeat": "Kantor-Baru-2026"})
    assert res.status_int == 303
    assert client.get("/admin/users").status_int == 200
    with db.connection():
        stored = identity.User.get(identity.User.username == "wati").password_hash
    assert stored.startswith("$argon2id$")


def test_admin_creates_user_roles_audited_and_why_refused(balai_app, balai_client):
    app = balai_app("toy_base", plugin_dirs=TOYS)
    admin = balai_client(app, "admin")
    res = admin.post("/admin/users/new", {"username": "ani", "full_name": "Ani Lestari", "nip": "197501012000032001",
                                          "roles": "toy_head", "active": "1", "password": "Kepala-Mainan-77"})
    assert res.status_int == 303
    why = admin.get("/admin/why?user=ani&permission=toy.edit").text
    assert "DITOLAK" in why and "Petugas Mainan" in why
    assert "DIIZINKAN" in admin.get("/admin/why?user=ani&permission=toy.view").text
    with db.connection():
        assert audit.AuditLog.select().where(audit.AuditLog.action == "role_granted").count() >= 1
    head = balai_client(app)
    head.login("ani", "Kepala-Mainan-77")
    assert head.get("/toy/gadgets").headers["Location"] == "/account/password"   # must change first
    head.post("/account/password", {"current": "Kepala-Mainan-77", "new": "Kepala-Baru-2026", "repeat": "Kepala-Baru-2026"})
    res = head.get("/toy/gadgets/new", status=403)
    assert "toy.edit" in res.text and "Petugas Mainan" in res.text     # the refusal explains itself


@pytest.mark.parametrize("values, field, message", [
    ({"name": ""}, "name", "Wajib diisi."),
    ({"name": "x" * 41}, "name", "Maksimal 40 karakter."),
    ({"name": "Obeng", "size": "besar"}, "size", "Harus berupa bilangan bulat."),
    ({"name": "<script>alert(1)</script>"}, "name", "Tidak boleh berisi tag HTML"),
    ({"name": "Obeng", "nik": "740101010101000"}, "nik", "NIK harus 16 digit angka."),
])
def test_bad_input_is_shown_next_to_the_field_and_nothing_saved(balai_app, balai_client, values, field, message):
    app = balai_app("toy_base", plugin_dirs=TOYS)
    clerk = balai_client(app, "toy_clerk")
    res = clerk.post("/toy/gadgets/new", values, status=422)
    error = re.search(rf'<p class="error" id="f-{field}-err">([^<]*)</p>', res.text)
    assert error and message in error.group(1)
    assert "<script>alert(1)</script>" not in res.text                # shown back escaped
    with db.connection() as conn:
        assert conn.execute_sql("SELECT COUNT(*) FROM toy_gadget").fetchone()[0] == 0


def test_triggers_refuse_update_and_delete(balai_app):
    balai_app()
    with db.connection() as conn:
        audit.event("test", "x", 1, {})
        for sql in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
            with pytest.raises(peewee.DatabaseError):
                with db.write():
                    conn.execute_sql(sql)


def _tamper(conn, sql):
    conn.execute_sql("DROP TRIGGER IF EXISTS audit_log_no_update")
    conn.execute_sql("DROP TRIGGER IF EXISTS audit_log_no_delete")
    conn.execute_sql(sql)


@pytest.mark.parametrize("sql, expected", [
    ("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3", "entry 3 was edited"),
    ("DELETE FROM audit_log WHERE seq = 4", "entry 4 is missing"),
    ("UPDATE audit_log SET prev_hash = 'x' WHERE seq = 2", "entry 2: link to entry 1 is broken"),
])
def test_audit_verify_finds_tampering(tmp_path, sql, expected):
    config = write_config(str(tmp_path), [], f"sqlite:///{tmp_path}/a.db")
    start_app(config)
    with db.connection() as conn:
        for i in range(6):
            audit.event("test", "thing", i, {"i": i})
        assert audit.verify()[0]
        _tamper(conn, sql)
        ok, _count, problem = audit.verify()
    assert not ok and expected in problem
    cli = subprocess.run([sys.executable, "-m", "core.cli", "--config", config, "audit", "verify"],
                         capture_output=True, text=True)
    assert cli.returncode == 1 and expected in cli.stderr


def test_concurrent_writers_keep_one_chain(balai_app):
    balai_app()
    errors = []

    def writer(n):
        try:
            context.set_actor(None)
            with db.connection():
                for i in range(500):
                    audit.event("concurrent", "thread", n, {"i": i})
        except Exception as exc:      # collected, asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.connection():
        ok, count, problem = audit.verify()
        mine = audit.AuditLog.select().where(audit.AuditLog.action == "concurrent").count()
    assert ok, problem
    assert mine == 4000


def _process_writer(url, n):
    from core import audit as audit_mod, db as db_mod
    db_mod.database.initialize(db_mod.open_database(url))
    with db_mod.connection():
        for i in range(100):
            audit_mod.event("multiprocess", "proc", n, {"i": i})


def test_several_processes_keep_one_chain_on_postgresql(tmp_path):
    """Several server processes share one PostgreSQL database: the chain has no forks and no gaps."""
    import multiprocessing

    from core.testing import postgres_admin_url, postgres_reachable
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL not reachable at {postgres_admin_url()}")
    import psycopg
    name = f"balai_mp_{os.getpid()}"
    with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = postgres_admin_url().rsplit("/", 1)[0] + "/" + name
    try:
        start_app(write_config(str(tmp_path), [], url))
        db.database.obj.close()
        ctx = multiprocessing.get_context("spawn")
        procs = [ctx.Process(target=_process_writer, args=(url, n)) for n in range(4)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        assert [p.exitcode for p in procs] == [0, 0, 0, 0]
        with db.connection():
            ok, _count, problem = audit.verify()
            assert ok, problem
            assert audit.AuditLog.select().where(audit.AuditLog.action == "multiprocess").count() == 400
    finally:
        db.database.obj.close()
        with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_update_many_is_one_update_and_one_chained_insert(balai_app):
    """``audit.update_many``: the records that change are updated in one statement and their audit rows
    (old → new, chained) inserted in one, so marking 2 or 6 records costs the same; the chain verifies,
    each record's history has its line, and a record already holding the value gets none."""
    from core.testing import count_queries
    balai_app()
    with db.connection():
        users = [make_user(None, f"u{i}", [], full_name=f"Pengguna {i}") for i in range(9)]
        with db.write():
            audit.update(users[8], position="Staf")

        def mark(some):
            with db.write():
                return audit.update_many(some, position="Staf")
        assert count_queries(lambda: mark(users[:2])) == count_queries(lambda: mark(users[2:]))
        ok, _count, problem = audit.verify()
        assert ok, problem
        assert [u.position for u in identity.User.select().where(identity.User.id.in_([u.id for u in users]))] \
            == ["Staf"] * 9
        lines = [row for u in users for row in audit.history("user", u.id)
                 if row.action == "update" and "position" in row.diff]
        assert len(lines) == 9                                   # eight by update_many, one by update before
        assert audit.update_many(users, position="Staf") == []   # nothing changes: nothing written
