"""The step table: its columns (one per actor), its rows, marks, time standards and branches."""
import re

from core.i18n import _
from core.tracker import sop as sop_mod
from core.tracker.sopimport.base import Cell, ImportRefused, norm
from core.tracker.workcal import parse_time_standard


def find_step_header(rows):
    """(first header row index, row with Kelengkapan/Waktu index) of the step table, or None."""
    for i, row in enumerate(rows):
        texts = [norm(c.text) for c in row]
        if any(t.endswith("kegiatan") for t in texts):
            for j in (i, i + 1):
                if j < len(rows) and {"kelengkapan", "waktu"} <= {norm(c.text) for c in rows[j]}:
                    return i, j
    return None


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


def read_steps(rows, h1, h2, parsed, pasted):
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
