"""Database: one URL for SQLite or PostgreSQL, the model base, transactions, migrations.

Every model binds to ``database``, a proxy pointed at the real database when
the app starts. Each plugin owns its tables and a migrations folder, applied
with peewee's own runner (``playhouse.migrations``) and a history table of
its own (``migrations_<plugin>``).
"""
import contextlib
import datetime
import os
import random
import re
import threading
import time

import peewee
from playhouse import db_url

database = peewee.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",        # readers never block the writer
    "foreign_keys": 1,
    "busy_timeout": 10000,        # wait for the writer instead of failing at once
    "synchronous": "normal",      # safe with WAL: a crash loses no committed transaction
    # 1 MiB of page cache per connection (SQLite's default is 2 MiB): the server keeps one
    # connection per thread; the hot index pages fit and the file stays in the OS cache.
    # 4 threads after 800 pages: ~3 MB less resident than with 2 MiB.
    "cache_size": -1024,
}


def default_table_name(model):
    """``<plugin>_<model in snake case>`` (``placement.models.Vacancy`` → ``placement_vacancy``;
    bundled ``plugins.training.models.Batch`` → ``training_batch``), as Django names an app's tables.
    A model's own ``Meta.table_name`` wins."""
    parts = model.__module__.split(".")
    package = parts[1] if parts[0] == "plugins" and len(parts) > 2 else parts[0]
    return f"{package}_{re.sub(r'(?<!^)(?=[A-Z])', '_', model.__name__).lower()}"


class BaseModel(peewee.Model):
    """Base of every Balai table. ``audit_type`` names the record in the audit log."""

    class Meta:
        database = database
        legacy_table_names = False
        table_function = default_table_name

    @classmethod
    def audit_type(cls):
        return cls._meta.table_name


class MoneyField(peewee.DecimalField):
    """An amount of rupiah (15 digits, 2 decimals): its form field is ``forms.Money`` and pages show
    it as ``Rp 4.500.000``."""

    def __init__(self, max_digits=15, decimal_places=2, **kwargs):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, **kwargs)


def utcnow():
    """Aware UTC now; stored as naive UTC (peewee DateTimeField keeps no zone)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


# ---------------------------------------------------------------- prepared queries

class Param:
    """A named slot of a prepared query (see ``Prepared``)."""
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name


def param(name):
    """A value supplied each time a ``Prepared`` query runs: ``Session.key_hash == param("key")``."""
    return peewee.Value(Param(name), converter=False)


class Prepared:
    """A peewee query turned into SQL once per kind of database, then run with new
    values. For the few statements every request or every audited write runs:
    peewee rebuilds the SQL text from its expression tree at each execution,
    which costs more than SQLite takes to run the statement (a profile of one
    step completion: half its time in ``peewee.__sql__``).

        FIND = Prepared(lambda: User.select().where(User.username == param("name")))
        user = FIND.first(name="budi")
    """

    def __init__(self, build):
        self.build = build
        self._compiled = {}

    def _compile(self):
        kind = type(database.obj)
        compiled = self._compiled.get(kind)
        if compiled is None:
            query = self.build()
            sql, params = query.sql()
            compiled = self._compiled[kind] = (query, sql, params)
        return compiled

    def execute(self, **values):
        """Run it; returns the driver's cursor."""
        _query, sql, params = self._compile()
        return database.obj.execute_sql(sql, [values[p.name] if isinstance(p, Param) else p for p in params])

    def rows(self, **values):
        """Rows as the query would give them (model instances, tuples…)."""
        query = self._compile()[0]
        return list(query._get_cursor_wrapper(self.execute(**values)).iterator())

    def first(self, **values):
        rows = self.rows(**values)
        return rows[0] if rows else None


_row_writes = {}


def _prepared(key, build):
    prepared = _row_writes.get(key)
    if prepared is None:
        prepared = _row_writes[key] = Prepared(build)
    return prepared


def insert_row(obj):
    """``obj.save(force_insert=True)`` through an INSERT compiled once per model and set of
    fields (the audited write path: ``audit.create``). Sets the new primary key on ``obj``."""
    model = type(obj)
    meta = model._meta
    pk = meta.primary_key
    data = obj.__data__
    auto = meta.auto_increment and data.get(pk.name) is None
    names = tuple(n for n in data if n in meta.fields and not (auto and n == pk.name))
    prepared = _prepared(("insert", model, names), lambda: model.insert(
        {meta.fields[n]: param(n) for n in names}))
    cursor = prepared.execute(**{n: meta.fields[n].db_value(data[n]) for n in names})
    if auto:
        new_id = cursor.lastrowid if is_sqlite() else cursor.fetchone()[0]
        obj._pk = new_id
        obj._dirty.discard(pk.name)
    obj._dirty -= set(names)
    return obj


def update_row(obj, names):
    """``obj.save(only=names)`` through an UPDATE compiled once per model and set of fields."""
    model = type(obj)
    meta = model._meta
    names = tuple(n for n in names if n != meta.primary_key.name)
    if not names:
        return
    prepared = _prepared(("update", model, names), lambda: model.update(
        {meta.fields[n]: param(n) for n in names}).where(meta.primary_key == param("_pk")))
    prepared.execute(_pk=obj._pk, **{n: meta.fields[n].db_value(obj.__data__.get(n)) for n in names})
    obj._dirty -= set(names)


def _lock_query(model):
    query = model.select().where(model._meta.primary_key == param("_pk"))
    return query if is_sqlite() else query.for_update()


# ---------------------------------------------------------------- connecting

class DatabaseUnreachable(Exception):
    pass


def open_database(url, base_dir="."):
    """Make the peewee database for ``url``; relative SQLite paths are relative to base_dir."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        path = url[len("sqlite:///"):]
        if path != ":memory:" and not os.path.isabs(path):
            url = "sqlite:///" + os.path.normpath(os.path.join(base_dir, path))
    try:
        if url.startswith("sqlite"):
            db = db_url.connect(url, pragmas=SQLITE_PRAGMAS, check_same_thread=False)
            folder = os.path.dirname(db.database)
            if folder and not os.path.isdir(folder):
                raise DatabaseUnreachable(f"folder of the SQLite file does not exist: {folder}")
        elif url.startswith(("postgres://", "postgresql://")):
            db = db_url.connect(url)
        else:
            raise DatabaseUnreachable(f"unsupported database URL {url!r} (use sqlite:/// or postgresql://)")
    except (ValueError, ImportError) as exc:
        raise DatabaseUnreachable(f"cannot use database {url!r}: {exc}")
    return db


def check_reachable(db):
    """Open and close one connection; raise DatabaseUnreachable with the reason."""
    try:
        db.connect(reuse_if_open=True)
        db.execute_sql("SELECT 1")
    except Exception as exc:
        raise DatabaseUnreachable(f"database unreachable: {str(exc).strip().splitlines()[0]}")
    finally:
        if not db.is_closed():
            db.close()


def is_sqlite(db=None):
    db = db or database.obj
    return isinstance(db, peewee.SqliteDatabase)


_memo = threading.local()


def transaction_memo():
    """A dict that lives as long as the current write transaction: what was read
    under its lock and stays true until it ends (e.g. the audit chain's head).
    Emptied when the outermost transaction ends and when a savepoint rolls back
    (what it remembered may have been undone)."""
    memo = getattr(_memo, "value", None)
    if memo is None:
        memo = _memo.value = {}
    return memo


def _forget():
    _memo.value = {}


# How long a SQLite writer waits for the write lock in all (the busy timeout is per attempt).
SQLITE_WRITE_WAIT = 120
_writer_locks = {}
_writer_locks_guard = threading.Lock()


def _writer_lock(db):
    """One lock per SQLite database per process: the server's threads queue here for the
    write lock instead of polling SQLite's busy handler, which favours no one and let a
    thread of eight starve past its timeout under load."""
    lock = _writer_locks.get(id(db))
    if lock is None:
        with _writer_locks_guard:
            lock = _writer_locks.setdefault(id(db), threading.Lock())
    return lock


def _is_busy(exc):
    text = str(exc).lower()
    return "database is locked" in text or "database is busy" in text


@contextlib.contextmanager
def _sqlite_write(db):
    """BEGIN IMMEDIATE, retried while another process holds the write lock. Nothing has
    been read or written before BEGIN, so starting again is always safe (a busy error
    later, inside the transaction, is not retried: it is the caller's to see)."""
    deadline = time.monotonic() + SQLITE_WRITE_WAIT
    lock = _writer_lock(db)
    if not lock.acquire(timeout=SQLITE_WRITE_WAIT):
        raise peewee.OperationalError("database is locked (waited for this process's other writers)")
    try:
        while True:
            transaction = db.atomic(lock_type="IMMEDIATE")
            try:
                transaction.__enter__()
                break
            except peewee.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(0.005, 0.05))
        with contextlib.ExitStack() as stack:
            stack.push(transaction)
            yield
    finally:
        lock.release()


@contextlib.contextmanager
def write():
    """A write transaction. On SQLite it takes the write lock at BEGIN (IMMEDIATE),
    so two writers never deadlock upgrading a read lock, and waits for it as long as
    another writer holds it (``_sqlite_write``); nested calls are savepoints.
    Events emitted inside are delivered after the outermost block commits."""
    from core import events
    db = database.obj
    if db.in_transaction():
        try:
            with db.atomic():
                yield
        except BaseException:
            _forget()
            raise
        return
    _forget()
    try:
        with _sqlite_write(db) if is_sqlite(db) else db.atomic():
            yield
    except BaseException:
        events.discard()
        raise
    finally:
        _forget()
    events.deliver()


def lock(model, obj_id):
    """The row of ``model`` with this id, read again inside the current write
    transaction and locked until it ends (None if gone): the read of every
    check-then-write. PostgreSQL: ``SELECT … FOR UPDATE``, so a second writer
    waits and then sees the first one's change; SQLite: ``write()`` already
    holds the database's write lock from BEGIN IMMEDIATE."""
    db = database.obj
    if not db.in_transaction():
        raise RuntimeError("db.lock() must run inside db.write()")
    return _prepared(("lock", model), lambda: _lock_query(model)).first(_pk=obj_id)


@contextlib.contextmanager
def connection():
    """One connection for the block (a CLI command, a job): opened here, closed here."""
    db = database.obj
    opened = db.connect(reuse_if_open=True)
    try:
        yield db
    finally:
        if opened and not db.is_closed():
            db.close()


def thread_connection():
    """The calling thread's connection, opened on first use and kept for the next
    request (peewee keeps one per thread). Opening costs ~1 ms on SQLite and far
    more on PostgreSQL, and on SQLite the last close of a file checkpoints its WAL
    (~3 ms); the server has a fixed pool of threads, so connections stay bounded.
    A connection the server dropped (PostgreSQL restarted) is replaced."""
    db = database.obj
    if not db.is_closed() and not db.is_connection_usable():
        try:
            db.close()
        except Exception:
            db._state.reset()
    db.connect(reuse_if_open=True)
    return db



# ---------------------------------------------------------------- migrations

def runner_for(plugin_name, directory):
    from playhouse.migrations import Runner       # migration tooling: not loaded by a running server
    return Runner(database.obj, directory, table_name=f"migrations_{plugin_name}")


def migration_status(plugin_set):
    """For each enabled plugin with migrations: (plugin name, [pending migration names])."""
    out = []
    for plugin, directory in plugin_set.each("balai_migrations_dir"):
        if directory:
            runner = runner_for(plugin.name, directory)
            out.append((plugin.name, [m.name for m in runner.status() if m.applied is None and m.path]))
    return out


def migrate(plugin_set):
    """Apply pending migrations plugin by plugin in dependency order; return what ran."""
    ran = []
    for plugin, directory in plugin_set.each("balai_migrations_dir"):
        if directory:
            for name in runner_for(plugin.name, directory).up():
                ran.append((plugin.name, name))
    return ran


def schema_drift(plugin_set):
    """Models that differ from the migrated schema: (plugin, diff text) pairs."""
    from playhouse.schema_diff import diff_models
    drift = []
    for plugin, models in plugin_set.each("balai_models"):
        diff = diff_models(database.obj, list(models or []))
        if diff:
            drift.append((plugin.name, str(diff)))
    return drift


def tables_of(plugin_set):
    """plugin name → the table names its models own."""
    return {plugin.name: [m._meta.table_name for m in models or []]
            for plugin, models in plugin_set.each("balai_models")}


def make_migration(plugin_set, plugin_name, label):
    """Write the next migration of a plugin from the difference between its
    models and the schema its migrations build (on a scratch SQLite file).
    Returns the new file's path, or None when models and migrations agree."""
    import tempfile
    from playhouse.migrations import template
    from playhouse.schema_diff import diff_models
    target = plugin_set.by_name[plugin_name]
    directory = target.hooks.balai_migrations_dir()
    real = database.obj
    with tempfile.TemporaryDirectory() as tmp:
        scratch = open_database(f"sqlite:///{tmp}/scratch.db")
        database.initialize(scratch)
        try:
            scratch.connect()
            migrate(plugin_set)
            models = target.hooks.balai_models()
            diff = diff_models(scratch, list(models))
            if not diff:
                return None
            os.makedirs(directory, exist_ok=True)
            # peewee applies callable defaults (utcnow) in Python, so the schema needs none.
            body = "\n".join(line for line in template(diff).splitlines()
                             if not (line.startswith("# TODO:") and "default <function" in line)) + "\n"
            return runner_for(plugin_name, directory).create(label, body)
        finally:
            scratch.close()
            database.initialize(real)
