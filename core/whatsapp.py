"""WhatsApp click-to-chat links: the one helper for every plugin and the core.

    wa_link("0812-3456-7890", "Pengingat: langkah 3 …")
    → "https://wa.me/6281234567890?text=Pengingat%3A%20langkah%203%20%E2%80%A6"

No message leaves the server: the link opens WhatsApp on the clicker's device
with the text prefilled, and the person presses send.
"""
import re
from urllib.parse import quote

from core.i18n import _


def check_phone(raw):
    """An Indonesian mobile number as WhatsApp wants it (62…); returns (number, problem).

    Read by ``core.values.phone`` like every stored phone number (08…, 62…,
    +62…, 8…; spaces, dashes, dots and brackets ignored).
    """
    from core import values
    if not (raw or "").strip():
        return None, _("Nomor HP kosong")
    if re.search(r"[^\d\s\-().+]", raw):
        return None, _("Nomor HP berisi karakter selain angka")
    try:
        number = values.whatsapp(values.phone(raw))
    except values.ValueProblem:
        number = None
    if number is None:
        return None, _("Bukan nomor HP Indonesia yang valid (08…/62…)")
    return number, None


def normalise_phone(raw):
    """The 62… number, or "" when it is not a usable Indonesian mobile number."""
    return check_phone(raw)[0] or ""


def wa_link(phone, text=""):
    """``https://wa.me/62…?text=…`` for a phone number and a prefilled message; "" for an unusable number."""
    number = normalise_phone(phone)
    if not number:
        return ""
    return f"https://wa.me/{number}" + (f"?text={quote(text, safe='')}" if text else "")
