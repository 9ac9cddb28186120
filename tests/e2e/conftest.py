"""Browser tests: the real server (waitress) on a free port with a fresh database,
driven by Debian's headless Chromium through Playwright (nothing downloads a browser).

The browser fixtures come from the pytest plugin ``balai`` (core/testing.py); they skip with a
clear message when Chromium is absent. Screenshots of key pages are kept in
test-artifacts/screenshots/ (CI artefacts).
"""
import os

import pytest

from core.testing import start_app

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture
def deployment(tmp_path, balai_db, balai_live):
    """Factory: ``deployment("kendari")`` → a LiveServer of deployments/kendari.ini on a fresh database."""
    def start(name):
        source = os.path.join(ROOT, "deployments", f"{name}.ini")
        lines = []
        for line in open(source, encoding="utf-8").read().splitlines():
            if line.startswith("database ="):
                line = f"database = {balai_db}"
            elif line.startswith("upload_dir ="):
                line = f"upload_dir = {tmp_path}/uploads"
            lines.append(line)
        path = tmp_path / f"{name}.ini"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return balai_live(start_app(str(path)))
    return start


@pytest.fixture
def page(balai_page):
    return balai_page


@pytest.fixture
def phone(balai_phone):
    return balai_phone
