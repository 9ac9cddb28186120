"""Plugin ``tracer_survey``: the alumni employment (tracer) survey of BPVP Kendari,
SOP KDI/PM/09 — survey waves after a batch ends, vacancies shared with alumni,
WhatsApp click-to-chat links, a token survey form, recap and SMILe export."""
from core.toolkit import Manifest

manifest = Manifest(
    name="tracer_survey",
    version="0.1.0",
    title="Survei kebekerjaan alumni",
    summary="Tracer survey waves at +1/+3/+6 months, vacancy board, WA links, recap, SMILe export (KDI/PM/09)",
    depends=("training",),
    sop_codes=("KDI-PM-09",),
)
