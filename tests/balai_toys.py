"""Where the toy plugins of the core's tests live (enable them with ``plugin_dirs=TOYS``)."""
import os

TOYS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "toys")
