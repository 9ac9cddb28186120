"""Record history as people read it: field labels and value labels, not column names and ids.

An audit row stores ``{"created_by": [null, 6], "status": ["active", "completed"]}``; the
chatter shows "Dibuat oleh: ∅ → Budi", "Status: berjalan → selesai". Where the words come from:

- a field's label: the model's ``field_labels = {"start_date": lazy("Tanggal mulai")}``, else
  the core's common columns below, else the column name;
- a coded value's label: the model's ``field_choices = {"status": RUN_STATUS}`` (core/forms.py
  ``Choices``);
- a reference to another record (``ForeignKeyField``): that record's ``str()``, when its model
  defines one (users show their name), read with one query per referenced table for all rows.
"""
import datetime

import peewee

from core import forms, i18n, privacy
from core.i18n import lazy

COMMON_LABELS = {
    "created_by": lazy("Dibuat oleh"), "created_at": lazy("Dibuat pada"), "updated_at": lazy("Diubah pada"),
    "status": lazy("Status"), "title": lazy("Judul"), "name": lazy("Nama"), "note": lazy("Catatan"),
    "notes": lazy("Catatan"), "full_name": lazy("Nama lengkap"), "username": lazy("Nama pengguna"),
    "active": lazy("Aktif"), "end_reason": lazy("Alasan"), "ended_by": lazy("Diakhiri oleh"),
    "completed_at": lazy("Selesai pada"), "started_at": lazy("Dimulai pada"), "started_by": lazy("Dimulai oleh"),
}
ACTIONS = forms.Choices(("create", "membuat"), ("update", "mengubah"), ("delete", "menghapus"))
_by_type = {}


def model_of(object_type):
    """The model whose audit rows have this ``object_type`` (None if no model has it)."""
    if object_type not in _by_type:       # filled on a miss: a plugin's models may be imported later
        for model in privacy._models():
            if hasattr(model, "_meta") and getattr(model._meta, "table_name", None):
                _by_type.setdefault(model.audit_type(), model)
    return _by_type.get(object_type)


def field_label(model, field):
    found = (getattr(model, "field_labels", None) or {}).get(field) or COMMON_LABELS.get(field)
    return str(found) if found is not None else field


def _shows_itself(model):
    return model is not None and model.__str__ is not peewee.Model.__str__


def _references(rows):
    """{(model, id): text} of every referenced record, one query per referenced table."""
    wanted = {}
    for row, model, diff in rows:
        for field, value in diff.items():
            fk = model._meta.fields.get(field) if model is not None else None
            if isinstance(fk, peewee.ForeignKeyField) and _shows_itself(fk.rel_model):
                for v in (value if isinstance(value, list) else [value]):
                    if isinstance(v, int):
                        wanted.setdefault(fk.rel_model, set()).add(v)
    found = {}
    for rel_model, ids in wanted.items():
        for obj in rel_model.select().where(rel_model._meta.primary_key.in_(sorted(ids))):
            found[(rel_model, obj.get_id())] = str(obj)
    return found


def _record_titles():
    from core.context import NoAppBound, current_app
    try:
        return {kind: title for kind, (title, _base) in current_app().router.record_links.items()}
    except (NoAppBound, AttributeError):
        return {}


def _local_zone():
    from core.context import NoAppBound, current_app
    from core.tracker.base import local_zone
    try:
        return local_zone(current_app())
    except NoAppBound:
        return None


def _shown(model, field, value, refs):
    if value is None or value == "":
        return "∅"
    fk = model._meta.fields.get(field) if model is not None else None
    if isinstance(fk, peewee.ForeignKeyField):
        return refs.get((fk.rel_model, value), value)
    choices = (getattr(model, "field_choices", None) or {}).get(field)
    if choices is not None:
        return forms.label(value, choices)
    if field == "subject_type":           # a run's kind of record: the title of its screen (Lowongan), if any
        title = _record_titles().get(value)
        if title is not None:
            return str(title)
    if isinstance(value, bool):
        return i18n._("ya") if value else i18n._("tidak")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            moment = datetime.datetime.fromisoformat(value) if len(value) > 10 else datetime.date.fromisoformat(value)
        except ValueError:
            return value
        if isinstance(moment, datetime.datetime):     # stored naive UTC: shown in the institution's time
            return i18n.format_datetime(moment, _local_zone())
        return i18n.format_date(moment)
    if isinstance(value, float):
        return i18n.format_number(value, 2)
    return value


def changes(rows):
    """Template filter: [(row, action label, [(field label, before, after or None)])] for audit rows."""
    prepared = []
    for row in rows:
        diff = privacy.masked_diff(row.object_type, row.diff)
        prepared.append((row, model_of(row.object_type), diff if isinstance(diff, dict) else {}))
    refs = _references(prepared)
    out = []
    for row, model, diff in prepared:
        items = []
        for field, value in diff.items():
            if field == "id":                   # the record's own number: its page says which it is
                continue
            name = field_label(model, field)
            if isinstance(value, list) and len(value) == 2:
                before, after = _shown(model, field, value[0], refs), _shown(model, field, value[1], refs)
                if before != after:             # empty before and after (None → ""): nothing a reader sees
                    items.append((name, before, after))
            else:
                items.append((name, _shown(model, field, value, refs), None))
        out.append((row, ACTIONS.label(row.action), items))
    return out
