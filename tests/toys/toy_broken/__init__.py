from core.toolkit import Manifest

manifest = Manifest(name="toy_broken", version="0", title="Broken on import")
