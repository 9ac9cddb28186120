"""``balai extract-messages PLUGIN``: collect a plugin's messages into its catalogs.

Babel's extraction (the ``_()``, ``lazy()`` and ``ngettext()`` calls of its Python files and
templates) followed by Babel's update of every ``locale/<lang>/LC_MESSAGES/messages.po`` of the
plugin: new msgids are added (empty translation; ``id`` gets the msgid itself, as Indonesian is
the source language) and nothing is removed — messages not found in the code are only counted.
Besides Babel's keywords it reads, from the Python files, the texts translated when shown that no
call marks: ``label="..."`` of form fields, ``verbose_name="..."`` of model fields and the labels of ``forms.Choices`` / ``forms.Choice``
pairs (``("placed", "Ditempatkan")``). ``pybabel extract`` and ``update`` without their options to
remember.
"""
import ast
import io
import os

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from core.errors import Fail

METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.do"}}
KEYWORDS = {"_": None, "lazy": None, "gettext": None, "ngettext": (1, 2)}
SKIPPED = ("tests", "migrations", ".venv", "build")


def extract(folder):
    """A Catalog of the messages used in the package ``folder``."""
    template = Catalog(fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
            folder, METHODS, OPTIONS, KEYWORDS,
            callback=None, strip_comment_tags=True,
            directory_filter=lambda path: os.path.basename(path) not in SKIPPED):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for filename, lineno, message in shown_labels(folder):
        if message not in template:
            template.add(message, None, [(filename, lineno)])
    return template


def shown_labels(folder):
    """(file, line, text) of each ``label="..."`` / ``verbose_name="..."`` argument and each label of a ``Choices`` /
    ``Choice`` pair in the package's Python files: msgids translated when shown, without ``_()``."""
    text = lambda node: node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None  # noqa: E731
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED and not d.startswith("."))
        for name in sorted(f for f in files if f.endswith(".py")):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, folder).replace(os.sep, "/")
            with open(path, encoding="utf-8") as fh:
                tree = ast.parse(fh.read(), path)
            for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
                for kw in call.keywords:
                    if kw.arg in ("label", "verbose_name") and text(kw.value):
                        yield rel, kw.value.lineno, text(kw.value)
                called = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
                if called not in ("Choices", "Choice"):
                    continue
                pairs = [e for a in call.args for e in (a.elts if isinstance(a, ast.List) else [a])]
                for pair in pairs:
                    if isinstance(pair, ast.Tuple) and len(pair.elts) == 2 and text(pair.elts[1]):
                        yield rel, pair.lineno, text(pair.elts[1])


def plugin_folder(plugin, directory="."):
    """The package folder of ``plugin``: ``<directory>/<plugin>/`` (a plugin being written, as
    ``plugin_dirs`` finds it), else the installed or bundled one."""
    here = os.path.join(os.path.abspath(directory or "."), plugin)
    if os.path.isfile(os.path.join(here, "__init__.py")):
        return here
    from core.plugins import available
    found = available()
    if plugin not in found:
        raise Fail(f"no plugin {plugin!r} in {os.path.abspath(directory or '.')} nor installed "
                   f"(installed: {', '.join(sorted(found))})")
    import importlib.util
    spec = importlib.util.find_spec(found[plugin][0])
    return os.path.dirname(os.path.abspath(spec.origin))


def update(plugin, directory="."):
    """Extract the messages of a plugin and update its catalogs; returns
    [(language, added, obsolete)] for each catalog."""
    folder = plugin_folder(plugin, directory)
    template = extract(folder)
    locale_dir = os.path.join(folder, "locale")
    languages = sorted(d for d in os.listdir(locale_dir)) if os.path.isdir(locale_dir) else []
    if not languages:
        raise Fail(f"plugin {plugin} has no catalogs in {locale_dir} (locale/<lang>/LC_MESSAGES/messages.po)")
    report = []
    for lang in languages:
        path = os.path.join(locale_dir, lang, "LC_MESSAGES", "messages.po")
        if not os.path.exists(path):
            continue
        with open(path, "rb") as fh:
            catalog = read_po(fh, locale=lang)
        added = []
        for message in template:
            if message.id and message.id not in catalog:
                catalog[message.id] = message.__class__(message.id, message.id if lang == "id" else "",
                                                        locations=message.locations)
                added.append(message.id)
        # Kept, not marked obsolete: a msgid may still be used where no extractor looks (a label
        # built in code); removing one is the author's decision.
        unused = [m.id for m in catalog if m.id and m.id not in template]
        out = io.BytesIO()
        write_po(out, catalog, omit_header=False, ignore_obsolete=False, width=100)
        with open(path, "wb") as fh:
            fh.write(out.getvalue())
        report.append((lang, len(added), len(unused)))
    return report
