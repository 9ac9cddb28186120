"""SOP PTK-01 — Penempatan Tenaga Kerja, as data (the format: Balai's docs/step-tracker.md).

Copy the header and the step table of the paper SOP here: one dict per row of
the table, roles as codes (one per swimlane). The core stores it as a
published revision at startup and runs it.
"""
CODE = "PTK-01"
CLERK = "pengantar_kerja"
HEAD = "subkoor_pemberdayaan"
COMPANY = "perusahaan"

# English titles of the roles (the SOP itself is Indonesian).
ROLE_TITLES_EN = {CLERK: "Employment officer", HEAD: "Sub-coordinator for empowerment", COMPANY: "Company"}

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
        {"code": HEAD, "title": "Sub Koordinator Pemberdayaan"},
        {"code": COMPANY, "title": "Perusahaan", "external": True},
    ],
    "steps": [
        {"no": 1, "activity": "Mengumpulkan lowongan dari perusahaan mitra", "roles": [CLERK], "time": "2 hari"},
        {"no": 2, "activity": "Mencocokkan lulusan dengan lowongan", "roles": [CLERK], "time": "1 hari"},
        {"no": 3, "activity": "Mengirim kandidat ke perusahaan", "roles": [CLERK], "time": "1 hari",
         "output": "Surat pengantar kandidat"},
        {"no": 4, "activity": "Menjawab melalui tautan: undangan wawancara atau penolakan", "roles": [CLERK],
         "lanes": [COMPANY], "time": "1 minggu", "kind": "decision",
         "branches": [{"label": "Diundang wawancara", "to": 5}, {"label": "Ditolak", "to": 2}]},
        {"no": 5, "activity": "Mencatat hasil wawancara", "roles": [CLERK], "time": "1 hari"},
        {"no": 6, "activity": "Mencatat penempatan (tanggal mulai, gaji)", "roles": [CLERK], "time": "1 hari"},
        {"no": 7, "activity": "Melaporkan penempatan", "roles": [HEAD], "time": "1 jam"},
    ],
}
