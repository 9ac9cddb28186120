"""Plugin ``training``: programmes, batches, people, enrolments, attendance and
training certificates — the shared base every SOP plugin depends on."""
from core.toolkit import Manifest

manifest = Manifest(
    name="training",
    version="0.1.0",
    title="Pelatihan (dasar bersama)",
    summary="Programmes, batches, trainees, enrolment lifecycle, attendance, certificates",
    depends=(),
)
