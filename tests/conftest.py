"""Shared fixtures come from the ``balai.testing`` pytest plugin (core/testing.py),
registered through setup.py's ``pytest11`` entry point. The toy plugins of the
core's tests live in tests/toys and are enabled with ``plugin_dirs=TOYS``."""
import os

TOYS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "toys")
