"""Every hook in core/hookspecs.py is documented in docs/plugin-hooks.md (signature, arguments, return, example)."""
import inspect
import os
import re

from core import hookspecs

DOC = os.path.join(os.path.dirname(__file__), "..", "docs", "plugin-hooks.md")


def sections():
    text = open(DOC, encoding="utf-8").read()
    parts = re.split(r"^## (balai_\w+)\s*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def hook_names():
    return sorted(n for n, f in inspect.getmembers(hookspecs, inspect.isfunction) if n.startswith("balai_"))


def test_every_hook_has_a_docstring_and_a_reference_section():
    docs = sections()
    missing = [n for n in hook_names() if n not in docs]
    assert missing == [], f"hooks without a section in docs/plugin-hooks.md: {missing}"
    for name in hook_names():
        spec = getattr(hookspecs, name)
        assert (spec.__doc__ or "").strip().count("\n") == 0, f"{name}: one-line docstring"
        body = docs[name]
        params = list(inspect.signature(spec).parameters)
        assert re.search(rf"{name}\(([^)]*)\)", body), f"{name}: signature"
        for p in params:
            assert p in body, f"{name}: argument {p} not described"
        for heading in ("**Arguments:**", "**Returns:**", "**Example:**"):
            assert heading in body, f"{name}: {heading} missing"
        assert "@hookimpl" in body and f"def {name}(" in body, f"{name}: example implementation"


def test_no_documented_hook_is_stale():
    assert sorted(sections()) == hook_names()
