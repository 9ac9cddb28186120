"""Every GET page of every deployment, in Indonesian and in English, as an admin with demo data:
no untranslated msgid (English), no raw enum value (Indonesian), no percentage formatted for
the other language.

Problems are reported per plugin. Pages of plugins whose catalogs other engineers are still
translating are listed in KNOWN (xfail, with the problems printed): any problem on a page not
listed fails, so the core and the pages already fixed stay fixed. Remove a page from KNOWN once
it is clean (the test says which listed pages now pass).
"""
import html
import os
import re

import pytest

from core import i18n, identity
from core.testing import TEST_PASSWORD, Client, make_user, start_app

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEPLOYMENTS = sorted(f[:-4] for f in os.listdir(os.path.join(ROOT, "deployments")) if f.endswith(".ini"))
PARAM = re.compile(r"<[^>]+>")
# Stored codes that must never reach an Indonesian reader as they are.
RAW_CODES = re.compile(r"(?<![\w-])(active|completed|scheduled|archived|registration|cancelled|draft|published|"
                       r"running|pending|ended|open|closed|done|ready|paused|skipped|returned|stopped)(?![\w-])")
PERCENT = {"id": re.compile(r"(?<![\d.,])\d+\.\d+ ?%"), "en": re.compile(r"(?<![\d.,])\d+,\d+ ?%")}
TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)

# (deployment, language, path) → pages known to fail today (other plugins' catalogs in progress).
KNOWN = set()


def visible_text(page):
    return html.unescape(TAGS.sub(" ", page))


def local_config(name, tmp_path, database):
    lines = []
    for line in open(os.path.join(ROOT, "deployments", f"{name}.ini"), encoding="utf-8").read().splitlines():
        if line.startswith("database ="):
            line = f"database = {database}"
        elif line.startswith("upload_dir ="):
            line = f"upload_dir = {tmp_path}/uploads"
        lines.append(line)
    path = tmp_path / f"{name}.ini"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def get_pages(app):
    """(plugin, path) of every GET page without parameters, and those with one id (id 1 of demo data)."""
    out = []
    for r in app.router.routes:
        if r.method != "GET" or r.path.startswith("/api") or r.path.endswith((".csv", ".xlsx", ".pdf", ".svg")):
            continue
        params = PARAM.findall(r.path)
        if len(params) == 0:
            out.append((r.plugin, r.path))
        elif len(params) == 1 and ":int" in params[0]:
            out.append((r.plugin, PARAM.sub("1", r.path)))
    return sorted(set(out), key=lambda p: p[1])


def page_problems(client, path, lang, misses):
    misses.clear()
    res = client.get(path, status="*")
    if res.status_int != 200 or "text/html" not in res.content_type:
        return None                                        # a redirect, a 404 for a missing id, a download
    text = visible_text(res.text)
    problems = [f"untranslated: {m!r} ({d})" for m, d in sorted(set(misses))] if lang == "en" else []
    if lang == "id":
        problems += [f"raw value: {m!r}" for m in sorted(set(RAW_CODES.findall(text)))]
    problems += [f"number for the other language: {m!r}" for m in sorted(set(PERCENT[lang].findall(text)))]
    return problems


# Not yet calibrated: KNOWN is empty and one run took over 15 minutes on the shared 2-core machine
# (demo data of a deployment, then every page twice). Opt in with BALAI_I18N_PAGES=1 until KNOWN
# is filled from a full run and the page list is trimmed.
@pytest.mark.skipif(os.environ.get("BALAI_I18N_PAGES") != "1", reason="opt-in: BALAI_I18N_PAGES=1 (not calibrated yet)")
@pytest.mark.parametrize("name", DEPLOYMENTS)
def test_every_page_in_both_languages(name, tmp_path, balai_db, capsys):
    from core import db, demo
    app = start_app(local_config(name, tmp_path, balai_db))
    with db.connection():
        demo.load(app)
    capsys.readouterr()
    misses = []
    i18n.missed = lambda message, domain: misses.append((message, domain))
    failing = {}
    try:
        for lang in ("id", "en"):
            admin = make_user(app, f"admin.{lang}", (identity.ADMIN,), language=lang)
            client = Client(app, admin)
            assert client.login(admin.username, TEST_PASSWORD).status_int == 303
            for plugin, path in get_pages(app):
                problems = page_problems(client, path, lang, misses)
                if problems:
                    failing[(name, lang, path)] = (plugin, problems)
    finally:
        i18n.missed = None
    new = {k: v for k, v in failing.items() if k not in KNOWN}
    fixed = sorted(k for k in KNOWN if k[0] == name and k not in failing)
    by_plugin = {}
    for (dep, lang, path), (plugin, problems) in sorted(failing.items()):
        by_plugin.setdefault(plugin, []).append(f"  [{lang}] {path}: " + "; ".join(problems[:8])
                                                + (f" (+{len(problems) - 8})" if len(problems) > 8 else ""))
    report = "\n".join(f"{plugin} ({len(lines)} page(s)):\n" + "\n".join(lines) for plugin, lines in by_plugin.items())
    print(f"\n{name}: pages with language problems, per plugin\n{report}")
    if fixed:
        print(f"{name}: listed in KNOWN but clean now (remove them): {fixed}")
    assert not new, (f"{name}: {len(new)} page(s) not in KNOWN have language problems:\n" + report)
    if failing:
        pytest.xfail(f"{name}: {len(failing)} known page(s) still have language problems (listed above)")
