from core.toolkit import Manifest

manifest = Manifest(name="toy_typo", version="0", title="Misspelled hook")
