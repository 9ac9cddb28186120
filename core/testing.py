"""Test fixtures for Balai and its plugins, shipped as a pytest plugin (``balai.testing``).

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
"""
import itertools
import logging
import os
import re

import pytest

from core import testdb
from core.testdb import postgres_admin_url, postgres_reachable  # noqa: F401  (part of the test kit)

TEST_PASSWORD = "Uji-Coba-Balai-2026"
POSTGRES_DEFAULT = testdb.POSTGRES_DEFAULT
_counter = itertools.count(1)


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
            "balai.testing: could not drop test databases:\n  " + "\n  ".join(failures), yellow=True)


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
    from core import app as app_mod, audit, audit_anchor, context, db
    app = app_mod.build(config_path)
    audit_anchor.use_key_of(app, create=True)
    app.templates.bytecode_cache = testdb.TEMPLATE_BYTECODE    # each template compiled once per process
    testdb.copy_template_if_empty(app)       # an empty database becomes a copy of the migrated template
    with db.connection():
        db.migrate(app.plugins)
        audit.install_triggers(db.database.obj)
    app.startup()
    # The test (like a CLI command) runs in this app from here on;
    # the autouse fixture below drops the binding when the test ends.
    context.use_app(app)
    return app


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


# ---------------------------------------------------------------- driving an SOP run

FLASH_ERROR = re.compile(r'<div class="flash flash-error"[^>]*>(.*?)</div>', re.S)


def complete_steps(client, run_id, *numbers, branch=None, notes=""):
    """Complete steps of a run through its page, as ``client``'s user; fail naming the refusal.

        complete_steps(clerk, run_id, 1, 2)                  # steps 1 then 2
        complete_steps(clerk, run_id, 1, branch="Daftar")    # a decision step
    Returns the run page after the last step.
    """
    page = None
    for no in numbers:
        data = {"no": str(no), "notes": notes}
        if branch:
            data["branch"] = branch
        page = client.follow(client.post(f"/runs/{run_id}/complete", data))
        refused = FLASH_ERROR.findall(page.text)
        if refused:
            raise AssertionError(f"step {no} of run {run_id} was refused: {refused[0].strip()}")
    return page


def run_steps(run_id):
    """The activations of a run so far: [(step no, status, branch)] in order."""
    from core import db
    from core.tracker.models import RunStep
    with db.connection():
        return [(rs.no, rs.status, rs.branch)
                for rs in RunStep.select().where(RunStep.run == run_id).order_by(RunStep.id)]


def find_run(subject_type, subject_id, code=None):
    """The latest run of a subject record (``service.run_for`` in a connection), or None."""
    from core import db
    from core.tracker import service
    with db.connection():
        return service.run_for(subject_type, subject_id, code)


# ---------------------------------------------------------------- the plugin contract

_PARAM = re.compile(r"<[^>]+>")


def _concrete(path):
    return _PARAM.sub("1", path)


def _row_counts(tables):
    from core import db
    with db.connection() as conn:
        present = set(conn.get_tables())
        return {t: (conn.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] if t in present else None)
                for t in tables}


def hook_problems(hooks_module):
    """Functions of a hooks module that Balai would not call as the author meant: a name that
    is not a hook spec (a typo), or a ``balai_*`` function without ``@hookimpl``."""
    from core import hookspecs
    specs = {n for n in dir(hookspecs) if n.startswith("balai_")}
    problems = []
    for attr, obj in sorted(vars(hooks_module).items()):
        if not callable(obj) or isinstance(obj, type):
            continue
        opts = getattr(obj, "balai_impl", None)
        own = getattr(obj, "__module__", None) == hooks_module.__name__
        if opts is not None:
            name = (opts or {}).get("specname") or attr
            if name not in specs:
                problems.append(f"hook {name!r} in {hooks_module.__name__} is not a Balai hook "
                                f"(known: see core/hookspecs.py)")
        elif own and attr.startswith("balai_"):
            if attr in specs:
                problems.append(f"function {attr!r} in {hooks_module.__name__} lacks @hookimpl: Balai ignores it")
            else:
                problems.append(f"function {attr!r} in {hooks_module.__name__} is not a Balai hook")
    return problems


def check_plugin_contract(plugin_name, tmp_path, plugin_dirs=(), use=None, demo=True, options=None):
    """The contract every plugin passes; raises AssertionError listing every breach.

        enable → migrate (models match migrations) → use (demo data and ``use(app, admin_client)``;
        every GET route without URL parameters answers 200 to an admin, with parameters never 500)
        → disable (tables and rows kept; routes 404, menu entries gone) → enable again (rows back,
        routes 200) → every route has a declared permission or is public → every hook implemented
        is a Balai hook spec.

    ``plugin_dirs``: folders holding the plugin package when it is not pip-installed.
    ``demo``: load the demo data of the enabled plugins (``balai_demo_data``) as the "use" step.
    Returns a summary dict (tables, row counts, routes checked).
    """
    from core import db
    from core.context import SYSTEM, set_actor

    folder = os.path.join(str(tmp_path), f"contract-{plugin_name}")
    os.makedirs(folder, exist_ok=True)
    url = f"sqlite:///{folder}/contract.db"
    extra = {"plugin_dirs": " ".join(os.path.abspath(str(d)) for d in plugin_dirs)} if plugin_dirs else {}
    problems = []

    def start(plugins):
        return start_app(write_config(folder, plugins, url, options, **extra))

    def admin_client(app):
        client = Client(app, admin)
        res = client.login(admin.username)
        assert res.status_int == 303, f"contract admin could not log in: {res.status}"
        return client

    def get_routes(client, expect_ok, when):
        checked = 0
        for r in routes:
            if r.method != "GET":
                continue
            path = _concrete(r.path)
            res = client.get(path, status="*")
            checked += 1
            if r.path == path and expect_ok:
                final = res
                for _i in range(5):
                    if final.status_int not in (301, 302, 303) or not final.location:
                        break
                    final = final.follow(status="*") if hasattr(final, "follow") else final
                if final.status_int != 200:
                    problems.append(f"{when}: GET {path} answered {final.status} to an admin (expected 200)")
            elif res.status_int >= 500:
                problems.append(f"{when}: GET {path} answered {res.status} (a server error)")
        return checked

    def menu_links(client):
        page = client.get("/tasks", status="*").text
        return {item.path for item in menu if f'href="{item.path}"' in page}

    # ---- enable and migrate
    app = start([plugin_name])
    if plugin_name not in app.plugins:
        raise AssertionError(f"plugin {plugin_name} is not enabled after listing it in [balai] plugins")
    plugin = app.plugins.by_name[plugin_name]
    others = [p.name for p in app.plugins if p.name not in ("core", plugin_name)]
    with db.connection():
        pending = dict(db.migration_status(app.plugins)).get(plugin_name, [])
        if pending:
            problems.append(f"migrations not applied after migrate: {pending}")
        for name, diff in db.schema_drift(app.plugins):
            if name == plugin_name:
                problems.append(f"models differ from migrations (run balai makemigration {plugin_name}):\n{diff}")
    tables = db.tables_of(app.plugins).get(plugin_name, [])
    routes = [r for r in app.router.routes if r.plugin == plugin_name]
    menu = [item for p, items in app.plugins.each("balai_menu") if p.name == plugin_name for item in items or ()]

    # ---- permissions and hook names
    for r in routes:
        if not r.public and not r.permission:
            problems.append(f"route {r.method} {r.path} has no permission and is not public")
        elif r.permission and r.permission not in app.permissions:
            problems.append(f"route {r.method} {r.path} needs undeclared permission {r.permission!r}")
    for item in menu:
        if item.permission not in app.permissions:
            problems.append(f"menu entry {item.path} needs undeclared permission {item.permission!r}")
    problems += hook_problems(plugin.hooks)

    # ---- use
    admin = make_user(app, f"contract_admin_{next(_counter)}", ("admin",))
    if demo:
        from core import demo as demo_mod
        with db.connection():
            set_actor(SYSTEM)
            try:
                demo_mod.demo_users(app)
                for _p, _lines in app.plugins.each("balai_demo_data", app=app):
                    pass
            finally:
                set_actor(None)
    client = admin_client(app)
    if use is not None:
        use(app, client)
    checked = get_routes(client, True, "enabled")
    missing_menu = {item.path for item in menu} - menu_links(client)
    if missing_menu:
        problems.append(f"enabled: menu entries not shown to an admin: {sorted(missing_menu)}")
    counts = _row_counts(tables)

    # ---- disable: data kept, UI gone (a bridge, auto-enabled, is off once a plugin it joins is off)
    app = start([n for n in others if n != plugin.manifest.depends[-1]] if plugin.manifest.auto_enable else others)
    if plugin_name in app.plugins:
        problems.append(f"disabled: {plugin_name} is still enabled (another plugin depends on it?)")
    after = _row_counts(tables)
    if after != counts:
        problems.append(f"disabled: tables or rows changed: {counts} → {after}")
    client = admin_client(app)
    remaining = {(r.method, r.path) for r in app.router.routes}
    for r in routes:
        if r.method == "GET" and (r.method, r.path) not in remaining:
            res = client.get(_concrete(r.path), status="*")
            if res.status_int != 404:
                problems.append(f"disabled: GET {_concrete(r.path)} answered {res.status} (expected 404)")
    shown = menu_links(client)
    if shown or any(item.path in {i.path for i in app.menu} for item in menu):
        problems.append(f"disabled: menu entries still shown: {sorted(shown)}")

    # ---- enable again: data back
    app = start([plugin_name])
    again = _row_counts(tables)
    if again != counts:
        problems.append(f"enabled again: rows differ: {counts} → {again}")
    client = admin_client(app)
    get_routes(client, True, "enabled again")
    if {item.path for item in menu} - menu_links(client):
        problems.append("enabled again: menu entries missing")

    from core import db as db_mod
    if db_mod.database.obj is not None and not db_mod.database.obj.is_closed():
        db_mod.database.obj.close()
    if problems:
        raise AssertionError(f"plugin {plugin_name} breaks the contract:\n  - " + "\n  - ".join(problems))
    return {"tables": counts, "routes": len(routes), "gets_checked": checked, "menu": [m.path for m in menu]}


# ---------------------------------------------------------------- a real browser

CHROMIUM = os.environ.get("BALAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


class LiveServer:
    """An app served by waitress in a thread on a free port (``.url``, ``.app``)."""

    def __init__(self, app, threads=4):
        import threading

        import waitress
        self.app = app
        self.server = waitress.create_server(app.wsgi, host="127.0.0.1", port=0, threads=threads)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.close()


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


def _new_page(browser, **context):
    ctx = browser.new_context(**context)
    pg = ctx.new_page()
    pg.set_default_timeout(15000)
    return ctx, pg


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


def pdf_text(body):
    """(text of every page, [(width, height) in points]) of a PDF; fails if it is not one."""
    import io as _io

    from pypdf import PdfReader
    assert body[:5] == b"%PDF-", "not a PDF"
    reader = PdfReader(_io.BytesIO(body))
    sizes = [(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in reader.pages]
    return "\n".join(p.extract_text() or "" for p in reader.pages), sizes
