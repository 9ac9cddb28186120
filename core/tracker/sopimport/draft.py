"""The parsed document becomes a draft revision (source "import"); actors become roles."""
import re

from core.i18n import _
from core.tracker import authoring, sop as sop_mod
from core.tracker.sopimport.base import ImportRefused, norm


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
