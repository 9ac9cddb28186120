"""The work plan's itemised budget (RAB): lines typed as
``uraian | volume | satuan | harga satuan`` (one per line), checked line by line
with the line number and the reason, and their total (printed with its words)."""
import decimal

from core.toolkit import _, values

MAX_LINES = 60
HINT = "Honor instruktur | 24 | JP | 300.000"


def _amount(text, read):
    """A number read the one way (``values.number`` / ``values.money``: 1.250.000,50 in Indonesian), or None."""
    try:
        value = read(text)
    except values.ValueProblem:
        return None
    return value if value is not None and value.is_finite() else None


def parse(text):
    """(lines, problems): lines as dicts (description, volume, unit, price); problems as
    "Baris n: reason" messages in Indonesian."""
    lines, problems = [], []
    for no, raw in enumerate((text or "").splitlines(), 1):
        if not raw.strip():
            continue
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) != 4:
            problems.append(_("Baris {n}: tulis uraian | volume | satuan | harga satuan (contoh: {h}).", n=no, h=HINT))
            continue
        description, volume, unit, price = parts
        vol, amount = _amount(volume, values.number), _amount(price, values.money)
        if not description or len(description) > 200:
            problems.append(_("Baris {n}: uraian wajib diisi, paling banyak 200 karakter.", n=no))
        elif vol is None or vol <= 0 or vol >= 10 ** 9:
            problems.append(_("Baris {n}: volume harus angka lebih dari 0.", n=no))
        elif not unit or len(unit) > 40:
            problems.append(_("Baris {n}: satuan wajib diisi (mis. OH, JP, paket), paling banyak 40 karakter.", n=no))
        elif amount is None or amount < 0 or amount >= 10 ** 12:
            problems.append(_("Baris {n}: harga satuan harus angka rupiah (mis. 300.000).", n=no))
        else:
            lines.append({"description": description, "volume": vol.quantize(decimal.Decimal("0.01")), "unit": unit,
                          "price": amount.quantize(decimal.Decimal("0.01"))})
    if not lines and not problems:
        problems.append(_("Isi minimal satu baris rincian anggaran."))
    if len(lines) > MAX_LINES:
        problems.append(_("Paling banyak {n} baris rincian anggaran.", n=MAX_LINES))
    return lines, problems


def total(lines):
    return sum((l["volume"] * l["price"] for l in lines), decimal.Decimal("0")).quantize(decimal.Decimal("0.01"))


def text_of(rows):
    """The lines of stored BudgetLine rows as the form shows them."""
    def num(d):
        d = d.normalize()
        s = f"{d:,f}".replace(",", "#").replace(".", ",").replace("#", ".")
        return s
    return "\n".join(f"{r.description} | {num(r.volume)} | {r.unit} | {num(r.price)}" for r in rows)
