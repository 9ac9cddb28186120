"""The plugin boundary: plugins reach the core only through ``core.toolkit``.

A plugin module may import ``core.toolkit``, ``core.hookspecs`` and (in its
tests) ``core.testing`` — nothing else from ``core`` — and may import another
plugin only if its manifest lists it in ``depends``. Checked by reading the
source (AST), so a plugin that would fail to import is still checked, and
function-local imports count as much as top-level ones.
"""
import ast
import os
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALLOWED_CORE = {"core.toolkit", "core.hookspecs", "core.testing"}
# Plugin folders checked: the bundled plugins, the example plugin, the test toys.
PLUGIN_PARENTS = [os.path.join(ROOT, "plugins"), os.path.join(ROOT, "examples", "balai-sop-example"),
                  os.path.join(ROOT, "examples", "balai-placement"),
                  os.path.join(ROOT, "tests", "toys")]


# ---------------------------------------------------------------- reading plugins

def plugin_folders():
    """name → folder of every plugin package (a folder with __init__.py and hooks.py)."""
    found = {}
    for parent in PLUGIN_PARENTS:
        for name in sorted(os.listdir(parent)):
            folder = os.path.join(parent, name)
            if os.path.isfile(os.path.join(folder, "__init__.py")) and os.path.isfile(os.path.join(folder, "hooks.py")):
                found[name] = folder
    return found


def declared_depends(folder):
    """The ``depends=(...)`` of the ``Manifest(...)`` call in the plugin's __init__.py (read, not imported)."""
    tree = ast.parse(open(os.path.join(folder, "__init__.py"), encoding="utf-8").read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "Manifest":
            for kw in node.keywords:
                if kw.arg == "depends":
                    return set(ast.literal_eval(kw.value))
            return set()
    return set()


def imported_modules(source):
    """(line, dotted module) for every import in ``source``, at any depth.

    ``from core import web`` yields ``core.web``: importing a submodule by
    name is importing it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module in ("core", "plugins"):
                found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def violations(name, folder, depends, plugin_names):
    """Every import in the plugin's files that crosses the boundary, as readable lines."""
    problems = []
    for dirpath, _dirs, files in os.walk(folder):
        for filename in sorted(files):
            if not filename.endswith(".py"):
                continue
            path = os.path.join(dirpath, filename)
            rel = os.path.relpath(path, ROOT)
            with open(path, encoding="utf-8") as fh:
                source = fh.read()
            for line, module in imported_modules(source):
                parts = module.split(".")
                if parts[0] == "core":
                    if module == "core" or ".".join(parts[:2]) not in ALLOWED_CORE:
                        problems.append(f"{rel}:{line}: imports {module} (plugins use core.toolkit)")
                    continue
                other = parts[1] if parts[0] == "plugins" and len(parts) > 1 else parts[0]
                if other in plugin_names and other != name and other not in depends:
                    problems.append(f"{rel}:{line}: imports plugin {other!r} without declaring it in depends")
    return problems


def all_violations(folders):
    names = set(folders)
    problems = []
    for name, folder in sorted(folders.items()):
        problems += violations(name, folder, declared_depends(folder), names)
    return problems


# ---------------------------------------------------------------- the checks

def test_every_plugin_stays_inside_the_boundary():
    """No bundled, example or toy plugin imports a core module other than the toolkit, the
    hookspecs and the test kit, nor a plugin it does not declare in ``depends``."""
    folders = plugin_folders()
    assert {"training", "service_desk", "service_desk_certification", "room_booking", "placement", "toy_base"} <= set(folders)
    assert all_violations(folders) == []


def test_the_scaffold_generates_plugins_inside_the_boundary(tmp_path):
    """What ``balai new-plugin`` writes passes the same check."""
    from core import scaffold
    root = scaffold.generate("permit_desk", str(tmp_path))
    assert os.path.isfile(os.path.join(root, "permit_desk", "hooks.py"))
    assert violations("permit_desk", root, set(), {"permit_desk", "training"}) == []


def write_plugin(parent, name, init, **modules):
    folder = parent / name
    folder.mkdir()
    (folder / "__init__.py").write_text(textwrap.dedent(init))
    (folder / "hooks.py").write_text("from core.toolkit import hookimpl\n")
    for module, source in modules.items():
        (folder / f"{module}.py").write_text(textwrap.dedent(source))
    return str(folder)


@pytest.mark.parametrize("source, expected", [
    ("from core.app import current\n", "imports core.app"),
    ("from core import audit, toolkit\n", "imports core.audit"),
    ("import core.tracker.service\n", "imports core.tracker.service"),
    ("def f():\n    from core.admin import set_roles\n", "imports core.admin"),
    ("import core\n", "imports core (plugins"),
    ("from plugins.certification.models import TestEvent\n", "imports plugin 'certification' without declaring"),
    ("import certification\n", "imports plugin 'certification' without declaring"),
])
def test_a_plugin_crossing_the_boundary_is_named(tmp_path, source, expected):
    """A tiny fake plugin with one of today's kinds of violation fails the check, naming file and line."""
    init = 'from core.toolkit import Manifest\nmanifest = Manifest(name="fake", version="1", title="F", depends=("training",))\n'
    folders = {"fake": write_plugin(tmp_path, "fake", init, service=source),
               "certification": str(tmp_path / "nowhere"), "training": str(tmp_path / "nowhere")}
    problems = violations("fake", folders["fake"], declared_depends(folders["fake"]), set(folders))
    assert len(problems) == 1 and expected in problems[0] and "service.py:" in problems[0], problems


def test_declared_dependencies_and_the_toolkit_are_allowed(tmp_path):
    """The same fake plugin importing only the toolkit, the hookspecs, the test kit, itself
    and a declared dependency passes (the check is not just failing everything)."""
    init = 'from core.toolkit import Manifest\nmanifest = Manifest(name="fake", version="1", title="F", depends=("training",))\n'
    folder = write_plugin(tmp_path, "fake", init, service=(
        "from core.toolkit import audit, db\nfrom core import toolkit\nfrom core.hookspecs import hookspec\n"
        "from core.testing import make_user\nfrom plugins.training.models import Batch\nfrom plugins.fake import hooks\n"
        "import datetime, peewee\n"))
    assert declared_depends(folder) == {"training"}
    assert violations("fake", folder, {"training"}, {"fake", "training", "certification"}) == []
