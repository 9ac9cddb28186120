from core.toolkit import Manifest

manifest = Manifest(name="toy_cycle_b", version="0", title="Cycle b", depends=("toy_cycle_a",))
