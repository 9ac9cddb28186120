"""Generic list / detail / form screens driven by a peewee model and a form schema.

    Screen(Programme, ProgrammeForm, base="/training/programmes",
           view="training.view", edit="training.manage",
           title=lazy("Program pelatihan"),
           columns=[Column("code", "Kode", link=True), Column("title", "Judul")],
           search=[Programme.code, Programme.title]).register(router)

gives: GET list (search, filters, sort, pages), GET/POST new, GET detail (with
history from the audit log), GET/POST edit. Every write goes through
``core.audit``. A list page is one query for its rows whatever the page size
(foreign keys shown in columns are joined); it fetches one row more than the
page instead of counting the table. Templates ``<template>/list.html`` etc.
override the generic ``crud/*.html``.
"""
import hashlib
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, Callable

import peewee

from core import audit, db, forms, i18n, privacy, public_links, tabular, web
from core.documents import service as documents
from core.posts import Refusal, run_action
from core.i18n import _


@dataclass
class Column:
    """A list column: ``name`` is a field or a dotted path through joined models. A screen given
    only the name (``columns=["position", "vacancy.company"]``) labels it by its form field (a
    dotted path by the first field's label) and shows it as detail pages do (``field``)."""
    name: str
    label: Any = None
    link: bool = False
    format: Callable | None = None
    sortable: bool = True
    field: Any = None          # the form field the list shows the value by (``display``), if any

    def value(self, obj):
        value, owner = obj, None
        for part in self.name.split("."):
            owner = value
            value = getattr(value, part, None) if value is not None else None
        if owner is not None:          # a private field (``sensitive`` on its model) masked as everywhere
            value = privacy.shown(type(owner), self.name.rsplit(".", 1)[-1], value)
        return self.format(value) if self.format else value


@dataclass
class Filter:
    """A select filter on the list: ``choices`` is [(value, label)] or a callable. A screen given only
    the name (``filters=["status"]``) takes the rest from the model and its form's ``Choice`` field."""
    name: str
    label: Any = None
    field: Any = None
    choices: Any = None

    def options(self):
        return self.choices() if callable(self.choices) else self.choices


@dataclass
class Action:
    """A button on a screen's detail page: POST ``<base>/<id>/<name>`` runs ``run(obj)`` through
    ``run_action`` (one savepoint; a ``Refusal`` or one of ``refusals`` is flashed and nothing kept).
    Shown, and allowed, while ``when(obj)`` holds; ``permission`` defaults to the screen's ``edit``."""
    name: str
    label: Any
    run: Callable
    when: Callable | None = None
    message: Any = None
    refusals: tuple = ()
    permission: str | None = None


def paginate(query, page, per_page):
    """Rows of one page and whether a next page exists, without COUNT(*)."""
    rows = list(query.limit(per_page + 1).offset((page - 1) * per_page))
    return rows[:per_page], len(rows) > per_page


def search_condition(fields_, text):
    """Prefix/substring search on indexed text columns (case-insensitive)."""
    cond = None
    for f in fields_:
        c = f.contains(text) if len(text) >= 3 else f.startswith(text)
        cond = c if cond is None else (cond | c)
    return cond


VERSION_FIELD = "_version"


def stale_message():
    return _("Data ini sudah diubah oleh pengguna lain sejak Anda membukanya. Muat ulang halaman, "
             "periksa perubahannya, lalu simpan lagi.")


def record_version(obj):
    """A fingerprint of what a record holds now (its audited fields). An edit form carries
    the version it was opened at; saving over a different version is refused (optimistic
    locking without a version column: any committed change of the row changes it)."""
    return hashlib.sha256(audit.canonical(audit.snapshot(obj)).encode("utf-8")).hexdigest()[:32]


class StaleRecord(Exception):
    """The record changed since the editor opened it (see ``record_version``)."""


def blank_text_as_empty(model, data):
    """A blank optional field (None after validation) of a NOT NULL text column is saved as ""."""
    for name, value in data.items():
        column = model._meta.fields.get(name)
        if value is None and column is not None and not column.null and \
                isinstance(column, (peewee.CharField, peewee.TextField)):
            data[name] = ""
    return data


@dataclass
class Screen:
    model: Any
    schema: Any = None                 # a forms.Schema class; None: ``forms.of(model)`` (fields with a verbose_name)
    _: KW_ONLY
    base: str
    view: str
    edit: str | None
    title: Any
    columns: list                      # [Column] or field names / dotted paths
    search: list = field(default_factory=list)
    filters: list = field(default_factory=list)
    order: Any = None
    per_page: int = 50
    template: str | None = None        # folder of override templates
    query: Callable | None = None      # () → base select (with joins) for list and detail
    label: Callable = str              # obj → its title on detail pages
    after_save: Callable | None = None # (obj, created) → None, e.g. to emit an event
    detail_extra: Callable | None = None  # obj → dict of extra template values
    # Records that belong to this one, listed on its detail page with an "add" prefilled from it:
    # [(label, child_screen, name of the child's field pointing here)], e.g. [("Peserta", people, "batch")].
    children: list = field(default_factory=list)
    children_limit: int = 200          # rows of each child list on the detail page
    # A ``tracker.Workflow`` of this model: a new record starts its run (titled by its str), the detail
    # page shows the run panel (values ``run`` and ``items``), and the run page links back to the record.
    workflow: Any = None
    actions: list = field(default_factory=list)   # [Action]: buttons of the detail page

    # ------------------------------------------------ plumbing
    def base_query(self):
        return self.query() if self.query else self.joined_select()

    def joined_select(self):
        """The model joined with what its dotted columns reach through foreign keys, so a page is one
        query; a path not made of foreign keys, or reaching one model twice, needs ``query=``."""
        joins, seen = [], set()
        for column in self.columns:
            model, path = self.model, ()
            for part in column.name.split("."):
                fk = model._meta.fields.get(part)
                if not isinstance(fk, peewee.ForeignKeyField):
                    break
                path += (part,)
                if path not in seen:
                    seen.add(path)
                    joins.append((model, fk))
                model = fk.rel_model
        related = [fk.rel_model for _model, fk in joins]
        if not joins or len(set(related)) != len(related) or self.model in related:
            return self.model.select()
        query = self.model.select(self.model, *related)
        for model, fk in joins:
            query = query.switch(model).join(fk.rel_model, peewee.JOIN.LEFT_OUTER if fk.null else peewee.JOIN.INNER,
                                             on=fk)
        return query.switch(self.model)

    def templates(self, name):
        return ([f"{self.template}/{name}"] if self.template else []) + [f"crud/{name}"]

    def get(self, obj_id):
        try:
            obj_id = int(obj_id)
        except (TypeError, ValueError):
            raise web.NotFound()
        obj = self.base_query().where(self.model.id == obj_id).first()
        if obj is None:
            raise web.NotFound()
        return obj

    def initial(self, obj):
        values = {}
        for name, f in forms.form_fields(self.schema()):
            value = getattr(obj, name, None)
            if isinstance(value, peewee.Model):
                value = value.get_id()
            elif name.endswith("_id") is False and isinstance(f, forms.Related):
                value = obj.__data__.get(name)
            values[name] = "" if value is None else value
        return values

    # ------------------------------------------------ handlers
    def list_page(self):
        q = self.base_query()
        text = web.query("q").strip()[:100]
        if text and self.search:
            q = q.where(search_condition(self.search, text))
        active = {}
        for flt in self.filters:
            value = web.query(flt.name)
            if value:
                active[flt.name] = value
                q = q.where(flt.field == value)
        sort = web.query("sort")
        names = {c.name for c in self.columns if c.sortable and "." not in c.name}
        if sort.lstrip("-") in names:
            f = getattr(self.model, sort.lstrip("-"))
            q = q.order_by(f.desc() if sort.startswith("-") else f, self.model.id)
        else:
            q = q.order_by(*(self.order if isinstance(self.order, (list, tuple)) else [self.order or self.model.id.desc()]))
        page = web.query_page()
        if web.query("format") in ("csv", "xlsx"):
            return self.export(q, web.query("format"))
        rows, has_next = paginate(q, page, self.per_page)
        return web.render(self.templates("list.html"), screen=self, rows=rows, page=page, has_next=has_next,
                          q=text, active=active, sort=sort, page_title=self.title,
                          can_edit=bool(self.edit and web.user().can(self.edit)))

    def export(self, q, fmt):
        """The filtered, sorted list (all pages) as CSV or XLSX, headed by the columns' labels."""
        header = [str(c.label) for c in self.columns]
        rows = ([c.value(obj) for c in self.columns] for obj in q.limit(100000))
        return tabular.download(fmt, self.base.strip("/").replace("/", "-"), header, rows, title=str(self.title))

    def child_lists(self, obj):
        """The children of ``obj`` the user may see: one query per declared child, whatever their number
        (the child screen's ``query=`` brings its joins for dotted columns)."""
        user, shown = web.user(), []
        for label, child, link_field in self.children:
            if not user.can(child.view):
                continue
            column = getattr(child.model, link_field)
            order = child.order if isinstance(child.order, (list, tuple)) else [child.order or child.model.id]
            rows = list(child.base_query().where(column == obj.id).order_by(*order).limit(self.children_limit))
            add = (web.url(child.base + "/new", **{link_field: obj.id})
                   if child.edit and user.can(child.edit) else None)
            shown.append({"label": label, "screen": child, "rows": rows, "add_url": add,
                          "columns": [c for c in child.columns if c.name.split(".")[0] != link_field]})
        return shown

    def run_values(self, obj):
        """``run`` and its ``items`` (timeline) for the detail page when the screen has a workflow."""
        if self.workflow is None:
            return {}
        from core.tracker.service import timeline     # here: the tracker's routes import this module
        run = self.workflow.run_of(obj)
        return {"run": run, "items": timeline(run) if run else []}

    def detail_page(self, obj_id):
        obj = self.get(obj_id)
        extra = self.run_values(obj)
        user = web.user()
        extra["actions"] = [a for a in self.actions if user.can(a.permission or self.edit) and (a.when is None or a.when(obj))]
        extra["papers"] = documents.of_record(web.app(), self.model.audit_type(), obj.id, user)
        extra["links"] = public_links.of_subject(obj) if user.can(self.edit or self.view) else []
        extra.update(self.detail_extra(obj) if self.detail_extra else {})
        return web.render(self.templates("detail.html"), screen=self, obj=obj, page_title=self.label(obj),
                          history=audit.history(self.model.audit_type(), obj.id),
                          children=self.child_lists(obj),
                          can_edit=bool(self.edit and web.user().can(self.edit)), **extra)

    def prefilled(self):
        """Values a new record's form starts with: the model's fixed defaults (a status), then fields
        named in the query string (``/new?batch=3`` from the parent's "add" link)."""
        values = {}
        for name, _f in forms.form_fields(self.schema()):
            column = self.model._meta.fields.get(name)
            if web.query(name):
                values[name] = web.query(name)
            elif column is not None and column.default is not None and not callable(column.default):
                values[name] = column.default
        return values

    def form_page(self, obj=None, values=None, errors=None):
        # The version the user started from: kept across a form shown again with errors.
        version = (values or {}).get(VERSION_FIELD) if values is not None else None
        if obj is not None and not version:
            version = record_version(obj)
        return web.render(self.templates("form.html"), screen=self, obj=obj, schema=self.schema(),
                          values=values if values is not None else (self.initial(obj) if obj else self.prefilled()),
                          errors=errors or {}, version_field=VERSION_FIELD, version=version or "",
                          page_title=(self.label(obj) if obj else _("Tambah: {t}", t=self.title)))

    def persist(self, obj, data, version=None):
        """Write validated form data: create (``obj`` None) or update the locked row, through
        core.audit, then ``after_save``. The one write path of the screen's form and of its API
        (core/api/screens.py). ``version`` (``record_version`` when the editor opened the record)
        refuses a stale save with StaleRecord. Raises web.NotFound (the row is gone),
        peewee.IntegrityError or forms.ValidationError (a refusal of ``after_save``)."""
        data = blank_text_as_empty(self.model, dict(data))
        with db.write():
            if obj is None:
                obj = audit.create(self.model, **data)
                created = True
                if self.workflow is not None:
                    self.workflow.start(obj, str(obj))
            else:
                created = False
                current = db.lock(self.model, obj.id)
                if current is None:
                    raise web.NotFound()
                if version and version != record_version(current):
                    raise StaleRecord()
                obj = audit.update(current, **data)
            if self.after_save:
                self.after_save(obj, created)
        return obj

    @staticmethod
    def refusal_messages(exc):
        """field (``_form`` for the whole form) → message, from a ValidationError."""
        messages = exc.normalized_messages()
        return {k if k != "_schema" else "_form": _(str(v[0] if isinstance(v, list) else v)) for k, v in messages.items()}

    def save(self, obj=None):
        from core.tracker.base import StepError      # here: the tracker's routes import this module
        raw = web.form()
        data, errors = forms.validate(self.schema(), raw)
        if errors:
            web.response.status = 422
            return self.form_page(obj, raw, errors)
        try:
            saved = self.persist(obj, data, version=raw.get(VERSION_FIELD) or None)
        except StaleRecord:
            web.response.status = 409
            return self.form_page(obj, raw, {"_form": stale_message()})
        except peewee.IntegrityError:
            web.response.status = 422
            return self.form_page(obj, raw,
                                  {"_form": _("Data bentrok dengan data yang sudah ada (mis. kode atau nomor yang sama).")})
        except (Refusal, StepError) as exc:    # a business rule (after_save, the run): nothing saved
            web.response.status = 422
            return self.form_page(obj, raw, {getattr(exc, "field", None) or "_form": str(exc)})
        except forms.ValidationError as exc:
            web.response.status = 422
            return self.form_page(obj, raw, self.refusal_messages(exc))
        web.flash(_("Data tersimpan."))
        web.redirect(f"{self.base}/{saved.id}")

    # ------------------------------------------------ routes
    def register(self, router):
        name = self.base.strip("/").replace("/", ".")
        router.get(self.base, permission=self.view, name=f"{name}.list")(self.list_page)
        if self.edit:
            router.get(self.base + "/new", permission=self.edit, name=f"{name}.new")(lambda: self.form_page())
            router.post(self.base + "/new", permission=self.edit, name=f"{name}.create")(lambda: self.save())
            router.get(self.base + "/<obj_id:int>/edit", permission=self.edit, name=f"{name}.edit")(
                lambda obj_id: self.form_page(self.get(obj_id)))
            router.post(self.base + "/<obj_id:int>/edit", permission=self.edit, name=f"{name}.update")(
                lambda obj_id: self.save(self.get(obj_id)))
        router.get(self.base + "/<obj_id:int>", permission=self.view, name=f"{name}.detail")(self.detail_page)
        for action in self.actions:
            router.post(f"{self.base}/<obj_id:int>/{action.name}", permission=action.permission or self.edit,
                        name=f"{name}.{action.name}")(self.action_handler(action))
        if self.workflow is not None:
            router.record_links[self.workflow.subject_type] = (self.title, self.base)
        return self

    def action_handler(self, action):
        def handler(obj_id):
            def run():
                obj = db.lock(self.model, self.get(obj_id).get_id())    # two clicks: the second sees the first
                if action.when is not None and not action.when(obj):
                    raise Refusal(_("Tindakan ini tidak tersedia sekarang."))
                return action.run(obj)
            run_action(run, f"{self.base}/{obj_id}", message=action.message, refusals=action.refusals)
        return handler

    def __post_init__(self):
        if self.schema is None:
            self.schema = forms.of(self.model)
        form_fields = self.schema().fields
        self.columns = [self.column_named(c, form_fields) if isinstance(c, str) else c for c in self.columns]
        if self.columns and not any(c.link for c in self.columns):
            self.columns[0].link = True          # a list leads somewhere: its first column opens the record
        self.filters = [self.filter_named(f, form_fields) if isinstance(f, str) else f for f in self.filters]
        # Here, not in register(): record history finds the model class wherever it was imported.
        self.lend_labels(i18n.domain_of_module(self.schema.__module__))

    def column_named(self, name, form_fields):
        """A Column from a field name or dotted path: labelled by the form (its first field), shown by the
        form field of a plain name, or by the field the path ends at (a date, money, a choice)."""
        first = form_fields.get(name.split(".")[0])
        model, column = self.model, None
        for part in name.split("."):
            column = model._meta.fields.get(part) if model is not None else None
            model = column.rel_model if isinstance(column, peewee.ForeignKeyField) else None
        shown = form_fields.get(name) if "." not in name else (
            forms.field_of(column, label="") if column is not None and not isinstance(column, peewee.ForeignKeyField)
            else None)
        if isinstance(shown, forms.Related):
            shown = None                         # the record's own text (its picker would cost a query per row)
        label = (first.metadata.get("label") if first is not None else None) or getattr(column, "verbose_name", None)
        if isinstance(label, str):          # a form's plain msgid: translated in its plugin's catalog when shown
            label = i18n.lazy_in(label, i18n.domain_of_module(self.schema.__module__))
        if label is None:
            raise ValueError(f"column {name!r} of {self.base}: no form field or verbose_name labels it; "
                             f"give Column({name!r}, label)")
        choices = shown.choices if isinstance(shown, forms.Choice) else None
        return Column(name, label, field=shown, format=(lambda v: forms.label(v, choices)) if choices else None)

    def filter_named(self, name, form_fields):
        found = form_fields.get(name)
        if not isinstance(found, forms.Choice):
            raise ValueError(f"filter {name!r} of {self.base}: the form has no Choice field {name!r}; give Filter(...)")
        label = found.metadata.get("label")
        if isinstance(label, str):
            label = i18n.lazy_in(label, i18n.domain_of_module(self.schema.__module__))
        return Filter(name, label, getattr(self.model, name), found.choices)

    def lend_labels(self, domain):
        """Record history reads a model's ``field_labels`` and ``field_choices``; a model that declares
        none takes its form's (labels in the plugin's catalog ``domain``), so they are written once."""
        fields_ = forms.form_fields(self.schema())
        if not getattr(self.model, "field_labels", None):
            self.model.field_labels = {name: (f.metadata["label"] if isinstance(f.metadata["label"], i18n.lazy)
                                              else i18n.lazy_in(f.metadata["label"], domain)) for name, f in fields_
                                       if f.metadata.get("label") and name in self.model._meta.fields}
        if not getattr(self.model, "field_choices", None):
            self.model.field_choices = {name: f.choices for name, f in fields_
                                        if isinstance(f, forms.Choice) and name in self.model._meta.fields}


def record_link(app, object_type, object_id):
    """(label, url) of a record whose screen has a workflow (core's ``balai_record_link``), else None.
    No query: the label is the screen's title (the audit log asks this for every row)."""
    title, base = app.router.record_links.get(object_type, (None, None))
    return (title, f"{base}/{object_id}") if base and str(object_id).isdigit() else None
