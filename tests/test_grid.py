"""core/grid.py: bulk entry — each cell checked by its column's field, the error in the cell,
every entered value kept, nothing saved when one cell fails."""
from core import forms
from core.grid import Grid, GridColumn, GridRow
from core.i18n import lazy

RESULT = forms.Choice([("K", lazy("Kompeten")), ("BK", lazy("Belum Kompeten"))])


def make_grid(initial=None, row_check=None):
    return Grid("hasil", rows=[GridRow(1, "Ahmad"), GridRow(2, "Budi", readonly=frozenset({"u1"}))],
                columns=[GridColumn("u1", "U1", RESULT), GridColumn("skor", "Skor", forms.Integer(validate=forms.Range(min=0, max=100))),
                         GridColumn("hadir", "Hadir", forms.Boolean())],
                initial=initial or {}, row_check=row_check)


def test_valid_cells_load_with_their_fields():
    grid = make_grid(initial={(2, "u1"): "BK"})
    values, errors = grid.parse({"hasil-1-u1": "K", "hasil-1-skor": "85", "hasil-1-hadir": "1",
                                 "hasil-2-u1": "K", "hasil-2-skor": "", "hasil-2-hadir": ""})
    assert errors == {}
    assert values == {(1, "u1"): "K", (1, "skor"): 85, (1, "hadir"): True,
                      (2, "u1"): "BK", (2, "skor"): None, (2, "hadir"): False}   # read-only cell kept as it was


def test_bad_cells_get_indonesian_messages_and_keep_what_was_entered():
    grid = make_grid()
    _values, errors = grid.parse({"hasil-1-u1": "X", "hasil-1-skor": "101", "hasil-2-skor": "abc"})
    assert errors == {(1, "u1"): "Pilihan tidak valid.", (1, "skor"): "Harus antara 0 dan 100.",
                      (2, "skor"): "Harus berupa bilangan bulat."}
    cell = grid.cell(grid.rows[1], grid.columns[1])
    assert cell.value == "abc" and cell.error == "Harus berupa bilangan bulat." and cell.name == "hasil-2-skor"


def test_row_check_runs_on_valid_rows():
    def absent_has_no_result(row, values):
        if not values.get("hadir") and values.get("u1"):
            return {"u1": "Peserta tidak hadir tidak dapat dinilai."}
    grid = make_grid(row_check=absent_has_no_result)
    _values, errors = grid.parse({"hasil-1-u1": "K", "hasil-1-hadir": ""})
    assert errors == {(1, "u1"): "Peserta tidak hadir tidak dapat dinilai."}


def test_related_depends_on_another_column_or_the_parent():
    """A Related column with ``depends_on``: its list follows the row's other cell or the grid's parent,
    each list asked once per value it depends on (no query per row), a choice outside it refused."""
    asked = []

    def assessors_of(unit):
        asked.append(("unit", unit))
        return {1: [(11, "Asesor A")], 2: [(21, "Asesor B"), (22, "Asesor C")]}.get(unit, [])

    def trainees_of(batch_id):
        asked.append(("batch", batch_id))
        return [(100 * batch_id + 1, "Ahmad"), (100 * batch_id + 2, "Budi")] if batch_id == 7 else []

    grid = Grid("uji", rows=[GridRow(r, f"Baris {r}") for r in (1, 2, 3)],
                columns=[GridColumn("unit", "Unit", forms.Choice([("1", "U1"), ("2", "U2")])),
                         GridColumn("asesor", "Asesor", forms.Related(assessors_of, depends_on="unit")),
                         GridColumn("peserta", "Peserta", forms.Related(trainees_of, depends_on="batch", required=True))],
                parent={"batch": 7})
    values, errors = grid.parse({"uji-1-unit": "2", "uji-1-asesor": "22", "uji-1-peserta": "701",
                                 "uji-2-unit": "2", "uji-2-asesor": "11", "uji-2-peserta": "702",
                                 "uji-3-unit": "1", "uji-3-asesor": "11", "uji-3-peserta": "801"})
    assert errors == {(2, "asesor"): "Pilihan tidak valid.", (3, "peserta"): "Pilihan tidak valid."}
    assert values[(1, "asesor")] == 22 and values[(3, "asesor")] == 11 and values[(2, "peserta")] == 702
    assert sorted(asked) == [("batch", 7), ("unit", 1), ("unit", 2)]          # once per value, not per row
    # Rendered, each row offers its own list; a row with no unit chosen offers none.
    assert grid.options(grid.rows[0], grid.columns[1]) == [(21, "Asesor B"), (22, "Asesor C")]
    assert [k for k, _l in grid.options(grid.rows[2], grid.columns[2])] == [701, 702]
    empty = Grid("uji", rows=[GridRow(1, "A")], columns=grid.columns, parent={"batch": 7})
    assert empty.options(empty.rows[0], empty.columns[1]) == []


def test_a_dependent_select_renders_its_rows_own_options():
    import os

    import jinja2
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(os.path.join(os.path.dirname(__file__), "..", "core", "templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    env.globals["_"] = lambda text, **values: text.format(**values)
    units = {"1": [(11, "Asesor A")], "2": [(21, "Asesor B")]}
    grid = Grid("uji", rows=[GridRow(1, "Ahmad"), GridRow(2, "Budi")],
                columns=[GridColumn("unit", "Unit", forms.Choice([("1", "U1"), ("2", "U2")])),
                         GridColumn("asesor", "Asesor", forms.Related(lambda u: units[str(u)], depends_on="unit"))],
                initial={(1, "unit"): "1", (2, "unit"): "2", (2, "asesor"): 21})
    html = env.from_string('{% from "_grid.html" import grid_table %}{{ grid_table(grid) }}').render(grid=grid)
    row1, row2 = html.split('id="uji-1-asesor"')[1], html.split('id="uji-2-asesor"')[1]
    assert "Asesor A" in row1.split("</select>")[0] and "Asesor B" not in row1.split("</select>")[0]
    assert '<option value="21" selected>Asesor B</option>' in row2.split("</select>")[0]
