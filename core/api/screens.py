"""The API of every generic screen (core.views.Screen) a plugin registers.

For a screen at ``/training/programmes`` the API has, under ``/api/v1``:

- ``GET /training/programmes?q=&<filter>=&after=&limit=`` — the list, searched
  and filtered like the page, in id order with keyset pagination
  (``next_after`` is the ``after`` of the next page; null on the last);
- ``GET /training/programmes/{id}`` — one record;
- ``POST /training/programmes`` and ``PATCH /training/programmes/{id}`` (when the
  screen has an ``edit`` permission) — validated by the screen's own form
  schema and written by ``Screen.persist``, the same audited path as the form.

A record is shown as ``id``, ``label``, ``version`` and the fields of the form
schema; fields the model declares ``sensitive`` are masked as on the pages
(core/privacy.py). ``PATCH`` with ``If-Match: <version>`` refuses (409) a
record changed since that version was read, as the edit form does.
"""
import peewee
from marshmallow import Schema, fields as mf

from core import db, forms, privacy, web
from core.api.problems import ApiError
from core.api.router import MAX_ID, Param, body, int_query, later, query, request_header
from core.i18n import _, lazy
from core.views import StaleRecord, record_version, stale_message

MAX_LIMIT = 200


def screens_of(app):
    """(plugin name, Screen) of every generic screen registered on the app's router."""
    from core.views import Screen
    found = []
    for spec in app.router.routes:
        owner = getattr(spec.callback, "__self__", None)
        if spec.method == "GET" and isinstance(owner, Screen) and spec.callback.__func__ is Screen.list_page:
            found.append((spec.plugin, owner))
    return found


# ---------------------------------------------------------------- shapes

def output_field(field):
    """The marshmallow field that describes a form field's value in answers."""
    if isinstance(field, forms.Boolean):
        return mf.Boolean(allow_none=True)
    if isinstance(field, (forms.Integer, forms.Related)):
        return mf.Integer(allow_none=True)
    if isinstance(field, forms.Decimal):
        return mf.String(allow_none=True, metadata={"format": "decimal", "description": "Angka persis sebagai teks"})
    if isinstance(field, forms.DateTime):
        return mf.DateTime(allow_none=True)
    if isinstance(field, forms.Date):
        return mf.Date(allow_none=True)
    return mf.String(allow_none=True)


def component_names(plugin, screen):
    model = screen.model.__name__
    return model, f"{model}Input", f"{model}Page"


def register_schemas(router, plugin, screen):
    """Name the record, its input (the form schema) and a page of records as components."""
    name, input_name, page_name = component_names(plugin, screen)
    if name in router.schemas:                      # two plugins with a model of the same name
        name, input_name, page_name = (f"{plugin}_{n}" for n in (name, input_name, page_name))
    attrs = {"id": mf.Integer(required=True), "label": mf.String(required=True),
             "version": mf.String(required=True, metadata={"description": "Kirim sebagai If-Match saat mengubah"})}
    for field_name, f in forms.form_fields(screen.schema()):
        attrs[field_name] = output_field(f)
    item = type(name, (Schema,), attrs)
    page = type(page_name, (Schema,), {"items": mf.List(mf.Nested(item), required=True),
                                       "next_after": mf.Integer(required=True, allow_none=True)})
    router.schema(name, item)
    router.schema(input_name, screen.schema)
    router.schema(page_name, page)
    return name, input_name, page_name


def item(screen, obj):
    out = {"id": obj.id, "label": str(screen.label(obj)), "version": record_version(obj)}
    for name, f in forms.form_fields(screen.schema()):
        if isinstance(f, forms.Related) or isinstance(screen.model._meta.fields.get(name), peewee.ForeignKeyField):
            value = obj.__data__.get(name)
        else:
            value = getattr(obj, name, None)
        if isinstance(value, peewee.Model):
            value = value.get_id()
        if value is not None:
            kind = output_field(f)
            if isinstance(kind, mf.Boolean):
                value = bool(value)
            elif isinstance(kind, mf.Integer):
                value = int(value)
            elif isinstance(kind, mf.String):
                value = str(privacy.shown(screen.model, name, value))
        out[name] = value
    return out


def form_values(screen, obj):
    """The record's current values as the form schema reads them (for PATCH: sent fields replace these)."""
    values = {}
    for name, value in screen.initial(obj).items():
        if hasattr(value, "strftime") and isinstance(screen.schema().fields[name], forms.DateTime):
            value = value.strftime("%Y-%m-%dT%H:%M")
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif value is not None and not isinstance(value, (bool, int, str)):
            value = str(value)
        values[name] = value
    return values


def column_problems(model, data):
    """Values the form schema accepted but the column cannot hold (length, integer or digit range)."""
    problems = {}
    for name, value in data.items():
        column = model._meta.fields.get(name)
        if column is None or value is None:
            continue
        if isinstance(column, peewee.CharField) and isinstance(value, str) and len(value) > column.max_length:
            problems[name] = _("Maksimal {max} karakter.", max=column.max_length)
        elif isinstance(column, (peewee.IntegerField, peewee.ForeignKeyField)) and isinstance(value, int) \
                and not -2 ** 31 <= value < 2 ** 31:
            problems[name] = _("Angka terlalu besar.")
        elif isinstance(column, peewee.DecimalField) and value is not None:
            digits = len(value.quantize(1).copy_abs().as_tuple().digits) if value.is_finite() else 99
            if digits > column.max_digits - column.decimal_places:
                problems[name] = _("Angka terlalu besar.")
    return problems


# ---------------------------------------------------------------- endpoints

def register(router, app):
    for plugin, screen in screens_of(app):
        _register_screen(router.for_plugin(plugin), plugin, screen)


def _register_screen(router, plugin, screen):
    name, input_name, page_name = register_schemas(router, plugin, screen)
    base, title, tag = screen.base, screen.title, screen.title

    def get(obj_id):
        obj = screen.base_query().where(screen.model.id == obj_id).first()
        if obj is None:
            raise ApiError(404, _("Data yang Anda cari tidak ada."))
        return obj

    params = [Param("q", "string", lazy("Cari (seperti kotak cari di halaman)"))]
    for flt in screen.filters:
        options = flt.choices if not callable(flt.choices) else None
        params.append(Param(flt.name, "string", flt.label, enum=[str(v) for v, _l in options] if options else None))
    params += [Param("after", "integer", lazy("Id terakhir halaman sebelumnya"), minimum=0, maximum=MAX_ID),
               Param("limit", "integer", lazy("Jumlah data per halaman (bawaan 50)"), minimum=1, maximum=MAX_LIMIT)]

    def list_records():
        from core.views import search_condition
        q = screen.base_query()
        text = query("q").strip()[:100]
        if text and screen.search:
            q = q.where(search_condition(screen.search, text))
        for flt in screen.filters:
            value = query(flt.name)
            if not value:
                continue
            if isinstance(flt.field, (peewee.IntegerField, peewee.ForeignKeyField)):
                value = int_query(flt.name, None, 0)
            elif not callable(flt.choices) and value not in {str(v) for v, _l in flt.choices}:
                raise ApiError(400, _("Parameter tidak valid."), errors={flt.name: _("Pilihan tidak valid.")})
            q = q.where(flt.field == value)
        after, limit = int_query("after", 0), int_query("limit", 50, 1, MAX_LIMIT)
        rows = list(q.where(screen.model.id > after).order_by(screen.model.id).limit(limit + 1))
        return {"items": [item(screen, obj) for obj in rows[:limit]],
                "next_after": rows[limit - 1].id if len(rows) > limit else None}
    list_records.__name__ = f"{name}_list"
    router.get(base, permission=screen.view, scope="read", summary=later("Daftar: {t}", t=title), tags=(tag,),
               query=params, response=page_name)(list_records)

    def detail(id):
        return item(screen, get(id))
    detail.__name__ = f"{name}_detail"
    router.get(base + "/{id}", permission=screen.view, scope="read", summary=later("Satu data: {t}", t=title),
               tags=(tag,), response=name)(detail)

    if not screen.edit:
        return

    def save(obj, values, version=None):
        data, errors = forms.validate(screen.schema(), values)
        if not errors:
            errors = column_problems(screen.model, data)
        if errors:
            raise ApiError(422, _("Data tidak valid."), errors=errors)
        try:
            with db.write():
                obj = screen.persist(obj, data, version=version)
        except StaleRecord:
            raise ApiError(409, stale_message(), reason="stale_version")
        except web.NotFound:
            raise ApiError(404, _("Data yang Anda cari tidak ada."))
        except peewee.IntegrityError:
            raise ApiError(409, _("Data bentrok dengan data yang sudah ada (mis. kode atau nomor yang sama)."))
        except forms.ValidationError as exc:
            raise ApiError(422, _("Data tidak valid."), errors=screen.refusal_messages(exc))
        return item(screen, get(obj.id))

    def create():
        return 201, save(None, body())
    create.__name__ = f"{name}_create"
    router.post(base, permission=screen.edit, scope="write", summary=later("Tambah: {t}", t=title), tags=(tag,),
                body=input_name, response=name, status=201)(create)

    def update(id):
        obj = get(id)
        version = (request_header("If-Match") or "").strip().strip('"') or None
        return save(obj, {**form_values(screen, obj), **body()}, version)
    update.__name__ = f"{name}_update"
    router.patch(base + "/{id}", permission=screen.edit, scope="write",
                 summary=later("Ubah: {t}", t=title), description=lazy("Kolom yang dikirim menggantikan nilai sekarang. Dengan header If-Match: <version> "
                                  "perubahan ditolak (409) bila data sudah diubah orang lain sejak versi itu."),
                 tags=(tag,), body=input_name, response=name)(update)

