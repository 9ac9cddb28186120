"""The code in the docs is real: every Python example compiles, and every core name it
imports or calls (``toolkit.web.render``, ``service.complete``, …) exists.

Examples are the ```python blocks of README.md and docs/*.md, and the Python
files the tutorial writes with ``cat > NAME.py <<'EOF'`` in ```sh blocks.
One-line signatures (``balai_menu() -> list[MenuItem]``) are reference, not code.
"""
import ast
import glob
import importlib
import os
import re
import types

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
SIGNATURE = re.compile(r"^\s*[\w.]+\(.*\)\s*->\s*.+$")


def examples(path):
    """(label, source) of every Python example in one Markdown file."""
    text = open(path, encoding="utf-8").read()
    name = os.path.relpath(path, ROOT)
    found = []
    for n, (lang, body) in enumerate(re.findall(r"^```(\w*)\n(.*?)^```", text, flags=re.M | re.S), 1):
        if lang == "python":
            lines = [line for line in body.splitlines() if line.strip()]
            if lines and all(SIGNATURE.match(line) for line in lines):
                continue
            found.append((f"{name} block {n}", body))
        elif lang in ("sh", "bash", "console"):
            for file, source in re.findall(r"cat > (\S+\.py) <<'EOF'\n(.*?)^EOF$", body, flags=re.M | re.S):
                found.append((f"{name} block {n} ({file})", source))
    return found


ALL = [(label, source) for path in DOCS for label, source in examples(path)]


def test_the_docs_have_examples():
    """The collector finds the tutorial's files and the reference examples (it is not checking nothing)."""
    labels = " ".join(label for label, _s in ALL)
    assert "writing-plugins.md" in labels and "routes.py" in labels and "toolkit.md" in labels
    assert len(ALL) > 30


def module_names(tree):
    """alias → object for the core imports of an example: ``from core.toolkit import web`` gives web."""
    bound = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "core":
            module = importlib.import_module(node.module)
            for alias in node.names:
                if hasattr(module, alias.name):
                    bound[alias.asname or alias.name] = getattr(module, alias.name)
                else:
                    try:        # a submodule: from core.tracker import service
                        bound[alias.asname or alias.name] = importlib.import_module(f"{node.module}.{alias.name}")
                    except ImportError:
                        bound[alias.asname or alias.name] = None
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "core":
                    bound[alias.asname or alias.name] = importlib.import_module(alias.name)
    return bound


def missing_names(source):
    """Core names an example imports or reaches that do not exist.

    Short examples (the hook reference) leave out their imports: a toolkit name
    they use without binding it is taken from ``core.toolkit``, as a plugin would."""
    from core import toolkit
    tree = ast.parse(source)
    bound = module_names(tree)
    missing = [name for name, obj in bound.items() if obj is None]
    assigned = {t.id for node in ast.walk(tree) if isinstance(node, (ast.Assign, ast.For, ast.With))
                for t in ast.walk(node) if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}
    assigned |= {node.name for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assigned |= {a.arg for node in ast.walk(tree) if isinstance(node, ast.arguments) for a in node.args}
    for name in toolkit.__all__:
        if name not in bound and name not in assigned:
            bound[name] = getattr(toolkit, name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            obj = bound.get(node.value.id)
            if isinstance(obj, types.ModuleType) and node.value.id not in assigned and not hasattr(obj, node.attr):
                missing.append(f"{node.value.id}.{node.attr}")
    return missing


@pytest.mark.parametrize("label, source", ALL, ids=[label for label, _s in ALL])
def test_example_compiles_and_names_exist(label, source):
    """Each example is valid Python and every core name it uses exists."""
    body = source.replace("${", "{")           # scaffold-like placeholders are not in the docs, but be safe
    compile(body, label, "exec")
    assert missing_names(body) == [], label


def test_the_checker_catches_a_name_that_does_not_exist():
    """A doc example calling a toolkit function that does not exist is caught (the check can fail)."""
    assert missing_names("from core.toolkit import web, tracker\nweb.render('x')\ntracker.finish_run(1)\n") == \
        ["tracker.finish_run"]
    assert missing_names("from core.toolkit import no_such_name\n") == ["no_such_name"]
    assert missing_names("@hookimpl\ndef balai_menu():\n    return web.no_such_page()\n") == ["web.no_such_page"]
