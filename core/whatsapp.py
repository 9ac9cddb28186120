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

    08… → 628…, +62… → 62…, 8… → 628…; spaces, dashes, dots and brackets removed.
    """
    text = re.sub(r"[\s\-().]", "", raw or "")
    if not text:
        return None, _("Nomor HP kosong")
    if text.startswith("+"):
        text = text[1:]
    if not text.isdigit():
        return None, _("Nomor HP berisi karakter selain angka")
    if text.startswith("0"):
        text = "62" + text[1:]
    elif text.startswith("8"):
        text = "62" + text
    if not re.fullmatch(r"628\d{7,11}", text):
        return None, _("Bukan nomor HP Indonesia yang valid (08…/62…)")
    return text, None


def normalise_phone(raw):
    """The 62… number, or "" when it is not a usable Indonesian mobile number."""
    return check_phone(raw)[0] or ""


def wa_link(phone, text=""):
    """``https://wa.me/62…?text=…`` for a phone number and a prefilled message; "" for an unusable number."""
    number = normalise_phone(phone)
    if not number:
        return ""
    return f"https://wa.me/{number}" + (f"?text={quote(text, safe='')}" if text else "")
