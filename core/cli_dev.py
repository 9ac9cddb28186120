"""``balai`` commands for developers and IT staff: plugins, routes, makemigration, new-plugin,
extract-messages."""
from core.cli_ops import build_app
from core.errors import Fail


def cmd_plugins(args):
    from core import db
    from core.plugins import available
    app = build_app(args, check_schema=False)
    found = available(app.config["plugin_dirs"])
    enabled = app.plugins.names()
    print("Resolved order (dependency order, then config order; later wins for templates, menus and hooks):")
    with db.connection():
        pending = dict(db.migration_status(app.plugins))
    tables = db.tables_of(app.plugins)
    for i, p in enumerate(app.plugins, 1):
        m = p.manifest
        print(f"  {i}. {m.name} {m.version} — {m.title} [{p.source}]")
        if m.auto_enable:
            print(f"       auto-enabled: bridge of {' + '.join(m.depends)} (enabled because they are)")
        elif m.depends:
            print(f"       depends: {', '.join(m.depends)}")
        if m.sop_codes:
            print(f"       SOP: {', '.join(m.sop_codes)}")
        print(f"       tables: {', '.join(tables.get(m.name, [])) or '—'}")
        print(f"       pending migrations: {', '.join(pending.get(m.name, [])) or 'none'}")
    others = sorted(n for n in found if n not in enabled)
    print("Available, not enabled: " + (", ".join(others) if others else "none"))
    return 0


def cmd_routes(args):
    app = build_app(args, check_schema=False)
    for r in sorted(app.router.routes, key=lambda r: (r.path, r.method)):
        print(f"{r.method:<6} {r.path:<45} {r.plugin:<18} {'PUBLIC' if r.public else r.permission}")
    from core.api.router import PREFIX
    for r in sorted(app.api_router.routes, key=lambda r: (r.path, r.method)):     # the JSON API: + token scope
        print(f"{r.method:<6} {PREFIX + r.path:<45} {r.plugin:<18} "
              f"{'PUBLIC' if r.public else f'{r.permission} [scope {r.scope}]'}")
    return 0


def cmd_makemigration(args):
    """Write a plugin's next migration from its models (developer tool)."""
    from core import db
    app = build_app(args, check_schema=False)
    if args.plugin not in app.plugins:
        raise Fail(f"plugin {args.plugin} is not enabled in {args.config}")
    path = db.make_migration(app.plugins, args.plugin, args.label)
    print(path or f"no changes: the models of {args.plugin} match its migrations")
    return 0


def cmd_new_plugin(args):
    from core import scaffold
    path = scaffold.generate(args.name, args.dir, title=args.title, sop_code=args.sop_code,
                             depends=[d for d in (args.depends or "").split(",") if d.strip()],
                             roles=[r.strip() for r in (args.roles or "").split(",") if r.strip()])
    print(f"plugin {args.name} created in {path}")
    return 0


def cmd_extract_messages(args):
    """Collect a plugin's messages into its catalogs (Babel's extract + update)."""
    from core import messages
    for lang, added, obsolete in messages.update(args.plugin, args.dir):
        print(f"{args.plugin} {lang}: {added} new messages"
              + (f", {obsolete} not found in the code (kept: form labels are among them)" if obsolete else "")
              + (" — translate the new ones" if added and lang != "id" else ""))
    return 0
