"""Test fixtures for Balai and its plugins, shipped as a pytest plugin (module ``core.testing``, registered
with pytest as ``balai`` by the ``pytest11`` entry point; ``-p no:balai`` turns it off).

    def test_guest_book(balai_app, balai_client):
        app = balai_app("service_desk")                 # fresh database, plugins migrated
        officer = balai_client(app, "petugas_kios")     # a logged-in user holding that role
        page = officer.get("/service-desk/visits/new")
        officer.post("/service-desk/visits/new", {"name": "Budi", ...})

Each app test runs on a fresh SQLite file and again on a fresh PostgreSQL
database at ``BALAI_TEST_POSTGRES_URL`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``); the PostgreSQL runs are
skipped with a clear message when no server answers. ``--balai-db=sqlite``
(or ``BALAI_TEST_DB=sqlite``) runs SQLite only.

Browser tests (those using ``balai_browser``, ``balai_page`` or ``balai_phone``) run on
SQLite only: they check what a person sees and does, which does not depend on the
database, and the app tests already run every query on both. ``--balai-browser-db``
(or ``BALAI_TEST_BROWSER_DB``) chooses otherwise, e.g. ``sqlite,postgresql``.

A fresh database is a copy of a template migrated once per plugin set and test process
(core/testdb.py). The suite runs in parallel (pytest-xdist, ``-n auto`` in pytest.ini): every
name, port and folder made here is unique per worker. Templates render with
``jinja2.StrictUndefined`` (``BALAI_STRICT_TEMPLATES=1``): a misspelt variable fails the test
instead of printing nothing.

This module holds the pytest hooks and fixtures; the kit they use lives by concern and is
re-exported here (import it from ``core.testing``): ``core.testclient`` (config, app, users,
WebTest client, query counting, driving a run), ``core.testcontract`` (the plugin contract),
``core.testbrowser`` (Chromium, live server, PDF text), ``core.testdb`` and ``core.testfactories``.
"""
import os

import pytest

from core import testdb
# The test kit: every name below is imported from here by the tests of the core and of plugins.
from core.testbrowser import CHROMIUM, CHROMIUM_ARGS, LiveServer, _new_page, pdf_text  # noqa: F401
from core.testclient import (FLASH_ERROR, TEST_PASSWORD, Client, complete_steps, count_queries,  # noqa: F401
                             find_run, institution_today, make_user, run_steps, start_app, write_config)
from core.testcontract import (check_plugin_contract, document_type_problems, foreign_hook_problems,  # noqa: F401
                               grant_problems, hook_problems)
from core.testdb import postgres_admin_url, postgres_reachable  # noqa: F401
from core.testfactories import make_batch, make_enrolment, make_person, make_programme  # noqa: F401

POSTGRES_DEFAULT = testdb.POSTGRES_DEFAULT


def pytest_addoption(parser):
    group = parser.getgroup("balai")
    group.addoption("--balai-db", default=os.environ.get("BALAI_TEST_DB", "sqlite,postgresql"),
                    help="comma-separated databases to run app tests on: sqlite, postgresql")
    group.addoption("--balai-browser-db", default=os.environ.get("BALAI_TEST_BROWSER_DB", "sqlite"),
                    help="comma-separated databases to run browser tests on (default: sqlite)")


def pytest_configure(config):
    # Read by core/web.py make_environment: an undefined template variable raises in tests.
    os.environ["BALAI_STRICT_TEMPLATES"] = "1"
    config.addinivalue_line("markers", "browser: drives the real browser (runs on SQLite only; -m 'not browser' skips)")


def pytest_generate_tests(metafunc):
    if "balai_db" in metafunc.fixturenames:
        option = "--balai-browser-db" if "balai_browser" in metafunc.fixturenames else "--balai-db"
        kinds = [k.strip() for k in metafunc.config.getoption(option).split(",") if k.strip()]
        metafunc.parametrize("balai_db", kinds, indirect=True)


def pytest_collection_modifyitems(items):
    for item in items:
        if "balai_browser" in getattr(item, "fixturenames", ()):
            item.add_marker("browser")


def pytest_sessionfinish(session):
    failures = testdb.finish()
    if failures:
        session.config.get_terminal_writer().line(
            "core.testing: could not drop test databases:\n  " + "\n  ".join(failures), yellow=True)


@pytest.fixture
def balai_db(request, tmp_path):
    """The database URL of this test: a SQLite file, or a fresh PostgreSQL database (empty until
    ``start_app`` makes it a copy of the migrated template)."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path}/balai.db"
        return
    if kind != "postgresql":
        pytest.fail(f"unknown --balai-db kind {kind!r}")
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL not reachable at {postgres_admin_url()} (set BALAI_TEST_POSTGRES_URL)")
    url = testdb.create_postgres_database()
    yield url
    from core import db
    if db.database.obj is not None and not db.database.obj.is_closed():
        db.database.obj.close()
    testdb.drop_postgres_database(url)


@pytest.fixture(autouse=True)
def _balai_app_binding():
    """Each test starts with no app bound and leaves none behind."""
    from core import context
    token = context.use_app(None)
    yield
    context.release_app(token)


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


# ---------------------------------------------------------------- a real browser

@pytest.fixture
def balai_live():
    """Factory: ``balai_live(app)`` → a LiveServer, stopped after the test."""
    servers = []

    def start(app):
        servers.append(LiveServer(app))
        return servers[-1]
    yield start
    for s in servers:
        s.stop()


@pytest.fixture(scope="session")
def balai_browser():
    """Debian's headless Chromium through Playwright, one per test session (nothing downloads a browser).

    Skips with a clear message when Chromium or Playwright is missing."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
                    "(apt-get install chromium) to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (pip install -e '.[test]')")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def balai_page(balai_browser):
    """A desktop-size page (1280×900)."""
    ctx, pg = _new_page(balai_browser, viewport={"width": 1280, "height": 900}, locale="id-ID")
    yield pg
    ctx.close()


@pytest.fixture
def balai_phone(balai_browser):
    """A phone-size page (375×740, touch)."""
    ctx, pg = _new_page(balai_browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True,
                        locale="id-ID")
    yield pg
    ctx.close()
