"""Issue 12: backup and restore round trip; a killed server loses nothing committed."""
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import pytest
from balai_toys import TOYS

from core import audit, db
from core.cli import main
from core.testing import TEST_PASSWORD, make_user, start_app, write_config


def test_backup_and_restore_round_trip(tmp_path, balai_db, balai_client, capsys):
    if balai_db.startswith("postgresql") and not shutil_which("pg_dump"):
        pytest.skip("pg_dump not installed")
    source = tmp_path / "source"
    source.mkdir()
    config = write_config(str(source), ["toy_base"], balai_db, plugin_dirs=TOYS)
    app = start_app(config)
    clerk = balai_client(app, "toy_clerk")
    clerk.post("/toy/gadgets/new", {"name": "Meteran"})
    run_id = int(re.search(r"/runs/(\d+)", clerk.post("/toy/start/1").headers["Location"]).group(1))
    clerk.post(f"/runs/{run_id}/complete", {"no": "1", "branch": "Daftar"})
    clerk.post(f"/runs/{run_id}/complete", {"no": "2"}, upload_files=[("evidence", "ktp.png", b"\x89PNG\r\n fake")])
    backup_file = str(tmp_path / "cadangan.zip")
    assert main(["--config", config, "backup", backup_file]) == 0
    with db.connection():
        before = audit.AuditLog.select().count()

    # An empty instance: a new database (and upload folder) elsewhere.
    target = tmp_path / "target"
    target.mkdir()
    if balai_db.startswith("sqlite"):
        url = f"sqlite:///{target}/restored.db"
    else:
        import psycopg
        from core.testing import postgres_admin_url
        name = "balai_restore_" + str(os.getpid())
        with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = postgres_admin_url().rsplit("/", 1)[0] + "/" + name
    config2 = write_config(str(target), ["toy_base"], url, plugin_dirs=TOYS)
    assert main(["--config", config2, "restore", backup_file]) == 0
    assert "audit chain verified" in capsys.readouterr().out
    app2 = start_app(config2)
    with db.connection() as conn:
        assert conn.execute_sql("SELECT name FROM toy_gadget").fetchall() == [("Meteran",)]
        assert audit.verify()[0] and audit.AuditLog.select().count() >= before
    client = balai_client(app2, "toy_clerk")
    assert client.get("/evidence/1").body == b"\x89PNG\r\n fake"
    # Restoring into a non-empty instance is refused.
    assert main(["--config", config2, "restore", backup_file]) == 1
    if not balai_db.startswith("sqlite"):
        db.database.obj.close()
        with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def shutil_which(name):
    import shutil
    return shutil.which(name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_killed_server_loses_nothing_committed(tmp_path):
    config = write_config(str(tmp_path), [], f"sqlite:///{tmp_path}/kill.db")
    app = start_app(config)
    make_user(app, "admin1", ["admin"])
    db.database.obj.close()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "core.cli", "--config", config, "serve", "--port", str(port),
                               "--no-jobs"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
        token = re.search(r'name="csrf_token" value="([^"]+)"', opener.open(base + "/login").read().decode()).group(1)
        post(opener, base + "/login", {"username": "admin1", "password": TEST_PASSWORD, "csrf_token": token})
        token = re.search(r'name="csrf_token" value="([^"]+)"', opener.open(base + "/admin/calendar").read().decode()).group(1)
        acknowledged = []
        deadline = time.time() + 1.5
        day = 0
        while time.time() < deadline:
            day += 1
            date = f"2030-{1 + day // 28:02d}-{1 + day % 28:02d}"
            status = post(opener, base + "/admin/calendar", {"day": date, "name": f"uji {day}", "csrf_token": token})
            if status == 303:
                acknowledged.append(date)
        server.send_signal(signal.SIGKILL)           # in the middle of writes, no shutdown
        server.wait(timeout=10)
    finally:
        if server.poll() is None:
            server.kill()
    assert len(acknowledged) > 5
    with db.connection() as conn:
        assert conn.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {str(d) for (d,) in conn.execute_sql("SELECT day FROM calendar_exception").fetchall()}
        assert set(acknowledged) <= stored
        ok, _count, problem = audit.verify()
        assert ok, problem


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post(opener, url, data):
    try:
        return opener.open(url, urllib.parse.urlencode(data).encode()).status
    except urllib.error.HTTPError as err:
        return err.code
