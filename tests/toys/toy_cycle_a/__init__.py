from core.toolkit import Manifest

manifest = Manifest(name="toy_cycle_a", version="0", title="Cycle a", depends=("toy_cycle_b",))
