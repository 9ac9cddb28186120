"""The two inputs — a .docx (python-docx) and pasted tab text — as rows of cells, then parsed."""
import io

from core.i18n import _
from core.tracker.sopimport.base import Cell, ImportRefused, Parsed, clean
from core.tracker.sopimport.front import read_front
from core.tracker.sopimport.table import find_step_header, read_steps


def read_text(text):
    """Rows from pasted text: one line a row, cells split on tabs."""
    rows = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        cells = [Cell(clean(c)) for c in line.split("\t")]
        for c in cells:
            c.marked = bool(c.text)
        rows.append(cells)
    return parse(rows, pasted=True)


def read_file(filename, data):
    name = (filename or "").lower()
    if name.endswith(".docx"):
        return read_docx(data)
    if name.endswith((".txt", ".tsv")):
        try:
            return read_text(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ImportRefused(_("Teks harus berkode UTF-8."))
    raise ImportRefused(_("Hanya berkas Word .docx (atau teks .txt) yang dapat diimpor; simpan dokumen .doc "
                          "sebagai .docx lebih dulu."))


_SHAPES = ("}drawing", "}pict", "}AlternateContent", "}shape", "}rect", "}oval")
_DIAMONDS = ('prst="flowChartDecision"', 'prst="diamond"', "_x0000_t110", "_x0000_t4")


def _docx_cell(tc, doc):
    from docx.table import _Cell
    from lxml import etree
    cell = _Cell(tc, doc)
    text = clean("\n".join(p.text for p in cell.paragraphs))
    drawn = any(el.tag.endswith(_SHAPES) for el in tc.iter() if isinstance(el.tag, str))
    xml = etree.tostring(tc, encoding="unicode") if drawn else ""
    return Cell(text, bool(text) or drawn, any(d in xml for d in _DIAMONDS))


def read_docx(data):
    """Rows from a .docx: its paragraphs and table rows, in document order.

    A merged cell's text is kept once (its first grid column / first row), so a
    document reads exactly like the text Word copies out of it."""
    try:
        import docx
        from docx.table import Table
        document = docx.Document(io.BytesIO(data))
    except Exception:   # python-docx raises several types for a file that is not a Word document
        raise ImportRefused(_("Berkas ini bukan dokumen Word .docx yang dapat dibaca."))
    rows = []
    for el in document.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean("".join(t.text or "" for t in el.iter() if t.tag.endswith("}t")))
            rows.append([Cell(text, bool(text))])
        elif tag == "tbl":
            above = []
            for row in Table(el, document).rows:
                seen, cells, tcs = set(), [], []
                for cell in row.cells:
                    tc = cell._tc
                    repeat = id(tc) in seen or (len(above) > len(tcs) and above[len(tcs)] is tc)
                    seen.add(id(tc))
                    tcs.append(tc)
                    cells.append(Cell("") if repeat else _docx_cell(tc, document))
                above = tcs
                rows.append(cells)
    return parse(rows, pasted=False)


def parse(rows, pasted):
    """Rows of cells → Parsed (header, actors, steps, problems)."""
    parsed = Parsed()
    found = find_step_header(rows)
    if found is None:
        raise ImportRefused(_("Tabel langkah tidak ditemukan: perlu baris judul dengan kolom Kegiatan, "
                              "Kelengkapan dan Waktu."), "document" if not pasted else "text")
    h1, h2 = found
    read_front(rows[:h1], parsed)
    read_steps(rows, h1, h2, parsed, pasted)
    return parsed
