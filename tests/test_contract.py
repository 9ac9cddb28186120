"""Issue 11: the plugin contract (``core.testing.check_plugin_contract``) for every bundled
plugin, the external example plugin and a freshly scaffolded plugin; and the
third-party path: the example, pip-installed, is found through its entry point.

enable → migrate → use → disable (data kept, UI gone) → enable again (data back)
→ every route has a permission → every hook implemented exists in the specs.
"""
import importlib.metadata
import os
import types

import pytest

from core import cli, hookspecs
from core.hookspecs import hookimpl
from core.plugins import available
from core.testing import check_plugin_contract, hook_problems, start_app, write_config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "examples", "balai-sop-example")
EXAMPLE_DIST = "balai-sop-example"
# Every example package: plugin, folder, distribution, the rows its demo data leaves per table.
EXAMPLES = [("room_booking", EXAMPLE, EXAMPLE_DIST, {"room_booking_booking": 2}),
            ("placement", os.path.join(ROOT, "examples", "balai-placement"), "balai-placement",
             {"placement_vacancy": 1, "placement_placement": 0})]
BUNDLED = sorted(n for n, (_m, source) in available().items() if source == "bundled")
SCAFFOLDED = "uji_kontrak"


def example_installed(dist=EXAMPLE_DIST):
    try:
        importlib.metadata.distribution(dist)
        return True
    except importlib.metadata.PackageNotFoundError:
        return False


NOT_INSTALLED = (f"{EXAMPLE_DIST} is not pip-installed: run `.venv/bin/pip install --no-deps -e "
                 f"examples/balai-sop-example` (.ci/run does) to test the entry-point path")


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_plugin_contract(name, tmp_path):
    check_plugin_contract(name, tmp_path)


@pytest.mark.parametrize("name, folder, dist, tables", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example_plugin_contract(name, folder, dist, tables, tmp_path):
    # Installed: found through its entry point; otherwise through plugin_dirs, so the contract still runs.
    dirs = () if example_installed(dist) else [folder]
    assert check_plugin_contract(name, tmp_path, plugin_dirs=dirs)["tables"] == tables
    if dirs == ():
        assert available()[name] == (name, dist)


def test_scaffolded_plugin_contract(tmp_path):
    assert cli.main(["new-plugin", SCAFFOLDED, "--dir", str(tmp_path)]) == 0
    summary = check_plugin_contract(SCAFFOLDED, tmp_path, plugin_dirs=[str(tmp_path / f"balai-{SCAFFOLDED}")])
    assert summary["tables"] == {f"{SCAFFOLDED}_submission": 1} and summary["gets_checked"] == 4


@pytest.mark.skipif(not example_installed(), reason=NOT_INSTALLED)
def test_example_is_found_through_its_entry_point(tmp_path, capsys):
    eps = [ep for ep in importlib.metadata.entry_points(group="balai.plugins") if ep.name == "room_booking"]
    assert [(ep.value, ep.dist.name) for ep in eps] == [("room_booking", EXAMPLE_DIST)]
    assert available()["room_booking"] == ("room_booking", EXAMPLE_DIST)
    # `balai plugins` lists it as available, then enabled with its distribution as source.
    url = f"sqlite:///{tmp_path}/ep.db"
    config = write_config(str(tmp_path), [], url)
    assert cli.main(["--config", config, "plugins"]) == 0
    assert "room_booking" in capsys.readouterr().out.splitlines()[-1]       # "Available, not enabled: …"
    app = start_app(write_config(str(tmp_path), ["room_booking"], url))
    assert app.plugins.by_name["room_booking"].source == EXAMPLE_DIST
    assert cli.main(["--config", config, "plugins"]) == 0
    assert f"room_booking 0.1.0 — Peminjaman Ruang Pelatihan [{EXAMPLE_DIST}]" in capsys.readouterr().out


def test_hook_problems_are_named():
    """The last clause of the contract on a made-up hooks module: a typo, a missing marker."""
    module = types.ModuleType("fake.hooks")

    @hookimpl
    def balai_menu():
        return []

    @hookimpl
    def balai_routez(router):
        pass

    def balai_models():
        return []

    def helper():
        pass

    for fn in (balai_menu, balai_routez, balai_models, helper):
        fn.__module__ = module.__name__
        setattr(module, fn.__name__, fn)
    module.hookimpl = hookimpl
    assert hook_problems(module) == [
        "function 'balai_models' in fake.hooks lacks @hookimpl: Balai ignores it",
        "hook 'balai_routez' in fake.hooks is not a Balai hook (known: see core/hookspecs.py)"]
    assert "balai_menu" in dir(hookspecs)


def test_contract_catches_a_plugin_whose_ui_outlives_it(tmp_path, monkeypatch):
    """The contract can fail: a scaffolded plugin whose GET list page crashes is reported by path."""
    name = "uji_rusak"
    assert cli.main(["new-plugin", name, "--dir", str(tmp_path)]) == 0
    routes = tmp_path / f"balai-{name}" / name / "routes.py"
    routes.write_text(routes.read_text() + "\n\ndef _broken():\n    raise RuntimeError('rusak')\n\n\n"
                      "_register = register\n\n\ndef register(router):\n    _register(router)\n"
                      "    router.get('/uji-rusak/laporan', permission='uji_rusak.view')(_broken)\n")
    with pytest.raises(AssertionError) as err:
        check_plugin_contract(name, tmp_path, plugin_dirs=[str(tmp_path / f"balai-{name}")])
    assert "GET /uji-rusak/laporan answered 500" in str(err.value)


def test_contract_catches_hooks_that_answer_for_other_plugins(tmp_path):
    """The clauses on the wave-2 hooks can fail: a plugin whose step anchor, guards and record link
    answer for every run and record, and whose document type has no template, is named clause by clause."""
    name = "uji_serakah"
    assert cli.main(["new-plugin", name, "--dir", str(tmp_path)]) == 0
    hooks = tmp_path / f"balai-{name}" / name / "hooks.py"
    hooks.write_text(hooks.read_text() + '''

@hookimpl
def balai_step_anchor(app, run, step):
    import datetime
    return datetime.date(2026, 1, 5)


@hookimpl
def balai_step_guards(run):
    return ["Berkas belum lengkap"]


@hookimpl
def balai_record_link(object_type, object_id):
    return ("Buka", f"/uji-serakah/{object_id}")


@hookimpl
def balai_document_types(app):
    from core.toolkit import documents
    return [documents.DocumentType("uji_serakah.surat", "Surat", "uji_serakah/tidak-ada.html", "{n:03d}/US/{year}")]
''')
    with pytest.raises(AssertionError) as err:
        check_plugin_contract(name, tmp_path, plugin_dirs=[str(tmp_path / f"balai-{name}")])
    text = str(err.value)
    assert "balai_step_anchor answered datetime.date(2026, 1, 5) for another plugin's run or record" in text
    assert "balai_step_guards answered ['Berkas belum lengkap']" in text
    assert "balai_record_link answered ('Buka', '/uji-serakah/0')" in text
    assert "document type 'uji_serakah.surat': template 'uji_serakah/tidak-ada.html' not found" in text


def test_contract_catches_a_grant_outside_depends(tmp_path):
    from core.testing import grant_problems
    app = start_app(write_config(str(tmp_path), ["training", "room_booking"], f"sqlite:///{tmp_path}/g.db",
                                 plugin_dirs=EXAMPLE))
    plugin = app.plugins.by_name["room_booking"]
    plugin.hooks.balai_permission_grants = lambda: {"training.register": ("petugas_sarpras", "tidak_ada")}
    try:
        assert grant_problems(app, plugin) == [
            "balai_permission_grants grants 'training.register', declared by 'training', not a plugin in depends",
            "balai_permission_grants gives 'training.register' to unknown role 'tidak_ada'"]
    finally:
        del plugin.hooks.balai_permission_grants
