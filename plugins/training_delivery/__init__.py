"""Plugin ``training_delivery``: training delivery at BLK Kota Pagar Alam
(SOP 503/47/SOP.BLK/2024) — work plan and its approval, letters from templates
with paraf and signature, distribution and replies with nominated candidates,
internal meeting, the training itself (through ``training``) and the report."""
from core.toolkit import Manifest

manifest = Manifest(
    name="training_delivery",
    version="0.1.0",
    title="Penyelenggaraan Pelatihan (BLK Pagar Alam)",
    summary="Work plan, letters (invitation, cover letter, SK Panitia), distribution, replies, report",
    depends=("training",),
    sop_codes=("BLK-PA-503-47",),
)
