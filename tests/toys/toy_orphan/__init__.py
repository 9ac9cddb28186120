from core.toolkit import Manifest

manifest = Manifest(name="toy_orphan", version="0", title="Depends on a missing plugin", depends=("not_installed",))
