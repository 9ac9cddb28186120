"""Shared fixtures come from the pytest plugin ``balai`` (module core/testing.py),
registered through setup.py's ``pytest11`` entry point. The toy plugins of the
core's tests live in tests/toys (``from balai_toys import TOYS``)."""
