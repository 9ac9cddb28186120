"""Document types: what a plugin declares through ``balai_document_types(app)``."""
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass
class DocumentType:
    """One kind of paper the office signs.

    ``template`` is a template of the chain (theme → plugins → core) that
    extends ``documents/letter.html`` or ``documents/paper.html``;
    ``number_format`` uses the tokens of ``core.numbering`` plus
    ``{classification}``; ``series`` is the counter (default: ``code``; two
    types sharing a series share one sequence of numbers); ``signer_role`` the
    role whose holder signs (its title is the default position printed);
    ``copies_to`` the default tembusan; ``editable``: an institution may edit
    the template text through the UI; ``sample``: ``app → values`` used to try
    an edited template before saving (the last issued document's values are
    used when there is one); ``lookup``: ``token → dict or None`` for papers
    printed before the document service existed (verification only);
    ``view_permission``: a permission of the plugin whose holders may also read
    its papers at ``/documents/<id>`` (and their PDF) without ``documents.view``.
    """
    code: str
    title: str
    template: str
    number_format: str
    signer_role: str = ""
    copies_to: list = field(default_factory=list)
    qr: bool = True
    editable: bool = False
    classification: str = ""
    series: str = ""
    record_type: str = ""
    sample: Callable | None = None
    lookup: Callable | None = None
    view_permission: str = ""
    plugin: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def counter(self):
        return self.series or self.code


class UnknownDocumentType(Exception):
    pass


def collect(app):
    """code → DocumentType of every enabled plugin (cached on the app); a duplicate code
    or a bad number format is a startup problem."""
    cached = getattr(app, "_document_types", None)
    if cached is not None:
        return cached
    from core import numbering
    from core.config import ConfigError
    found, problems = {}, []
    for plugin, types in app.plugins.each("balai_document_types", app=app):
        for t in types or ():
            t.plugin = plugin.name
            if t.code in found:
                problems.append(f"document type {t.code!r} declared twice ({found[t.code].plugin}, {plugin.name})")
            problem = numbering.check_pattern(t.number_format)
            if problem:
                problems.append(f"document type {t.code!r}: {problem}")
            found[t.code] = t
    if problems:
        raise ConfigError(problems)
    app._document_types = found
    return found


def get(app, code) -> Any:
    try:
        return collect(app)[code]
    except KeyError:
        raise UnknownDocumentType(code)


def may_read(app, user, doc):
    """Whether ``user`` may read the issued document ``doc`` (its page, its PDF, through the web or the
    API): with ``documents.view``, or with the ``view_permission`` its type names. The one rule both use."""
    if user is None:
        return False
    if user.can("documents.view"):
        return True
    dtype = collect(app).get(doc.type_code)
    return bool(dtype and dtype.view_permission and user.can(dtype.view_permission))
