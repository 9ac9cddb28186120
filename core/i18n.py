"""Language: gettext catalogs for core and plugins, dates shown as ``16 Desember 2024``.

Source strings (msgids) are written in Bahasa Indonesia, the default UI
language; each plugin's ``locale/<lang>/LC_MESSAGES/messages.po`` translates
them (English ships). Catalogs are read with Babel at startup, so there is no
compile step. ``_()`` translates into the language of the current request, in
the *domain* of the code or template that calls it (see "domains" below).
"""
import contextlib
import dataclasses
import datetime
import os
import sys
import threading

import jinja2
import markupsafe

from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
SOURCE_LANGUAGE = "id"      # msgids are Indonesian: an id catalog only rewords, it never lacks an entry
CORE = "core"
_state = threading.local()
_catalogs = {}        # lang → domain → {msgid or (msgctxt, msgid): msgstr}
_chains = {}          # domain → the domains looked up, in order (its own first, then its dependencies, core)
_roots = []           # [(folder + os.sep, domain)], longest first: which domain a source file belongs to
_domain_of_file = {}  # filename → domain (cache of the above)
_default = ["id"]
# Tests set this to a function(msgid, domain) to record words left untranslated in a language
# that has catalogs (tests/test_i18n_pages.py); None in production.
missed = None
# Frames of these packages are skipped when finding who asked for a translation: a template's
# ``_()`` is called through Jinja's runtime, and ``lazy`` through this module.
_SKIPPED = tuple(os.path.dirname(m.__file__) + os.sep for m in (jinja2, markupsafe)) + (__file__,)


# ---------------------------------------------------------------- domains
# Each plugin's catalog translates its own code and templates first, then those of the plugins it
# depends on, then the core's: a word with two meanings ("Lulus": Pass in certification, Graduated
# in tracer_survey) keeps each plugin's meaning, and no plugin's catalog overrides another's.

@dataclasses.dataclass(frozen=True)
class Domain:
    """One translation domain: a plugin (or the core, or the theme) and where its files live."""
    name: str
    root: str                   # the folder whose .py files and templates use this domain
    locale: str = None          # its ``locale`` folder (``<lang>/LC_MESSAGES/messages.po``)
    depends: tuple = ()         # domains looked up after this one, before the core


def read_catalog(path):
    """{msgid or (msgctxt, msgid): msgstr} of one .po file (untranslated and fuzzy entries left out)."""
    with open(path, "rb") as fh:
        catalog = read_po(fh)
    out = {}
    for message in catalog:
        if message.id and message.string and not message.fuzzy and isinstance(message.id, str):
            out[(message.context, message.id) if message.context else message.id] = message.string
    return out


def load_domains(domains, default_language="id"):
    """Read each domain's catalogs and remember its lookup chain (``domains`` in load order)."""
    _catalogs.clear()
    _chains.clear()
    _domain_of_file.clear()
    _default[0] = default_language
    names = [d.name for d in domains]
    by_name = {d.name: d for d in domains}
    for d in domains:
        for lang in LANGUAGES:
            path = os.path.join(d.locale or "", lang, "LC_MESSAGES", "messages.po")
            if d.locale and os.path.exists(path):
                _catalogs.setdefault(lang, {})[d.name] = read_catalog(path)
    for d in domains:
        chain, todo = [], [d.name]
        while todo:                                   # the plugin, then its dependencies (transitively)
            name = todo.pop(0)
            if name in by_name and name not in chain:
                chain.append(name)
                todo.extend(by_name[name].depends)
        chain += [n for n in (CORE, "theme") if n not in chain and n in by_name]
        _chains[d.name] = tuple(chain)
    # Core code also translates words handed to it by plugins (a form label, a menu title), so the
    # core's chain ends with every other catalog, the latest loaded first (the former single merge).
    core_chain = _chains.get(CORE, (CORE,))
    _chains[CORE] = core_chain + tuple(n for n in reversed(names) if n not in core_chain)
    _roots[:] = sorted(((os.path.abspath(d.root) + os.sep, d.name) for d in domains if d.root),
                       key=lambda pair: -len(pair[0]))


def load_catalogs(folders, default_language="id"):
    """Older form: each ``locale`` folder is its own domain, all of them on the core's chain."""
    load_domains([Domain(f"folder{i}", None, folder) for i, folder in enumerate(folders) if folder],
                 default_language)


def domain_of_file(filename):
    """The domain whose folder holds ``filename`` (a plugin module or template); the core's otherwise."""
    domain = _domain_of_file.get(filename)
    if domain is None:
        domain = next((name for root, name in _roots if filename.startswith(root)), CORE)
        _domain_of_file[filename] = domain
    return domain


def domain_of_module(module):
    """The domain of a module by its name: ``placement.models`` → ``placement``, bundled
    ``plugins.training.models`` → ``training``, ``core.x`` → the core's."""
    parts = module.split(".")
    name = parts[1] if parts[0] == "plugins" and len(parts) > 1 else parts[0]
    return CORE if name == "core" else name


def caller_domain(depth=2):
    """The domain of the code (or template) that called the translating function (from a
    helper in another core module, pass ``depth=3``: its caller's caller)."""
    frame = sys._getframe(depth)
    while frame is not None and frame.f_code.co_filename.startswith(_SKIPPED):
        frame = frame.f_back
    return domain_of_file(frame.f_code.co_filename) if frame is not None else CORE


# ---------------------------------------------------------------- the current language

def set_language(lang):
    _state.lang = lang if lang in LANGUAGES else _default[0]


@contextlib.contextmanager
def using(lang):
    """Translate into ``lang`` inside the block (a reminder in its recipient's language), then restore."""
    before = getattr(_state, "lang", None)
    set_language(lang or _default[0])
    try:
        yield
    finally:
        _state.lang = before


def language():
    return getattr(_state, "lang", None) or _default[0]


def in_language_of(user, message):
    """``message`` (a callable giving the text, a ``lazy``, or a text) in ``user``'s language — their
    setting, else the deployment's: what is sent to a person (reminder, e-mail, WhatsApp text)."""
    with using(getattr(user, "language", None) or None):
        return str(message() if callable(message) else message)


# ---------------------------------------------------------------- translating

def translate(message, domain=CORE, context=None):
    """``message`` in the current language, looked up along ``domain``'s chain (unchanged if untranslated)."""
    if isinstance(message, Translated):  # already in the reader's language (a Choices label): as it is
        return message
    if isinstance(message, lazy):
        # ``_(label)`` of a lazy label: its own domain and context decide. Looked up as a key it
        # would compare by its translated text, never match, and come back untranslated.
        return str(message)
    catalogs = _catalogs.get(language())
    if not catalogs:
        return message
    key = (context, message) if context else message
    for name in _chains.get(domain, (domain, CORE)):
        found = catalogs.get(name, {}).get(key)
        if found is not None:
            return found
    if context:                                   # no entry for this context: the plain one
        return translate(message, domain)
    if missed is not None and language() != SOURCE_LANGUAGE:
        missed(message, domain)
    return message


def translate_known(message, domain=CORE):
    """``message`` translated when a catalog of ``domain``'s chain has it, else as it is, never reported
    missing: for texts that may be words or data (spreadsheet headers such as "NIK")."""
    hook, globals()["missed"] = missed, None
    try:
        return translate(message, domain)
    finally:
        globals()["missed"] = hook


def gettext(message):
    """Translate ``message`` into the current language, in the caller's domain."""
    return translate(message, caller_domain())


def pgettext(context, message):
    """Translate ``message`` as meant in ``context`` (``msgctxt`` in the .po), e.g.
    ``pgettext("hasil uji", "Lulus")`` when one plugin uses a word in two meanings."""
    return translate(message, caller_domain(), context)


def _(message, **values):
    text = translate(message, caller_domain())
    return text.format(**values) if values else text


def ngettext(singular, plural, n):
    return translate(singular if n == 1 else plural, caller_domain())


class Translated(str):
    """Text already in the reader's language (a ``forms.Choices`` label being shown): ``_()``
    returns it unchanged instead of looking it up again (and reporting it missing)."""


class lazy:
    """A string translated when it is shown (for module-level labels), in the domain of the module
    that made it."""
    __slots__ = ("message", "domain", "context")

    def __init__(self, message, context=None):
        self.message = message
        self.context = context
        self.domain = caller_domain()

    def __str__(self):
        return translate(self.message, self.domain, self.context)

    def __html__(self):
        from markupsafe import escape
        return str(escape(str(self)))

    def __repr__(self):
        return f"lazy({self.message!r})"

    def __eq__(self, other):
        return str(self) == str(other)

    def __hash__(self):
        return hash(self.message)

    def format(self, *args, **kwargs):
        return str(self).format(*args, **kwargs)


def lazy_in(message, domain, context=None):
    """A ``lazy`` string of a known domain (for helpers such as ``forms.Choices`` that take
    labels on behalf of a plugin)."""
    text = lazy.__new__(lazy)
    text.message, text.domain, text.context = message, domain, context
    return text


# ---------------------------------------------------------------- formatting

def format_date(value):
    """``16 Desember 2024``; empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        value = value.date()
    return f"{value.day} {month_names(language())[value.month]} {value.year}"


def format_datetime(value, tz=None):
    """``16 Desember 2024 14.05`` in the institution time zone (value is naive UTC)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    if tz is not None:
        value = value.astimezone(tz)
    return f"{value.day} {month_names(language())[value.month]} {value.year} {value.hour:02d}.{value.minute:02d}"


_MONTHS = {}


def month_names(lang):
    """Month number → the language's month name (babel's "MMMM"), looked up once:
    a page of 200 dates formatted through babel's pattern engine took ~30 ms."""
    if lang not in _MONTHS:
        from babel.dates import get_month_names
        _MONTHS[lang] = dict(get_month_names("wide", locale=lang))
    return _MONTHS[lang]


def format_rupiah(value):
    """``Rp 1.250.000`` (Decimal in, grouping by the locale)."""
    if value is None:
        return ""
    return "Rp " + format_decimal(value, format="#,##0.##", locale="id")


def format_number(value, places=1):
    """``33,3`` in Indonesian, ``33.3`` in English; empty for None."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0." + "0" * places if places else "#,##0", locale=language())


def format_percent(value, places=1):
    """``33,3%`` (``—`` when there is no value)."""
    return "—" if value is None else format_number(value, places) + "%"


def format_minutes(minutes):
    """Working minutes as ``2 hari 3 jam 5 menit`` (8-hour working day)."""
    if minutes is None:
        return "—"
    minutes = int(minutes)
    days, rest = divmod(minutes, 480)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(f"{days} {translate('hari')}")
    if hours:
        parts.append(f"{hours} {translate('jam')}")
    if mins or not parts:
        parts.append(f"{mins} {translate('menit')}")
    return " ".join(parts)
