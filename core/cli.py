"""The ``balai`` command: ``balai [--config FILE] COMMAND``.

Errors exit non-zero with a one-line reason (a config error lists every
problem). Plugins add commands through the ``balai_cli_commands`` hook.

Language: what staff read (prompts, the demo summary, user and SOP output) is in the
deployment's ``language``; error lines are English for IT staff, always ``balai: <what
failed>``, followed after a colon by the reason the core gave people when there is one
(a refused password, an unreadable document), in the deployment's language.
The commands live by concern: ``cli_ops`` (running a deployment), ``cli_sop``
(SOP definitions), ``cli_dev`` (developers); this module parses and dispatches.
"""
import argparse
import contextvars
import logging
import os
import sys

from core import __version__, i18n
from core.cli_dev import cmd_extract_messages, cmd_makemigration, cmd_new_plugin, cmd_plugins, cmd_routes
from core.cli_ops import (EXIT_CONFIG, EXIT_FAIL, EXIT_USAGE, build_app, cmd_audit, cmd_backup,  # noqa: F401
                          cmd_demo, cmd_init, cmd_jobs, cmd_migrate, cmd_restore, cmd_serve, cmd_user, read_password)
from core.cli_sop import cmd_sop, sop_import  # noqa: F401
from core.errors import Fail  # noqa: F401  (raised by commands; kept importable from here)


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
        with i18n.using(None):        # build_app sets the deployment's language; restored after
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
