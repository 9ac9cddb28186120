"""Plugin ``service_desk``: the front door of BPVP Kendari (SOP KDI-PM-06 Prosedur
Standar Pelayanan) — guest book, training registration with the SIAPkerja
proof, selection and re-registration, partnerships (minutes, RAB, PKS, ID
Billing), and the hand-over to training delivery and competency testing."""
from core.toolkit import Manifest

manifest = Manifest(
    name="service_desk",
    version="0.1.0",
    title="Layanan Tamu & Kerja Sama",
    summary="Guest book, registration, selection, partnerships (RAB, PKS, ID Billing) per KDI-PM-06",
    depends=("training",),
    sop_codes=("KDI-PM-06",),
)
