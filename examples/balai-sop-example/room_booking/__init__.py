"""Plugin ``room_booking``: SOP EX-PRP-01 Peminjaman Ruang Pelatihan — an example of a
third-party plugin that lives outside Balai's repository and is installed with pip."""
from core.toolkit import Manifest

manifest = Manifest(
    name="room_booking",
    version="0.1.0",
    title="Peminjaman Ruang Pelatihan",
    summary="SOP EX-PRP-01: training rooms and workshops lent to other units and partners",
    depends=(),
    sop_codes=("EX-PRP-01",),
)
