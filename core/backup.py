"""``balai backup FILE`` and ``balai restore FILE``, safe on a busy system.

A backup is one .zip: ``manifest.json``, the database and the uploaded
evidence files. The manifest describes **the snapshot itself**, not the live
database a moment later: every table's row count and the audit chain (entries,
head, verified) are read from the same snapshot that was dumped —

* SQLite: the online backup API copies a consistent snapshot to a file; the
  counts and the chain check are read from that file;
* PostgreSQL: one ``REPEATABLE READ`` transaction exports its snapshot,
  ``pg_dump --snapshot`` dumps exactly it, and the counts and chain check run
  in that same transaction.

Restore is all or nothing and needs an empty instance: SQLite restores into a
temporary file, checks it against the manifest and only then moves it into
place; PostgreSQL replays the dump and the check against the manifest in one
transaction (``psql --single-transaction``). When the check fails nothing is
written, uploads included.
"""
import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
import zipfile

import peewee

from core import __version__, audit, db
from core.errors import Fail


class BackupError(Exception):
    pass


def _fail(message):
    return Fail(message)


def _pg_env_and_args(url):
    from urllib.parse import urlsplit
    parts = urlsplit(url)
    env = dict(os.environ)
    if parts.password:
        env["PGPASSWORD"] = parts.password
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
            "-U", parts.username or "postgres", parts.path.lstrip("/")]
    return env, args


# ---------------------------------------------------------------- what a snapshot holds

def describe(database):
    """Row count of every table and the audit chain (entries, head, ok) as ``database``
    sees it now — call it inside the snapshot's transaction or on the snapshot's file."""
    tables = sorted(t for t in database.get_tables() if not t.startswith("sqlite_"))
    counts = {t: database.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    with database.bind_ctx([audit.AuditLog]):
        ok, entries, problem = audit.verify()
        head = audit.AuditLog.select(audit.AuditLog.hash).order_by(audit.AuditLog.seq.desc()).scalar()
    return {"tables": counts, "audit_entries": entries, "audit_head": head, "audit_ok": ok,
            "audit_problem": problem}


def _sqlite_snapshot(database, dump):
    src = sqlite3.connect(database.database)
    dst = sqlite3.connect(dump)
    with dst:
        src.backup(dst)          # a consistent snapshot while others write
    src.close(), dst.close()
    snap = peewee.SqliteDatabase(dump)
    with snap.connection_context():
        return describe(snap)


def _postgres_snapshot(app, dump):
    """pg_dump of one exported REPEATABLE READ snapshot, described in the same transaction."""
    database = db.database.obj
    env, args = _pg_env_and_args(app.config["database"])
    with db.connection():
        database.execute_sql("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        try:
            snapshot_id = database.execute_sql("SELECT pg_export_snapshot()").fetchone()[0]
            result = subprocess.run(["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot_id}",
                                     "-f", dump] + args, env=env, capture_output=True, text=True)
            if result.returncode != 0:
                last = result.stderr.strip().splitlines()[-1] if result.stderr.strip() else result.returncode
                raise _fail(f"pg_dump failed: {last}")
            return describe(database)
        finally:
            database.execute_sql("COMMIT")


# ---------------------------------------------------------------- backup

def backup(app, path):
    """Write a consistent backup of the database and uploads to ``path`` (.zip)."""
    database = db.database.obj
    with tempfile.TemporaryDirectory() as tmp:
        if db.is_sqlite(database):
            dump, kind = os.path.join(tmp, "database.sqlite"), "sqlite"
            snapshot = _sqlite_snapshot(database, dump)
        else:
            dump, kind = os.path.join(tmp, "database.pgdump"), "postgresql"
            snapshot = _postgres_snapshot(app, dump)
        manifest = {"balai": __version__, "database": kind, "plugins": app.plugins.names(),
                    "created_utc": datetime.datetime.utcnow().isoformat(timespec="seconds"), **snapshot}
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


# ---------------------------------------------------------------- restore

def mismatch(manifest, found):
    """How the restored data differs from what the manifest recorded, or None."""
    if found["audit_entries"] != manifest.get("audit_entries") or found["audit_head"] != manifest.get("audit_head"):
        return (f"restored {found['audit_entries']} audit entries, the backup recorded "
                f"{manifest.get('audit_entries')}")
    if not found["audit_ok"]:
        return f"the audit chain in the backup does not verify: {found['audit_problem']}"
    for table, count in (manifest.get("tables") or {}).items():
        if found["tables"].get(table) != count:
            return f"table {table}: {found['tables'].get(table)} rows restored, the backup recorded {count}"
    return None


def _restore_sqlite(database, tmp, manifest):
    target = database.database
    staging = target + ".restoring"
    for leftover in (staging, staging + "-wal", staging + "-shm"):
        if os.path.exists(leftover):
            os.remove(leftover)
    shutil.copyfile(os.path.join(tmp, "database.sqlite"), staging)
    snap = peewee.SqliteDatabase(staging)
    with snap.connection_context():
        problem = mismatch(manifest, describe(snap))
        audit.install_triggers(snap)
    if problem:
        os.remove(staging)
        raise _fail(f"backup refused, nothing restored: {problem}")
    return staging


def _restore_postgres(app, tmp, manifest):
    env, args = _pg_env_and_args(app.config["database"])
    script = os.path.join(tmp, "restore.sql")
    result = subprocess.run(["pg_restore", "--no-owner", "-f", script, os.path.join(tmp, "database.pgdump")],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise _fail(f"pg_restore failed: {result.stderr.strip()[-300:]}")
    check = os.path.join(tmp, "check.sql")
    with open(check, "w", encoding="utf-8") as fh:
        fh.write(_postgres_check_sql(manifest))
    target = args[-1]
    result = subprocess.run(["psql", "--single-transaction", "-v", "ON_ERROR_STOP=1", "-q", "-X",
                             "-f", script, "-f", check, "-d", target] + args[:-1],
                            env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise _fail(f"backup refused, nothing restored: {result.stderr.strip()[-400:]}")


def _literal(value):
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def _postgres_check_sql(manifest):
    """Runs last in the restore's transaction: any difference from the manifest aborts it all."""
    checks = [f"(SELECT COUNT(*) FROM public.audit_log) <> {int(manifest.get('audit_entries') or 0)}",
              f"(SELECT hash FROM public.audit_log ORDER BY seq DESC LIMIT 1) IS DISTINCT FROM "
              f"{_literal(manifest.get('audit_head'))}"]
    for table, count in sorted((manifest.get("tables") or {}).items()):
        checks.append(f'(SELECT COUNT(*) FROM public."{table.replace(chr(34), "")}") <> {int(count)}')
    body = "\n".join(f"  IF {c} THEN RAISE EXCEPTION 'restored data differs from the backup manifest: %', "
                     f"{_literal(c[:120])}; END IF;" for c in checks)
    return f"DO $$\nBEGIN\n{body}\nEND $$;\n"


def restore(app, path):
    """Bring a backup back into an empty instance, all or nothing."""
    if not zipfile.is_zipfile(path):
        raise _fail(f"{path} is not a Balai backup (.zip)")
    database = db.database.obj
    with zipfile.ZipFile(path) as z:
        try:
            manifest = json.loads(z.read("manifest.json"))
        except KeyError:
            raise _fail(f"{path} has no manifest.json: not a Balai backup")
        with db.connection():
            if database.get_tables():
                raise _fail("restore needs an empty database; this one already has tables")
        kind = "sqlite" if db.is_sqlite(database) else "postgresql"
        if manifest.get("database") != kind:
            raise _fail(f"backup is of a {manifest.get('database')} database; this instance uses {kind}")
        with tempfile.TemporaryDirectory() as tmp:
            z.extractall(tmp)
            if kind == "sqlite":
                staging = _restore_sqlite(database, tmp, manifest)
                database.close()
                target = database.database
                for stale in (target + "-wal", target + "-shm"):   # of the empty database: never replayed
                    if os.path.exists(stale):
                        os.remove(stale)
                os.replace(staging, target)
            else:
                _restore_postgres(app, tmp, manifest)
            uploads_src = os.path.join(tmp, "uploads")
            if os.path.isdir(uploads_src):
                shutil.copytree(uploads_src, app.config["upload_dir"], dirs_exist_ok=True)
    with db.connection():
        audit.install_triggers(db.database.obj)
        ok, count, problem = audit.verify()
    if not ok:
        raise _fail(f"restored, but the audit chain does not verify: {problem}")
    return manifest
