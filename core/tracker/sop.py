"""SOP definitions as data: checking a plugin's ``SOP`` dict, its roles, and the
step table as text (``balai sop show``).

The format is documented in ``docs/step-tracker.md``; see
``plugins/service_desk/sop.py`` for a full example.
"""
import hashlib
import json
import re
from collections import namedtuple

from core.i18n import _, lazy
from core.plugins import Role
from core.tracker.workcal import parse_time_standard

HEADER_KEYS = ("code", "number", "title", "unit", "created", "revision", "revision_date", "effective",
               "approved_by", "legal_basis", "qualifications", "related", "equipment", "warning",
               "records", "roles", "sections", "case_fields", "import_problems")


def problems(sop):
    """Every problem in a definition, as sentences (empty when it is sound)."""
    out = []
    code = sop.get("code", "?")
    for key in ("code", "title", "revision", "roles", "steps"):
        if not sop.get(key):
            out.append(f"SOP {code}: missing {key!r}")
    roles = {r.get("code") for r in sop.get("roles", [])}
    numbers = [s.get("no") for s in sop.get("steps", [])]
    if len(set(numbers)) != len(numbers):
        out.append(f"SOP {code}: step numbers repeat")
    for step in sop.get("steps", []):
        no = step.get("no")
        for r in list(step.get("roles", [])) + list(step.get("lanes", [])):
            if r not in roles:
                out.append(f"SOP {code} step {no}: role {r!r} is not among the SOP's roles")
        if not step.get("roles"):
            out.append(f"SOP {code} step {no}: no role performs it")
        try:
            if step.get("time") != "JP":
                parse_time_standard(step.get("time"))
        except ValueError as exc:
            out.append(f"SOP {code} step {no}: {exc}")
        targets = [b.get("to") for b in step.get("branches", [])] + [step.get("return_to")]
        if step.get("next") is not None:
            targets.append(step["next"])
        for t in targets:
            if t is not None and t not in numbers:
                out.append(f"SOP {code} step {no}: goes to step {t}, which does not exist")
        if step.get("kind") == "decision" and len(step.get("branches", [])) < 2:
            out.append(f"SOP {code} step {no}: a decision needs at least two branches")
        out += run_side_problems(code, step, numbers, roles)
    return out


# ---- run-side step keys (tracker v2: sign_off, anchor, not_before, parallel, join, escalate_*) ----
RUN_SIDE_KEYS = ("sign_off", "anchor", "not_before", "due_at_anchor", "parallel", "join", "escalate_after_days",
                 "escalate_to")


def run_side_problems(code, step, numbers, roles):
    out = []
    no = step.get("no")
    if step.get("sign_off", "any") not in ("any", "all"):
        out.append(f"SOP {code} step {no}: sign_off must be 'any' or 'all'")
    if step.get("not_before") and not step.get("anchor"):
        out.append(f"SOP {code} step {no}: not_before needs an anchor (the moment the step records)")
    if step.get("due_at_anchor") and not step.get("anchor"):
        out.append(f"SOP {code} step {no}: due_at_anchor needs an anchor (the moment the step records)")
    for t in step.get("parallel", []):
        if t not in numbers:
            out.append(f"SOP {code} step {no}: opens step {t} in parallel, which does not exist")
    days = step.get("escalate_after_days")
    if days is not None and (not isinstance(days, int) or days < 1):
        out.append(f"SOP {code} step {no}: escalate_after_days must be a whole number of days ≥ 1")
    if step.get("escalate_to") and step["escalate_to"] not in roles:
        out.append(f"SOP {code} step {no}: escalate_to role {step['escalate_to']!r} is not among the SOP's roles")
    for b in step.get("branches", []):
        if b.get("end") and b.get("to") is not None:
            out.append(f"SOP {code} step {no}: branch {b.get('label')!r} both ends the run and goes to a step")
    return out


def owner_roles(sop):
    """The roles that own an SOP's runs (may cancel them, assign their steps): ``"owners"`` in the
    SOP data, else every internal role that performs a step."""
    if sop.get("owners"):
        return list(sop["owners"])
    external = {r["code"] for r in sop.get("roles", []) if r.get("external")}
    return sorted({r for s in sop.get("steps", []) for r in s.get("roles", []) if r not in external})


OWNER_PERMISSIONS = ("tracker.cancel_run", "tracker.assign")


def grant_owners(permissions, sops):
    """Add each SOP's owner roles to the default roles of the run-owner permissions (at app assembly)."""
    for name in OWNER_PERMISSIONS:
        perm = permissions.get(name)
        if perm is None:
            continue
        roles = tuple(dict.fromkeys(perm.default_roles + tuple(r for _p, sop in sops for r in owner_roles(sop))))
        permissions[name] = type(perm)(perm.name, perm.description, roles)
# ---- end of run-side keys ----


def fingerprint(sop):
    return hashlib.sha256(json.dumps(sop, sort_keys=True, default=str).encode()).hexdigest()


def header_of(sop):
    return {k: sop.get(k) for k in HEADER_KEYS if k in sop}


def roles_of(sop, titles_en=None):
    """The ``Role`` list an SOP declares (for a plugin's ``balai_roles`` hook)."""
    titles_en = titles_en or {}
    return [Role(r["code"], r["title"], titles_en.get(r["code"], ""), bool(r.get("external")))
            for r in sop["roles"]]


def as_text(revision, steps, role_title=str):
    """The step table as plain text, for the terminal: every column of the paper table, labelled in
    the current language (the CLI's: the deployment's)."""
    from core.tracker.models import REVISION_STATUS
    status = _("DRAF") if revision.status == "draft" else REVISION_STATUS.label(revision.status)
    label = _("revisi {r}", r=revision.revision)
    lines = [f"{revision.code} — {revision.title} ({label}, {status})", ""]
    end = _("selesai")
    for s in steps:
        roles = ", ".join(role_title(r) for r in json.loads(s.roles))
        flow = ""
        branches = json.loads(s.branches)
        if branches:
            flow = " ⟶ " + " | ".join(f"{b['label']} → {end if b.get('to') is None else b['to']}" for b in branches)
        elif s.ends:
            flow = f" ⟶ {end}"
        elif s.next_no:
            flow = f" ⟶ {s.next_no}"
        lines.append(f"{s.no:>2}. {s.activity.strip()}")
        lines.append("    " + _("pelaksana: {roles}; waktu: {time}; output: {output}", roles=roles, time=s.time or "—",
                                 output=s.output or "—") + flow)
        if s.requirements.strip():
            lines.append("    " + _("kelengkapan: {text}", text=" ".join(s.requirements.split())))
        if s.notes.strip():
            lines.append("    " + _("keterangan: {text}", text=" ".join(s.notes.split())))
    problems_ = json.loads(revision.header).get("import_problems") or []
    if problems_:
        lines += ["", _("Catatan impor (periksa sebelum terbit):")] + [f"  - {p}" for p in problems_]
    return "\n".join(lines)


def target_text(to):
    """A branch target as people write it: a step number, or "selesai" (the run ends)."""
    return "selesai" if to is None else str(to)


# ---------------------------------------------------------------- authoring: header and step fields
#
# The revision editor (core/tracker/routes_revisions.py) shows and edits exactly
# these, so an SOP written by hand, imported, or adapted by an office has ONE shape.

# Free sections some SOPs carry before the step table; stored in the header JSON under "sections".
SECTIONS = (("scope", lazy("Ruang lingkup")), ("summary", lazy("Ringkasan")), ("terms", lazy("Istilah")),
            ("provisions", lazy("Ketentuan")))
HEADER_TEXTS = (("number", lazy("Nomor SOP")), ("unit", lazy("Unit kerja")), ("created", lazy("Tanggal pembuatan")),
                ("revision_date", lazy("Tanggal revisi")), ("warning", lazy("Peringatan")))
HEADER_LISTS = (("legal_basis", lazy("Dasar hukum")), ("qualifications", lazy("Kualifikasi pelaksana")),
                ("related", lazy("Keterkaitan")), ("equipment", lazy("Peralatan/perlengkapan")),
                ("records", lazy("Pencatatan dan pendataan")))
APPROVER_FIELDS = (("position", lazy("Jabatan pengesah")), ("name", lazy("Nama pengesah")),
                   ("rank", lazy("Pangkat/golongan")), ("nip", lazy("NIP pengesah")))
# The free fields a case file (plugins/casefile) of a generic SOP carries, declared in "case_fields".
CASE_FIELD_TYPES = (("text", lazy("Teks")), ("date", lazy("Tanggal")), ("number", lazy("Angka")),
                    ("choice", lazy("Pilihan")), ("file", lazy("Berkas")))

StepField = namedtuple("StepField", "name label widget")
# widget: text | textarea | int | bool | kind | roles | lanes | branches | next | time | json
_KNOWN_STEP_FIELDS = [
    StepField("no", lazy("No"), "int"),
    StepField("activity", lazy("Kegiatan"), "textarea"),
    StepField("roles", lazy("Peran pelaksana"), "roles"),
    StepField("lanes", lazy("Kolom bagan (termasuk pihak luar)"), "lanes"),
    StepField("requirements", lazy("Kelengkapan"), "textarea"),
    StepField("time", lazy("Waktu"), "time"),
    StepField("output", lazy("Output"), "textarea"),
    StepField("notes", lazy("Keterangan"), "textarea"),
    StepField("kind", lazy("Jenis"), "kind"),
    StepField("branches", lazy("Cabang keputusan (satu per baris: label → nomor langkah atau selesai)"), "branches"),
    StepField("next_no", lazy("Langkah berikutnya (kosong: nomor berikutnya; 'selesai': run berakhir)"), "next"),
    StepField("approval", lazy("Langkah persetujuan (boleh mengembalikan)"), "bool"),
    StepField("return_to", lazy("Dikembalikan ke langkah"), "int"),
    StepField("skippable", lazy("Boleh dilewati dengan alasan"), "bool"),
    # Run-side keys (tracker v2, docs/step-tracker.md §9–§13), labelled for the office that edits them.
    StepField("sign_off", lazy("Penandatangan: any (salah satu peran) atau all (setiap peran)"), "text"),
    StepField("anchor", lazy("Kejadian yang dicatat langkah ini (kode tanggal dari plugin, mis. hari_uji)"), "text"),
    StepField("not_before", lazy("Tidak dapat diselesaikan sebelum kejadian itu"), "bool"),
    StepField("due_at_anchor", lazy("Batas waktu: akhir hari kejadian itu"), "bool"),
    StepField("parallel", lazy("Langkah yang dibuka bersamaan sesudahnya (JSON, mis. [5, 6])"), "json"),
    StepField("join", lazy("Menunggu semua langkah paralel selesai"), "bool"),
    StepField("escalate_after_days", lazy("Diteruskan ke atasan setelah terlambat (hari kerja)"), "int"),
    StepField("escalate_to", lazy("Peran atasan yang diberi tahu"), "text"),
]
_HANDLED_ELSEWHERE = {"id", "revision", "ends"}     # "ends" is edited through "next"


def editable_step_fields():
    """Every SopStep column the editor shows, in order: the known ones with their
    widgets, then any column added later (by another mechanism) with a widget
    chosen from its type — so a new column appears without touching the template."""
    import peewee
    from core.tracker.models import SopStep
    known = {f.name for f in _KNOWN_STEP_FIELDS}
    out = list(_KNOWN_STEP_FIELDS)
    for field in SopStep._meta.sorted_fields:
        if field.name in known or field.name in _HANDLED_ELSEWHERE:
            continue
        if isinstance(field, peewee.BooleanField):
            widget = "bool"
        elif isinstance(field, peewee.IntegerField):
            widget = "int"
        elif field.default in ("[]", "{}"):
            widget = "json"
        elif isinstance(field, peewee.TextField):
            widget = "textarea"
        else:
            widget = "text"
        out.append(StepField(field.name, field.name.replace("_", " "), widget))
    return out


def role_code_for(title, taken=()):
    """A role code made from a title ("Kepala Subbagian Umum" → "kepala_subbagian_umum"), unique among ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")[:56] or "peran"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


def normalise_title(title):
    """Titles compare without case, punctuation or spacing: "Kepala  Sub-Bagian" = "kepala sub bagian"."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(title).lower()).split())
