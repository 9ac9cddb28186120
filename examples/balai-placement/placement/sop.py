"""SOP PTK-01 — Penempatan Tenaga Kerja, as data (the format: Balai's docs/step-tracker.md).

Copy the header and the step table of the paper SOP here: one dict per row of
the table, roles as codes (one per swimlane). The core stores it as a
published revision at startup and runs it.
"""
CODE = "PTK-01"
CLERK = "pengantar_kerja"
HEAD = "subkoor_pemberdayaan"

# English titles of the roles (the SOP itself is Indonesian).
ROLE_TITLES_EN = {CLERK: "Officer", HEAD: "Head of unit"}

SOP = {
    "code": CODE,
    "number": CODE,
    "title": "Penempatan Tenaga Kerja",
    "unit": "Balai Pelatihan",
    "created": "2026-12-03",
    "revision": "1",
    "effective": "2026-12-03",
    "approved_by": {"name": "", "nip": ""},
    "roles": [
        {"code": CLERK, "title": "Pengantar Kerja"},
        {"code": HEAD, "title": "Subkoor Pemberdayaan"},
    ],
    "steps": [
        {
            "no": 1,
            "activity": "Menerima dan memeriksa kelengkapan permohonan",
            "roles": [CLERK],
            "requirements": "Formulir permohonan",
            "time": "1 hari",
            "output": "Permohonan lengkap",
        },
        {
            "no": 2,
            "activity": "Menyetujui permohonan",
            "roles": [HEAD],
            "requirements": "Permohonan lengkap",
            "time": "2 hari",
            "output": "Permohonan disetujui",
            "approval": True,
            "return_to": 1,
            "next": None,
        },
    ],
}
