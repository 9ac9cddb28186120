"""Plugin ``certification``: facilitation of competency certification of
trainees (SOP PSM/DISNAKER-10, Disnaker Kota Tangerang) — schemes, TUK,
assessors, test events, confirmations, readiness, results, berita acara,
recommendation to the LSP, certificates and the archived file."""
from core.toolkit import Manifest

manifest = Manifest(
    name="certification",
    version="0.1.0",
    title="Fasilitasi Sertifikasi Kompetensi",
    summary="Competency test events (uji kompetensi) from schedule to archive, certificates and their expiry",
    depends=("training",),
    sop_codes=("PSM-DISNAKER-10",),
)
