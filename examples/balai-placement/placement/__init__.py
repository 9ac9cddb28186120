"""Plugin ``placement``: Penempatan Tenaga Kerja (SOP PTK-01)."""
from core.toolkit import Manifest

manifest = Manifest(
    name="placement",
    version="0.1.0",
    title="Penempatan Tenaga Kerja",
    summary="SOP PTK-01",
    depends=("training",),
    sop_codes=("PTK-01",),
)
