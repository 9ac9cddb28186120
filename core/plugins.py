"""Plugins: manifests, discovery, dependency order and the pluggy manager.

A plugin is a package whose ``__init__.py`` defines ``manifest = Manifest(...)``
and whose ``hooks`` module holds the hook implementations. Bundled plugins
live in ``plugins/``; third-party ones are found through the ``balai.plugins``
entry-point group (the entry point names the package).

The one precedence rule: dependency order, then config order; later wins.
It orders templates, static files, menus and hook calls alike.
"""
import importlib
import importlib.metadata
import os
import pkgutil
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import pluggy

from core import hookspecs

ENTRY_POINT_GROUP = "balai.plugins"


# ---------------------------------------------------------------- declarations

@dataclass(frozen=True)
class Manifest:
    """What a plugin says about itself (Odoo's ``__manifest__``, as code)."""
    name: str
    version: str
    title: str
    summary: str = ""
    depends: tuple = ()
    sop_codes: tuple = ()
    # A bridge between its dependencies (Odoo's ``auto_install``): enabled by itself
    # whenever every plugin in ``depends`` is enabled; never listed in config.
    auto_enable: bool = False


@dataclass(frozen=True)
class Option:
    """One config option of a plugin's ``[plugin:NAME]`` section (or of ``[balai]``)."""
    name: str
    type: str = "str"          # str, int, bool, list, choice, path
    default: Any = None
    help: str = ""
    choices: tuple = ()
    check: Callable | None = None   # value → problem text or None (e.g. a number pattern)


@dataclass(frozen=True)
class Role:
    """An actor role (a swimlane of an SOP), e.g. ``Role("kepala_tuk", "Kepala TUK")``."""
    code: str
    title: str
    title_en: str = ""
    external: bool = False     # people without an account (visitors, alumni): never assignable


@dataclass(frozen=True)
class Permission:
    """A named permission, granted by default to ``default_roles``."""
    name: str
    description: str
    default_roles: tuple = ()


@dataclass(frozen=True)
class MenuItem:
    """A navigation entry; shown only to users holding ``permission``."""
    label: str
    path: str
    permission: str
    section: str = ""          # the group heading in the navigation
    order: int = 50


@dataclass(frozen=True)
class Command:
    """A ``balai`` CLI sub-command: ``configure(parser)`` adds arguments, ``run(app, args)`` returns an exit code."""
    name: str
    help: str
    run: Callable
    configure: Callable = lambda parser: None
    needs_app: bool = True


@dataclass(frozen=True)
class Job:
    """Scheduled work: ``run(app, now)`` is called at most once per ``every_minutes`` across all processes."""
    name: str
    run: Callable
    every_minutes: int = 15


@dataclass
class Plugin:
    """A loaded plugin: its manifest, package and hooks module."""
    manifest: Manifest
    package: Any
    hooks: Any
    source: str                # "bundled", "core" or the distribution that provides it

    @property
    def name(self):
        return self.manifest.name

    @property
    def path(self):
        return os.path.dirname(self.package.__file__)

    def folder(self, name):
        """The plugin's ``templates``/``static``/``locale`` folder, if it has one."""
        path = os.path.join(self.path, name)
        return path if os.path.isdir(path) else None


class PluginError(Exception):
    """Raised with every problem found while loading plugins."""
    def __init__(self, problems):
        super().__init__("\n".join(problems))
        self.problems = list(problems)


# ---------------------------------------------------------------- discovery

def available(plugin_dirs=()):
    """Map plugin name → (module path, source) for bundled, local and installed plugins.

    ``plugin_dirs`` (config ``[balai] plugin_dirs``) are folders of plugin
    packages used without installing them, e.g. an office's own plugins.
    """
    import sys
    found = {}
    import plugins as bundled
    for info in pkgutil.iter_modules(bundled.__path__):
        if info.ispkg:
            found[info.name] = ("plugins." + info.name, "bundled")
    for folder in plugin_dirs:
        if folder not in sys.path:
            sys.path.insert(0, folder)
        for info in pkgutil.iter_modules([folder]):
            if info.ispkg:
                found.setdefault(info.name, (info.name, folder))
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist else "?"
        found.setdefault(ep.name, (ep.value, dist))
    return found


def load_plugin(name, module_path, source):
    """Import a plugin package and its hooks; raise PluginError naming the plugin on failure."""
    try:
        package = importlib.import_module(module_path)
        hooks = importlib.import_module(module_path + ".hooks")
    except Exception as exc:  # a broken plugin must be named, not crash the site anonymously
        last = traceback.extract_tb(exc.__traceback__)[-1]
        raise PluginError([f"plugin {name!r} failed to import: {type(exc).__name__}: {exc} "
                           f"({os.path.basename(last.filename)}:{last.lineno})"])
    manifest = getattr(package, "manifest", None)
    if not isinstance(manifest, Manifest):
        raise PluginError([f"plugin {name!r} has no `manifest = Manifest(...)` in {module_path}/__init__.py"])
    if manifest.name != name:
        raise PluginError([f"plugin {name!r} declares manifest name {manifest.name!r}"])
    return Plugin(manifest, package, hooks, source)


def bridges(found):
    """name → Manifest of the available plugins marked ``auto_enable`` (their package is
    imported, not their hooks; one that fails to import is skipped: it was not asked for)."""
    out = {}
    for name, (module_path, _source) in found.items():
        try:
            manifest = getattr(importlib.import_module(module_path), "manifest", None)
        except Exception:
            continue
        if isinstance(manifest, Manifest) and manifest.auto_enable and manifest.name == name:
            out[name] = manifest
    return out


def resolve(requested, found):
    """Order the requested plugins and their dependencies, then the bridges they enable.

    Returns (ordered names, problems). A plugin comes after everything it
    depends on; among independent plugins, config order is kept. A bridge
    (``auto_enable``) is added, after its dependencies, when all of them are enabled.
    """
    problems, manifests = [], {}
    order, state = [], {}

    def manifest_of(name):
        if name not in manifests:
            try:
                manifests[name] = load_plugin(name, *found[name])
            except PluginError as exc:
                problems.extend(exc.problems)
                manifests[name] = None
        return manifests[name]

    def visit(name, chain):
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            problems.append("cyclic dependency: " + " → ".join(chain + [name]))
            return
        if name not in found:
            if chain:
                problems.append(f"plugin {chain[-1]!r} depends on {name!r}, which is not installed")
            else:
                problems.append(f"unknown plugin {name!r} in [balai] plugins "
                                f"(available: {', '.join(sorted(found)) or 'none'})")
            return
        plugin = manifest_of(name)
        if plugin is None:
            return
        state[name] = "visiting"
        for dep in plugin.manifest.depends:
            visit(dep, chain + [name])
        state[name] = "done"
        order.append(name)

    for name in requested:
        visit(name, [])
    candidates = bridges(found)
    while True:            # a bridge may complete the dependencies of another bridge
        enabled = {n for n in order if manifests.get(n)}
        due = [n for n, m in sorted(candidates.items())
               if n not in state and m.depends and set(m.depends) <= enabled]
        if not due:
            break
        for name in due:
            visit(name, [])
    return [manifests[n] for n in order if manifests.get(n)], problems


# ---------------------------------------------------------------- the manager

class PluginSet:
    """The enabled plugins in precedence order, registered with pluggy."""

    def __init__(self, plugins):
        self.plugins = list(plugins)          # core first, then dependency/config order
        self.pm = pluggy.PluginManager("balai")
        self.pm.add_hookspecs(hookspecs)
        for plugin in self.plugins:
            self.pm.register(plugin.hooks, name=plugin.name)
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError([f"plugin {self.pm.get_name(exc.plugin)!r}: {exc}"])
        self.by_name = {p.name: p for p in self.plugins}

    def __iter__(self):
        return iter(self.plugins)

    def __contains__(self, name):
        return name in self.by_name

    def names(self):
        return [p.name for p in self.plugins]

    def each(self, hook_name, per_plugin=None, **kwargs):
        """Call a hook plugin by plugin in precedence order; yield (plugin, result).

        Used for collecting hooks, so each result is known to come from its plugin.
        ``per_plugin(plugin)`` returns arguments that differ by plugin (a router bound to it).
        """
        hook = getattr(self.pm.hook, hook_name)
        impls = {impl.plugin_name: impl for impl in hook.get_hookimpls()}
        for plugin in self.plugins:
            impl = impls.get(plugin.name)
            if impl is not None:
                offered = {**kwargs, **(per_plugin(plugin) if per_plugin else {})}
                # As pluggy does: an implementation receives only the arguments it names.
                yield plugin, impl.function(**{arg: offered[arg] for arg in impl.argnames})

    def collect(self, hook_name, **kwargs):
        """Concatenate the lists a collecting hook returns, in precedence order."""
        out = []
        for _plugin, result in self.each(hook_name, **kwargs):
            out.extend(result or ())
        return out

    def first(self, hook_name, **kwargs):
        """The answer of the highest-precedence plugin (later wins) that answers."""
        return getattr(self.pm.hook, hook_name)(**kwargs)
