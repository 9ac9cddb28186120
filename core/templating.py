"""What every template can use: translation, formatting, URLs, CSRF field."""
import datetime
import decimal
import json

import peewee
from markupsafe import Markup

from core import forms, history, i18n, privacy, values, web


def globals_and_filters(app):
    from core.tracker import workcal

    def local_tz():
        import zoneinfo
        return zoneinfo.ZoneInfo(workcal.TIMEZONES[app.config["timezone"]])

    def datetime_local(value):
        return i18n.format_datetime(value, local_tz())

    def display(value, field=None):
        """A stored value as a person reads it, by its type and its form field (detail pages):
        dates ``16 Desember 2024``, money in rupiah, a choice by its label, a phone as 0812-…."""
        from core import forms
        if value is None or value == "":
            return "—"
        if isinstance(field, forms.Choice):
            if isinstance(field.choices, forms.Choices):          # labels translated already
                return field.choices.label(value)
            found = dict(field.choices).get(value, value)
            return found if isinstance(found, i18n.Translated) else i18n._(str(found))
        if (isinstance(field, forms.Related) and field.depends_on is None and hasattr(value, "get_id")
                and type(value).__str__ is peewee.Model.__str__):
            # A record without a text of its own (a trainee's enrolment) reads as the picker showed it.
            return dict(field.options()).get(value.get_id(), value.get_id())
        if isinstance(field, forms.Phone):
            return values.format_phone(value)
        if isinstance(value, datetime.datetime):
            return datetime_local(value)
        if isinstance(value, datetime.date):
            return i18n.format_date(value)
        if isinstance(value, bool):
            return i18n._("Ya") if value else i18n._("Tidak")
        if isinstance(value, decimal.Decimal):
            if isinstance(field, forms.Money):
                return i18n.format_rupiah(value)
            return i18n.format_number(value, getattr(field, "places", None) or 2)
        return value

    def menu_current(menu, path):
        """The one menu entry for this page: the longest path that is this page or a parent of it."""
        paths = [item.path for _s, items in menu for item in items
                 if path == item.path or path.startswith(item.path.rstrip("/") + "/")]
        return max(paths, key=len, default=None)

    globals_ = {
        "menu_current": menu_current,
        "_": i18n._,
        "url": web.url,
        "here": lambda **params: web.url(web.request.path, **params),   # this page with other query params
        "csrf_field": web.csrf_field,
        "institution": app.config["institution"],
        "config": app.config,
        "role_title": app.role_title,
        "languages": i18n.LANGUAGES,
        "today": lambda: datetime.datetime.now(local_tz()).date(),
        "plugin_enabled": lambda name: name in app.plugins,
        "tz_label": app.config["timezone"],
    }
    filters = {
        "date": i18n.format_date,
        "datetime": datetime_local,
        "display": display,
        "rupiah": i18n.format_rupiah,
        "minutes": i18n.format_minutes,
        "number": i18n.format_number,
        "percent": i18n.format_percent,
        "label": forms.label,                  # {{ value|label(CHOICES) }}: code stored, label shown
        "value_label": forms.value_label,      # {{ run|value_label("status") }}: by the model's field_choices
        "history_changes": history.changes,    # audit rows → (row, [(field label, before, after)])
        "phone": values.format_phone,          # +6281234567890 → 0812-3456-7890
        "fromjson": lambda text: json.loads(text) if text else {},
        "nl2br": lambda text: Markup("<br>").join((text or "").splitlines()),
        "shown_diff": lambda row: privacy.masked_diff(row.object_type, row.diff),
        "shown_diff_json": privacy.masked_diff_json,
    }
    globals_["shown"] = lambda obj, field: privacy.shown(type(obj), field, getattr(obj, field, None))
    for _plugin, extra in app.plugins.each("balai_template_globals"):
        globals_.update(extra or {})
    for _plugin, extra in app.plugins.each("balai_template_filters"):
        filters.update(extra or {})
    return globals_, filters
