"""Every hook a Balai plugin can implement, in one place.

Each spec has a one-line docstring; ``docs/plugin-hooks.md`` gives the full
reference (signature, arguments, return value, example) and
``tests/test_hook_docs.py`` fails when a hook here is missing there.

Collecting hooks ("return a list") are called plugin by plugin in the one
precedence order (dependency order, then config order; later wins).

A hook that needs the app takes an ``app`` argument; as pluggy allows, an
implementation names only the arguments it uses, so adding one to a spec
never breaks existing plugins. Plugins import ``hookimpl`` from
``core.toolkit``.
"""
import pluggy

hookspec = pluggy.HookspecMarker("balai")
hookimpl = pluggy.HookimplMarker("balai")


@hookspec
def balai_config_options():
    """Return the list of ``Option`` this plugin reads from its ``[plugin:NAME]`` section."""


@hookspec
def balai_models():
    """Return the peewee model classes (tables) this plugin owns."""


@hookspec
def balai_migrations_dir():
    """Return the folder of this plugin's numbered migration scripts."""


@hookspec
def balai_roles():
    """Return the list of ``Role`` (SOP actor roles) this plugin declares."""


@hookspec
def balai_permissions():
    """Return the list of ``Permission`` this plugin declares, with default roles."""


@hookspec
def balai_permission_grants():
    """Return ``{permission: roles}``: grant this plugin's roles permissions another plugin declares."""


@hookspec
def balai_routes(router, app):
    """Register this plugin's web routes on ``router`` (each with a permission); ``app`` is being assembled."""


@hookspec
def balai_api_routes(router, app):
    """Register this plugin's JSON API endpoints on ``router`` (an ``ApiRouter``; each with a permission and scope)."""


@hookspec
def balai_menu():
    """Return the list of ``MenuItem`` this plugin adds to the navigation."""


@hookspec
def balai_sops():
    """Return the SOP definitions (dicts) this plugin implements."""


@hookspec
def balai_template_globals():
    """Return a dict of names made available to every template."""


@hookspec
def balai_template_filters():
    """Return a dict of Jinja filters made available to every template."""


@hookspec
def balai_cli_commands():
    """Return the list of ``Command`` this plugin adds to the ``balai`` CLI."""


@hookspec
def balai_startup(app):
    """Do startup work once the app is assembled and the database is open."""


@hookspec
def balai_event(name, data, app):
    """React to an event another plugin emitted in ``app``; called after its transaction commits."""


@hookspec
def balai_jobs():
    """Return the list of ``Job`` (scheduled work) run by ``balai jobs run`` and ``balai serve``."""


@hookspec
def balai_demo_data(app):
    """Load this plugin's demo data for ``balai demo``; return a list of lines to print."""


@hookspec(firstresult=True)
def balai_step_action(run, no):
    """Return ``(label, url)`` of the plugin screen where step ``no`` of ``run`` is done, or None."""


@hookspec(firstresult=True)
def balai_step_anchor(app, run, step):
    """Return the real-world moment (date or aware datetime) that a step with an ``anchor`` records, or None."""


@hookspec
def balai_step_guards(app, run, step):
    """Return what keeps ``step`` of ``run`` from completion: reasons (text) or ``(ok, reason)`` pairs."""


@hookspec(firstresult=True)
def balai_record_link(object_type, object_id):
    """Return ``(label, url)`` for a record of this plugin, or None if it is not ours."""


@hookspec
def balai_document_types(app):
    """Return the list of ``DocumentType`` (papers the office signs) this plugin issues."""
