"""Issue 20 §2: ``balai backup`` while users write gives a manifest of the snapshot
itself, so the restore verifies; a restore that does not verify writes nothing."""
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
import zipfile

import pytest

from core import audit, db
from core.cli import main
from core.testing import postgres_admin_url, start_app, write_config

WRITER = """
import os, sys, time
from core import app as app_mod, audit, db
from core.context import SYSTEM, set_actor
app = app_mod.build(sys.argv[1])
set_actor(SYSTEM)
stop, started = sys.argv[2], sys.argv[3]
i = 0
with db.connection():
    while not os.path.exists(stop):
        audit.event("load", "thing", i, {"i": i})
        i += 1
        if i == 20:
            open(started, "w").close()
"""


def empty_instance(tmp_path, balai_db, name):
    folder = tmp_path / name
    folder.mkdir()
    if balai_db.startswith("sqlite"):
        url = f"sqlite:///{folder}/restored.db"
    else:
        import psycopg
        dbname = f"balai_restore_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')
        url = postgres_admin_url().rsplit("/", 1)[0] + "/" + dbname
    return write_config(str(folder), [], url), url


def drop(url):
    if url.startswith("postgresql"):
        import psycopg
        if not db.database.obj.is_closed():
            db.database.obj.close()
        with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def test_backup_while_writing_restores_and_verifies(tmp_path, balai_db, capsys):
    if balai_db.startswith("postgresql") and not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    source = tmp_path / "source"
    source.mkdir()
    config = write_config(str(source), [], balai_db)
    start_app(config)
    db.database.obj.close()
    stop, started = str(tmp_path / "stop"), str(tmp_path / "started")
    writer = subprocess.Popen([sys.executable, "-c", WRITER, config, stop, started])
    try:
        deadline = time.time() + 60
        while not os.path.exists(started) and time.time() < deadline and writer.poll() is None:
            time.sleep(0.05)
        assert os.path.exists(started), "the writer did not start"
        backup_file = str(tmp_path / "busy.zip")
        assert main(["--config", config, "backup", backup_file]) == 0
    finally:
        open(stop, "w").close()
        writer.wait(30)
    with zipfile.ZipFile(backup_file) as z:
        manifest = json.loads(z.read("manifest.json"))
    with db.connection():
        written = audit.AuditLog.select().count()
    assert written > manifest["audit_entries"]           # the writer went on after the snapshot

    config2, url = empty_instance(tmp_path, balai_db, "target")
    try:
        assert main(["--config", config2, "restore", backup_file]) == 0, capsys.readouterr().err
        with db.connection():
            assert audit.AuditLog.select().count() == manifest["audit_entries"]
            assert audit.verify()[0]
    finally:
        drop(url)
    assert manifest["audit_ok"] and manifest["tables"]["audit_log"] == manifest["audit_entries"]


def test_restore_that_does_not_verify_writes_nothing(tmp_path, balai_db, capsys):
    if balai_db.startswith("postgresql") and not shutil.which("pg_dump"):
        pytest.skip("pg_dump not installed")
    source = tmp_path / "source"
    source.mkdir()
    config = write_config(str(source), [], balai_db)
    start_app(config)
    with db.connection():
        for i in range(5):
            audit.event("test", "thing", i, {})
    os.makedirs(source / "uploads" / "ab", exist_ok=True)
    (source / "uploads" / "ab" / "bukti.bin").write_bytes(b"bukti")
    good = str(tmp_path / "good.zip")
    assert main(["--config", config, "backup", good]) == 0
    # The same backup with a manifest that no longer matches its data (a damaged or mixed-up file).
    bad = str(tmp_path / "bad.zip")
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["audit_entries"] += 1
                data = json.dumps(manifest).encode()
            dst.writestr(item, data)
    config2, url = empty_instance(tmp_path, balai_db, "target")
    try:
        assert main(["--config", config2, "restore", bad]) == 1
        assert "nothing restored" in capsys.readouterr().err
        with db.connection() as conn:
            assert conn.get_tables() == []                  # nothing written
        assert not os.path.exists(tmp_path / "target" / "uploads" / "ab" / "bukti.bin")
        assert main(["--config", config2, "restore", good]) == 0   # the good one still restores
    finally:
        drop(url)
