"""The ``balai`` command: ``balai [--config FILE] COMMAND``.

Errors exit non-zero with a one-line reason (a config error lists every
problem). Plugins add commands through the ``balai_cli_commands`` hook.
"""
import json
import argparse
import contextvars
import getpass
import logging
import os
import sys

from core import __version__, i18n
from core.i18n import _
from core.errors import Fail

EXIT_CONFIG, EXIT_USAGE, EXIT_FAIL = 2, 64, 1


def build_app(args, check_schema=True):
    from core import app as app_mod, context, db
    app = app_mod.build(args.config)
    # main() runs each command in its own copy of the context: this binding ends with it.
    context.use_app(app)
    if check_schema:
        with db.connection():
            pending = [(p, names) for p, names in db.migration_status(app.plugins) if names]
        if pending:
            listed = ", ".join(f"{p}: {len(n)}" for p, n in pending)
            raise Fail(f"the database needs migrating ({listed}); run: balai --config {args.config} init")
    return app


# ---------------------------------------------------------------- core commands

def cmd_init(args):
    """Create or upgrade the schema; on an empty database create the first admin."""
    from core import audit, db, identity
    from core.context import SYSTEM, set_actor
    from core import audit_anchor
    app = build_app(args, check_schema=False)
    audit_anchor.use_key_of(app, create=True)
    with db.connection():
        ran = db.migrate(app.plugins)
        audit.install_triggers(db.database.obj)
        for plugin, name in ran:
            print(f"migrated {plugin}: {name}")
        app.startup()
        set_actor(SYSTEM)
        has_admin = identity.UserRole.select().where(identity.UserRole.role == identity.ADMIN).exists()
        if args.admin or not has_admin:
            username = (args.admin or "").strip().lower()
            if not username:
                if not sys.stdin.isatty():
                    print("database ready; no admin yet: run `balai init --admin USERNAME --password-stdin`")
                    return 0
                username = input("Nama pengguna admin pertama: ").strip().lower()
            if identity.User.select().where(identity.User.username == username).exists():
                print(f"user {username} exists; nothing created")
                return 0
            password = read_password(args.password_stdin, username)
            from core.admin import set_roles
            with db.write():
                user = audit.create(identity.User, username=username, full_name=username,
                                    password_hash=identity.hash_password(password))
                set_roles(user, {identity.ADMIN})
            print(f"admin {username} created")
        print("database ready" if not ran else f"database ready ({len(ran)} migrations applied)")
    return 0


def read_password(from_stdin, username):
    from core import identity
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Kata sandi: ")
        if getpass.getpass("Ulangi kata sandi: ") != password:
            raise Fail("the two passwords differ")
    problem = identity.password_problem(password, username)
    if problem:
        raise Fail(problem)
    return password


def cmd_migrate(args):
    from core import audit, db
    app = build_app(args, check_schema=False)
    with db.connection():
        if args.plan:
            status = db.migration_status(app.plugins)
            any_pending = False
            for plugin, names in status:
                for name in names:
                    any_pending = True
                    print(f"{plugin}: {name}")
            if not any_pending:
                print("nothing to migrate")
            return 0
        ran = db.migrate(app.plugins)
        audit.install_triggers(db.database.obj)
        from core import audit_anchor
        audit_anchor.use_key_of(app, create=True)      # an upgraded deployment gets its audit key here
        for plugin, name in ran:
            print(f"migrated {plugin}: {name}")
        print(f"{len(ran)} migrations applied")
    return 0


def cmd_serve(args):
    import waitress
    from core.tracker import scheduler
    app = build_app(args)
    app.startup()
    if not args.no_jobs:
        scheduler.start(app)
    print(f"Balai ({app.config['institution']}) on http://{args.host}:{args.port}/  — Ctrl+C to stop", flush=True)
    waitress.serve(app.wsgi, host=args.host, port=args.port, threads=args.threads, ident="balai",
                   max_request_body_size=(app.config["upload_max_mb"] + 2) * 1024 * 1024)
    return 0


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


def cmd_user(args):
    from core import audit, db, identity
    from core.admin import set_roles
    from core.context import SYSTEM, set_actor
    app = build_app(args)
    set_actor(SYSTEM)
    with db.connection():
        if args.user_command == "list":
            for u in identity.User.select().order_by(identity.User.username):
                with i18n.using(app.config["language"]):
                    state = _("aktif") if u.active else _("nonaktif")
                print(f"{u.username:<20} {u.full_name:<30} {state:<8} {', '.join(sorted(u.roles)) or '—'}")
            return 0
        username = args.username.strip().lower()
        if args.user_command == "add":
            unknown = [r for r in args.role if r not in app.roles or app.roles[r].external]
            if unknown:
                raise Fail(f"unknown role(s): {', '.join(unknown)} (known: {', '.join(sorted(c for c, r in app.roles.items() if not r.external))})")
            if identity.User.select().where(identity.User.username == username).exists():
                raise Fail(f"user {username} already exists")
            password = read_password(args.password_stdin, username)
            with db.write():
                user = audit.create(identity.User, username=username, full_name=args.name or username,
                                    password_hash=identity.hash_password(password))
                set_roles(user, set(args.role))
            with i18n.using(app.config["language"]):
                print(_("Pengguna {username} dibuat dengan peran: {roles}", username=username,
                        roles=", ".join(args.role) or "—"))
            return 0
        if args.user_command == "passwd":
            user = identity.User.get_or_none(identity.User.username == username)
            if user is None:
                raise Fail(f"no user {username}")
            password = read_password(args.password_stdin, username)
            with db.write():
                audit.update(user, password_hash=identity.hash_password(password), must_change_password=False)
                identity.Session.delete().where(identity.Session.user == user.id).execute()
            with i18n.using(app.config["language"]):
                print(_("Kata sandi {username} diganti.", username=username))
            return 0
    return 0


def cmd_audit(args):
    import json
    from core import audit_anchor, db
    app = build_app(args)
    with db.connection():
        if args.audit_command == "checkpoint":
            try:
                cp = audit_anchor.checkpoint(app)
            except audit_anchor.AnchorError as exc:
                print(str(exc), file=sys.stderr)
                return EXIT_FAIL
            if cp is None:
                print("audit log is empty: no checkpoint written")
                return 0
            print(json.dumps(cp, sort_keys=True))       # also on stdout: pipe it to a log kept elsewhere
            return 0
        count, problems = audit_anchor.verify_all(app)
    if not problems:
        checkpoints = len(audit_anchor.read_checkpoints(app.config["audit_checkpoint_file"]))
        print(f"audit chain intact: {count} entries, signatures valid, {checkpoints} checkpoints match")
        return 0
    print("audit log BROKEN:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    return EXIT_FAIL


def cmd_sop(args):
    """SOP definitions: list (drafts marked), show one (every column), import a document as a draft."""
    import peewee
    from core import db
    from core.tracker import authoring, service, sop as sop_mod
    from core.tracker.models import SopRevision, SopStep
    app = build_app(args)
    app.startup()
    with db.connection():
        if args.sop_command == "import":
            return sop_import(app, args)
        if args.sop_command == "list":
            revs = list(SopRevision.select().order_by(SopRevision.code, SopRevision.id))
            counts = dict(SopStep.select(SopStep.revision, peewee.fn.COUNT(SopStep.id)).group_by(SopStep.revision).tuples())
            print(f"{'CODE':<18} {'REVISION':<10} {'STATUS':<9} {'STEPS':>5}  {'PLUGIN':<18} TITLE")
            for code in sorted({r.code for r in revs}):
                try:
                    shown = [service.published_revision(code)]
                except service.StepError:
                    shown = []
                shown += [r for r in revs if r.code == code and r.status == "draft"]
                for rev in shown:
                    status = "DRAF" if rev.status == "draft" else "berlaku"
                    print(f"{code:<18} {rev.revision:<10} {status:<9} {counts.get(rev.id, 0):>5}  {rev.plugin:<18} {rev.title}")
            return 0
        rev = None
        if args.revision:
            rev = SopRevision.get_or_none((SopRevision.code == args.code) & (SopRevision.revision == args.revision))
        else:
            try:
                rev = service.published_revision(args.code)
            except service.StepError:   # not published yet: its latest draft
                rev = (SopRevision.select().where(SopRevision.code == args.code)
                       .order_by(SopRevision.id.desc()).first())
        if rev is None:
            raise Fail(f"unknown SOP {args.code} (see: balai sop list)")
        authoring.register_roles(app, json.loads(rev.header))
        print(sop_mod.as_text(rev, service.steps_of(rev), app.role_title))
        if rev.status == "draft":
            problems = authoring.blockers(rev)
            if problems:
                print("\nMasalah sebelum terbit:")
                print("\n".join(f"  - {p}" for p in problems))
    return 0


def sop_import(app, args):
    """``balai sop import FILE``: the document becomes a draft revision; its problems are printed."""
    from core.context import SYSTEM, set_actor
    from core.tracker import authoring, sopimport
    if not os.path.isfile(args.file):
        raise Fail(f"no such file: {args.file}")
    with open(args.file, "rb") as fh:
        data = fh.read()
    set_actor(SYSTEM)
    try:
        parsed = sopimport.read_file(args.file, data)
        rev = sopimport.make_draft(app, parsed, code=args.code)
    except (sopimport.ImportRefused, authoring.AuthoringError) as exc:
        raise Fail(f"tidak dapat diimpor: {exc}")
    problems = json.loads(rev.header).get("import_problems") or []
    print(f"draf {rev.code} revisi {rev.revision} dibuat: {len(list(rev.steps))} langkah, {len(problems)} catatan impor")
    for p in problems:
        print(f"  - {p}")
    print(f"periksa dan terbitkan di /admin/sop/{rev.code}/{rev.id}")
    return 0


def cmd_jobs(args):
    from core import db
    from core.tracker import jobs
    app = build_app(args)
    with db.connection():
        for name, result in jobs.run_due(app, force=args.force):
            print(f"{name}: {result}")
    return 0


def cmd_demo(args):
    """Load demo data of every enabled plugin (once) and print the demo users' passwords."""
    from core import db, demo
    app = build_app(args, check_schema=False)
    with db.connection():
        return demo.load(app, args)


def cmd_backup(args):
    from core import backup
    app = build_app(args)
    manifest = backup.backup(app, args.file)
    print(f"backup written to {args.file} ({manifest['database']}, {manifest['audit_entries']} audit entries)")
    return 0


def cmd_restore(args):
    from core import backup
    app = build_app(args, check_schema=False)
    manifest = backup.restore(app, args.file)
    print(f"restored from {args.file} (made {manifest['created_utc']} UTC); audit chain verified: "
          f"{manifest['audit_entries']} entries")
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


# ---------------------------------------------------------------- parser

def parser_for(plugin_commands=()):
    p = argparse.ArgumentParser(prog="balai", description="Balai — SOP software for vocational training offices")
    p.add_argument("--config", default=os.environ.get("BALAI_CONFIG", "config.ini"), help="config file (default ./config.ini)")
    p.add_argument("--version", action="version", version=f"balai {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    s = sub.add_parser("init", help="create or upgrade the database; create the first admin")
    s.add_argument("--admin", help="username of the first admin")
    s.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    s.set_defaults(func=cmd_init)
    s = sub.add_parser("migrate", help="apply pending migrations")
    s.add_argument("--plan", action="store_true", help="only show what would run")
    s.set_defaults(func=cmd_migrate)
    s = sub.add_parser("serve", help="run the web server (waitress)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8080)
    s.add_argument("--threads", type=int, default=8)
    s.add_argument("--no-jobs", action="store_true", help="do not run scheduled jobs in this process")
    s.set_defaults(func=cmd_serve)
    sub.add_parser("plugins", help="available and enabled plugins, order, tables, pending migrations").set_defaults(func=cmd_plugins)
    sub.add_parser("routes", help="every route: method, path, plugin, permission").set_defaults(func=cmd_routes)

    s = sub.add_parser("user", help="manage users")
    us = s.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    a = us.add_parser("add", help="add a user")
    a.add_argument("username")
    a.add_argument("--role", action="append", default=[], help="a role code (repeat for several)")
    a.add_argument("--name", help="full name")
    a.add_argument("--password-stdin", action="store_true")
    a = us.add_parser("passwd", help="set a user's password")
    a.add_argument("username")
    a.add_argument("--password-stdin", action="store_true")
    us.add_parser("list", help="list users")
    s.set_defaults(func=cmd_user)

    s = sub.add_parser("audit", help="audit log")
    au = s.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    au.add_parser("verify", help="check the hash chain, row signatures and checkpoints; exit 1 listing problems")
    au.add_parser("checkpoint", help="append a signed checkpoint of the chain head to audit_checkpoint_file")
    s.set_defaults(func=cmd_audit)

    s = sub.add_parser("sop", help="SOP definitions")
    ss = s.add_subparsers(dest="sop_command", metavar="ACTION", required=True)
    ss.add_parser("list", help="code, revision, status (drafts marked DRAF), steps, plugin, title")
    a = ss.add_parser("show", help="the step table as text, every column (draft problems listed)")
    a.add_argument("code")
    a.add_argument("--revision", help="a revision label (default: the one in force, else the latest draft)")
    a = ss.add_parser("import", help="import an SOP AP document (.docx or pasted tab text .txt) as a draft")
    a.add_argument("file")
    a.add_argument("--code", help="the SOP code (default: from Nomor SOP in the document)")
    s.set_defaults(func=cmd_sop)

    s = sub.add_parser("jobs", help="scheduled jobs")
    js = s.add_subparsers(dest="jobs_command", metavar="ACTION", required=True)
    a = js.add_parser("run", help="run due jobs once (for cron / Task Scheduler)")
    a.add_argument("--force", action="store_true", help="run even if this slot already ran")
    s.set_defaults(func=cmd_jobs)

    s = sub.add_parser("demo", help="load demo data and demo users (prints their passwords once)")
    s.set_defaults(func=cmd_demo)
    s = sub.add_parser("backup", help="consistent copy of the database and uploads, while running")
    s.add_argument("file")
    s.set_defaults(func=cmd_backup)
    s = sub.add_parser("restore", help="restore a backup into an empty instance")
    s.add_argument("file")
    s.set_defaults(func=cmd_restore)
    s = sub.add_parser("makemigration", help="write a plugin's next migration from its models")
    s.add_argument("plugin")
    s.add_argument("label", nargs="?", default="auto")
    s.set_defaults(func=cmd_makemigration)
    s = sub.add_parser("extract-messages", help="collect a plugin's messages into its catalogs (developers)")
    s.add_argument("plugin")
    s.add_argument("--dir", default=".", help="folder holding the plugin package (default: here; else the installed one)")
    s.set_defaults(func=cmd_extract_messages)
    s = sub.add_parser("new-plugin", help="generate a plugin package")
    s.add_argument("name")
    s.add_argument("--dir", default=".", help="where to create it (default: here)")
    s.add_argument("--title", help="the SOP's title, e.g. \"Penempatan Tenaga Kerja\"")
    s.add_argument("--sop-code", help="the SOP's code, e.g. PTK-01")
    s.add_argument("--depends", help="plugins it builds on, comma-separated, e.g. training")
    s.add_argument("--roles", help="two role codes: the officer who records, the head who approves")
    s.set_defaults(func=cmd_new_plugin)

    for command in plugin_commands:
        s = sub.add_parser(command.name, help=command.help)
        command.configure(s)
        s.set_defaults(func=lambda a, c=command: run_plugin_command(a, c))
    accept_config_anywhere(sub)
    return p


def accept_config_anywhere(subparsers):
    """``balai demo --config x.ini`` works like ``balai --config x.ini demo``: every sub-command (and
    its own sub-commands) accepts ``--config`` too. SUPPRESS as default so that a sub-command without
    the option keeps the value given before it (argparse would otherwise overwrite it)."""
    for parser in set(subparsers.choices.values()):
        if "--config" not in parser._option_string_actions:
            parser.add_argument("--config", default=argparse.SUPPRESS, help="config file (also accepted here)")
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                accept_config_anywhere(action)


def run_plugin_command(args, command):
    from core import db
    app = build_app(args)
    app.startup()
    with db.connection():
        return command.run(app, args) or 0


def plugin_commands(argv):
    """Plugin commands need the app's plugins: peek at --config, load quietly."""
    if not argv or argv[0] in ("-h", "--help"):
        pass
    config = os.environ.get("BALAI_CONFIG", "config.ini")
    for i, a in enumerate(argv):
        if a == "--config" and i + 1 < len(argv):
            config = argv[i + 1]
        elif a.startswith("--config="):
            config = a.split("=", 1)[1]
    core_names = {"init", "migrate", "serve", "plugins", "routes", "user", "audit", "sop", "jobs", "demo",
                  "backup", "restore", "new-plugin", "makemigration", "extract-messages"}
    command = next((a for a in argv if not a.startswith("-") and a != config), None)
    if command in core_names or not os.path.exists(config):
        return []
    try:
        from core import app as app_mod
        return app_mod.build(config, check_database=False).commands
    except Exception:
        return []


def skip_unused_database_driver(argv):
    """A SQLite deployment never loads the PostgreSQL driver. peewee imports it at its own
    import when installed, and psycopg with its bundled libpq costs ~22 MB resident and
    ~0.1 s of start-up: a third of a server's memory. Decided from the config file before
    anything imports peewee; any doubt (no file, no such option) leaves the import alone."""
    import configparser
    path = os.environ.get("BALAI_CONFIG", "config.ini")
    for i, arg in enumerate(argv):
        if arg == "--config" and i + 1 < len(argv):
            path = argv[i + 1]
        elif arg.startswith("--config="):
            path = arg.split("=", 1)[1]
    parser = configparser.ConfigParser()
    try:
        url = parser.read(path, encoding="utf-8") and parser.get("balai", "database", fallback="sqlite:///balai.db")
    except configparser.Error:
        return
    if url and url.strip().startswith("sqlite") and "peewee" not in sys.modules:
        for driver in ("psycopg", "psycopg2"):
            sys.modules.setdefault(driver, None)          # `import psycopg` raises ImportError


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    skip_unused_database_driver(argv)
    from core.config import ConfigError         # after the line above: it imports peewee
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("peewee").setLevel(logging.WARNING)
    parser = parser_for(plugin_commands(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        code = contextvars.copy_context().run(args.func, args) or 0
        sys.stdout.flush()          # a closed pipe shows here, where it is handled, not at exit
        return code
    except ConfigError as exc:
        print(f"balai: configuration {args.config} is not valid:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  - {problem}", file=sys.stderr)
        return EXIT_CONFIG
    except Fail as exc:
        print(f"balai: {exc}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``balai sop show X | head``): stop quietly, as cat does.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
