"""A toy plugin for tracker v2 tests: an SOP that ends on a decision, forks and joins, has an anchored
step with a guard, and a joint sign-off by two roles."""
from core.toolkit import Manifest

manifest = Manifest(name="toy_flow", version="1.0", title="Toy flow", summary="for tests", sop_codes=("TOY-2",))
