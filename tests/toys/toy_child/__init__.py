"""A toy plugin depending on toy_base: overrides one block of its template, adds a menu and a subscriber."""
from core.toolkit import Manifest

manifest = Manifest(name="toy_child", version="0.5", title="Toy child", depends=("toy_base",))
