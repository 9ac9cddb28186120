"""``balai new-plugin NAME [--dir PATH]``: generate a plugin package that can live
in its own repository and be ``pip install``ed.

    balai-NAME/
      pyproject.toml          setuptools, depends on balai, entry point in ``balai.plugins``
      README.md
      NAME/__init__.py        the manifest
      NAME/hooks.py           hook implementations (thin)
      NAME/sop.py             the SOP as data: a stub with two steps
      NAME/models.py          one table; NAME/migrations/0001_initial.py matches it
      NAME/routes.py          list / detail / form (toolkit.Screen, ``workflow=``: a new record starts
                              its SOP run, the detail page shows it, the run page links back)
      NAME/demo.py            demo data for ``balai demo``
      NAME/templates/NAME/    the plugin's templates (README.txt: how to override one block of a page)
      NAME/locale/{id,en}/LC_MESSAGES/messages.po
      tests/test_NAME.py      tests that pass as generated (before and after pip install)

The generated plugin imports the core only through ``core.toolkit`` and passes the
contract test (``core.testing.check_plugin_contract``) unchanged. The tutorial is ``docs/writing-plugins.md``.
The files' texts are in ``core/scaffold_files.py`` (packaging, manifest, SOP, table, form) and
``core/scaffold_screens.py`` (screens, hooks, demo, templates, catalogs, tests).
"""
import datetime
import importlib.util
import keyword
import os
import re
from string import Template

from core.errors import Fail
from core.scaffold_files import FILES as PACKAGE_FILES
from core.scaffold_screens import FILES as SCREEN_FILES

# The generated files, by path (NAME is the plugin's name): two modules of string.Template texts.
FILES = {**PACKAGE_FILES, **SCREEN_FILES}

RESERVED = {"core", "plugins", "tests", "test", "balai", "themes", "docs", "examples", "migrations",
            "templates", "static", "locale"}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def check_name(name):
    """The problem with a plugin name as one sentence, or None when it is usable."""
    from core.plugins import available
    if not NAME_RE.match(name or "") or name.endswith("_") or "__" in name:
        return (f"invalid plugin name {name!r}: use 2-40 lowercase letters, digits and single underscores, "
                f"starting with a letter (a Python package name, e.g. room_loan)")
    if keyword.iskeyword(name) or name in RESERVED:
        return f"invalid plugin name {name!r}: it is a reserved word"
    if name in available():
        return f"a plugin named {name!r} already exists; choose another name"
    if importlib.util.find_spec(name) is not None:
        return f"plugin name {name!r} clashes with the installed Python module {name!r}; choose another name"
    return None


def generate(name, directory=".", title=None, sop_code=None, depends=(), roles=()):
    """Write the package ``<directory>/balai-<name>/``; return its path.

    ``title`` (the SOP's), ``sop_code``, ``depends`` (plugin names) and ``roles`` (the codes of the
    officer who records and the head who approves) are filled in everywhere they appear.

    Raises ``core.errors.Fail`` with a one-line reason for a bad name or an existing folder.
    """
    problem = check_name(name)
    if problem:
        raise Fail(problem)
    directory = os.path.abspath(directory or ".")
    if not os.path.isdir(directory):
        raise Fail(f"folder {directory} does not exist")
    root = os.path.join(directory, f"balai-{name}")
    if os.path.exists(root):
        raise Fail(f"{root} already exists; not overwriting it")
    values = names_for(name, title, sop_code, depends, roles)
    files = {path.replace("NAME", name): Template(text).substitute(values) for path, text in FILES.items()}
    os.makedirs(root)
    for rel, text in files.items():
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    return root


ROLE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9.\-/]{1,39}$")


def option_problems(title, sop_code, depends, roles):
    """Every problem with the options of ``new-plugin``, as sentences."""
    from core.plugins import available
    problems = []
    if title is not None and (not title.strip() or any(c in title for c in '"\\<>${}')):
        problems.append(f"invalid --title {title!r}: plain text without quotes, backslashes, < > $ {{ }}")
    if sop_code is not None and not CODE_RE.match(sop_code):
        problems.append(f"invalid --sop-code {sop_code!r}: capitals, digits, '-', '.', '/' (e.g. PTK-01)")
    known = available()
    problems += [f"--depends names {d!r}, which is not an installed plugin" for d in depends if d not in known]
    if roles and (len(roles) != 2 or not all(ROLE_RE.match(r) for r in roles) or roles[0] == roles[1]):
        problems.append(f"invalid --roles {','.join(roles)!r}: two role codes, the officer's then the head's "
                        f"(e.g. pengantar_kerja,sub_koordinator)")
    return problems


def names_for(name, title=None, sop_code=None, depends=(), roles=()):
    problem = option_problems(title, sop_code, depends, roles)
    if problem:
        raise Fail("; ".join(problem))
    words = name.replace("_", " ").strip()
    today = datetime.date.today().isoformat()
    clerk, head = roles or (f"petugas_{name}", f"kepala_{name}")
    return {
        "name": name,
        "slug": name.replace("_", "-"),
        "title": title.strip() if title else words.title(),
        "code": sop_code or name.upper().replace("_", "-") + "-01",
        "depends": "(" + "".join(f'"{d}", ' for d in depends).rstrip(" ") + ")",
        "table": f"{name}_submission",
        "clerk": clerk,
        "head": head,
        "clerk_title": clerk.replace("_", " ").title() if roles else "Petugas",
        "head_title": head.replace("_", " ").title() if roles else "Kepala Seksi",
        "today": today,
        "year": today[:4],
    }
