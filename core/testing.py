"""Test fixtures for Balai and its plugins, shipped as a pytest plugin (``balai.testing``).

    def test_guest_book(balai_app, balai_client):
        app = balai_app("service_desk")                 # fresh database, plugins migrated
        officer = balai_client(app, "petugas_kios")     # a logged-in user holding that role
        page = officer.get("/service-desk/visits/new")
        officer.post("/service-desk/visits/new", {"name": "Budi", ...})

The database is a fresh SQLite file per test; with ``--balai-db=postgresql``
(or both: ``--balai-db=sqlite,postgresql``) each test also runs on a fresh
PostgreSQL database at ``BALAI_TEST_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``), skipped with a clear
message when no server answers.
"""
import itertools
import logging
import os
import re
import uuid

import pytest

TEST_PASSWORD = "Uji-Coba-Balai-2026"
POSTGRES_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"
_counter = itertools.count(1)


def pytest_addoption(parser):
    group = parser.getgroup("balai")
    group.addoption("--balai-db", default=os.environ.get("BALAI_TEST_DB", "sqlite"),
                    help="comma-separated databases to run app tests on: sqlite, postgresql")


def pytest_generate_tests(metafunc):
    if "balai_db" in metafunc.fixturenames:
        kinds = [k.strip() for k in metafunc.config.getoption("--balai-db").split(",") if k.strip()]
        metafunc.parametrize("balai_db", kinds, indirect=True)


def postgres_admin_url():
    return os.environ.get("BALAI_TEST_POSTGRES_URL", POSTGRES_DEFAULT)


def postgres_reachable():
    try:
        import psycopg
        with psycopg.connect(postgres_admin_url().replace("postgresql://", "postgresql://", 1), connect_timeout=2):
            return True
    except Exception:
        return False


@pytest.fixture
def balai_db(request, tmp_path):
    """The database URL of this test: a SQLite file, or a fresh PostgreSQL database."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path}/balai.db"
        return
    if kind != "postgresql":
        pytest.fail(f"unknown --balai-db kind {kind!r}")
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL not reachable at {postgres_admin_url()} (set BALAI_TEST_POSTGRES_URL)")
    import psycopg
    name = "balai_test_" + uuid.uuid4().hex[:12]
    with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = postgres_admin_url().rsplit("/", 1)[0]
    yield f"{base}/{name}"
    from core import db
    if db.database.obj is not None and not db.database.obj.is_closed():
        db.database.obj.close()
    with psycopg.connect(postgres_admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def write_config(folder, plugins=(), database=None, options=None, **balai):
    """Write a config.ini for a test; returns its path."""
    lines = ["[balai]", f"plugins = {' '.join(plugins)}", f"database = {database or 'sqlite:///balai.db'}",
             "upload_dir = uploads"]
    lines += [f"{k} = {v}" for k, v in balai.items()]
    for plugin, values in (options or {}).items():
        lines.append(f"[plugin:{plugin}]")
        lines += [f"{k} = {v}" for k, v in values.items()]
    path = os.path.join(folder, "config.ini")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


def start_app(config_path):
    """Build, migrate and start an app from a config file (what ``balai init`` does)."""
    from core import app as app_mod, audit, db
    app = app_mod.build(config_path)
    with db.connection():
        db.migrate(app.plugins)
        audit.install_triggers(db.database.obj)
    app.startup()
    return app


@pytest.fixture
def balai_app(tmp_path, balai_db):
    """Factory: ``balai_app("training", options={...}, institution="X")`` → a started app on a fresh database."""
    def make(*plugins, options=None, **balai):
        path = write_config(str(tmp_path), plugins, balai_db, options, **balai)
        return start_app(path)
    yield make
    from core import db
    if db.database.obj is not None and not db.database.obj.is_closed():
        db.database.obj.close()


def make_user(app, username=None, roles=(), password=TEST_PASSWORD, **fields):
    """Create an active user with roles (through the audit path); returns the User."""
    from core import audit, db, identity
    from core.admin import set_roles
    username = username or f"user{next(_counter)}"
    with db.connection(), db.write():
        user = audit.create(identity.User, username=username, full_name=fields.pop("full_name", username.title()),
                            password_hash=identity.hash_password(password), **fields)
        set_roles(user, set(roles))
    return user


class Client:
    """A WebTest client that logs in and adds the CSRF token to form posts."""

    TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

    def __init__(self, app, user=None):
        import webtest
        self.app = app
        self.user = user
        self.web = webtest.TestApp(app.wsgi, extra_environ={"REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "localhost:80"})
        self.token = None

    def login(self, username, password=TEST_PASSWORD):
        page = self.web.get("/login")
        form = page.forms[0]
        form["username"], form["password"] = username, password
        res = form.submit(expect_errors=True)
        self.token = None
        return res

    def csrf(self):
        if self.token is None:
            # Every HTML page carries the token (the language form); logged out, this redirects to /login.
            page = self.web.get("/account/password", expect_errors=True)
            if page.status_int == 303:
                page = self.web.get("/login")
            match = self.TOKEN.search(page.text)
            self.token = match.group(1) if match else ""
        return self.token

    @staticmethod
    def _expect_errors(status):
        return status == "*" or (isinstance(status, int) and status >= 400)

    def get(self, url, status=None, **kwargs):
        return self.web.get(url, status=status, expect_errors=self._expect_errors(status), **kwargs)

    def post(self, url, data=None, status=None, csrf=True, upload_files=None, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf())
        return self.web.post(url, data, status=status, upload_files=upload_files,
                             expect_errors=self._expect_errors(status), **kwargs)

    def follow(self, res):
        while res.status_int in (301, 302, 303):
            res = res.follow()
        return res


@pytest.fixture
def balai_client():
    """Factory: ``balai_client(app, "kepala_tuk", ...)`` → a Client logged in as a new user with those roles;
    ``balai_client(app)`` → an anonymous client; ``balai_client(app, user=u)`` → logged in as u."""
    def make(app, *roles, user=None, username=None):
        if user is None and (roles or username):
            user = make_user(app, username, roles)
        client = Client(app, user)
        if user is not None:
            res = client.login(user.username)
            assert res.status_int == 303, f"login of {user.username} failed: {res.status}"
        return client
    return make


# ---------------------------------------------------------------- query counting


class _Counter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def count_queries(fn):
    """The number of SQL statements ``fn()`` runs (for \"constant number of queries\" tests)."""
    logger = logging.getLogger("peewee")
    handler, level = _Counter(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        fn()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return handler.count
