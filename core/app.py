"""The application: config + plugins + database + web shell, assembled once.

``build(config_path)`` validates everything and raises ``ConfigError`` with
every problem at once; nothing is half-started. The CLI, the server and the
tests all build the app through here.
"""
import dataclasses
import logging
import os

from core import config as config_mod, context, db, i18n, identity
from core.config import ConfigError
from core.plugins import PluginError, PluginSet, available, load_plugin, resolve
from core.web import Middleware, Router, build_bottle, make_environment

log = logging.getLogger("balai")
CORE_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT_DIR = os.path.dirname(CORE_DIR)


class Balai:
    """One deployment: its config, enabled plugins, database, templates and WSGI app."""

    def __init__(self, config, plugin_set, database):
        self.config = config
        self.plugins = plugin_set
        self.database = database
        self.router = Router()
        self.permissions = {}
        self.roles = {}
        self.sops = []
        self.menu = []
        self.jobs = []
        self.commands = []

    # ------------------------------------------------ assembly
    def assemble(self):
        problems = []
        self.collect_permissions(problems)
        for plugin, roles in self.plugins.each("balai_roles"):
            for r in roles or ():
                self.roles[r.code] = r
        for plugin, sops in self.plugins.each("balai_sops"):
            for sop in sops or ():
                self.sops.append((plugin.name, sop))
        from core.tracker.sop import grant_owners
        grant_owners(self.permissions, self.sops)     # an SOP's owner roles may cancel its runs
        # Each plugin registers on a router bound to its own name (RouteSpec.plugin).
        for _plugin, _none in self.plugins.each("balai_routes", app=self,
                                                 per_plugin=lambda p: {"router": self.router.for_plugin(p.name)}):
            pass
        problems += self.router.check(self.permissions)
        from core import api
        self.api_router = api.collect(self)
        problems += self.api_router.check(self.permissions)
        self.menu = self.plugins.collect("balai_menu")
        for item in self.menu:
            if item.permission not in self.permissions:
                problems.append(f"menu entry {item.path} needs undeclared permission {item.permission!r}")
        self.jobs = self.plugins.collect("balai_jobs")
        self.commands = self.plugins.collect("balai_cli_commands")
        if problems:
            raise ConfigError(problems)

        theme_dir = os.path.join(ROOT_DIR, "themes", self.config["theme"])
        plugin_layers = [p for p in reversed(self.plugins.plugins)]   # later wins
        layers = [("theme", os.path.join(theme_dir, "templates"))]
        layers += [(p.name, p.folder("templates")) for p in plugin_layers if p.folder("templates")]
        self.template_layers = [(label, folder) for label, folder in layers if folder and os.path.isdir(folder)]
        self.static_folders = [f for f in [os.path.join(theme_dir, "static")]
                               + [p.folder("static") for p in plugin_layers] if f and os.path.isdir(f)]
        # One translation domain per plugin (its code, templates and catalog), then the theme's.
        i18n.load_domains([i18n.Domain(p.name, p.path, p.folder("locale"), tuple(p.manifest.depends))
                           for p in self.plugins.plugins]
                          + [i18n.Domain("theme", theme_dir, os.path.join(theme_dir, "locale"))],
                          self.config["language"])
        from core import templating
        self.templates = make_environment(self.template_layers, *templating.globals_and_filters(self))
        self.bottle = build_bottle(self)
        # /api/ goes to the JSON API (tokens, problem details); the rest to the web shell.
        self.api = api.Api(self, self.api_router)
        self.wsgi = api.Dispatcher(self.api, Middleware(self, self.bottle))
        return self

    def activated(self):
        """``with app.activated():`` makes this app ``current_app()`` inside the block
        (the request pipeline, the CLI, the scheduler and the tests do this)."""
        return context.bind_app(self)

    def collect_permissions(self, problems):
        """Each permission is declared by one plugin; others grant it to their roles
        (``balai_permission_grants``). A second declaration or a grant of an
        undeclared permission is a startup problem."""
        declared_by = {}
        for plugin, perms in self.plugins.each("balai_permissions"):
            for p in perms or ():
                if p.name in declared_by:
                    problems.append(f"permission {p.name!r} is declared by plugin {declared_by[p.name]!r} and again "
                                    f"by {plugin.name!r}; to give your roles another plugin's permission, return it "
                                    f"from balai_permission_grants")
                    continue
                declared_by[p.name] = plugin.name
                self.permissions[p.name] = p
        for plugin, grants in self.plugins.each("balai_permission_grants"):
            for name, roles in (grants or {}).items():
                permission = self.permissions.get(name)
                if permission is None:
                    problems.append(f"plugin {plugin.name!r} grants undeclared permission {name!r} "
                                    f"(is the plugin declaring it in its depends?)")
                    continue
                roles = (roles,) if isinstance(roles, str) else tuple(roles)
                self.permissions[name] = dataclasses.replace(
                    permission, default_roles=tuple(dict.fromkeys(permission.default_roles + roles)))

    def startup(self):
        """Seed permissions and run each plugin's startup work (database must be migrated)."""
        with db.connection():
            with db.write():
                identity.seed_permissions(self.permissions.values(), self.roles.values())
            for _plugin, _r in self.plugins.each("balai_startup", app=self):
                pass

    # ------------------------------------------------ per-request helpers
    def menu_for(self, user):
        """The navigation for a user: sections of items they may open."""
        if user is None:
            return []
        sections = {}
        for item in sorted(self.menu, key=lambda i: i.order):
            if user.can(item.permission):
                sections.setdefault(str(item.section), []).append(item)
        return list(sections.items())

    def notification_count(self, user):
        """Unread notifications of ``user``: read with the session when it was loaded (one query per request)."""
        if "unread" in getattr(user, "counts", {}):
            return user.counts["unread"]
        from core.tracker.models import Notification
        return Notification.unread_count(user)

    def task_count(self, user):
        """Open tasks and steps waiting for the user (the navigation's count): one query."""
        from core.tracker.tasks import pending_count
        return pending_count(user)

    def session_counts(self):
        """Counts every page shows, read in the session query: name → subquery on ``User.id``."""
        from core.tracker.models import Notification
        return {"unread": Notification.unread_subquery()}

    def role_title(self, code):
        role = self.roles.get(code)
        if role is None:
            return code
        return role.title_en if (i18n.language() == "en" and role.title_en) else role.title

    @property
    def calendar(self):
        from core.tracker.service import calendar_for
        return calendar_for(self)


# ---------------------------------------------------------------- building

def build(config_path=None, overrides=None, check_database=True):
    """Validate config, load plugins, open the database and assemble the app.

    Raises ConfigError listing every problem found.
    """
    config_path = config_path or os.environ.get("BALAI_CONFIG") or config_mod.DEFAULT_PATH
    parser, balai_values, problems = config_mod.load_core(config_path, overrides)
    base_dir = os.path.dirname(os.path.abspath(config_path))

    found = available(balai_values["plugin_dirs"])
    core_plugin = load_plugin("core", "core", "core")
    ordered, plugin_problems = resolve(balai_values["plugins"], found)
    problems += plugin_problems
    plugin_set = None
    try:
        plugin_set = PluginSet([core_plugin] + ordered)
    except PluginError as exc:
        problems += exc.problems
    names = [p.name for p in ordered]
    config = config_mod.Config(config_path, balai_values, {}, parser)
    if plugin_set is not None:
        config.plugin_options = config_mod.load_plugin_options(parser, base_dir, plugin_set, names, problems)

    theme_dir = os.path.join(ROOT_DIR, "themes", balai_values["theme"])
    if not os.path.isdir(theme_dir):
        problems.append(f"[balai] theme: no theme folder themes/{balai_values['theme']}")

    database = None
    try:
        database = db.open_database(balai_values["database"], base_dir)
        if check_database:
            db.check_reachable(database)
    except db.DatabaseUnreachable as exc:
        problems.append(f"[balai] database: {exc}")

    if problems:
        raise ConfigError(problems)
    db.database.initialize(database)
    app = Balai(config, plugin_set, database)
    app.assemble()
    from core import audit_anchor
    try:
        audit_anchor.use_key_of(app)       # sign new audit rows (the key file is made by init/demo)
    except (OSError, audit_anchor.AnchorError) as exc:
        raise ConfigError([f"[balai] audit_key_file: {exc}"])
    return app
