"""The front of an SOP AP document: the identity table, the lists and free sections, the approver."""
import datetime
import re

from core.i18n import _
from core.tracker.sopimport.base import norm


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


# ---------------------------------------------------------------- the front: identity table and lists

def read_front(rows, parsed):
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
