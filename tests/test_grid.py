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
