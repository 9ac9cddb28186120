"""Balai core: config, plugins, database, web shell, identity, audit, step tracker, CLI.

The core knows nothing about any SOP; every SOP is a plugin (see ``plugins/``).
"""
__version__ = "0.1.0"

from core.plugins import Manifest  # noqa: E402

# The core is loaded as the first plugin, through the same hooks as any other.
manifest = Manifest(
    name="core",
    version=__version__,
    title="Balai core",
    summary="Users, roles, permissions, audit log, step tracker",
)
