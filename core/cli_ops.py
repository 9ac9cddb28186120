"""``balai`` commands that run a deployment: init, migrate, serve, user, audit, jobs, demo,
backup and restore — and ``build_app``, which every command starts with (see core/cli.py)."""
import getpass
import json
import sys

from core import i18n
from core.errors import Fail
from core.i18n import _

EXIT_CONFIG, EXIT_USAGE, EXIT_FAIL = 2, 64, 1


def build_app(args, check_schema=True):
    from core import app as app_mod, context, db
    app = app_mod.build(args.config)
    # main() runs each command in its own copy of the context: this binding ends with it.
    context.use_app(app)
    # What staff read speaks the deployment's language (config ``language``); main() restores the
    # thread's language when the command ends. Error lines (``balai: ...``) stay English.
    i18n.set_language(app.config["language"])
    if check_schema:
        with db.connection():
            pending = [(p, names) for p, names in db.migration_status(app.plugins) if names]
        if pending:
            listed = ", ".join(f"{p}: {len(n)}" for p, n in pending)
            raise Fail(f"the database needs migrating ({listed}); run: balai --config {args.config} init")
    return app


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
                    print(_("Basis data siap; belum ada admin: jalankan `balai init --admin USERNAME --password-stdin`"))
                    return 0
                username = input(_("Nama pengguna admin pertama: ")).strip().lower()
            if identity.User.select().where(identity.User.username == username).exists():
                print(_("Pengguna {username} sudah ada; tidak ada yang dibuat.", username=username))
                return 0
            password = read_password(args.password_stdin, username)
            from core.admin import set_roles
            with db.write():
                user = audit.create(identity.User, username=username, full_name=username,
                                    password_hash=identity.hash_password(password))
                set_roles(user, {identity.ADMIN})
            print(_("Admin {username} dibuat.", username=username))
        print(_("Basis data siap.") if not ran else _("Basis data siap ({n} migrasi dijalankan).", n=len(ran)))
    return 0


def read_password(from_stdin, username):
    from core import identity
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(_("Kata sandi: "))
        if getpass.getpass(_("Ulangi kata sandi: ")) != password:
            raise Fail("the two passwords differ")
    problem = identity.password_problem(password, username)
    if problem:
        raise Fail(f"password refused: {problem}")
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
