"""Exceptions shared by the core's modules, kept apart so no module imports the CLI for them.

``Fail`` is raised by work the ``balai`` command runs (backup, restore, demo,
new-plugin, …) when it cannot go on for a reason the user can read; the CLI
prints it on one line and exits non-zero. (Config problems are
``core.config.ConfigError``, listing every problem at once.)
"""


class Fail(Exception):
    """A command failed for a reason the user can read."""
