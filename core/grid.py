"""Bulk entry: one form of rows × columns (candidate × unit K/BK, trainee ×
day attendance, trainee × score).

Each column carries a form field (``forms.Choice``, ``forms.Integer``,
``forms.Boolean``, ``forms.String``…): every cell is checked with it and a bad
cell shows its Indonesian message inside the cell. When any cell (or a row
check) fails, nothing is saved and the page comes back with every value as
entered. The table is compact — one line per row, the row names stuck to the
left, the table scrolling sideways on a phone — instead of one fieldset per row.

    grid = Grid("nilai", rows=[GridRow(e.id, e.person.name) for e in enrolments],
                columns=[GridColumn("teori", lazy("Teori"), forms.Integer(validate=forms.Range(0, 100))),
                         GridColumn("praktik", lazy("Praktik"), forms.Integer(validate=forms.Range(0, 100)))],
                initial={(s.enrolment_id, "teori"): s.theory for s in scores})
    values, errors = grid.parse(web.form())
    # values: {(row_key, column_key): loaded value}; errors: {(row_key, column_key): message}

and in the template ``{% from "_grid.html" import grid_table %}{{ grid_table(grid) }}``
inside the page's ``<form>``. ``submit_grid`` is ``submit_form`` for a grid.

A ``forms.Related(options, depends_on=KEY)`` column offers ``options(value)``: ``KEY`` is another
column of the same row (a unit chosen per row, then its assessor) or a value of the grid's
``parent`` (``Grid(..., parent={"batch": batch.id})``: trainees of this batch only). Lists are
asked once per distinct value, so a page of rows costs no query per row.
"""
from dataclasses import dataclass, field
from typing import Any, Callable

import marshmallow

from core import forms, web
from core.i18n import _


@dataclass
class GridColumn:
    """A column: ``key`` (part of the input name), short ``label`` (the header), the ``field``
    checking each cell, and an optional longer ``title`` (the header's tooltip)."""
    key: Any
    label: Any
    field: Any
    title: Any = ""

    @property
    def widget(self):
        return self.field.metadata.get("widget", "text")

    def options(self, values=None):
        """The choices of a select; ``values``: the row's cells and the parent's values, for a
        ``Related`` that ``depends_on`` one of them."""
        if isinstance(self.field, forms.Choice):
            return self.field.choices
        if isinstance(self.field, forms.Related):
            return self.field.options_for(values)
        return []


@dataclass
class GridRow:
    """A row: ``key`` (part of the input name), ``label`` (the row header), an optional ``note``
    under it, and the column keys that are shown but not editable in this row."""
    key: Any
    label: Any
    note: Any = ""
    readonly: frozenset = field(default_factory=frozenset)


@dataclass
class Cell:
    name: str
    value: str          # as shown in the input (entered text after a refusal)
    error: str = ""
    readonly: bool = False


class Grid:
    """rows × columns of inputs named ``<name>-<row key>-<column key>``.

    ``initial``: {(row key, column key): value} shown before anything is entered.
    ``row_check(row_key, {column key: value}) -> {column key: message}``: rules across
    a row's cells (an absent candidate has no results), run when the row's cells are valid.
    ``parent``: {key: value} of the record the grid belongs to, read by ``depends_on`` columns.
    """

    def __init__(self, name, rows, columns, initial=None, row_check: Callable | None = None, caption="",
                 parent=None):
        self.name, self.rows, self.columns = name, list(rows), list(columns)
        self.initial = dict(initial or {})
        self.parent = dict(parent or {})
        self._options = {}          # (column key, value depended on) → options, asked once each
        self.row_check = row_check
        self.caption = caption
        self.entered = {}           # (row, column) → text entered (after parse)
        self.errors = {}            # (row, column) → message
        self.form_error = ""

    def input_name(self, row_key, column_key):
        return f"{self.name}-{row_key}-{column_key}"

    # ------------------------------------------------------------ reading the post

    def parse(self, form):
        """({(row, column): value}, {(row, column): message}) from the posted form; read-only cells
        keep their initial value. The entered text is kept for re-rendering."""
        values, errors = {}, {}
        self.entered = {}
        for row in self.rows:
            for col in self.columns:
                if col.key not in row.readonly:
                    raw = form.get(self.input_name(row.key, col.key))
                    self.entered[(row.key, col.key)] = (raw[-1] if isinstance(raw, list) else raw) or ""
            row_values = {}
            for col in self.columns:
                key = (row.key, col.key)
                if col.key in row.readonly:
                    row_values[col.key] = values[key] = self.initial.get(key)
                    continue
                value, message = self.load_cell(col.field, self.entered[key], self.options(row, col))
                if message:
                    errors[key] = message
                else:
                    row_values[col.key] = values[key] = value
            if self.row_check and not any((row.key, c.key) in errors for c in self.columns):
                for col_key, message in (self.row_check(row.key, row_values) or {}).items():
                    errors[(row.key, col_key)] = str(message)
        self.errors = errors
        return values, errors

    @staticmethod
    def load_cell(fld, raw, options=None):
        """(value, "") or (None, message) for one cell's text, by its column's field; ``options``:
        the row's list for a ``Related`` column (else the field's own)."""
        text = raw.strip() if isinstance(raw, str) else raw
        if text in (None, ""):
            if isinstance(fld, forms.Boolean):
                return False, ""
            return (None, _("Wajib diisi.")) if fld.required else (None, "")
        try:
            if isinstance(fld, forms.Related) and options is not None:
                value = related_id(fld, text)
                if value not in {k for k, _l in options}:
                    raise marshmallow.ValidationError(fld.error_messages["invalid"])
                return value, ""
            return fld.deserialize(text), ""
        except marshmallow.ValidationError as exc:
            messages = exc.messages if isinstance(exc.messages, list) else [exc.messages]
            return None, _(str(messages[0]))

    def prefill(self, texts):
        """Show ``{(row key, column key): text}`` in the cells as if typed (e.g. read from a spreadsheet):
        nothing is saved until the person checks them and submits the grid."""
        keys = {(r.key, c.key) for r in self.rows for c in self.columns}
        self.entered.update({k: "" if v is None else str(v) for k, v in texts.items() if k in keys})

    def row_values(self, row):
        """The parent's values and this row's cells as shown (entered, else initial)."""
        return {**self.parent, **{c.key: self.cell(row, c).value for c in self.columns}}

    def options(self, row, col):
        """A column's choices in this row; a ``depends_on`` list is asked once per value it depends on."""
        dep = getattr(col.field, "depends_on", None)
        if dep is None:
            key = (col.key, None)
        else:
            cell = next((c for c in self.columns if c.key == dep), None)
            key = (col.key, str(self.cell(row, cell).value if cell else self.parent.get(dep, "")))
        if key not in self._options:
            self._options[key] = col.options(self.row_values(row))
        return self._options[key]

    # ------------------------------------------------------------ rendering

    def cell(self, row, col):
        key = (row.key, col.key)
        if key in self.entered:
            shown = self.entered[key]
        else:
            value = self.initial.get(key)
            shown = "" if value is None else ("1" if value is True else "" if value is False else str(value))
        return Cell(self.input_name(row.key, col.key), shown, self.errors.get(key, ""), col.key in row.readonly)

    def error_count(self):
        return len(self.errors)


def related_id(fld, text):
    """The id typed in a ``Related`` cell (an integer), or the field's own refusal."""
    try:
        return int(str(text))
    except ValueError:
        raise marshmallow.ValidationError(fld.error_messages["invalid"])


def submit_grid(grid, action, rerender, *, message, to, refusals=()):
    """The one shape of a grid POST: parse every cell; when all are valid call ``action(values)``;
    on a bad cell or a refusal re-render (422, nothing written kept) through ``rerender(grid)``;
    else flash ``message`` and redirect to ``to`` (a path or a function of the action's result)."""
    values, errors = grid.parse(web.form())
    result = None
    if not errors:
        try:
            result = action(values)
        except tuple(refusals) as exc:
            cell = getattr(exc, "cell", None)
            if cell is not None:
                grid.errors[cell] = str(exc)
            else:
                grid.form_error = str(exc)
    if grid.errors or grid.form_error:
        web.response.status = 422
        return rerender(grid)
    web.flash(message)
    web.redirect(to(result) if callable(to) else to)
