"""Test databases: a fresh, real database per test, copied from a migrated template.

Part of the ``balai.testing`` pytest plugin (core/testing.py holds the fixtures). Migrating every
test's database from nothing costs about 0.2 s on SQLite and 1–3 s on PostgreSQL; copying a
migrated one costs a few milliseconds (SQLite) or a few hundred (PostgreSQL). So each test process
(each pytest-xdist worker) migrates one *template* per database server and plugin set the first
time a test starts an app on an empty database, and copies it for every later one:

- SQLite: the template file is checkpointed and closed (no WAL holds pages back), then copied
  over the test's empty file.
- PostgreSQL: the test's empty database is swapped for ``CREATE DATABASE ... TEMPLATE`` of the
  template (which never has an open connection after it is built).

The template is an empty database migrated for the plugin set, with the audit triggers (keyed
on every migration file of the plugin set); ``start_app`` still runs the migrations on the copy
(nothing is pending, so nothing runs) and then ``app.startup()``, whose rows are audited and
signed with the test's own audit key. A database that is not empty (restored, reused, loaded by
the CLI) is never replaced.
``BALAI_TEST_TEMPLATES=0`` migrates every test database in place, as before.

PostgreSQL drops (about a second each, mostly disk waits) run in a background thread of the
worker, so a test does not wait for the previous test's database to disappear.
"""
import contextlib
import hashlib
import logging
import os
import queue
import shutil
import sqlite3
import tempfile
import threading
import uuid
from urllib.parse import urlsplit, urlunsplit

import jinja2

POSTGRES_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"
log = logging.getLogger("balai.testing")


def worker_id():
    """``gw0``, ``gw1``… under pytest-xdist, ``main`` otherwise: part of every name made here."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def templates_enabled():
    return os.environ.get("BALAI_TEST_TEMPLATES", "1") not in ("0", "no", "false")


# ---------------------------------------------------------------- PostgreSQL databases

def postgres_admin_url():
    return os.environ.get("BALAI_TEST_POSTGRES_URL", POSTGRES_DEFAULT)


_reachable = {}


def postgres_reachable():
    """Whether the PostgreSQL server of the tests answers (asked once per process)."""
    url = postgres_admin_url()
    if url not in _reachable:
        try:
            import psycopg
            with psycopg.connect(url, connect_timeout=2):
                _reachable[url] = True
        except Exception:
            _reachable[url] = False
    return _reachable[url]


def _with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _admin():
    import psycopg
    return psycopg.connect(postgres_admin_url(), autocommit=True)


# A test database commits without waiting for its WAL to reach the disk (synchronous_commit=off,
# set on that database only, never on the server). Locking, isolation and visibility are
# PostgreSQL's own; only a crash of the PostgreSQL server could lose the last commits, which no
# test does. A test writing 4,000 audited rows from 8 threads waits 40 s for fsyncs otherwise.
NO_SYNC = "ALTER DATABASE \"{name}\" SET synchronous_commit TO off"


def create_postgres_database():
    """A new empty database on the tests' server, named for this worker; returns its URL."""
    name = f"balai_test_{worker_id()}_{uuid.uuid4().hex[:12]}"
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        conn.execute(NO_SYNC.format(name=name))
    return _with_database(postgres_admin_url(), name)


class _Dropper:
    """Drops PostgreSQL databases one after another in a daemon thread; ``wait()`` drains it."""

    def __init__(self):
        self.jobs = queue.Queue()
        self.thread = None
        self.failures = []

    def drop(self, name):
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, name="balai-test-db-dropper", daemon=True)
            self.thread.start()
        self.jobs.put(name)

    def _run(self):
        while True:
            name = self.jobs.get()
            try:
                with _admin() as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as exc:             # reported at the end of the session, never lost
                self.failures.append(f"{name}: {exc}")
            finally:
                self.jobs.task_done()

    def wait(self):
        if self.thread is not None:
            self.jobs.join()


_dropper = _Dropper()


def drop_postgres_database(url):
    """Drop a test database (in the background; ``finish()`` waits for every drop)."""
    _dropper.drop(urlsplit(url).path.lstrip("/"))


# ---------------------------------------------------------------- templates

_templates = {}          # key → SQLite template path or PostgreSQL template database name; None: unusable
_postgres_templates = []
_template_dir = None


def _folder():
    global _template_dir
    if _template_dir is None:
        _template_dir = tempfile.mkdtemp(prefix=f"balai-templates-{worker_id()}-")
    return _template_dir


def _key(app, server):
    """What a migrated database depends on: the server kind and every migration file of the plugin set."""
    parts = [server]
    for plugin, directory in app.plugins.each("balai_migrations_dir"):
        if directory:
            files = sorted((f, st.st_size, st.st_mtime_ns) for f in os.listdir(directory)
                           if f.endswith(".py") for st in [os.stat(os.path.join(directory, f))])
            parts.append((plugin.name, os.path.abspath(directory), tuple(files)))
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def _migrate_into(app, database):
    """Migrate ``database`` for the app's plugins and install the audit triggers, then close it.

    Not ``app.startup()``: the rows it writes (SOP revisions, letter templates) go through the
    audit log, whose rows are signed with each test's own audit key."""
    from core import audit, db
    real = db.database.obj
    db.database.initialize(database)
    try:
        with db.connection() as conn:
            db.migrate(app.plugins)
            audit.install_triggers(conn)
            if db.is_sqlite(conn):
                conn.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        if not database.is_closed():
            database.close()
        db.database.initialize(real)


def _template(app, server, make):
    key = _key(app, server)
    if key not in _templates:
        try:
            _templates[key] = make(key)
        except Exception:
            log.warning("could not build a template database; migrating in place", exc_info=True)
            _templates[key] = None
    return _templates[key]


def _sqlite_template(app, key):
    from core import db
    path = os.path.join(_folder(), f"{key}.db")
    _migrate_into(app, db.open_database(f"sqlite:///{path}"))
    for leftover in (path + "-wal", path + "-shm"):
        if os.path.exists(leftover) and os.path.getsize(leftover):
            raise RuntimeError(f"template {path} still has a write-ahead log")
    return path


def _postgres_template(app, key):
    from core import db
    name = f"balai_tpl_{worker_id()}_{os.getpid()}_{key[:12]}"
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
        conn.execute(NO_SYNC.format(name=name))
    try:
        _migrate_into(app, db.open_database(_with_database(postgres_admin_url(), name)))
    except Exception:
        _dropper.drop(name)
        raise
    _postgres_templates.append(name)
    return name


def _is_empty(database):
    """No table at all (a database just created; the SQLite file may not exist yet)."""
    from core import db
    if db.is_sqlite(database):
        path = database.database
        if not os.path.exists(path) or os.path.getsize(path) == 0:
            return True
        with contextlib.closing(sqlite3.connect(path)) as conn:
            return conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
    database.connect()
    try:
        return not database.get_tables()
    finally:
        database.close()


def _on_tests_server(database):
    """Templates live on the server of BALAI_TEST_POSTGRES_URL; a database elsewhere is migrated in place."""
    admin = urlsplit(postgres_admin_url())
    params = database.connect_params
    return (params.get("host") or "localhost", int(params.get("port") or 5432)) == \
        (admin.hostname or "localhost", admin.port or 5432)


def copy_template_if_empty(app):
    """When the app's database is empty, make it a copy of the migrated template of its plugin set.

    Called by ``start_app`` between building the app and migrating; returns True when copied.
    Any failure leaves the database as it was (``start_app`` then migrates it in place)."""
    from core import db
    database = app.database
    if not templates_enabled() or database is None or not database.is_closed():
        return False
    try:
        sqlite = db.is_sqlite(database)
        if (sqlite and database.database == ":memory:") or (not sqlite and not _on_tests_server(database)):
            return False
        if not _is_empty(database):
            return False
        if sqlite:
            template = _template(app, "sqlite", lambda key: _sqlite_template(app, key))
            if template is None:
                return False
            path = database.database
            for leftover in (path + "-wal", path + "-shm"):
                if os.path.exists(leftover):
                    os.remove(leftover)
            shutil.copyfile(template, path)
            return True
        template = _template(app, "postgresql", lambda key: _postgres_template(app, key))
        if template is None:
            return False
        # The empty database steps aside (renaming is instant; dropping waits for the disk) and a
        # copy of the template takes its name.
        name = database.database
        trash = f"{name[:40]}_old_{uuid.uuid4().hex[:8]}"
        with _admin() as conn:
            conn.execute(f'ALTER DATABASE "{name}" RENAME TO "{trash}"')
            try:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            except Exception:
                conn.execute(f'ALTER DATABASE "{trash}" RENAME TO "{name}"')
                raise
            conn.execute(NO_SYNC.format(name=name))
        _dropper.drop(trash)
        return True
    except Exception:
        log.warning("could not copy the template database; migrating in place", exc_info=True)
        return False


# ---------------------------------------------------------------- other per-process savings

class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Jinja's compiled templates kept in memory for the test process: every test builds a new
    app (a new Environment), which would otherwise lex, parse and compile each template again.
    Jinja checks each entry against the template's source, so an edited template is recompiled."""

    def __init__(self):
        self.store = {}

    def load_bytecode(self, bucket):
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_BYTECODE = _MemoryBytecodeCache()


# ---------------------------------------------------------------- end of the session

def finish():
    """Wait for the background drops, drop this process's templates, remove the template files."""
    global _template_dir
    _templates.clear()
    while _postgres_templates:
        _dropper.drop(_postgres_templates.pop())
    _dropper.wait()
    if _template_dir is not None:
        shutil.rmtree(_template_dir, ignore_errors=True)
        _template_dir = None
    failures, _dropper.failures = _dropper.failures, []
    return failures
