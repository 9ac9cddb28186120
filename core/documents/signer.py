"""The signer block printed under a document: who signed, as what.

``Plt.``/``Plh.`` (acting officials) come from the tracker's records of
acting officials when that module is present (``core.tracker.people``);
``a.n.`` ("atas nama") is printed when the signer's position signs for a
higher one (the document type or the caller gives ``on_behalf``).
"""
import re


def _signer_title(user, role_code, on_date, fallback):
    try:
        from core.tracker.people import signer_title
    except ImportError:
        return fallback
    try:
        return signer_title(user, role_code, on_date) or fallback
    except Exception:      # the acting-official records must never stop a paper being printed
        import logging
        logging.getLogger("balai.documents").exception("signer_title failed")
        return fallback


def signer_block(user, role_code="", on_date=None, position=None, on_behalf="", app=None):
    """name, nip, rank, position, title (as printed, e.g. "Plt. Kepala BPVP"), on_behalf."""
    from core.context import current_app
    app = app or current_app()
    on_behalf = re.sub(r"^\s*a\.\s*n\.\s*", "", on_behalf or "", flags=re.IGNORECASE)   # printed once, by the frame
    if on_date is None:
        from core.tracker.base import local_today
        on_date = local_today(app)
    if user is None:
        return {"name": "", "nip": "", "rank": "", "position": position or "", "title": position or "",
                "on_behalf": on_behalf, "user_id": None}
    base = position or user.position or (app.role_title(role_code) if role_code else "")
    title = _signer_title(user, role_code, on_date, base) if role_code else base
    return {"name": user.full_name or user.username, "nip": user.nip or "", "rank": user.rank or "",
            "position": base, "title": title, "on_behalf": on_behalf, "user_id": user.id}


def holder_of(role_code):
    """The first active user holding ``role_code`` (who signs by default), or None."""
    from core.identity import User, UserRole
    return (User.select().join(UserRole, on=(UserRole.user == User.id))
            .where((UserRole.role == role_code) & (User.active == True))      # noqa: E712
            .order_by(User.id).first())
