"""Toy plugin that claims (promotes) a generic SOP: it declares the code BPV-KPG-04
that the import tests first ran on case files (tests/test_sop_authoring.py)."""
from core.toolkit import Manifest

manifest = Manifest(name="toy_claim", version="0.1.0", title="Cuti (plugin)", sop_codes=("BPV-KPG-04",))
