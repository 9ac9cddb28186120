"""Authoring SOP revisions without code: a draft's header, roles, free sections,
case-file fields and every step column, read from the revision editor's form,
checked, and saved through the audited write path.

A draft can be saved with problems (an imported SOP usually has some); it
cannot be published until ``blockers()`` is empty. A published revision never
changes (``save`` refuses it), so running runs stay on theirs.

    header, rows, errors = authoring.read_form(form, rev, header, steps)
    authoring.save(rev, header, rows)                 # audited; raises AuthoringError on a published revision
    authoring.problems_of(header, rows)               # [(field key, Indonesian message)], shown next to fields
"""
import datetime
import json
import re

from core import audit, db
from core.i18n import _
from core.tracker import sop as sop_mod
from core.tracker.models import SopRevision, SopStep, SopStepRole
from core.tracker.workcal import parse_time_standard

END_WORDS = ("selesai", "akhir", "end", "berakhir")
NIP_RE = re.compile(r"^\d{18}$")
GENERIC_PLUGIN = "casefile"          # the plugin that runs SOPs no other plugin handles


class AuthoringError(Exception):
    """A refusal the administrator can act on (message in their language)."""


# ---------------------------------------------------------------- stored revision ↔ rows

def step_row(step):
    """A SopStep as the editor's row: JSON columns decoded."""
    row = {f.name: getattr(step, f.name) for f in sop_mod.editable_step_fields()}
    row["id"], row["ends"] = step.id, step.ends
    for f in sop_mod.editable_step_fields():
        if f.widget in ("roles", "lanes", "branches", "json"):
            row[f.name] = json.loads(row[f.name] or "[]")
    return row


def column_values(row):
    """An editor row → SopStep column values (JSON columns encoded)."""
    out = {}
    for f in sop_mod.editable_step_fields():
        value = row.get(f.name)
        if f.widget in ("roles", "lanes", "branches", "json"):
            value = json.dumps(value if value is not None else [], ensure_ascii=False)
        out[f.name] = value
    out["ends"] = bool(row.get("ends"))
    return out


def definition(header, rows):
    """The revision as a definition dict (the ``balai_sops`` shape), for ``sop.problems``."""
    sop = {k: v for k, v in header.items() if k in sop_mod.HEADER_KEYS}
    sop.setdefault("revision", "draf")       # the label lives on the revision row, not in the header
    steps = []
    for row in rows:
        step = {k: v for k, v in row.items() if k not in ("id", "ends", "next_no")}
        if row.get("ends"):
            step["next"] = None
        elif row.get("next_no"):
            step["next"] = row["next_no"]
        steps.append(step)
    sop["steps"] = steps
    return sop


# ---------------------------------------------------------------- checking

def problems_of(header, rows):
    """Every problem that blocks publishing, as (field key, message in Indonesian).

    Keys name the editor field the message belongs next to: ``title``,
    ``roles``, ``step-<i>-<column>`` (``i``: the row's position)."""
    out = []
    if not (header.get("title") or "").strip():
        out.append(("title", _("Judul SOP wajib diisi.")))
    roles = {r["code"]: r for r in header.get("roles") or []}
    if not roles:
        out.append(("roles", _("SOP belum punya pelaksana (peran).")))
    if not rows:
        out.append(("steps", _("SOP belum punya langkah.")))
    numbers = [r.get("no") for r in rows]
    for i, row in enumerate(rows):
        no, key = row.get("no"), f"step-{i}-"
        if numbers.count(no) > 1:
            out.append((key + "no", _("Nomor langkah {no} dipakai lebih dari sekali.", no=no)))
        if not (row.get("activity") or "").strip():
            out.append((key + "activity", _("Langkah {no}: kegiatan wajib diisi.", no=no)))
        performing = row.get("roles") or []
        if not performing:
            out.append((key + "roles", _("Langkah {no}: belum ada peran yang mengerjakannya.", no=no)))
        for code in list(performing) + list(row.get("lanes") or []):
            if code not in roles:
                out.append((key + "roles", _("Langkah {no}: peran {code} tidak ada di daftar pelaksana SOP.",
                                             no=no, code=code)))
        if performing and all(roles.get(c, {}).get("external") for c in performing):
            out.append((key + "roles", _("Langkah {no}: hanya pihak luar yang mengerjakannya; pilih juga "
                                         "petugas yang mencatatnya.", no=no)))
        time_text = row.get("time") or ""
        if time_text != "JP":
            try:
                parse_time_standard(time_text)
            except ValueError:
                out.append((key + "time", _("Langkah {no}: standar waktu {text} tidak terbaca; tulis angka dan "
                                            "satuan, mis. 15 menit, 2 jam, 3 hari.", no=no, text=repr(time_text))))
        branches = row.get("branches") or []
        if row.get("kind") == "decision" and len(branches) < 2:
            out.append((key + "branches", _("Langkah {no}: keputusan perlu minimal dua cabang.", no=no)))
        for b in branches:
            if b.get("to") is not None and b["to"] not in numbers:
                out.append((key + "branches", _("Langkah {no}: cabang {label} menuju langkah {to} yang tidak ada.",
                                                no=no, label=b.get("label"), to=b["to"])))
        for col in ("next_no", "return_to"):
            if row.get(col) is not None and row[col] not in numbers:
                out.append((key + col, _("Langkah {no}: menuju langkah {to} yang tidak ada.", no=no, to=row[col])))
    for i in unreachable(rows):
        out.append((f"step-{i}-no", _("Langkah {no} tidak pernah dicapai dari langkah pertama.", no=rows[i]["no"])))
    return out


def unreachable(rows):
    """Positions of rows no path from the first step reaches (next, branches, returns)."""
    if not rows:
        return []
    by_no = {r.get("no"): i for i, r in enumerate(rows)}
    order = sorted(n for n in by_no if isinstance(n, int))
    seen, todo = set(), [rows[0].get("no")]
    while todo:
        no = todo.pop()
        if no in seen or no not in by_no:
            continue
        seen.add(no)
        row = rows[by_no[no]]
        targets = [b.get("to") for b in row.get("branches") or []]
        if not targets and not row.get("ends"):
            later = [n for n in order if n > no]
            targets.append(row.get("next_no") or (later[0] if later else None))
        targets.append(row.get("return_to"))
        for parallel in row.get("parallel") or []:     # tracker v2 fork: steps opened together
            targets.append(parallel)
        todo += [t for t in targets if t is not None]
    return [i for i, r in enumerate(rows) if r.get("no") not in seen]


def blockers(rev, steps=None):
    """What stops this stored revision being published (see ``blockers_of``)."""
    header = json.loads(rev.header)
    rows = [step_row(s) for s in (steps if steps is not None else SopStep.select()
                                  .where(SopStep.revision == rev).order_by(SopStep.no))]
    return blockers_of(header, rows)


def blockers_of(header, rows, found=None):
    """The editor's checks, then any the definition check (``sop.problems``) finds that
    they do not (kept so no check is lost), then unreviewed import notes."""
    found = [msg for _key, msg in (found if found is not None else problems_of(header, rows))]
    if not found:
        found = sop_mod.problems(definition(header, rows))
    if header.get("import_problems") and not header.get("import_reviewed"):
        found.append(_("Catatan impor belum dinyatakan sudah diperiksa."))
    return found


# ---------------------------------------------------------------- the editor's form

def _lines(text):
    return [" ".join(x.split()) for x in (text or "").splitlines() if x.strip()]


def parse_branches(text, numbers=None):
    """"Tersedia → 2" / "Ditolak -> selesai" lines → [{"label", "to"}]; "to": None ends the run.

    Returns (branches, bad lines)."""
    out, bad = [], []
    for line in _lines(text):
        m = re.match(r"^(.*?)\s*(?:→|->|=>|:)\s*(?:(?:kembali|lanjut)\s+)?(?:ke\s+)?(?:langkah\s+)?(\S+)\s*$",
                     line, re.I)
        if not m or not m.group(1).strip():
            bad.append(line)
            continue
        label, target = m.group(1).strip()[:120], m.group(2).strip().lower().rstrip(".")
        if target.isdigit():
            out.append({"label": label, "to": int(target)})
        elif target in END_WORDS:
            out.append({"label": label, "to": None})
        else:
            bad.append(line)
    return out, bad


def branches_text(branches):
    return "\n".join(f"{b['label']} → {sop_mod.target_text(b.get('to'))}" for b in branches or [])


def _count(form, key, limit=500):
    """How many rows the form says it holds (a hidden field): a tampered value counts as none."""
    text = form.get(key)
    return min(int(text), limit) if isinstance(text, str) and text.isdigit() else 0


def _int(text):
    text = (text or "").strip()
    if not text:
        return None, None
    if re.fullmatch(r"-?\d{1,6}", text):
        return int(text), None
    return None, _("Isi dengan angka.")


def _read_step(form, form_list, i, role_codes):
    """One step row from the form; (row, errors keyed by column)."""
    get = lambda name: form.get(f"step-{i}-{name}") or ""  # noqa: E731
    row, errors = {"id": _int(get("id"))[0]}, {}
    for f in sop_mod.editable_step_fields():
        raw = get(f.name)
        if f.widget in ("text", "time"):
            row[f.name] = " ".join(raw.split())[:250]
        elif f.widget == "textarea":
            row[f.name] = raw.strip()[:5000]
        elif f.widget == "int":
            row[f.name], err = _int(raw)
            if err:
                errors[f.name] = err
            elif f.name == "no" and row[f.name] is None:
                errors[f.name] = _("Nomor langkah wajib diisi.")
        elif f.widget == "bool":
            row[f.name] = raw == "1"
        elif f.widget == "kind":
            row[f.name] = raw if raw in ("process", "decision") else "process"
        elif f.widget in ("roles", "lanes"):
            values = form_list(f"step-{i}-{f.name}")
            row[f.name] = [code for code in role_codes if code in values]
        elif f.widget == "branches":
            row[f.name], bad = parse_branches(raw)
            if bad:
                errors[f.name] = _("Baris cabang tidak terbaca: {lines}. Tulis: label → nomor langkah "
                                   "(atau → selesai).", lines="; ".join(bad))
        elif f.widget == "next":
            target = raw.strip().lower()
            row["ends"], row[f.name] = target in END_WORDS, None
            if target and not row["ends"]:
                row[f.name], err = _int(target)
                if err:
                    errors[f.name] = _("Isi nomor langkah atau 'selesai'.")
        elif f.widget == "json":
            try:
                row[f.name] = json.loads(raw) if raw.strip() else []
            except ValueError:
                errors[f.name] = _("Isian ini harus JSON yang sah, mis. [3, 4].")
    if row.get("kind") != "decision" and row.get("branches"):
        row["kind"] = "decision"       # branches make a decision; never drop what was written
    # A performing role is always one of the step's lanes (its column is marked on the chart).
    marked = set(row.get("lanes") or []) | set(row.get("roles") or [])
    row["lanes"] = [code for code in role_codes if code in marked]
    return row, errors


def _read_roles(form, header):
    """The swimlanes (roles) table: code, title, external, delete; plus one new role."""
    roles, errors, taken = [], {}, set()
    old = {r["code"]: r for r in header.get("roles") or []}
    for i in range(_count(form, "role_count")):
        code = (form.get(f"role-{i}-code") or "").strip()
        if code not in old or form.get(f"role-{i}-delete") == "1":
            continue
        title = " ".join((form.get(f"role-{i}-title") or "").split())[:150]
        if not title:
            errors[f"role-{i}-title"] = _("Nama peran wajib diisi.")
        roles.append({"code": code, "title": title or old[code]["title"],
                      "external": form.get(f"role-{i}-external") == "1"})
        taken.add(code)
    new_title = " ".join((form.get("role-new-title") or "").split())[:150]
    if new_title:
        roles.append({"code": sop_mod.role_code_for(new_title, taken), "title": new_title,
                      "external": form.get("role-new-external") == "1"})
    return roles, errors


def _read_case_fields(form):
    """Free fields of the case file (plugins/casefile): label, type, choices, required."""
    out, errors, keys = [], {}, set()
    types = {t for t, _label in sop_mod.CASE_FIELD_TYPES}
    for i in range(_count(form, "field_count") + 1):
        label = " ".join((form.get(f"field-{i}-label") or "").split())[:120]
        if not label or form.get(f"field-{i}-delete") == "1":
            continue
        kind = form.get(f"field-{i}-type") or "text"
        if kind not in types:
            errors[f"field-{i}-type"] = _("Jenis isian tidak dikenal.")
        key = (form.get(f"field-{i}-key") or "").strip() or sop_mod.role_code_for(label, keys)
        keys.add(key)
        choices = [c.strip() for c in (form.get(f"field-{i}-choices") or "").split(";") if c.strip()]
        if kind == "choice" and len(choices) < 2:
            errors[f"field-{i}-choices"] = _("Isian pilihan perlu minimal dua pilihan, dipisah titik koma.")
        out.append({"key": key, "label": label, "type": kind, "choices": choices,
                    "required": form.get(f"field-{i}-required") == "1"})
    return out, errors


def read_form(form, rev, header, form_list=None):
    """The whole editor form → (header, rows, errors); nothing is written here.

    ``form``: one string per field (``web.form()``); ``form_list(key)``: every value of a
    field sent several times — the ticked role checkboxes (``web.form_list``)."""
    form_list = form_list or (lambda key: [form[key]] if form.get(key) else [])
    errors = {}
    header = dict(header)
    header["title"] = " ".join((form.get("title") or "").split())[:255]
    for key, _label in sop_mod.HEADER_TEXTS:
        header[key] = (form.get(key) or "").strip()[:2000]
    for key in ("created", "revision_date"):
        if header[key]:
            try:
                datetime.date.fromisoformat(header[key])
            except ValueError:
                errors[key] = _("Tanggal tidak valid (format TTTT-BB-HH).")
    for key, _label in sop_mod.HEADER_LISTS:
        header[key] = _lines(form.get(key))
    header["sections"] = {key: (form.get(f"section-{key}") or "").strip()[:20000] for key, _l in sop_mod.SECTIONS}
    approver = {key: " ".join((form.get(f"approver-{key}") or "").split())[:150] for key, _l in sop_mod.APPROVER_FIELDS}
    approver["nip"] = approver["nip"].replace(" ", "")
    if approver["nip"] and not NIP_RE.match(approver["nip"]):
        errors["approver-nip"] = _("NIP harus 18 digit angka.")
    header["approved_by"] = approver
    header["roles"], role_errors = _read_roles(form, header)
    header["case_fields"], field_errors = _read_case_fields(form)
    header["import_reviewed"] = form.get("import_reviewed") == "1"
    errors.update(role_errors)
    errors.update(field_errors)
    role_codes = [r["code"] for r in header["roles"]]
    rows = []
    for i in range(_count(form, "step_count")):
        if form.get(f"step-{i}-delete") == "1":
            continue
        row, step_errors = _read_step(form, form_list, i, role_codes)
        errors.update({f"step-{len(rows)}-{k}": v for k, v in step_errors.items()})
        rows.append(row)
    numbers = [r.get("no") for r in rows]
    for i, no in enumerate(numbers):
        if no is not None and numbers.count(no) > 1:
            errors[f"step-{i}-no"] = _("Nomor langkah {no} dipakai lebih dari sekali.", no=no)
    if form.get("add_step") == "1":
        last = max([r["no"] for r in rows if isinstance(r.get("no"), int)] or [0])
        rows.append(blank_step(last + 1))
    return header, rows, errors


def blank_step(no):
    row = {f.name: None for f in sop_mod.editable_step_fields()}
    row.update(id=None, no=no, activity="", roles=[], lanes=[], requirements="", time="", output="", notes="",
               kind="process", branches=[], approval=False, skippable=False, ends=False)
    from core.tracker.models import SopStep as _S
    for f in sop_mod.editable_step_fields():     # columns added by other mechanisms keep their defaults
        if row.get(f.name) is None and f.name in _S._meta.fields and not _S._meta.fields[f.name].null:
            default = _S._meta.fields[f.name].default
            row[f.name] = json.loads(default) if f.widget == "json" else default
    return row


# ---------------------------------------------------------------- writing

def locked(rev):
    """The revision re-read under a row lock (PostgreSQL); SQLite's IMMEDIATE transaction
    already serialises writers. Two admins saving or publishing one draft: one at a time."""
    q = SopRevision.select().where(SopRevision.id == rev.id)
    return (q if db.is_sqlite() else q.for_update()).get()


def save(rev, header, rows):
    """Write a draft's header and steps: changed steps updated, new created, dropped deleted — all audited."""
    with db.write():
        rev = locked(rev)
        if rev.status != "draft":
            raise AuthoringError(_("Revisi yang sudah terbit tidak dapat diubah."))
        audit.update(rev, header=json.dumps(header, ensure_ascii=False), title=header.get("title") or rev.title)
        old = {s.id: s for s in SopStep.select().where(SopStep.revision == rev)}
        kept = {row["id"]: row for row in rows if row.get("id") in old}
        for step_id, step in old.items():
            if step_id not in kept:
                audit.delete(step)
        # Free the numbers that move first: renumbering 2↔3 must not trip the unique (revision, no) index.
        # The in-memory rows keep their old number, so each audit row shows old → new.
        moving = [i for i, row in kept.items() if old[i].no != row["no"]]
        if moving:
            SopStep.update(no=-SopStep.id).where(SopStep.id.in_(moving)).execute()
        for row in rows:
            values = column_values(row)
            if row.get("id") in kept:
                step = old[row["id"]]
                audit.update(step, **values)
                SopStepRole.delete().where(SopStepRole.step == step).execute()
            else:
                step = audit.create(SopStep, revision=rev, **values)
            for role in json.loads(values["roles"]):
                SopStepRole.create(step=step, role=role)
    return rev


def new_draft(code, title, header=None, rows=(), source="institution", plugin=GENERIC_PLUGIN, label="1",
              existing_code=False):
    """A draft SOP from nothing (or from an import). ``existing_code``: an import of a
    new revision of an SOP already stored becomes a draft of that code (label must be new)."""
    code = " ".join((code or "").split())[:64]
    if not code or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", code):
        raise AuthoringError(_("Kode SOP hanya boleh huruf, angka, titik, garis bawah dan tanda hubung "
                               "(tanpa spasi dan garis miring)."))
    latest = SopRevision.select().where(SopRevision.code == code).order_by(SopRevision.id.desc()).first()
    if latest is not None and not existing_code:
        raise AuthoringError(_("Kode SOP {code} sudah dipakai; buat revisi baru dari halaman revisinya.", code=code))
    if latest is not None:
        plugin = latest.plugin
        if SopRevision.select().where((SopRevision.code == code) & (SopRevision.revision == str(label)[:40])).exists():
            raise AuthoringError(_("SOP {code} sudah punya revisi {r}; ubah nomor revisi di dokumen atau "
                                   "hapus draf lama.", code=code, r=label))
    header = dict(header or {})
    header.update(code=code, title=title)
    with db.write():
        rev = audit.create(SopRevision, code=code, plugin=plugin, revision=str(label)[:40], title=title[:255],
                           status="draft", source=source, header=json.dumps(header, ensure_ascii=False))
        for row in rows:
            values = column_values(row)
            step = audit.create(SopStep, revision=rev, **values)
            for role in json.loads(values["roles"]):
                SopStepRole.create(step=step, role=role)
    return rev


def publish(rev, effective_from, service_publish):
    """Publish a draft when nothing blocks it (checked under the row lock)."""
    with db.write():
        rev = locked(rev)
        if rev.status != "draft":
            raise AuthoringError(_("Revisi yang sudah terbit tidak dapat diubah."))
        found = blockers(rev)
        if found:
            raise AuthoringError(_("Belum dapat diterbitkan: {problems}", problems=" ".join(found)))
        service_publish(rev, effective_from)
        audit.event("sop_published", "sop_revision", rev.id,
                    {"code": rev.code, "effective_from": effective_from.isoformat()})
    return rev


# ---------------------------------------------------------------- roles of revisions without a plugin

def register_roles(app, header):
    """Make a revision's roles known to this process (titles, user admin, default
    permissions) when no plugin declares them — an imported SOP brings its own actors.
    A role a plugin declares keeps the plugin's definition."""
    from core import identity
    from core.plugins import Role
    new = [Role(r["code"], r["title"], "", bool(r.get("external")))
           for r in header.get("roles") or [] if r.get("code") and r["code"] not in app.roles]
    for role in new:
        app.roles[role.code] = role
    if new:
        with db.write():
            identity.seed_permissions(app.permissions.values(), new)
    return new


def register_all_roles(app):
    """At startup: the roles of every stored revision (drafts included) that no plugin declares."""
    for (header,) in SopRevision.select(SopRevision.header).where(SopRevision.source != "plugin").tuples():
        register_roles(app, json.loads(header))


# ---------------------------------------------------------------- SOPs that run without a plugin of their own

def generic_sops(app, on=None):
    """[(code, revision in force)] of the SOPs that run on generic case files on a day: the
    revision in force has plugin ``casefile`` and no enabled plugin declares the code. One
    query for all of them; the revision in force is chosen as ``service.published_revision`` does."""
    on = on or datetime.date.today()
    claimed = {sop["code"] for _plugin, sop in app.sops}
    generic_codes = SopRevision.select(SopRevision.code).where(SopRevision.plugin == GENERIC_PLUGIN)
    by_code = {}
    for rev in SopRevision.select().where((SopRevision.status == "published")
                                          & SopRevision.code.in_(generic_codes)).order_by(SopRevision.id):
        if rev.code not in claimed:
            by_code.setdefault(rev.code, []).append(rev)
    out = []
    for code in sorted(by_code):
        revs = by_code[code]
        effective = [r for r in revs if r.effective_from is None or r.effective_from <= on]
        if effective:
            rev = max(effective, key=lambda r: (r.effective_from is not None, r.effective_from or on, r.id))
        else:
            rev = min(revs, key=lambda r: (r.effective_from, r.id))
        if rev.plugin == GENERIC_PLUGIN:
            out.append((code, rev))
    return out
