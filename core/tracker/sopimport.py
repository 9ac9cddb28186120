"""Importing an SOP AP document (PermenPAN-RB 35/2012) as a DRAFT revision.

Two inputs, one reader: a Word file (.docx, read with python-docx) or the
tab-separated text Word gives when its tables are copied. Both become a list
of rows of cells; the reader then finds the identity table (Nomor SOP, dates,
Disahkan oleh, Judul), the lists (Dasar Hukum, Kualifikasi, Keterkaitan,
Peralatan, Peringatan, Pencatatan) and free sections, and the step table (No,
Kegiatan, one column per actor with marks, Kelengkapan, Waktu, Output,
Keterangan). Whatever cannot be read with certainty becomes an import problem
stored on the draft (``header["import_problems"]``) — never a silent guess.

    parsed = sopimport.read_file("peminjaman.docx", data)     # or read_text(pasted)
    rev = sopimport.make_draft(app, parsed)                    # a draft, source "import"

Format and rules: docs/sop-import.md.
"""
import datetime
import io
import re
from dataclasses import dataclass, field

from core.i18n import _
from core.tracker import authoring, sop as sop_mod
from core.tracker.workcal import parse_time_standard


class ImportRefused(Exception):
    """The document cannot become a draft at all (no step table, not a .docx…)."""

    def __init__(self, message, field="document"):
        super().__init__(message)
        self.field = field


@dataclass
class Cell:
    text: str
    marked: bool = False          # a symbol drawn in the cell (docx) or any text in it
    diamond: bool = False         # a decision symbol drawn in the cell (docx)


@dataclass
class Parsed:
    header: dict = field(default_factory=dict)
    actors: list = field(default_factory=list)     # actor (swimlane) names in column order
    steps: list = field(default_factory=list)      # dicts: no, activity, actors (names), requirements, time…
    problems: list = field(default_factory=list)


# ---------------------------------------------------------------- reading the two inputs

_TAGS = re.compile(r"<[^>]+>")


def clean(text):
    """Cell text without HTML/markdown decoration; list items and breaks become lines."""
    text = re.sub(r"(?i)<\s*(li|br|p)\b[^>]*>", "\n", text or "")
    text = _TAGS.sub("", text).replace("**", "").replace("\u00a0", " ")
    return "\n".join(" ".join(line.split()) for line in text.splitlines()).strip()


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


# ---------------------------------------------------------------- finding the parts

IDENTITY = {"nomor sop": "number", "no sop": "number", "tanggal pembuatan": "created",
            "tanggal revisi": "revision_date", "nomor revisi": "revision", "revisi": "revision",
            "tanggal efektif": "effective", "disahkan oleh": "approved_by", "judul sop": "title",
            "nama sop": "title", "unit kerja": "unit", "satuan kerja": "unit"}
LISTS = {"dasar hukum": "legal_basis", "kualifikasi pelaksana": "qualifications", "keterkaitan": "related",
         "peralatan perlengkapan": "equipment", "peralatan": "equipment", "peringatan": "warning",
         "pencatatan dan pendataan": "records", "ruang lingkup": "scope", "ringkasan": "summary",
         "istilah": "terms", "definisi": "terms", "ketentuan": "provisions"}
SECTION_KEYS = {"scope", "summary", "terms", "provisions"}
MONTHS = {"januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "maret": 3, "mar": 3, "april": 4,
          "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8,
          "september": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11, "nopember": 11, "nov": 11,
          "desember": 12, "des": 12}


def norm(text):
    return sop_mod.normalise_title(text)


def _label(text, table):
    """(key, rest) when ``text`` starts with one of ``table``'s labels, longest first."""
    n = norm(text.split("\n", 1)[0])
    for label in sorted(table, key=len, reverse=True):
        if n == label or n.startswith(label + " "):
            head = text.split("\n", 1)
            first = re.sub(r"^[\W_]*" + r"\W+".join(map(re.escape, label.split())) + r"\W*", "", head[0],
                           flags=re.I)
            return table[label], "\n".join([first] + head[1:]).strip()
    return None, ""


def parse_date(text):
    """"16 Desember 2024" / "2024-12-16" / "16-12-2024" → ISO text, or None."""
    t = " ".join((text or "").lower().replace(",", " ").split())
    try:
        return datetime.date.fromisoformat(t).isoformat()
    except ValueError:
        pass
    m = re.search(r"(\d{1,2})[\s.-]+([a-z]+|\d{1,2})[\s.-]+(\d{4})", t)
    if not m:
        return None
    month = MONTHS.get(m.group(2)) or (int(m.group(2)) if m.group(2).isdigit() else None)
    try:
        return datetime.date(int(m.group(3)), month, int(m.group(1))).isoformat() if month else None
    except ValueError:
        return None


def split_items(text):
    """A list cell → items: one per line, or split on "1. … 2. …" numbering (1, 2, 3… in order)."""
    lines = [x.strip() for x in (text or "").split("\n") if x.strip() and x.strip() not in ("-", "—")]
    out = []
    for line in lines:
        lead = re.match(r"(\d{1,2})[.)]\s", line)
        marks, want = [], int(lead.group(1)) if lead else 1
        for m in re.finditer(r"(?:^|\s)(\d{1,2})[.)]\s", line):
            if int(m.group(1)) == want:
                marks.append(m)
                want += 1
        if len(marks) >= 1 and marks[0].start() == 0:
            bounds = [m.start() for m in marks] + [len(line)]
            out += [re.sub(r"^\s*\d{1,2}[.)]\s*", "", line[a:b]).strip() for a, b in zip(bounds, bounds[1:])]
        else:
            out.append(line)
    return [x for x in out if x and not re.fullmatch(r"\d{1,2}[.)]?", x)]


def _find_step_header(rows):
    """(first header row index, row with Kelengkapan/Waktu index) of the step table, or None."""
    for i, row in enumerate(rows):
        texts = [norm(c.text) for c in row]
        if any(t.endswith("kegiatan") for t in texts):
            for j in (i, i + 1):
                if j < len(rows) and {"kelengkapan", "waktu"} <= {norm(c.text) for c in rows[j]}:
                    return i, j
    return None


def parse(rows, pasted):
    """Rows of cells → Parsed (header, actors, steps, problems)."""
    parsed = Parsed()
    found = _find_step_header(rows)
    if found is None:
        raise ImportRefused(_("Tabel langkah tidak ditemukan: perlu baris judul dengan kolom Kegiatan, "
                              "Kelengkapan dan Waktu."), "document" if not pasted else "text")
    h1, h2 = found
    _read_front(rows[:h1], parsed)
    _read_steps(rows, h1, h2, parsed, pasted)
    return parsed


# ---------------------------------------------------------------- the front: identity table and lists

def _read_front(rows, parsed):
    header, problems = parsed.header, parsed.problems
    pending = {}                     # column → list key whose content is in the next row (label row, then content row)
    lines = [c.text for row in rows for c in row if c.text]
    for row in rows:
        cells = [c for c in row if c.text]
        next_pending = {}
        for col, cell in enumerate(row):
            if not cell.text:
                continue
            if col in pending and _label(cell.text, LISTS)[0] is None:
                header.setdefault(pending[col], cell.text)
                continue
            key, rest = _label(cell.text, IDENTITY)
            if key and len(cells) >= 2 and cell is cells[0]:
                header.setdefault(key, cells[-1].text)
                break
            key, rest = _label(cell.text, LISTS)
            if key and rest:
                header.setdefault(key, rest)
            elif key:
                next_pending[col] = key
        pending = next_pending
    # Dates, approver, lists
    unreadable = set()
    for key, what in (("created", _("pembuatan")), ("revision_date", _("revisi")), ("effective", _("efektif"))):
        if header.get(key):
            iso = parse_date(header[key])
            if iso is None and header[key].strip() not in ("-", "—"):
                problems.append(_("Tanggal {what} tidak terbaca: {text}.", what=what, text=header[key]))
                unreadable.add(key)
            header[key] = iso or ""
    _read_approver(header, lines, problems)
    for key in ("legal_basis", "qualifications", "related", "equipment", "records"):
        header[key] = split_items(header.get(key, ""))
    header["warning"] = " ".join(split_items(header.get("warning", "")))
    header["sections"] = {k: header.pop(k) for k in list(header) if k in SECTION_KEYS}
    for key, label in (("number", "Nomor SOP"), ("title", "Judul SOP"), ("effective", "Tanggal efektif")):
        if not header.get(key) and key not in unreadable:
            problems.append(_("{label} tidak ditemukan di tabel identitas.", label=label))
    if not header.get("legal_basis"):
        problems.append(_("Dasar hukum tidak ditemukan."))


def _read_approver(header, lines, problems):
    """"Disahkan oleh": position, and the name and NIP that follow (same cell or the next lines)."""
    text = header.pop("approved_by", "") or ""
    pool = text + "\n" + "\n".join(lines)
    m = re.search(r"NIP\.?\s*:?\s*([\d ]{18,24})", pool)
    nip = re.sub(r"\D", "", m.group(1)) if m else ""
    name, position = "", text
    if m:
        before = [x.strip() for x in pool[:m.start()].split("\n") if x.strip()]
        if m.start() < len(text):             # name and NIP in the approver's own cell
            position = "\n".join(before[:-1]) if len(before) > 1 else ""
        name = before[-1] if before else ""
    if not nip or len(nip) != 18:
        problems.append(_("NIP pengesah tidak terbaca; isi di editor."))
        nip = ""
    if not name:
        problems.append(_("Nama pengesah tidak terbaca; isi di editor."))
    if not position.strip():
        problems.append(_("Jabatan pengesah tidak terbaca; isi di editor."))
    header["approved_by"] = {"position": " ".join(position.split()), "name": name, "nip": nip, "rank": ""}


# ---------------------------------------------------------------- the step table

_STEP_NO = re.compile(r"^(\d{1,3})\.?$")
END_TEXT = r"(?:proses\s+)?(?:selesai|berakhir|dihentikan)"
_BRANCH = re.compile(
    r"(?P<label>[A-Za-z][\w /()'-]{0,60}?)\s*(?:→|->|=>|:|,)?\s*(?:maka\s+)?(?:(?:kembali|lanjut|lanjutkan)\s+)?"
    r"(?:(?:ke|menuju)\s+)?(?:(?:langkah|kegiatan|no\.?|nomor)\s*(?P<to>\d{1,3})\b|(?P<end>" + END_TEXT + r")\b)",
    re.I)
_ARROW = re.compile(r"→|->|=>|:|\bke\s+langkah|\bkembali\b|\bselesai\b|\bberakhir\b", re.I)


def find_branches(text):
    """Decision branches written in a cell: "Ya → langkah 5", "Tidak: kembali ke langkah 2",
    "tidak lulus → selesai", "Jika ditolak, kembali ke langkah 1". → [{"label", "to"}]."""
    out = []
    for clause in re.split(r"[;\n]|(?<=[a-z0-9)])\.\s", text or ""):
        if not _ARROW.search(clause):
            continue
        m = _BRANCH.search(clause)
        if not m:
            continue
        label = re.sub(r"^(?:jika|bila|apabila|kalau)\s+", "", m.group("label").strip(" ,:-"), flags=re.I).strip()
        if not label or norm(label) in ("kembali", "lanjut", "ke", "langkah"):
            continue
        out.append({"label": label[:120], "to": int(m.group("to")) if m.group("to") else None})
    return out


def _columns(rows, h1, h2):
    """Column positions of the step table from its one or two header rows."""
    top, sub = [norm(c.text) for c in rows[h1]], [norm(c.text) for c in rows[h2]]
    width = max(len(top), len(sub))
    top += [""] * (width - len(top))
    sub += [""] * (width - len(sub))

    def where(pred, rows_=(sub, top)):
        for texts in rows_:
            for i, t in enumerate(texts):
                if pred(t):
                    return i
        return None
    cols = {"no": where(lambda t: t in ("no", "nomor"), (top, sub)) or 0,
            "activity": where(lambda t: t.endswith("kegiatan"), (top, sub)),
            "requirements": where(lambda t: t.startswith("kelengkapan") or t == "persyaratan"),
            "time": where(lambda t: t == "waktu"),
            "output": where(lambda t: t == "output" or t == "keluaran"),
            "notes": where(lambda t: t.startswith("ket"), (top, sub))}
    actors = [i for i in range(cols["activity"] + 1, cols["requirements"])
              if rows[h2][i].text and norm(rows[h2][i].text) not in ("pelaksana", "mutu baku")] if len(rows[h2]) > 1 else []
    return cols, actors, width


def _read_steps(rows, h1, h2, parsed, pasted):
    cols, actor_cols, width = _columns(rows, h1, h2)
    parsed.actors = [" ".join(rows[h2][i].text.split()) for i in actor_cols]
    problems = parsed.problems
    if not actor_cols:
        problems.append(_("Kolom pelaksana (satu kolom per pelaksana) tidak ditemukan di tabel langkah."))
    if cols["output"] is None:
        problems.append(_("Kolom Output tidak ditemukan di tabel langkah."))
    if cols["notes"] is None:
        problems.append(_("Kolom Keterangan tidak ditemukan di tabel langkah."))
    header_words = {norm(c.text) for c in rows[h1] + rows[h2] if c.text}
    current = None
    for row in rows[h2 + 1:]:
        texts = [c.text for c in row]
        if not any(texts):
            continue
        if {norm(t) for t in texts if t} <= header_words | {"pelaksana", "mutu baku"} or \
                any(norm(t).endswith("kegiatan") for t in texts[:3]):
            continue                                   # the header repeated after a page break
        first = texts[0] if texts else ""
        if _STEP_NO.match(first.strip()):
            current = {"row": list(row) + [Cell("")] * (width - len(row)), "no": int(_STEP_NO.match(first).group(1)),
                       "pasted": pasted}
            parsed.steps.append(current)
        elif current is not None and pasted and len(row) < width:
            # Word puts a line break inside a cell into the copied text: the line continues the
            # previous line's last cell, then its own cells follow in the next columns.
            continue_row(current, row, width)
            if len(row) == 1:
                problems.append(_("Langkah {no}: baris tanpa tab digabung ke kolom sebelumnya: {text}; periksa.",
                                  no=current["no"], text=first[:80]))
        elif current is not None and len(row) > 1:
            for i, cell in enumerate(row):                # a continuation row (e.g. after a page break)
                if cell.text and i < len(current["row"]):
                    target = current["row"][i]
                    target.text = (target.text + "\n" + cell.text).strip()
                    target.marked = target.marked or cell.marked
        elif current is not None and first and not _looks_like_footer(first):
            problems.append(_("Baris di luar tabel diabaikan setelah langkah {no}: {text}", no=current["no"],
                              text=first[:80]))
    if not parsed.steps:
        raise ImportRefused(_("Tabel langkah tidak berisi langkah bernomor."), "text" if pasted else "document")
    for step in parsed.steps:
        if step["pasted"]:
            _align_on_time(step, cols, width, parsed)
        _read_step(step, cols, actor_cols, parsed)


def _readable_time(text):
    try:
        return bool(text) and parse_time_standard(text) is not None
    except ValueError:
        return False


def _align_on_time(step, cols, width, parsed):
    """A pasted row whose cells do not line up with the header (a copy that dropped or added
    empty cells): when the Waktu column holds no time standard but exactly one cell right of
    the activity does, slide the cells from the one before it (Kelengkapan) so that it sits
    under Waktu — and list it for the reviewer."""
    cells, t = step["row"], cols["time"]
    if t is None or cols["requirements"] is None or _readable_time(cells[t].text):
        return
    found = [i for i in range(cols["activity"] + 1, len(cells)) if _readable_time(cells[i].text)]
    if len(found) != 1:
        return
    i = found[0]
    shift = t - i
    lead = cells[:cols["activity"] + 1]
    rest = cells[cols["activity"] + 1:]
    anchor = i - 1 - (cols["activity"] + 1)          # Kelengkapan: the cell before the time, within rest
    lanes, tail = rest[:max(anchor, 0)], rest[max(anchor, 0):]
    lanes_width = cols["requirements"] - (cols["activity"] + 1)
    lanes = (lanes + [Cell("") for _k in range(lanes_width)])[:lanes_width] if shift > 0 else lanes[:lanes_width]
    dropped = [c.text for c in rest[:max(anchor, 0)][lanes_width:] if c.text]
    step["row"] = (lead + lanes + tail + [Cell("") for _k in range(width)])[:width]
    parsed.problems.append(_("Langkah {no}: kolom baris ini tidak sejajar dengan judul tabel; kolom disejajarkan "
                             "pada Waktu ({time}) — periksa pelaksana, kelengkapan dan output.",
                             no=step["no"], time=cells[i].text))
    if dropped:
        parsed.problems.append(_("Langkah {no}: isi yang tidak muat di kolom mana pun: {text}.", no=step["no"],
                                 text="; ".join(dropped)))


def continue_row(current, row, width):
    cells = current["row"]
    filled = max((i for i, c in enumerate(cells) if c.text), default=0)
    cells[filled].text = (cells[filled].text + "\n" + row[0].text).strip()
    for k, cell in enumerate(row[1:], start=filled + 1):
        if k < len(cells) and cell.text:
            cells[k].text = (cells[k].text + "\n" + cell.text).strip()
            cells[k].marked = True


def _looks_like_footer(text):
    return bool(re.match(r"^(halaman|hal\.|page)\b", text.strip(), re.I))


def _cell(step, col):
    return step["row"][col].text.strip() if col is not None and col < len(step["row"]) else ""


def _read_step(step, cols, actor_cols, parsed):
    no, problems = step["no"], parsed.problems
    step["activity"] = _cell(step, cols["activity"])
    step["requirements"] = _cell(step, cols["requirements"])
    step["time"] = " ".join(_cell(step, cols["time"]).split())
    step["output"] = _cell(step, cols["output"])
    step["notes"] = _cell(step, cols["notes"])
    marked = [(i, step["row"][i]) for i in actor_cols if i < len(step["row"]) and step["row"][i].marked]
    step["actors"] = [parsed.actors[actor_cols.index(i)] for i, _c in marked]
    if not step["activity"]:
        problems.append(_("Langkah {no}: kolom kegiatan kosong.", no=no))
    if not marked:
        problems.append(_("Langkah {no}: tidak ada kolom pelaksana yang ditandai; pilih perannya di editor.", no=no))
    time_text = step["time"]
    if not time_text:
        problems.append(_("Langkah {no}: waktu (mutu baku) kosong; langkah ini tanpa standar waktu.", no=no))
    else:
        try:
            parse_time_standard(time_text)
        except ValueError:
            problems.append(_("Langkah {no}: waktu {text} tidak terbaca sebagai standar waktu (angka dan satuan); "
                              "tertulis apa adanya, perbaiki di editor.", no=no, text=repr(time_text)))
    # Decision branches: in the notes, the activity, the actor cells (labels on the arrows) or the output.
    found = []
    for text in [step["notes"], step["activity"]] + [c.text for _i, c in marked] + [step["output"]]:
        for b in find_branches(text):
            if all(b["label"].lower() != x["label"].lower() for x in found):
                found.append(b)
    step["branches"] = found
    diamond = any(c.diamond for _i, c in marked)
    step["kind"] = "decision" if found or diamond else "process"
    if len(found) == 1:
        problems.append(_("Langkah {no}: hanya satu cabang terbaca ({label} → {to}); lengkapi cabang lainnya.",
                          no=no, label=found[0]["label"], to=sop_mod.target_text(found[0]["to"])))
    elif not found and (diamond or "?" in step["activity"] or norm(step["activity"]).startswith("apakah")):
        problems.append(_("Langkah {no} tampak sebagai keputusan, tetapi ke mana setiap pilihan berlanjut tidak "
                          "tertulis; isi cabangnya di editor.", no=no))


# ---------------------------------------------------------------- making the draft

def code_from(number):
    """"KDI/PM/09" → "KDI-PM-09": a code usable in addresses."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", (number or "").strip()).strip("-.")[:64]


def make_draft(app, parsed, code=None):
    """The parsed document → a draft revision (source "import") with its problems stored on it.

    Actors become roles: an existing role whose title matches (case, spacing and
    punctuation ignored) is reused; any other becomes a new role of the draft."""
    header, problems = dict(parsed.header), list(parsed.problems)
    code = code or code_from(header.get("number"))
    if not code:
        raise ImportRefused(_("Nomor SOP tidak ditemukan di dokumen; isi kode SOP."), "code")
    title = header.get("title") or code
    by_title = {norm(r.title): r.code for r in app.roles.values()}
    taken = set(app.roles)
    roles, code_of, new = [], {}, []
    for name in parsed.actors:
        if norm(name) in code_of:
            continue
        existing = by_title.get(norm(name))
        role_code = existing or sop_mod.role_code_for(name, taken)
        taken.add(role_code)
        code_of[norm(name)] = role_code
        external = bool(existing and app.roles[existing].external)
        roles.append({"code": role_code, "title": app.roles[existing].title if existing else name,
                      "external": external})
        if not existing:
            new.append(name)
    if new:
        problems.append(_("Peran baru dibuat untuk pelaksana: {names}. Tandai sebagai pihak luar bila mereka tidak "
                          "punya akun, lalu berikan peran ini kepada pengguna.", names=", ".join(new)))
    header["roles"] = roles
    label = (header.pop("revision", "") or "").strip()
    if not label or label in ("-", "—"):
        label = "1"
        problems.append(_("Nomor revisi tidak tertulis; draf diberi revisi 1."))
    header["import_problems"] = problems
    header.setdefault("case_fields", [])
    rows = []
    for step in parsed.steps:
        row = authoring.blank_step(step["no"])
        performing = [code_of[norm(a)] for a in step["actors"]]
        row.update(activity=step["activity"], requirements=step["requirements"], time=step["time"],
                   output=step["output"], notes=step["notes"], kind=step["kind"], branches=step["branches"],
                   roles=performing, lanes=list(performing))
        rows.append(row)
    numbers = [r["no"] for r in rows]
    if len(set(numbers)) != len(numbers):
        raise ImportRefused(_("Nomor langkah berulang di tabel langkah ({nos}); perbaiki dokumen lalu impor lagi.",
                              nos=", ".join(str(n) for n in sorted({n for n in numbers if numbers.count(n) > 1}))))
    rev = authoring.new_draft(code, title, header, rows, source="import", label=label, existing_code=True)
    authoring.register_roles(app, header)
    return rev
