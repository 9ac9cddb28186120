"""Plugin ``service_desk_certification``: the bridge between the service desk and
certification (Odoo's ``auto_install``). Enabled by itself whenever both are.

Step 7 of KDI-PM-06 (competency test by the LSP) then follows the
certification plugin's test events instead of a berita acara typed in by hand:
staff link the batch's test event on the visit page, and archiving that event
in the certification plugin completes step 7 of every linked run. Neither
plugin knows the other; this one depends on both."""
from core.toolkit import Manifest

manifest = Manifest(
    name="service_desk_certification",
    version="0.1.0",
    title="Layanan Tamu × Sertifikasi",
    summary="Step 7 of the service desk follows the certification plugin's test events",
    depends=("service_desk", "certification"),
    auto_enable=True,
)
