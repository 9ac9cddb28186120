"""Issue 2: plugins, config, precedence, migrations, events, enable/disable — with the toy plugins."""
import logging

import pytest
from balai_toys import TOYS

from core import app as app_mod, db
from core.config import ConfigError
from core.testing import start_app, write_config


def test_toy_plugins_routes_menus_templates_options(balai_app, balai_client):
    app = balai_app("toy_child", plugin_dirs=TOYS, options={"toy_base": {"greeting": "Selamat pagi", "limit": "7"}})
    assert app.plugins.names() == ["core", "toy_base", "toy_child"]      # dependency first
    assert app.config.plugin("toy_base") == {"greeting": "Selamat pagi", "limit": 7}
    clerk = balai_client(app, "toy_clerk")
    page = clerk.get("/toy/hello")
    assert '<h1 id="greeting">Selamat pagi</h1>' in page.text
    assert "child-extra" in page.text and "base-extra" not in page.text   # child overrides one block
    labels = [a for a in ("Gadget", "Anak") if f">{a}</a>" in page.text]
    assert labels == ["Gadget", "Anak"]
    assert clerk.get("/static/toy.css").text.strip() == ".toy { color: red; }"
    assert clerk.get("/static/toy.css").headers["Cache-Control"].startswith("public")


def test_generic_screen_create_list_detail_with_history(balai_app, balai_client):
    app = balai_app("toy_base", plugin_dirs=TOYS)
    clerk = balai_client(app, "toy_clerk")
    res = clerk.post("/toy/gadgets/new", {"name": "Obeng", "nik": "7401010101010003", "size": "3"})
    assert res.status_int == 303
    detail = clerk.follow(res)
    # history from the audit log, in words: the action and the field labels, not column names
    assert "Obeng" in detail.text and "membuat" in detail.text and "Nama: ∅ → Obeng" in detail.text
    assert "<code>name</code>" not in detail.text
    assert "Obeng" in clerk.get("/toy/gadgets?q=Obe").text
    assert "Obeng" not in clerk.get("/toy/gadgets?q=Palu").text


def test_events_after_commit_and_failing_subscriber(balai_app, balai_client, caplog):
    import toy_base.hooks as base
    import toy_child.hooks as child
    base.RECEIVED.clear(), child.RECEIVED.clear()
    app = balai_app("toy_child", plugin_dirs=TOYS)
    clerk = balai_client(app, "toy_clerk")
    clerk.post("/toy/gadgets/new", {"name": "Palu"})
    assert ("toy.saved", {"id": 1}) in base.RECEIVED and "toy.saved" in child.RECEIVED
    # A form with errors rolls back: no event, no row.
    base.RECEIVED.clear()
    clerk.post("/toy/gadgets/new", {"name": ""}, status=422)
    assert base.RECEIVED == []
    # One failing subscriber is logged; the others still get the event.
    from core import events
    with db.connection(), caplog.at_level(logging.ERROR, logger="balai.events"):
        with db.write():
            events.emit("toy.saved", id=9, explode=True)
    assert ("toy.saved", {"id": 9, "explode": True}) in base.RECEIVED
    assert "subscriber toy_child failed" in caplog.text


def test_disable_keeps_data_and_enable_brings_it_back(tmp_path, balai_client):
    url = f"sqlite:///{tmp_path}/keep.db"
    app = start_app(write_config(str(tmp_path), ["toy_base"], url, plugin_dirs=TOYS))
    clerk = balai_client(app, "toy_clerk", username="sari")
    clerk.post("/toy/gadgets/new", {"name": "Tang"})
    # Disabled: the UI is gone, the table and its rows stay.
    app = start_app(write_config(str(tmp_path), [], url, plugin_dirs=TOYS))
    assert "toy_base" not in app.plugins
    admin = balai_client(app, "admin")
    assert admin.get("/toy/gadgets", status=404).status_int == 404
    assert "Gadget" not in admin.get("/tasks").text
    with db.connection() as conn:
        assert conn.execute_sql("SELECT name FROM toy_gadget").fetchall() == [("Tang",)]
    # Enabled again: the data is back.
    app = start_app(write_config(str(tmp_path), ["toy_base"], url, plugin_dirs=TOYS))
    clerk = balai_client(app, "toy_clerk")
    assert "Tang" in clerk.get("/toy/gadgets").text


def test_every_config_problem_is_listed_at_once(tmp_path):
    path = tmp_path / "bad.ini"
    path.write_text(
        "[balai]\nplugins = nope toy_orphan toy_cycle_a toy_base\ndatabase = postgresql://nobody@127.0.0.1:1/x\n"
        f"plugin_dirs = {TOYS}\ntimezone = CET\nsession_idle_minutes = lots\ncolour = blue\n"
        "[plugin:toy_base]\nlimit = many\nunknown_opt = 1\n[weird]\nx = 1\n")
    with pytest.raises(ConfigError) as err:
        app_mod.build(str(path))
    problems = "\n".join(err.value.problems)
    for expected in ["unknown plugin 'nope'", "depends on 'not_installed'", "cyclic dependency",
                     "timezone: expected one of WIB, WITA, WIT", "session_idle_minutes: expected a whole number",
                     "unknown option 'colour'", "[plugin:toy_base] limit: expected a whole number",
                     "[plugin:toy_base] unknown option 'unknown_opt'", "unknown section [weird]",
                     "database unreachable"]:
        assert expected in problems, expected


def test_broken_plugin_is_named_and_misspelled_hook_fails(tmp_path):
    with pytest.raises(ConfigError) as err:
        app_mod.build(write_config(str(tmp_path), ["toy_broken"], f"sqlite:///{tmp_path}/x.db", plugin_dirs=TOYS))
    assert "plugin 'toy_broken' failed to import: ModuleNotFoundError" in err.value.problems[0]
    with pytest.raises(ConfigError) as err:
        app_mod.build(write_config(str(tmp_path), ["toy_typo"], f"sqlite:///{tmp_path}/x.db", plugin_dirs=TOYS))
    assert "toy_typo" in err.value.problems[0] and "balai_routez" in err.value.problems[0]


def test_route_without_permission_refuses_to_register():
    from core.web import Router
    router = Router().for_plugin("x")
    router.get("/open")(lambda: "")
    router.get("/fine", permission="x.view")(lambda: "")
    router.get("/free", public=True)(lambda: "")
    assert router.check({"x.view": object()}) == [
        "route GET /open of plugin 'x' declares no permission (give permission=... or public=True)"]


def test_migrations_plan_and_history_per_plugin(balai_app):
    app = balai_app("toy_base", plugin_dirs=TOYS)
    with db.connection() as conn:
        tables = set(conn.get_tables())
        assert {"migrations_core", "migrations_toy_base", "toy_gadget", "audit_log"} <= tables
        assert all(not pending for _p, pending in db.migration_status(app.plugins))


def test_models_match_migrations_for_every_bundled_plugin(tmp_path):
    """A model changed without a migration fails here (peewee's schema_diff)."""
    from core.plugins import available
    bundled = sorted(n for n, (_m, src) in available().items() if src == "bundled")
    app = start_app(write_config(str(tmp_path), bundled, f"sqlite:///{tmp_path}/all.db"))
    with db.connection():
        assert db.schema_drift(app.plugins) == []


def test_english_is_selectable_and_dates_follow_the_language(balai_app, balai_client):
    import datetime

    from core import i18n
    app = balai_app("toy_base", plugin_dirs=TOYS)
    clerk = balai_client(app, "toy_clerk")
    assert "Tugas saya" in clerk.get("/tasks").text
    clerk.post("/account/language", {"lang": "en", "next": "/tasks"})
    page = clerk.get("/tasks").text
    assert "My tasks" in page and 'lang="en"' in page
    i18n.set_language("id")
    assert i18n.format_date(datetime.date(2024, 12, 16)) == "16 Desember 2024"
    assert i18n.format_percent(33.333) == "33,3%"
    i18n.set_language("en")
    assert i18n.format_date(datetime.date(2024, 12, 16)) == "16 December 2024"
    i18n.set_language("id")
