"""A toy plugin for the core's tests: one table, a screen, a menu, an option, an SOP with a branch."""
from core.toolkit import Manifest

manifest = Manifest(name="toy_base", version="1.0", title="Toy base", summary="for tests", sop_codes=("TOY-1",))
