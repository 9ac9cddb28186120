"""Forms: marshmallow schemas with messages in the user's language.

Use these fields instead of marshmallow's own: they carry Indonesian messages
(msgids translated when shown), refuse HTML tags in text and have a length
limit by default. ``validate(schema, form)`` returns (data, errors); errors map
each field to its message, shown next to the field; nothing is saved when
there are any.

Values are normalised by ``core.values`` — the same functions the importers
use — so a NIK, a phone number, a line of text or an amount of money typed in
a form is stored exactly as the same value read from a spreadsheet.
"""
import re

from marshmallow import EXCLUDE, Schema as _Schema, ValidationError, fields, pre_load, validate as v

from core import i18n, values
from core.i18n import _

BASE = {"required": "Wajib diisi.", "null": "Wajib diisi.", "validator_failed": "Nilai tidak valid."}
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?]")


def no_tags(value):
    if value and TAG.search(value):
        raise ValidationError("Tidak boleh berisi tag HTML (< >).")


# ---------------------------------------------------------------- fields

def _validators(given):
    """``validate=`` as marshmallow takes it — one validator or a list — as a list."""
    if given is None:
        return []
    return list(given) if isinstance(given, (list, tuple)) else [given]


def _normalised(normalise, value):
    """Run a ``core.values`` normaliser, turning its refusal into a field error."""
    try:
        return normalise(value)
    except values.ValueProblem as exc:
        raise ValidationError(str(exc))


class String(fields.String):
    """One line of text, 255 characters unless ``max_length`` says otherwise (whitespace collapsed)."""
    default_error_messages = {**BASE, "invalid": "Harus berupa teks."}
    normalise = staticmethod(values.line)

    def __init__(self, *, max_length=255, label=None, widget="text", **kwargs):
        validators = [Length(max=max_length), no_tags] + _validators(kwargs.pop("validate", None))
        metadata = {"label": label, "widget": widget, "max_length": max_length, **kwargs.pop("metadata", {})}
        super().__init__(validate=validators, metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return self.normalise(value) if value is not None else value


class Text(String):
    """Several lines of text (a textarea), 5000 characters."""
    normalise = staticmethod(values.paragraphs)

    def __init__(self, *, max_length=5000, **kwargs):
        super().__init__(max_length=max_length, widget="textarea", **kwargs)


class Integer(fields.Integer):
    default_error_messages = {**BASE, "invalid": "Harus berupa bilangan bulat.", "too_large": "Angka terlalu besar."}

    def __init__(self, *, label=None, **kwargs):
        super().__init__(metadata={"label": label, "widget": "number", **kwargs.pop("metadata", {})}, strict=False, **kwargs)

    def _validated(self, value):
        value = super()._validated(value)
        if value is not None and not -2 ** 63 <= value < 2 ** 63:    # what a BIGINT column holds
            raise self.make_error("too_large")
        return value


class Decimal(fields.Decimal):
    """A decimal number as written in the user's language (``12,5``; Indonesian ``1.250`` is 1250)."""
    default_error_messages = {**BASE, "invalid": "Harus berupa angka.", "special": "Harus berupa angka."}
    parse = staticmethod(values.number)

    def __init__(self, *, label=None, places=2, **kwargs):
        super().__init__(places=places, metadata={"label": label, "widget": "decimal", **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = _normalised(self.parse, value)
        return super()._deserialize(value, attr, data, **kwargs)


class Money(Decimal):
    """An amount of rupiah: ``Rp 650.000,00``, ``650.000`` and ``1.250`` (= 1250) are read as written."""
    parse = staticmethod(values.money)


class Date(fields.Date):
    default_error_messages = {**BASE, "invalid": "Tanggal tidak valid (format TTTT-BB-HH).", "format": "Tanggal tidak valid."}

    def __init__(self, *, label=None, **kwargs):
        super().__init__(metadata={"label": label, "widget": "date", **kwargs.pop("metadata", {})}, **kwargs)


def not_future(value, today=None):
    """A validator for dates of things already done: refuses a date after today (institution's day).

    ``forms.Date(label="Tanggal selesai", validate=[forms.not_future])`` or ``forms.PastDate(...)``.
    """
    import datetime
    if value is None:
        return
    if today is None:
        today = _institution_today()
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day > today:
        raise ValidationError("Tanggal tidak boleh di masa depan: yang dicatat sudah terjadi.")


def _institution_today():
    import datetime
    from core.context import NoAppBound, current_app
    from core.tracker.base import local_today
    try:
        return local_today(current_app())
    except NoAppBound:
        return datetime.date.today()


class PastDate(Date):
    """The date a done thing happened: today or earlier (``not_future``)."""
    def __init__(self, **kwargs):
        super().__init__(validate=[not_future] + _validators(kwargs.pop("validate", None)), **kwargs)


class DateTime(fields.DateTime):
    default_error_messages = {**BASE, "invalid": "Waktu tidak valid.", "format": "Waktu tidak valid."}

    def __init__(self, *, label=None, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", metadata={"label": label, "widget": "datetime", **kwargs.pop("metadata", {})}, **kwargs)


class Boolean(fields.Boolean):
    default_error_messages = {**BASE, "invalid": "Pilih ya atau tidak."}
    truthy = {"1", "on", "true", "ya", "y", True}
    falsy = {"0", "off", "false", "tidak", "", False, None}

    def __init__(self, *, label=None, **kwargs):
        kwargs.setdefault("load_default", False)
        super().__init__(metadata={"label": label, "widget": "checkbox", **kwargs.pop("metadata", {})}, allow_none=True, **kwargs)


class Choices:
    """The one place a stored code gets the words a person reads (``active`` → "Berjalan"/"Active").

        RUN_STATUS = Choices(("active", "Berjalan"), ("completed", "Selesai"))
        status = Choice(RUN_STATUS, label=lazy("Status"))     # a form select
        RUN_STATUS.label(run.status)                           # in code
        {{ run.status|label(RUN_STATUS) }}                      # in a template

    Labels are Indonesian msgids translated in the domain of the module that declares the
    choices (its plugin's catalog), when shown. Iterating gives (code, translated label) pairs,
    so a ``Choices`` is accepted wherever a list of (value, label) is.
    """

    def __init__(self, *pairs, context=None):
        domain = i18n.caller_domain()
        self._labels = {code: (i18n.lazy_in(label, domain, context) if isinstance(label, str) else label)
                        for code, label in pairs}

    def label(self, code):
        """The translated label of ``code``; ``—`` for none; an unknown code as it is."""
        if code is None or code == "":
            return "—"
        found = self._labels.get(code)
        return i18n.Translated(found) if found is not None else str(code)

    @property
    def codes(self):
        return list(self._labels)

    def __contains__(self, code):
        return code in self._labels

    def __iter__(self):
        return iter([(code, i18n.Translated(label)) for code, label in self._labels.items()])

    def __len__(self):
        return len(self._labels)


def label(code, choices):
    """Template filter ``{{ value|label(choices) }}``: a ``Choices``, a dict or (value, label) pairs."""
    if isinstance(choices, Choices):
        return choices.label(code)
    found = dict(choices or ()).get(code)
    if code is None or code == "":
        return "—"
    return str(found) if found is not None else str(code)


def value_label(record, field):
    """Template filter ``{{ run|value_label("status") }}``: the label of a record's coded field,
    from the model's ``field_choices = {"status": RUN_STATUS}``; the value itself otherwise."""
    value = getattr(record, field, None)
    choices = (getattr(type(record), "field_choices", None) or {}).get(field)
    return label(value, choices) if choices is not None else ("—" if value is None else value)


class Choice(fields.String):
    """One of fixed values; ``choices`` is a ``Choices`` or a list of (value, label)."""
    default_error_messages = {**BASE, "invalid": "Pilihan tidak valid."}

    def __init__(self, choices, *, label=None, **kwargs):
        self.choices = choices
        super().__init__(validate=OneOf(choices.codes if isinstance(choices, Choices) else [c for c, _l in choices]),
                         metadata={"label": label, "widget": "select", **kwargs.pop("metadata", {})}, **kwargs)


class Related(fields.Integer):
    """A foreign key chosen from a list; ``options()`` returns [(id, label)].

    With ``depends_on="batch"`` the list depends on another field of the same form (often the
    parent the record is added from): ``options(batch_id)`` is called with that field's value, as
    an int (no list while it is empty), and a choice outside that list is refused.
    """
    default_error_messages = {**BASE, "invalid": "Pilihan tidak valid."}

    def __init__(self, options, *, label=None, depends_on=None, **kwargs):
        self.options, self.depends_on = options, depends_on
        super().__init__(metadata={"label": label, "widget": "related", **kwargs.pop("metadata", {})}, strict=False, **kwargs)

    def options_for(self, values):
        """The choices offered with these form values (the submitted or prefilled form)."""
        if self.depends_on is None:
            return self.options()
        try:
            return self.options(int((values or {}).get(self.depends_on)))
        except (TypeError, ValueError):
            return []

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if value not in {k for k, _l in self.options_for(data)}:
            raise ValidationError(self.error_messages["invalid"])
        return value


class Digits(String):
    """A number kept as text (NIK 16, NIP 18 digits): leading zeros matter; spaces, dots and dashes dropped."""
    def __init__(self, length, *, label=None, message=None, **kwargs):
        self.length, self.message = length, message
        super().__init__(max_length=length + 10, label=label, **kwargs)
        # For the API reference: what is accepted, and what is stored.
        self.metadata.setdefault("description", f"{length} digits (spaces, dots and dashes are dropped)")
        self.metadata.setdefault("examples", ["7471" + "0" * (length - 4)])

    def normalise(self, value):
        return _normalised(lambda text: values.digits(text, self.length, self.message), value)


class _Nik(Digits):
    def normalise(self, value):
        return _normalised(values.nik, value)        # 16 digits and a province code (core.values)


def Nik(**kwargs):
    return _Nik(16, message="NIK harus 16 digit angka.", **kwargs)


def Nip(**kwargs):
    return Digits(18, message="NIP harus 18 digit angka.", **kwargs)


class Phone(String):
    """A phone number, stored in E.164 (``+6281234567890``) whether typed 0812…, 62812… or +62 812…."""
    def __init__(self, **kwargs):
        super().__init__(max_length=25, **kwargs)

    def normalise(self, value):
        return _normalised(values.phone, value)


class Email(String):
    def __init__(self, **kwargs):
        super().__init__(max_length=150, validate=[v.Email(error="Alamat email tidak valid.")], **kwargs)


# ---------------------------------------------------------------- validators

class Length(v.Length):
    message_min = "Minimal {min} karakter."
    message_max = "Maksimal {max} karakter."
    message_all = "Panjang harus {min} sampai {max} karakter."
    message_equal = "Panjang harus {equal} karakter."


class Range(v.Range):
    # marshmallow formats these once with {min_op}/{max_op} in __init__: keep {min}/{max} doubled.
    message_min = "Minimal {{min}}."
    message_max = "Maksimal {{max}}."
    message_all = "Harus antara {{min}} dan {{max}}."
    message_gte = "Minimal {min}."
    message_gt = "Harus lebih dari {min}."
    message_lte = "Maksimal {max}."
    message_lt = "Harus kurang dari {max}."


class OneOf(v.OneOf):
    default_message = "Pilihan tidak valid."


# ---------------------------------------------------------------- schema

class Schema(_Schema):
    """Base of every form schema: unknown fields ignored, blanks become None."""
    error_messages = {"type": "Harus berupa objek (isian bernama)."}

    class Meta:
        unknown = EXCLUDE

    def on_bind_field(self, field_name, field_obj):
        # An optional field left blank is None, not an error (one left out takes its default).
        if not field_obj.required and not field_obj.metadata.get("no_blank"):
            field_obj.allow_none = True

    @pre_load
    def _blank_to_none(self, data, **kwargs):
        if not isinstance(data, dict):       # e.g. a JSON list item that is not an object: marshmallow refuses it
            return data
        out = {}
        for name, field in self.load_fields.items():
            key = field.data_key or name
            if key not in data:
                if isinstance(field, Boolean):
                    out[key] = False          # an unticked checkbox sends nothing
                continue
            value = data[key]
            if isinstance(value, str):
                value = value.strip()
                if value == "":
                    value = None
            out[key] = value
        return out


def validate(schema, form, partial=False):
    """Load ``form`` (a dict) with ``schema``; return (data, errors).

    ``errors`` maps field name → message (the first of each field) in the
    current language; ``_form`` holds errors that concern the whole form.
    """
    try:
        return schema.load(form, partial=partial), {}
    except ValidationError as exc:
        errors = {}
        for name, messages in exc.normalized_messages().items():
            if isinstance(messages, dict):
                messages = [m for ms in messages.values() for m in (ms if isinstance(ms, list) else [ms])]
            message = messages[0] if isinstance(messages, list) else messages
            errors["_form" if name == "_schema" else name] = _(str(message))
        return None, errors


def form_fields(schema):
    """(name, field) pairs in declaration order, for rendering."""
    return [(name, f) for name, f in schema.fields.items() if not f.dump_only]


# ---------------------------------------------------------------- the form of a model

def field_of(column, label=None):
    """The form field for a peewee ``column`` (a field of a model), labelled by its ``verbose_name``:
    a foreign key is a ``Related`` picker (its ``choices``, a function → [(id, label)], or every row
    of the related table by its text), a column with ``choices`` a ``Choice``, ``MoneyField`` a
    ``Money``, and so on. Required unless the column is nullable (a default is the new form's value)."""
    import peewee
    from core.db import MoneyField
    label = label if label is not None else column.verbose_name
    kwargs = {"label": label, "required": not column.null}
    if not column.null and column.default is not None and not callable(column.default):
        # Left out, the column's default; sent blank, refused (the column holds no blank).
        kwargs.update(required=False, load_default=column.default, metadata={"no_blank": True})
    if isinstance(column, peewee.ForeignKeyField):
        rel = column.rel_model
        options = column.choices if callable(column.choices) else (
            lambda: [(o.get_id(), str(o)) for o in rel.select().order_by(rel._meta.primary_key)])
        return Related(options, **kwargs)
    if column.choices:
        return Choice(column.choices, **kwargs)
    if isinstance(column, MoneyField):
        return Money(**kwargs)
    if isinstance(column, peewee.DecimalField):
        return Decimal(places=column.decimal_places, **kwargs)
    if isinstance(column, peewee.TextField):
        return Text(**kwargs)
    if isinstance(column, peewee.CharField):
        return String(max_length=column.max_length, **kwargs)
    if isinstance(column, peewee.BooleanField):
        kwargs.pop("required")
        return Boolean(**kwargs)
    if isinstance(column, peewee.DateTimeField):
        return DateTime(**kwargs)
    if isinstance(column, peewee.DateField):
        return Date(**kwargs)
    if isinstance(column, peewee.IntegerField):
        return Integer(**kwargs)
    raise TypeError(f"no form field for {type(column).__name__} {column.name}: give it in forms.of(..., "
                    f"{column.name}=forms.<Field>(...))")


def of(model, **overrides):
    """A form Schema of ``model``: every field with a ``verbose_name`` (the label), in the model's
    order, as ``field_of`` makes it; ``overrides`` replace or add fields by name.

        quota = peewee.IntegerField(verbose_name="Kuota")            # in the model
        VacancyForm = forms.of(Vacancy, quota=forms.Integer(required=True, validate=forms.Range(min=1),
                                                            label="Kuota"))
    A ``Screen`` given no form uses ``forms.of(model)``. Labels are msgids of the model's plugin."""
    domain = i18n.domain_of_module(model.__module__)
    declared = {}
    for column in model._meta.sorted_fields:
        if column.name in overrides:
            declared[column.name] = overrides[column.name]      # in the model's order
        elif column.verbose_name:
            declared[column.name] = field_of(column, i18n.lazy_in(column.verbose_name, domain))
    declared.update((name, f) for name, f in overrides.items() if name not in declared)
    schema = Schema.from_dict(declared, name=f"{model.__name__}Form")
    schema.__module__ = model.__module__       # its labels are the model's plugin's msgids
    return schema
