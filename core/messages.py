"""``balai extract-messages PLUGIN``: collect a plugin's messages into its catalogs.

Babel's extraction (the ``_()``, ``lazy()`` and ``ngettext()`` calls of its Python files and
templates) followed by Babel's update of every ``locale/<lang>/LC_MESSAGES/messages.po`` of the
plugin: new msgids are added (empty translation; ``id`` gets the msgid itself, as Indonesian is
the source language) and nothing is removed — form labels are msgids no extractor sees (they are
translated when shown), so messages not found in the code are only counted. ``pybabel extract``
and ``update`` without their options to remember.
"""
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
    return template


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
        # Kept, not marked obsolete: form labels (``label="..."``) are msgids too, translated when
        # shown, and no extractor sees them.
        unused = [m.id for m in catalog if m.id and m.id not in template]
        out = io.BytesIO()
        write_po(out, catalog, omit_header=False, ignore_obsolete=False, width=100)
        with open(path, "wb") as fh:
            fh.write(out.getvalue())
        report.append((lang, len(added), len(unused)))
    return report
