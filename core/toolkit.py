"""The plugin toolkit: the one module through which a plugin reaches the core.

A plugin imports from ``core.toolkit`` (and ``core.hookspecs`` for the hook
specs themselves, ``core.testing`` in its tests) and from nothing else in
``core``; ``tests/test_boundaries.py`` fails the build otherwise. CKAN's
``plugins.toolkit`` is the model: the core may move its modules around, the
names here stay.

    from core.toolkit import _, get_or_404, hookimpl, run_action, tracker, web

    @hookimpl
    def balai_routes(router):
        @router.post("/guests/<visit_id:int>/done", permission="service_desk.front")
        def done(visit_id):
            visit = get_or_404(GuestVisit, visit_id)
            run_action(lambda: service.finish(visit, web.user()), f"/guests/{visit_id}",
                       message=_("Kunjungan selesai."), refusals=(tracker.StepError,))

Flat names are the everyday ones (hook marker, declarations, translation,
formatting, screens, the app); the namespaces ``web``, ``audit``, ``db``,
``forms``, ``values``, ``tracker``, ``numbering``, ``charts`` and ``events`` group the
rest, each listing its members in ``__all__``. docs/toolkit.md is the reference.

Deprecation policy: every name in ``__all__`` (and in a namespace's
``__all__``) is stable. A name is removed only after one minor version in
which it still works and warns with a ``DeprecationWarning`` naming its
replacement (see ``_deprecated``). New names may be added in any version.
"""
import datetime
import types
import warnings
import zoneinfo

import marshmallow

from core import (api as _api, privacy as _privacy, tabular as _tabular, whatsapp as _whatsapp, audit as _audit,
                  charts as _charts, db as _db, events as _events, forms as _forms, grid as _grid, identity as _identity,
                  numbering as _numbering, public_links as _public_links, search as _search, values as _values,
                  web as _web)
from core.admin import set_roles
from core.context import NoAppBound, SYSTEM, actor, current_app, set_actor
from core.db import BaseModel, MoneyField, utcnow
from core.hookspecs import hookimpl
from core.i18n import (_, format_date, format_datetime, format_minutes, format_number, format_percent,
                       format_rupiah, language, lazy, ngettext, pgettext, using)
from core.identity import User
from core.plugins import Command, Job, Manifest, MenuItem, Option, Permission, Role
from core.tracker import (authoring as _tracker_authoring, guards as _tracker_guards, models as _tracker_models,
                          people as _people, service as _tracker_service, subject as _tracker_subject, tasks as _tasks)
from core.tracker.sop import roles_of
from core.tracker.workcal import TIMEZONES as _TIMEZONES
from core.posts import Refusal, get_or_404, run_action, submit_form
from core.views import Action, Column, Filter, Screen, paginate
import core.documents as _documents
from core.tracker import backdate as _tracker_backdate, workcal as _tracker_workcal
from core.documents import sandbox as _doc_sandbox, service as _doc_service, words as _doc_words

__all__ = [
    # declaring a plugin (hooks.py, __init__.py)
    "hookimpl", "Manifest", "Option", "Role", "Permission", "MenuItem", "Job", "Command", "roles_of",
    # models
    "BaseModel", "MoneyField", "utcnow", "User",
    # the app and who is acting
    "current_app", "NoAppBound", "actor", "set_actor", "SYSTEM", "can", "users_with_role", "set_roles",
    "institution_timezone", "local_today",
    # language and formatting
    "_", "lazy", "ngettext", "pgettext", "language", "using", "format_date", "format_datetime", "format_rupiah",
    "format_number", "format_percent", "format_minutes",
    # screens and form posts
    "Column", "Filter", "Screen", "Action", "paginate", "get_or_404", "submit_form", "run_action", "Refusal",
    # namespaces
    "web", "audit", "db", "forms", "values", "tracker", "tasks", "people", "whatsapp", "numbering", "charts",
    "events", "documents", "privacy", "tabular", "api", "grid", "public_links", "search",
]


def _namespace(name, doc, **members):
    """A read-only-by-convention module object listing exactly the stable members."""
    ns = types.ModuleType(f"core.toolkit.{name}", doc)
    for key, value in members.items():
        setattr(ns, key, value)
    ns.__all__ = sorted(members)
    return ns


def _deprecated_members(ns, **members):
    """Members of namespace ``ns`` kept working for one minor version, outside its ``__all__``:
    reading one warns with a ``DeprecationWarning`` naming its replacement.
    ``members``: name → (value, what to use instead)."""
    def __getattr__(name):
        if name not in members:
            raise AttributeError(f"module {ns.__name__!r} has no attribute {name!r}")
        value, new = members[name]
        warnings.warn(f"core.toolkit {ns.__name__.rpartition('.')[2]}.{name} is deprecated; use {new}",
                      DeprecationWarning, stacklevel=2)
        return value
    ns.__getattr__ = __getattr__          # PEP 562: consulted only for names the module lacks
    ns.__deprecated__ = sorted(members)
    return ns


def _deprecated(old, new, replacement):
    """Wrap ``replacement`` so that calling it as ``old`` warns (the one-minor-version shim)."""
    def shim(*args, **kwargs):
        warnings.warn(f"core.toolkit {old} is deprecated; use {new}", DeprecationWarning, stacklevel=2)
        return replacement(*args, **kwargs)
    shim.__name__ = old.rpartition(".")[2]
    shim.__doc__ = f"Deprecated: use {new}."
    return shim


# ---------------------------------------------------------------- the app, people, time

def can(user, permission):
    """Whether ``user`` (a User, the SYSTEM actor, or None for nobody) holds ``permission``."""
    return user is not None and user.can(permission)


def users_with_role(role, active=True):
    """A query of the users holding ``role`` (only active accounts unless ``active=False``), by id."""
    return _identity.users_with_role(role, active=active)


def institution_timezone(app=None):
    """The institution's time zone (config ``timezone``: WIB, WITA, WIT or an IANA name)."""
    name = (app or current_app()).config["timezone"]
    return zoneinfo.ZoneInfo(_TIMEZONES.get(name.upper(), name))


def local_today(app=None):
    """Today's date at the institution (not the server's)."""
    return datetime.datetime.now(institution_timezone(app)).date()


# ---------------------------------------------------------------- namespaces

web = _namespace(
    "web", "The current request and response: read the form and query, answer with a page or redirect.",
    render=_web.render, redirect=_web.redirect, flash=_web.flash, url=_web.url,
    form=_web.form, form_list=_web.form_list, query=_web.query, query_int=_web.query_int,
    query_page=_web.query_page, query_date=_web.query_date, parse_date=_web.parse_date, user=_web.user,
    request=_web.request, response=_web.response, csrf_field=_web.csrf_field, client_address=_web.client_address,
    Forbidden=_web.Forbidden, NotFound=_web.NotFound,
    app=_deprecated("web.app()", "toolkit.current_app()", current_app),
)

audit = _namespace(
    "audit", "The one audited write path: each change writes its row and its audit entry together "
             "(inside ``db.write()``).",
    create=_audit.create, update=_audit.update, delete=_audit.delete, bulk_create=_audit.bulk_create,
    update_many=_audit.update_many,
    event=_audit.event, history=_audit.history,
)

db = _namespace(
    "db", "Transactions and time: ``with db.write():`` is the one write transaction "
          "(nested blocks are savepoints).",
    write=_db.write, lock=_db.lock, connection=_db.connection, utcnow=_db.utcnow, is_sqlite=_db.is_sqlite,
)

forms = _namespace(
    "forms", "Form schemas (marshmallow) with Indonesian messages, and ``validate(schema, form)``.",
    Schema=_forms.Schema, validate=_forms.validate, form_fields=_forms.form_fields,
    String=_forms.String, Text=_forms.Text, Integer=_forms.Integer, Decimal=_forms.Decimal,
    Date=_forms.Date, DateTime=_forms.DateTime, Boolean=_forms.Boolean, Choice=_forms.Choice,
    Choices=_forms.Choices, label=_forms.label, value_label=_forms.value_label,
    Related=_forms.Related, Digits=_forms.Digits, Nik=_forms.Nik, Nip=_forms.Nip, Phone=_forms.Phone,
    Money=_forms.Money, Email=_forms.Email, Length=_forms.Length, Range=_forms.Range, OneOf=_forms.OneOf,
    Regexp=marshmallow.validate.Regexp, ValidationError=marshmallow.ValidationError,
    validates=marshmallow.validates, validates_schema=marshmallow.validates_schema,
    no_tags=_forms.no_tags, TAG=_forms.TAG, PastDate=_forms.PastDate, not_future=_forms.not_future,
    of=_forms.of, field_of=_forms.field_of,
)

values = _namespace(
    "values", "NIK, NIP, phone numbers, text and money normalised one way, for forms and imports alike "
              "(``forms`` fields use these; so must importers).",
    line=_values.line, paragraphs=_values.paragraphs, digits=_values.digits, nik=_values.nik,
    nik_birth_warning=_values.nik_birth_warning, nip=_values.nip,
    phone=_values.phone, format_phone=_values.format_phone, whatsapp=_values.whatsapp,
    is_mobile=_values.is_mobile, number=_values.number, money=_values.money, ValueProblem=_values.ValueProblem,
    MAX_EXACT_FLOAT=_values.MAX_EXACT_FLOAT,
)

tracker = _namespace(
    "tracker", "Running SOPs: start a run for a record, complete or return its steps, read its timeline; "
               "the runs of a page of records in one query. (The raw models ``Run``, ``RunStep`` and "
               "``Notification`` are deprecated: docs/toolkit.md names the function for each use.)",
    start_run=_tracker_service.start_run, run_for=_tracker_service.run_for,
    open_step=_tracker_service.open_step, can_act=_tracker_service.can_act,
    complete=_tracker_service.complete, complete_by_plugin=_tracker_service.complete_by_plugin,
    return_to=_tracker_service.return_to, skip=_tracker_service.skip, pause=_tracker_service.pause,
    resume=_tracker_service.resume, timeline=_tracker_service.timeline,
    store_upload=_tracker_service.store_upload, calendar_for=_tracker_service.calendar_for,
    standard_for=_tracker_service.standard_for, parse_time_standard=_tracker_workcal.parse_time_standard, day_minutes=_tracker_service.day_minutes,
    aware=_tracker_service.aware, naive=_tracker_service.naive,
    StepError=_tracker_service.StepError, OPEN=_tracker_service.OPEN,
    runs_of=_tracker_subject.runs_of, open_step_due=_tracker_subject.open_step_due,
    overdue_runs=_tracker_subject.overdue_runs,
    demo_shift_run=_tracker_backdate.shift_run, demo_restart_step=_tracker_backdate.restart_step,
    # tracker v2 (docs/step-tracker.md §9–§14)
    Workflow=_tracker_subject.Workflow, open_steps=_tracker_service.open_steps,
    cancel_run=_tracker_service.cancel_run, end_run=_tracker_service.end_run, stop_runs=_tracker_service.stop_runs,
    reanchor=_tracker_service.reanchor, assign=_tracker_service.assign, blockers=_tracker_service.blockers,
    register_guard=_tracker_guards.register, signoffs_of=_tracker_service.signoffs_of,
    published_revision=_tracker_service.published_revision, generic_sops=_tracker_authoring.generic_sops,
    register_sop_roles=_tracker_authoring.register_all_roles,
)

_deprecated_members(
    tracker,
    Run=(_tracker_models.Run, "tracker.runs_of / tracker.Workflow (lists), tracker.run_for (one record)"),
    RunStep=(_tracker_models.RunStep, "tracker.open_steps, tracker.open_step_due, tracker.overdue_runs, "
                                      "tracker.demo_shift_run / tracker.demo_restart_step (demo data)"),
    Notification=(_tracker_models.Notification, "tasks.notify / tasks.notify_role"),
)

tasks = _namespace(
    "tasks", "Every pending action is a task: open one for a user or a role (approve, paraf, sign, confirm), "
             "close it when done; notices in each recipient's language.",
    open=_tasks.open, close=_tasks.close, for_user=_tasks.for_user, notify=_tasks.notify,
    notify_many=_tasks.notify_many, notify_role=_tasks.notify_role,
)

people = _namespace(
    "people", "Who holds a position on a day: own roles and acting officials (Plt./Plh.), and the title "
              "printed under a signature.",
    roles_on=_people.roles_on, acting_for=_people.acting_for, signer_title=_people.signer_title,
    holders=_people.holders,
)

whatsapp = _namespace(
    "whatsapp", "WhatsApp click-to-chat links (wa.me, message prefilled) and Indonesian mobile numbers.",
    wa_link=_whatsapp.wa_link, check_phone=_whatsapp.check_phone, normalise_phone=_whatsapp.normalise_phone,
)

numbering = _namespace(
    "numbering", "Letter and certificate numbers from a pattern, gap-free per series.",
    next_number=_numbering.next_number, check_pattern=_numbering.check_pattern, render=_numbering.render,
)

charts = _namespace(
    "charts", "Server-rendered SVG charts (no script, no CDN).",
    percent_bars=_charts.percent_bars, grouped_bars=_charts.grouped_bars, stacked_bars=_charts.stacked_bars,
)

search = _namespace(
    "search", "Substring search over big tables through a trigram index (SQLite FTS5, PostgreSQL pg_trgm): "
              "``create_index`` in a migration, ``matching`` in the list route.",
    matching=_search.matching, create_index=_search.create_index, drop_index=_search.drop_index,
)

events = _namespace(
    "events", "Events between plugins, delivered to ``balai_event`` after the transaction commits.",
    emit=_events.emit,
)

documents = _namespace(
    "documents", "Papers the office signs (docs/documents.md): declare ``DocumentType`` in "
                 "``balai_document_types``, then ``issue`` / ``supersede`` / ``revoke``; words and dates "
                 "as letters write them; the sandbox that renders staff-edited templates.",
    DocumentType=_documents.DocumentType, DocumentError=_documents.DocumentError, issue=_documents.issue,
    supersede=_documents.supersede, revoke=_documents.revoke, take_number=_documents.take_number,
    current_for=_documents.current_for, for_record=_documents.for_record, of_record=_doc_service.of_record,
    html_of=_doc_service.html_of,
    qr_data_uri=_doc_service.qr_data_uri, base_url=_doc_service.base_url,
    signer_block=_documents.signer_block, holder_of=_documents.holder_of, tanggal=_documents.tanggal,
    tanggal_kata=_documents.tanggal_kata, terbilang=_documents.terbilang,
    rupiah_terbilang=_documents.rupiah_terbilang, place_date=_documents.place_date,
    FILTERS=_doc_words.FILTERS, make_environment=_doc_sandbox.make_environment,
    render_sandboxed=_doc_sandbox.render, trial_render=_doc_sandbox.trial, RenderProblem=_doc_sandbox.RenderProblem,
)

privacy = _namespace(
    "privacy", "Sensitive fields, declared once on the model (``sensitive = {\"nik\": \"training.nik\"}``), "
               "masked alike in pages, history and exports for whoever lacks the permission.",
    shown=_privacy.shown, mask=_privacy.mask, can_see=_privacy.can_see,
)

tabular = _namespace(
    "tabular", "Spreadsheets in and out (CSV and XLSX), formulas always escaped: the one writer and reader.",
    csv_bytes=_tabular.csv_bytes, xlsx_bytes=_tabular.xlsx_bytes, download=_tabular.download,
    read_table=_tabular.read_table, escape=_tabular.escape, TabularError=_tabular.TabularError,
    MAX_ROWS=_tabular.MAX_ROWS, normalise_header=_tabular.normalise_header,
)

api = _namespace(
    "api", "The JSON API (docs/api.md): what a ``balai_api_routes(router, app)`` handler uses.",
    ApiError=_api.ApiError, Param=_api.Param, File=_api.File, body=_api.body, query=_api.query,
    int_query=_api.int_query, user=_api.user, jsonable=_api.jsonable,
)

grid = _namespace(
    "grid", "Bulk entry: a form of rows × columns (candidate × unit K/BK, attendance, scores), each cell "
            "checked by its column's field, errors shown in the cell, nothing saved when one fails "
            "(template macro ``_grid.html``: ``grid_table(grid)``).",
    Grid=_grid.Grid, GridColumn=_grid.GridColumn, GridRow=_grid.GridRow, submit_grid=_grid.submit_grid,
)

public_links = _namespace(
    "public_links", "Tokenised public links answered by outside parties: expiry, one answer or correctable "
                    "until a date, audited, rate limited per address, row-locked answers.",
    create=_public_links.create, find=_public_links.find, answer=_public_links.answer, state=_public_links.state,
    revoke=_public_links.revoke, for_subject=_public_links.for_subject, for_subjects=_public_links.for_subjects,
    refusal=_public_links.refusal, LinkError=_public_links.LinkError, PublicLink=_public_links.PublicLink,
    page=_public_links.page, url=_public_links.url, of_subject=_public_links.of_subject,
)
