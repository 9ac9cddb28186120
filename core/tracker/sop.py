"""SOP definitions as data: checking a plugin's ``SOP`` dict, its roles, and the
step table as text (``balai sop show``).

The format is documented in ``docs/step-tracker.md``; see
``plugins/service_desk/sop.py`` for a full example.
"""
import hashlib
import json

from core.plugins import Role
from core.tracker.workcal import parse_time_standard

HEADER_KEYS = ("code", "number", "title", "unit", "created", "revision", "revision_date", "effective",
               "approved_by", "legal_basis", "qualifications", "related", "equipment", "warning",
               "records", "roles")


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
RUN_SIDE_KEYS = ("sign_off", "anchor", "not_before", "parallel", "join", "escalate_after_days", "escalate_to")


def run_side_problems(code, step, numbers, roles):
    out = []
    no = step.get("no")
    if step.get("sign_off", "any") not in ("any", "all"):
        out.append(f"SOP {code} step {no}: sign_off must be 'any' or 'all'")
    if step.get("not_before") and not step.get("anchor"):
        out.append(f"SOP {code} step {no}: not_before needs an anchor (the moment the step records)")
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
    """The step table as plain text, for the terminal."""
    lines = [f"{revision.code} — {revision.title} (revisi {revision.revision}, {revision.status})", ""]
    for s in steps:
        roles = ", ".join(role_title(r) for r in json.loads(s.roles))
        flow = ""
        branches = json.loads(s.branches)
        if branches:
            flow = " ⟶ " + " | ".join(f"{b['label']} → {b['to']}" for b in branches)
        elif s.ends:
            flow = " ⟶ selesai"
        elif s.next_no:
            flow = f" ⟶ {s.next_no}"
        lines.append(f"{s.no:>2}. {s.activity.strip()}")
        lines.append(f"    pelaksana: {roles}; waktu: {s.time or '—'}; output: {s.output or '—'}{flow}")
    return "\n".join(lines)
