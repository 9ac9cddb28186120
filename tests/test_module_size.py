"""No Python module of the core or of a bundled plugin grows past 500 lines (issue 25: split by
concern — routes as modules, rules in services). A module still being split is listed in
ALLOWED with the reason; the list only shrinks."""
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIMIT = 500
CHECKED = ("core", "plugins")

# path (from the repository root) → why it may exceed LIMIT for now. Remove an entry once the
# module is split; test_allowlist_is_current fails on an entry that is no longer needed.
ALLOWED = {}


def module_lines():
    """path → line count of every .py file under core/ and plugins/."""
    found = {}
    for top in CHECKED:
        for folder, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            for name in files:
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    with open(path, encoding="utf-8") as fh:
                        found[os.path.relpath(path, ROOT).replace(os.sep, "/")] = len(fh.read().splitlines())
    return found


def over_limit(lines, allowed, limit=LIMIT):
    """The modules over ``limit`` lines that ``allowed`` does not excuse: [(path, lines)]."""
    return sorted((path, n) for path, n in lines.items() if n > limit and path not in allowed)


def test_no_module_over_the_limit():
    """Every module under core/ and plugins/ is at most 500 lines, except those in ALLOWED."""
    offenders = over_limit(module_lines(), ALLOWED)
    assert offenders == [], ("modules over %d lines (split them by concern): %s"
                             % (LIMIT, ", ".join(f"{p} ({n})" for p, n in offenders)))


def test_allowlist_is_current():
    """An ALLOWED entry names an existing module that is still over the limit (else remove it)."""
    lines = module_lines()
    stale = sorted(p for p in ALLOWED if lines.get(p, 0) <= LIMIT)
    assert stale == [], f"remove from ALLOWED (gone or now within {LIMIT} lines): {stale}"


@pytest.mark.parametrize("lines, allowed, expected", [
    ({"core/a.py": 501}, {}, [("core/a.py", 501)]),
    ({"core/a.py": 500}, {}, []),
    ({"core/a.py": 900}, {"core/a.py": "splitting"}, []),
])
def test_the_check_itself(lines, allowed, expected):
    """The check counts over the limit, not at it, and honours the allowlist."""
    assert over_limit(lines, allowed) == expected
