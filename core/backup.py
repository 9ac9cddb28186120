"""``balai backup FILE`` and ``balai restore FILE``.

A backup is one .zip: ``manifest.json`` (version, database kind, plugins,
audit chain head), the database (SQLite through its online backup API, so
the app can keep running; PostgreSQL through ``pg_dump``), and the uploaded
evidence files. Restore needs an empty instance, and checks the audit chain
after bringing the data back.
"""
import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile

from core import __version__, audit, db


class BackupError(Exception):
    pass


def _pg_env_and_args(url):
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = parts.password
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
            "-U", parts.username or "postgres", parts.path.lstrip("/")]
    return env, args


def backup(app, path):
    """Write a consistent backup of the database and uploads to ``path`` (.zip)."""
    from core.cli import Fail
    database = db.database.obj
    with tempfile.TemporaryDirectory() as tmp:
        if db.is_sqlite(database):
            dump, kind = os.path.join(tmp, "database.sqlite"), "sqlite"
            src = sqlite3.connect(database.database)
            dst = sqlite3.connect(dump)
            with dst:
                src.backup(dst)          # a consistent snapshot while others write
            src.close(), dst.close()
        else:
            dump, kind = os.path.join(tmp, "database.pgdump"), "postgresql"
            env, args = _pg_env_and_args(app.config["database"])
            result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "-f", dump] + args,
                                    env=env, capture_output=True, text=True)
            if result.returncode != 0:
                raise Fail(f"pg_dump failed: {result.stderr.strip().splitlines()[-1] if result.stderr else result.returncode}")
        with db.connection():
            ok, count, problem = audit.verify()
            head = audit.AuditLog.select(audit.AuditLog.hash).order_by(audit.AuditLog.seq.desc()).scalar()
        manifest = {"balai": __version__, "database": kind, "plugins": app.plugins.names(),
                    "created_utc": datetime.datetime.utcnow().isoformat(timespec="seconds"),
                    "audit_entries": count, "audit_head": head, "audit_ok": ok}
        tmp_zip = path + ".part"
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("manifest.json", json.dumps(manifest, indent=2))
            z.write(dump, os.path.basename(dump))
            uploads = app.config["upload_dir"]
            if os.path.isdir(uploads):
                for root, _dirs, files in os.walk(uploads):
                    for f in files:
                        full = os.path.join(root, f)
                        z.write(full, os.path.join("uploads", os.path.relpath(full, uploads)))
        os.replace(tmp_zip, path)
    return manifest


def restore(app, path):
    """Bring a backup back into an empty instance; the audit chain must verify afterwards."""
    from core.cli import Fail
    if not zipfile.is_zipfile(path):
        raise Fail(f"{path} is not a Balai backup (.zip)")
    database = db.database.obj
    with zipfile.ZipFile(path) as z:
        try:
            manifest = json.loads(z.read("manifest.json"))
        except KeyError:
            raise Fail(f"{path} has no manifest.json: not a Balai backup")
        with db.connection():
            if database.get_tables():
                raise Fail("restore needs an empty database; this one already has tables")
        kind = "sqlite" if db.is_sqlite(database) else "postgresql"
        if manifest["database"] != kind:
            raise Fail(f"backup is of a {manifest['database']} database; this instance uses {kind}")
        with tempfile.TemporaryDirectory() as tmp:
            z.extractall(tmp)
            if kind == "sqlite":
                database.close()
                target = database.database
                src = sqlite3.connect(os.path.join(tmp, "database.sqlite"))
                dst = sqlite3.connect(target)
                with dst:
                    src.backup(dst)
                src.close(), dst.close()
            else:
                env, args = _pg_env_and_args(app.config["database"])
                result = subprocess.run(["pg_restore", "--no-owner", "-d", args[-1]] + args[:-1]
                                        + [os.path.join(tmp, "database.pgdump")], env=env, capture_output=True, text=True)
                if result.returncode != 0:
                    raise Fail(f"pg_restore failed: {result.stderr.strip()[-300:]}")
            uploads_src = os.path.join(tmp, "uploads")
            if os.path.isdir(uploads_src):
                shutil.copytree(uploads_src, app.config["upload_dir"], dirs_exist_ok=True)
    with db.connection():
        audit.install_triggers(db.database.obj)
        ok, count, problem = audit.verify()
    if not ok:
        raise Fail(f"restored, but the audit chain does not verify: {problem}")
    if count != manifest.get("audit_entries"):
        raise Fail(f"restored {count} audit entries, the backup recorded {manifest.get('audit_entries')}")
    return manifest
