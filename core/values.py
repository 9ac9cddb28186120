"""Values normalised one way, for forms and for imported spreadsheets alike.

Each function takes what a person typed or what a CSV/XLSX cell holds (a
string, or a number for XLSX) and returns the one stored form, or raises
``ValueProblem`` with a message in the user's language. ``core.forms`` fields
and the importers call these; nothing else parses these values.

How each value is stored:

=========  ==================================================================
NIK / NIP  16 / 18 digits as text (``"7471010101900001"``); spaces, dots,
           dashes and a spreadsheet's leading ``'`` removed.
phone      E.164 (``"+6281234567890"``): ``0812…``, ``62812…``, ``+62 812…``
           and ``812…`` (a spreadsheet dropped the zero) are the same number.
           Foreign numbers keep their ``+`` country code. Shown as
           ``0812-3456-7890`` by ``format_phone`` (template filter ``phone``).
text       stripped; one line: runs of spaces/tabs/newlines become one space;
           several lines: ``\\r\\n`` → ``\\n``, trailing spaces dropped per line.
money      ``Decimal`` read with Babel in the user's locale (Indonesian:
           ``"1.250"`` → 1250, ``"Rp 650.000,00"`` → 650000.00, ``"Rp 650.000,-"``
           → 650000); an ambiguous number (``"1.25"``) is refused, not guessed.
=========  ==================================================================
"""
import decimal
import re

from babel.numbers import NumberFormatError, parse_decimal

from core import i18n
from core.i18n import _

LOCALES = {"id": "id_ID", "en": "en_US"}
MAX_EXACT_FLOAT = 2 ** 53           # integers above this are not exact in a float (an XLSX number cell)


class ValueProblem(ValueError):
    """A value that cannot be stored; ``str()`` is the message for the user."""


# ---------------------------------------------------------------- text

def line(value):
    """One line of text: stripped, every run of whitespace one space."""
    return re.sub(r"\s+", " ", str(value if value is not None else "")).strip()


def paragraphs(value):
    """Several lines of text: Windows/Mac line ends unified, trailing spaces dropped, outer blank lines removed."""
    text = str(value if value is not None else "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(part.rstrip() for part in text.split("\n")).strip("\n").strip()


# ---------------------------------------------------------------- numbers kept as text

def _cell_text(value):
    """A spreadsheet cell as text: a number cell without its '.0'; a text cell without its leading '."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < MAX_EXACT_FLOAT:
            return str(int(value))
        raise ValueProblem(_("Angka ini tersimpan sebagai bilangan di lembar kerja dan digitnya hilang; "
                             "format kolomnya sebagai teks lalu ketik ulang."))
    return str(value if value is not None else "").strip().lstrip("'")


def digits(value, length, message=None):
    """Exactly ``length`` digits, kept as text (leading zeros matter)."""
    text = re.sub(r"[\s.\-]", "", _cell_text(value))
    if not re.fullmatch(r"\d{%d}" % length, text):
        raise ValueProblem(_(message) if message else _("Harus {n} digit angka.", n=length))
    return text


def nik(value):
    """Nomor Induk Kependudukan: 16 digits."""
    return digits(value, 16, "NIK harus 16 digit angka.")


def nip(value):
    """Nomor Induk Pegawai (civil servant): 18 digits."""
    return digits(value, 18, "NIP harus 18 digit angka.")


# ---------------------------------------------------------------- phone numbers

def phone(value):
    """A phone number in E.164 (``+62…``); Indonesian numbers may be written 08…, 62…, +62… or 8…."""
    text = re.sub(r"[\s\-().\u00a0/]", "", _cell_text(value))
    problem = _("Nomor telepon tidak valid (contoh 081234567890).")
    if text.startswith("+"):
        number = text[1:]
    elif text.startswith("62"):
        number = text
    elif text.startswith("0"):
        number = "62" + text[1:]
    elif text.startswith("8"):
        number = "62" + text          # a spreadsheet dropped the leading zero of 08…
    else:
        raise ValueProblem(problem)
    if not number.isdigit():
        raise ValueProblem(problem)
    if number.startswith("62"):
        if not 8 <= len(number) - 2 <= 12 or number[2] == "0":
            raise ValueProblem(problem)
    elif not 8 <= len(number) <= 15:
        raise ValueProblem(problem)
    return "+" + number


def is_mobile(stored):
    """Whether a stored (E.164) number is an Indonesian mobile (+628…), i.e. can get WhatsApp."""
    return bool(stored) and re.fullmatch(r"\+628\d{7,11}", stored) is not None


def whatsapp(stored):
    """The number as wa.me wants it (``628…``), or None when it is not an Indonesian mobile."""
    return stored[1:] if is_mobile(stored) else None


def format_phone(stored):
    """How a person reads a stored number: ``0812-3456-7890``; other numbers as stored."""
    if not stored:
        return ""
    if stored.startswith("+62"):
        national = "0" + stored[3:]
        if national.startswith("08"):
            return "-".join(national[i:i + 4] for i in range(0, len(national), 4))
        return national
    return stored


# ---------------------------------------------------------------- money and decimals

def _locale(locale):
    return locale or LOCALES.get(i18n.language(), "id_ID")


def number(value, locale=None):
    """A decimal number as the person wrote it in their language (Indonesian: ``1.250,5``)."""
    if isinstance(value, bool):
        raise ValueProblem(_("Harus berupa angka."))
    if isinstance(value, (int, decimal.Decimal)):
        return decimal.Decimal(value)
    if isinstance(value, float):
        return decimal.Decimal(str(value))
    text = re.sub(r"[\s\u00a0]", "", str(value if value is not None else ""))
    if not text:
        raise ValueProblem(_("Harus berupa angka."))
    try:
        return parse_decimal(text, locale=_locale(locale), strict=True)
    except (NumberFormatError, decimal.InvalidOperation):
        raise ValueProblem(_("Harus berupa angka (contoh 1.250.000 atau 12,5)."))


def money(value, locale=None):
    """An amount of rupiah: ``Rp 650.000,00`` / ``650.000`` / ``Rp. 1.250.000,-`` → Decimal."""
    if isinstance(value, str):
        text = re.sub(r"^\s*(rp\.?|idr)\s*", "", value.strip(), flags=re.I)
        text = re.sub(r"[,.]-$", "", text)      # "650.000,-": no cents
        try:
            return number(text, locale)
        except ValueProblem:
            raise ValueProblem(_("Jumlah uang tidak valid (contoh 1.250.000 atau Rp 1.250.000,50)."))
    return number(value, locale)
