"""A toy plugin for the core's tests: a parent screen listing its children (generic screens' ``children``)."""
from core.toolkit import Manifest

manifest = Manifest(name="toy_family", version="1.0", title="Toy family", summary="for tests")
