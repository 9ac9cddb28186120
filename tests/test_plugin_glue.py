"""Glue between plugins, declared: bridges enable themselves when their dependencies are
enabled, a plugin grants its roles another plugin's permission through
``balai_permission_grants``, and declaring someone else's permission stops startup."""
import textwrap

import pytest

from core import app as app_mod, cli
from core.config import ConfigError
from core.testing import write_config

PLUGINS = {
    "glue_base": ('depends=()', '''
        @hookimpl
        def balai_roles():
            return [Role("glue_clerk", "Petugas"), Role("glue_head", "Kepala")]

        @hookimpl
        def balai_permissions():
            return [Permission("glue.view", "Lihat", ("glue_head",))]
    '''),
    "glue_extra": ('depends=("glue_base",)', '''
        @hookimpl
        def balai_permission_grants():
            return {"glue.view": ("glue_clerk",)}
    '''),
    "glue_bridge": ('depends=("glue_base", "glue_extra"), auto_enable=True', '''
        @hookimpl
        def balai_menu():
            return [MenuItem("Jembatan", "/glue", "glue.view")]
    '''),
    "glue_redeclare": ('depends=("glue_base",)', '''
        @hookimpl
        def balai_permissions():
            return [Permission("glue.view", "Lihat juga", ("glue_clerk",))]
    '''),
    "glue_badgrant": ('depends=("glue_base",)', '''
        @hookimpl
        def balai_permission_grants():
            return {"nothing.here": ("glue_clerk",)}
    '''),
}


@pytest.fixture(scope="module")
def glue_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("glue")
    for name, (manifest, hooks) in PLUGINS.items():
        package = folder / name
        package.mkdir()
        (package / "__init__.py").write_text(
            f'from core.toolkit import Manifest\nmanifest = Manifest(name="{name}", version="1", title="{name}", {manifest})\n')
        (package / "hooks.py").write_text("from core.toolkit import MenuItem, Permission, Role, hookimpl\n"
                                          + textwrap.dedent(hooks))
    return str(folder)


def build(tmp_path, glue_dir, *plugins):
    return app_mod.build(write_config(str(tmp_path), plugins, f"sqlite:///{tmp_path}/glue.db", plugin_dirs=glue_dir))


def test_a_bridge_enables_itself_when_all_it_joins_are_enabled(tmp_path, glue_dir):
    """glue_bridge is not in config: it comes, after both, when glue_base and glue_extra are enabled."""
    assert build(tmp_path, glue_dir, "glue_extra").plugins.names() == ["core", "glue_base", "glue_extra", "glue_bridge"]
    assert "glue_bridge" not in build(tmp_path, glue_dir, "glue_base").plugins


def test_balai_plugins_says_which_plugins_were_auto_enabled(tmp_path, glue_dir, capsys):
    """`balai plugins` prints the bridge as auto-enabled, naming what it bridges."""
    config = write_config(str(tmp_path), ["glue_extra"], f"sqlite:///{tmp_path}/glue.db", plugin_dirs=glue_dir)
    assert cli.main(["--config", config, "plugins"]) == 0
    out = capsys.readouterr().out
    assert "glue_bridge" in out and "auto-enabled: bridge of glue_base + glue_extra" in out


def test_the_service_desk_certification_bridge(tmp_path):
    """The bundled bridge joins service_desk and certification only when both are enabled."""
    both = app_mod.build(write_config(str(tmp_path), ["service_desk", "certification"], f"sqlite:///{tmp_path}/a.db"))
    assert both.plugins.names()[-1] == "service_desk_certification"
    alone = app_mod.build(write_config(str(tmp_path), ["service_desk"], f"sqlite:///{tmp_path}/b.db"))
    assert "service_desk_certification" not in alone.plugins


def test_a_grant_adds_roles_to_another_plugins_permission(tmp_path, glue_dir):
    """balai_permission_grants adds glue_clerk to glue.view, which glue_base declares for glue_head."""
    app = build(tmp_path, glue_dir, "glue_extra")
    assert app.permissions["glue.view"].default_roles == ("glue_head", "glue_clerk")
    assert app.permissions["glue.view"].description == "Lihat"


def test_declaring_another_plugins_permission_stops_startup(tmp_path, glue_dir):
    """A second declaration is a startup problem naming both plugins and the way to do it."""
    with pytest.raises(ConfigError) as exc:
        build(tmp_path, glue_dir, "glue_redeclare")
    problem = " ".join(exc.value.problems)
    assert "'glue.view' is declared by plugin 'glue_base' and again by 'glue_redeclare'" in problem
    assert "balai_permission_grants" in problem


def test_granting_an_undeclared_permission_stops_startup(tmp_path, glue_dir):
    """A grant naming a permission no enabled plugin declares is a startup problem (not ignored)."""
    with pytest.raises(ConfigError) as exc:
        build(tmp_path, glue_dir, "glue_badgrant")
    assert any("grants undeclared permission 'nothing.here'" in p for p in exc.value.problems)


def test_no_bundled_plugin_declares_another_plugins_permission(tmp_path):
    """All bundled plugins together start: every permission has exactly one declaring plugin."""
    bundled = ["training", "certification", "service_desk", "tracer_survey", "training_delivery"]
    app = app_mod.build(write_config(str(tmp_path), bundled, f"sqlite:///{tmp_path}/all.db"))
    assert app.permissions["training.register"].default_roles[0] == "staf_pelatihan"     # training declares it
    assert {"petugas_kios", "staf_blk"} <= set(app.permissions["training.register"].default_roles)   # others grant it
