"""Administration: users and their roles, the role → permission matrix,
"why was this user refused?", and the audit log viewer with chain check."""
import datetime

from core import audit, forms, identity, privacy, tabular, web
from core.context import current_app
from core.i18n import _, format_number
from core.posts import Refusal, run_action, submit_form
from core.views import blank_text_as_empty, paginate
from core.web import redirect, render


def user_form(app):
    staff_roles = [(r.code, app.role_title(r.code)) for r in app.roles.values() if not r.external]

    class UserForm(forms.Schema):
        username = forms.String(required=True, max_length=64, label="Nama pengguna",
                                validate=[forms.v.Regexp(r"^[a-z0-9._-]{3,64}$",
                                                         error="3–64 huruf kecil, angka, titik, garis bawah atau minus.")])
        full_name = forms.String(required=True, max_length=150, label="Nama lengkap")
        nip = forms.Nip(label="NIP (opsional)")
        rank = forms.String(max_length=80, label="Pangkat/golongan")
        email = forms.Email(label="Email")
        phone = forms.Phone(label="Telepon")
        active = forms.Boolean(label="Aktif")
        roles = forms.fields.List(forms.Choice(staff_roles), load_default=list, metadata={"label": "Peran", "widget": "roles"})
    return UserForm, staff_roles


def register(router):
    # ------------------------------------------------ users
    @router.get("/admin/users", permission="core.users")
    def users():
        q = identity.User.select().order_by(identity.User.username)
        text = web.query("q").strip()[:64]
        if text:
            q = q.where(identity.User.username.contains(text) | identity.User.full_name.contains(text))
        page = web.query_page()
        rows, has_next = paginate(q, page, 50)
        roles = {}
        for uid, role in (identity.UserRole.select(identity.UserRole.user, identity.UserRole.role)
                          .where(identity.UserRole.user.in_([u.id for u in rows] or [0])).tuples()):
            roles.setdefault(uid, []).append(role)
        return render("admin/users.html", page_title=_("Pengguna"), rows=rows, roles=roles, q=text,
                      page=page, has_next=has_next)

    def edit_page(user=None, values=None, errors=None):
        form_cls, staff_roles = user_form(current_app())
        if values is None:
            values = {"active": True, "roles": []} if user is None else {
                "username": user.username, "full_name": user.full_name, "nip": user.nip or "",
                "rank": user.rank, "email": user.email, "phone": user.phone, "active": user.active,
                "roles": sorted(user.roles)}
        return render("admin/user_form.html", page_title=user.full_name if user else _("Pengguna baru"),
                      obj=user, schema=form_cls(), values=values, errors=errors or {}, staff_roles=staff_roles,
                      history=audit.history("user", user.id) if user else [])

    def save_user(user=None):
        form_cls, _staff = user_form(current_app())
        raw = web.form()
        raw["roles"] = web.form_list("roles")
        return submit_form(form_cls(), lambda data: store_user(user, data, raw.get("password") or ""),
                           lambda values, errors: edit_page(user, values, errors),
                           message=_("Pengguna tersimpan."), to=lambda u: f"/admin/users/{u.id}", form=raw)

    @router.get("/admin/users/new", permission="core.users")
    def user_new():
        return edit_page()

    @router.post("/admin/users/new", permission="core.users")
    def user_create():
        return save_user()

    @router.get("/admin/users/<uid:int>", permission="core.users")
    def user_edit(uid):
        return edit_page(get_user(uid))

    @router.post("/admin/users/<uid:int>", permission="core.users")
    def user_update(uid):
        return save_user(get_user(uid))

    @router.post("/admin/users/<uid:int>/reset", permission="core.users")
    def user_reset(uid):
        user = get_user(uid)
        run_action(lambda: reset_password(user, web.form().get("password") or ""), f"/admin/users/{uid}",
                   _("Kata sandi direset; pengguna wajib menggantinya saat masuk."))

    # ------------------------------------------------ permissions matrix
    @router.get("/admin/permissions", permission="core.permissions")
    def permissions():
        app = current_app()
        grants = {(r, p) for r, p in identity.RolePermission.select(identity.RolePermission.role,
                                                                     identity.RolePermission.permission).tuples()}
        roles = [r for r in app.roles.values() if not r.external and r.code != identity.ADMIN]
        return render("admin/permissions.html", page_title=_("Peran & izin"), roles=roles,
                      permissions=sorted(app.permissions.values(), key=lambda p: p.name), grants=grants)

    @router.post("/admin/permissions", permission="core.permissions")
    def permissions_save():
        run_action(lambda: save_grants(current_app(), web.form_list("grant")), "/admin/permissions",
                   _("Matriks izin tersimpan."))

    @router.get("/admin/why", permission="core.permissions")
    def why():
        app = current_app()
        username, perm = web.query("user").strip(), web.query("permission").strip()
        answer = None
        if username and perm:
            u = identity.User.get_or_none(identity.User.username == username.lower())
            if u is None:
                answer = {"error": _("Pengguna {u} tidak ditemukan.", u=username)}
            elif perm not in app.permissions:
                answer = {"error": _("Izin {p} tidak dikenal.", p=perm)}
            else:
                granting = identity.roles_granting(perm)
                answer = {"user": u, "permission": app.permissions[perm], "roles": sorted(u.roles),
                          "granting": granting, "allowed": u.can(perm),
                          "matching": sorted(set(u.roles) & set(granting))}
        return render("admin/why.html", page_title=_("Mengapa ditolak?"), username=username, perm=perm,
                      answer=answer, permissions=sorted(app.permissions))

    # ------------------------------------------------ audit
    @router.get("/admin/audit", permission="core.audit")
    def audit_log():
        q = audit.AuditLog.select().order_by(audit.AuditLog.seq.desc())
        filters = {k: web.query(k).strip()[:80] for k in ("actor", "action", "object_type", "object_id", "since", "until")}
        A = audit.AuditLog
        for key in ("actor", "action", "object_type", "object_id"):
            if filters[key]:
                q = q.where(getattr(A, key) == filters[key])
        for key, op in (("since", "ge"), ("until", "lt")):
            if filters[key]:
                try:
                    day = datetime.date.fromisoformat(filters[key])
                except ValueError:
                    continue
                moment = datetime.datetime.combine(day + datetime.timedelta(days=1 if key == "until" else 0), datetime.time())
                q = q.where(A.at >= moment if op == "ge" else A.at < moment)
        if web.query("format") in ("csv", "xlsx"):
            header = [_("No."), _("Waktu (UTC)"), _("Pelaku"), _("Tindakan"), _("Jenis data"), _("ID data"),
                      _("Perubahan"), _("Hash")]
            return tabular.download(web.query("format"), "audit", header,
                                    ([row.seq, row.at, row.actor, row.action, row.object_type, row.object_id,
                                      privacy.masked_diff_json(row), row.hash] for row in q.limit(200000).iterator()),
                                    title=_("Log audit"))
        page = web.query_page()
        rows, has_next = paginate(q, page, 100)
        app = current_app()
        links = {}
        for row in rows:        # the owning plugin links its record (a function call, no query)
            key = (row.object_type, row.object_id)
            if row.object_type and key not in links:
                links[key] = app.plugins.first("balai_record_link", object_type=row.object_type, object_id=row.object_id)
        return render("admin/audit.html", page_title=_("Log audit"), rows=rows, filters=filters,
                      page=page, has_next=has_next, links=links)

    @router.post("/admin/audit/verify", permission="core.audit")
    def audit_verify():
        from core import audit_anchor
        count, problems = audit_anchor.verify_all(current_app())
        if not problems:
            web.flash(_("Rantai log audit utuh: {n} entri diperiksa.", n=format_number(count, 0)))
        else:
            web.flash(_("Rantai log audit RUSAK: {p}", p="; ".join(problems[:5])), "error")
        redirect("/admin/audit")


def store_user(user, data, password):
    """Create (``user`` None; ``password`` required) or update a user and replace their roles;
    a taken username or a weak password is refused next to its field. Returns the user."""
    if user is None:
        problem = identity.password_problem(password, data["username"]) if password else _("Wajib diisi.")
        if problem:
            raise Refusal(problem, "password")
    if identity.User.select().where((identity.User.username == data["username"])
                                    & (identity.User.id != (user.id if user else 0))).exists():
        raise Refusal(_("Nama pengguna sudah dipakai."), "username")
    roles = set(data.pop("roles"))
    blank_text_as_empty(identity.User, data)     # rank, email, phone left blank
    if user is None:
        user = audit.create(identity.User, password_hash=identity.hash_password(password),
                            must_change_password=True, **data)
    else:
        user = audit.update(user, **data)
    set_roles(user, roles)
    return user


def reset_password(user, password):
    """An administrator sets a new password: the user must change it at the next login; their sessions end."""
    problem = identity.password_problem(password, user.username)
    if problem:
        raise Refusal(problem, "password")
    audit.update(user, password_hash=identity.hash_password(password), must_change_password=True)
    identity.Session.delete().where(identity.Session.user == user.id).execute()
    audit.event("password_reset", "user", user.id, {})


def save_grants(app, items):
    """The role → permission matrix as ticked (``role|permission`` items); each change audited."""
    wanted = set()
    for item in items:
        role, _sep, perm = item.partition("|")
        if role in app.roles and perm in app.permissions and role != identity.ADMIN:
            wanted.add((role, perm))
    current = {(r, p) for r, p in identity.RolePermission.select(identity.RolePermission.role,
                                                                  identity.RolePermission.permission).tuples()
               if r != identity.ADMIN}
    for role, perm in sorted(wanted - current):
        identity.RolePermission.create(role=role, permission=perm)
        audit.event("permission_granted", "role", role, {"permission": perm})
    for role, perm in sorted(current - wanted):
        identity.RolePermission.delete().where((identity.RolePermission.role == role)
                                               & (identity.RolePermission.permission == perm)).execute()
        audit.event("permission_revoked", "role", role, {"permission": perm})


def get_user(uid):
    user = identity.User.get_or_none(identity.User.id == uid)
    if user is None:
        raise web.NotFound()
    return user


def set_roles(user, roles):
    """Replace a user's roles; each change audited."""
    current = set(user.roles)
    for role in sorted(roles - current):
        identity.UserRole.create(user=user, role=role)
        audit.event("role_granted", "user", user.id, {"role": role})
    for role in sorted(current - roles):
        identity.UserRole.delete().where((identity.UserRole.user == user) & (identity.UserRole.role == role)).execute()
        audit.event("role_revoked", "user", user.id, {"role": role})
    user._roles = None
