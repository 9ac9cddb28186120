"""The plugin contract every plugin passes (``check_plugin_contract``) and its checks, which
also run alone (``hook_problems``, ``grant_problems``, …); re-exported by ``core.testing``."""
import os
import re

from core.testclient import Client, _counter, make_user, start_app, write_config


_PARAM = re.compile(r"<[^>]+>")


def _concrete(path):
    return _PARAM.sub("1", path)


def _row_counts(tables):
    from core import db
    with db.connection() as conn:
        present = set(conn.get_tables())
        return {t: (conn.execute_sql(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] if t in present else None)
                for t in tables}


def hook_problems(hooks_module):
    """Functions of a hooks module that Balai would not call as the author meant: a name that
    is not a hook spec (a typo), or a ``balai_*`` function without ``@hookimpl``."""
    from core import hookspecs
    specs = {n for n in dir(hookspecs) if n.startswith("balai_")}
    problems = []
    for attr, obj in sorted(vars(hooks_module).items()):
        if not callable(obj) or isinstance(obj, type):
            continue
        opts = getattr(obj, "balai_impl", None)
        own = getattr(obj, "__module__", None) == hooks_module.__name__
        if opts is not None:
            name = (opts or {}).get("specname") or attr
            if name not in specs:
                problems.append(f"hook {name!r} in {hooks_module.__name__} is not a Balai hook "
                                f"(known: see core/hookspecs.py)")
        elif own and attr.startswith("balai_"):
            if attr in specs:
                problems.append(f"function {attr!r} in {hooks_module.__name__} lacks @hookimpl: Balai ignores it")
            else:
                problems.append(f"function {attr!r} in {hooks_module.__name__} is not a Balai hook")
    return problems


class _Foreign:
    """A run, step or record of no plugin: every attribute a hook may read is there (None unless set)."""
    def __init__(self, **known):
        self.__dict__.update(known)

    def __getattr__(self, name):
        return None


def foreign_hook_problems(app, plugin):
    """Hooks asked about another plugin's run, step or record must answer "not mine": None from
    ``balai_step_action``, ``balai_step_anchor`` and ``balai_record_link`` (they take the first
    answer: a plugin answering for everything would hijack every run), nothing from
    ``balai_step_guards`` (a stray reason would block other SOPs' steps) — and never raise."""
    import inspect
    run = _Foreign(id=0, code="KONTRAK-ASING", subject_type="kontrak_asing", subject_id=0, status="active",
                   current_no=1, title="Bukan milik plugin ini")
    step = _Foreign(no=1, code="asing", anchor="kontrak_asing", roles=[], activity="Bukan milik plugin ini")
    given = {"app": app, "run": run, "step": step, "no": 1, "object_type": "kontrak_asing", "object_id": 0}
    problems = []
    for name in ("balai_step_action", "balai_step_anchor", "balai_record_link", "balai_step_guards"):
        impl = getattr(plugin.hooks, name, None)
        if impl is None:
            continue
        args = {a: given[a] for a in inspect.signature(impl).parameters if a in given}
        try:
            answer = impl(**args)
        except Exception as exc:          # noqa: BLE001 (the contract reports whatever it is)
            problems.append(f"{name} raised {type(exc).__name__}: {exc} for another plugin's run or record")
            continue
        if answer not in (None, [], ()):
            problems.append(f"{name} answered {answer!r} for another plugin's run or record (expected nothing)")
    return problems


def grant_problems(app, plugin):
    """``balai_permission_grants``: only permissions of plugins this one depends on (directly or
    not), only roles Balai knows."""
    grants = getattr(plugin.hooks, "balai_permission_grants", None)
    if grants is None:
        return []
    reachable, todo = set(), list(plugin.manifest.depends)
    while todo:
        name = todo.pop()
        if name not in reachable and name in app.plugins:
            reachable.add(name)
            todo.extend(app.plugins.by_name[name].manifest.depends)
    declared_by = {p.name: owner.name for owner, perms in app.plugins.each("balai_permissions") for p in perms or ()}
    problems = []
    for permission, roles in (grants() or {}).items():
        if declared_by.get(permission) not in reachable:
            problems.append(f"balai_permission_grants grants {permission!r}, declared by "
                            f"{declared_by.get(permission, 'no plugin')!r}, not a plugin in depends")
        for role in (roles,) if isinstance(roles, str) else roles:
            if role not in app.roles:
                problems.append(f"balai_permission_grants gives {permission!r} to unknown role {role!r}")
    return problems


def document_type_problems(app, plugin):
    """Each document type the plugin declares has its template in the template chain."""
    import jinja2
    from core.documents import types as document_types
    problems = []
    for t in document_types.collect(app).values():
        if t.plugin != plugin.name:
            continue
        try:
            app.templates.loader.get_source(app.templates, t.template)   # found (it renders with the
        except jinja2.TemplateNotFound:                                   # documents service's filters)
            problems.append(f"document type {t.code!r}: template {t.template!r} not found")
    return problems


def check_plugin_contract(plugin_name, tmp_path, plugin_dirs=(), use=None, demo=True, options=None):
    """The contract every plugin passes; raises AssertionError listing every breach.

        enable → migrate (models match migrations) → use (demo data and ``use(app, admin_client)``;
        every GET route without URL parameters answers 200 to an admin, with parameters never 500)
        → disable (tables and rows kept; routes 404, menu entries gone) → enable again (rows back,
        routes 200) → every route has a declared permission or is public → every hook implemented
        is a Balai hook spec → hooks asked about another plugin's run or record answer nothing
        (``balai_step_action``, ``balai_step_anchor``, ``balai_step_guards``, ``balai_record_link``)
        → permission grants name only permissions of plugins in ``depends`` and known roles
        → document types have their templates, and are gone once the plugin is disabled.

    ``plugin_dirs``: folders holding the plugin package when it is not pip-installed.
    ``demo``: load the demo data of the enabled plugins (``balai_demo_data``) as the "use" step.
    Returns a summary dict (tables, row counts, routes checked).
    """
    from core import db
    from core.context import SYSTEM, set_actor

    folder = os.path.join(str(tmp_path), f"contract-{plugin_name}")
    os.makedirs(folder, exist_ok=True)
    url = f"sqlite:///{folder}/contract.db"
    extra = {"plugin_dirs": " ".join(os.path.abspath(str(d)) for d in plugin_dirs)} if plugin_dirs else {}
    problems = []

    def start(plugins):
        return start_app(write_config(folder, plugins, url, options, **extra))

    def admin_client(app):
        client = Client(app, admin)
        res = client.login(admin.username)
        assert res.status_int == 303, f"contract admin could not log in: {res.status}"
        return client

    def get_routes(client, expect_ok, when):
        checked = 0
        for r in routes:
            if r.method != "GET":
                continue
            path = _concrete(r.path)
            res = client.get(path, status="*")
            checked += 1
            if r.path == path and expect_ok:
                final = res
                for _i in range(5):
                    if final.status_int not in (301, 302, 303) or not final.location:
                        break
                    final = final.follow(status="*") if hasattr(final, "follow") else final
                if final.status_int != 200:
                    problems.append(f"{when}: GET {path} answered {final.status} to an admin (expected 200)")
            elif res.status_int >= 500:
                problems.append(f"{when}: GET {path} answered {res.status} (a server error)")
        return checked

    def menu_links(client):
        page = client.get("/tasks", status="*").text
        return {item.path for item in menu if f'href="{item.path}"' in page}

    # ---- enable and migrate
    app = start([plugin_name])
    if plugin_name not in app.plugins:
        raise AssertionError(f"plugin {plugin_name} is not enabled after listing it in [balai] plugins")
    plugin = app.plugins.by_name[plugin_name]
    others = [p.name for p in app.plugins if p.name not in ("core", plugin_name)]
    with db.connection():
        pending = dict(db.migration_status(app.plugins)).get(plugin_name, [])
        if pending:
            problems.append(f"migrations not applied after migrate: {pending}")
        for name, diff in db.schema_drift(app.plugins):
            if name == plugin_name:
                problems.append(f"models differ from migrations (run balai makemigration {plugin_name}):\n{diff}")
    tables = db.tables_of(app.plugins).get(plugin_name, [])
    routes = [r for r in app.router.routes if r.plugin == plugin_name]
    menu = [item for p, items in app.plugins.each("balai_menu") if p.name == plugin_name for item in items or ()]

    # ---- permissions and hook names
    for r in routes:
        if not r.public and not r.permission:
            problems.append(f"route {r.method} {r.path} has no permission and is not public")
        elif r.permission and r.permission not in app.permissions:
            problems.append(f"route {r.method} {r.path} needs undeclared permission {r.permission!r}")
    for item in menu:
        if item.permission not in app.permissions:
            problems.append(f"menu entry {item.path} needs undeclared permission {item.permission!r}")
    problems += hook_problems(plugin.hooks)
    problems += foreign_hook_problems(app, plugin) + grant_problems(app, plugin) + document_type_problems(app, plugin)
    from core.documents import types as document_types
    own_types = {code for code, t in document_types.collect(app).items() if t.plugin == plugin_name}

    # ---- use
    admin = make_user(app, f"contract_admin_{next(_counter)}", ("admin",))
    if demo:
        from core import demo as demo_mod
        with db.connection():
            set_actor(SYSTEM)
            try:
                demo_mod.demo_users(app)
                for _p, _lines in app.plugins.each("balai_demo_data", app=app):
                    pass
            finally:
                set_actor(None)
    client = admin_client(app)
    if use is not None:
        use(app, client)
    checked = get_routes(client, True, "enabled")
    missing_menu = {item.path for item in menu} - menu_links(client)
    if missing_menu:
        problems.append(f"enabled: menu entries not shown to an admin: {sorted(missing_menu)}")
    counts = _row_counts(tables)

    # ---- disable: data kept, UI gone (a bridge, auto-enabled, is off once a plugin it joins is off)
    app = start([n for n in others if n != plugin.manifest.depends[-1]] if plugin.manifest.auto_enable else others)
    if plugin_name in app.plugins:
        problems.append(f"disabled: {plugin_name} is still enabled (another plugin depends on it?)")
    after = _row_counts(tables)
    if after != counts:
        problems.append(f"disabled: tables or rows changed: {counts} → {after}")
    client = admin_client(app)
    remaining = {(r.method, r.path) for r in app.router.routes}
    for r in routes:
        if r.method == "GET" and (r.method, r.path) not in remaining:
            res = client.get(_concrete(r.path), status="*")
            if res.status_int != 404:
                problems.append(f"disabled: GET {_concrete(r.path)} answered {res.status} (expected 404)")
    shown = menu_links(client)
    if shown or any(item.path in {i.path for i in app.menu} for item in menu):
        problems.append(f"disabled: menu entries still shown: {sorted(shown)}")
    left = own_types & set(document_types.collect(app))
    if left:
        problems.append(f"disabled: document types still declared: {sorted(left)}")

    # ---- enable again: data back
    app = start([plugin_name])
    again = _row_counts(tables)
    if again != counts:
        problems.append(f"enabled again: rows differ: {counts} → {again}")
    client = admin_client(app)
    get_routes(client, True, "enabled again")
    if {item.path for item in menu} - menu_links(client):
        problems.append("enabled again: menu entries missing")

    from core import db as db_mod
    if db_mod.database.obj is not None and not db_mod.database.obj.is_closed():
        db_mod.database.obj.close()
    if problems:
        raise AssertionError(f"plugin {plugin_name} breaks the contract:\n  - " + "\n  - ".join(problems))
    return {"tables": counts, "routes": len(routes), "gets_checked": checked, "menu": [m.path for m in menu]}
