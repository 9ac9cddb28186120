"""Browser tests: the real server (waitress) on a free port with a fresh database,
driven by Debian's headless Chromium through Playwright (nothing downloads a browser).

Skipped with a clear message when Chromium is absent (`apt-get install chromium`).
Screenshots of key pages are kept in test-artifacts/screenshots/ (CI artefacts).
"""
import os
import shutil
import threading

import pytest

from core.testing import start_app

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHROMIUM = os.environ.get("BALAI_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def pytest_collection_modifyitems(config, items):
    if not os.path.exists(CHROMIUM):
        skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
                                       "(apt-get install chromium) to run the browser tests")
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class LiveServer:
    """A deployment served by waitress in a thread, on a fresh database."""

    def __init__(self, app):
        import waitress
        self.app = app
        self.server = waitress.create_server(app.wsgi, host="127.0.0.1", port=0, threads=4)
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.close()


@pytest.fixture
def deployment(tmp_path, balai_db):
    """Factory: ``deployment("kendari")`` → a LiveServer of deployments/kendari.ini on a fresh database."""
    servers = []

    def start(name):
        from core import config as config_mod
        source = os.path.join(ROOT, "deployments", f"{name}.ini")
        text = open(source, encoding="utf-8").read()
        lines = []
        for line in text.splitlines():
            if line.startswith("database ="):
                line = f"database = {balai_db}"
            elif line.startswith("upload_dir ="):
                line = f"upload_dir = {tmp_path}/uploads"
            lines.append(line)
        path = tmp_path / f"{name}.ini"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        app = start_app(str(path))
        server = LiveServer(app)
        servers.append(server)
        return server
    yield start
    for s in servers:
        s.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield pg
    context.close()
