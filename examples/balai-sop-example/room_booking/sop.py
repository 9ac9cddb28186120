"""SOP EX-PRP-01 — Peminjaman Ruang Pelatihan, as data (format: Balai's docs/step-tracker.md).

The paper table:

| no | kegiatan                                              | pelaksana          | waktu    | output                      |
|----|-------------------------------------------------------|--------------------|----------|-----------------------------|
| 1  | Menerima permohonan dan memeriksa jadwal ruang        | Petugas Sarpras    | 1 hari   | jadwal tersedia / tidak     |
| 2  | Menyetujui peminjaman                                 | Kepala Subbag Umum | 1 hari   | surat izin peminjaman       |
| 3  | Serah terima ruang dengan berita acara                | Petugas Sarpras    | 30 menit | berita acara serah terima   |
| 4  | Memberitahukan penolakan kepada pemohon               | Petugas Sarpras    | 1 jam    | surat pemberitahuan         |

Step 1 is a decision: a free room goes on to step 2, a booked one to step 4.
Step 2 may send the request back to step 1. Steps 3 and 4 end the run.
"""
CODE = "EX-PRP-01"
CLERK = "petugas_sarpras"
HEAD = "kepala_subbag_umum"
APPLICANT = "pemohon_ruang"

ROLE_TITLES_EN = {CLERK: "Facilities officer", HEAD: "Head of general affairs", APPLICANT: "Applicant"}

SOP = {
    "code": CODE,
    "number": "EX/PRP/01",
    "title": "Peminjaman Ruang Pelatihan",
    "unit": "Subbagian Umum",
    "created": "2026-01-05",
    "revision": "1",
    "effective": "2026-01-05",
    "approved_by": {"name": "Dra. Wahyuni Rahayu", "nip": "197105121998032004",
                    "position": "Kepala Balai Pelatihan"},
    "legal_basis": ["Peraturan Menteri Keuangan tentang Pengelolaan Barang Milik Negara"],
    "equipment": ["Buku jadwal ruang", "Formulir berita acara serah terima"],
    "records": ["Surat permohonan", "Surat izin peminjaman", "Berita acara serah terima"],
    "roles": [
        {"code": APPLICANT, "title": "Pemohon", "external": True},
        {"code": CLERK, "title": "Petugas Sarana dan Prasarana"},
        {"code": HEAD, "title": "Kepala Subbagian Umum"},
    ],
    "steps": [
        {"no": 1, "activity": "Menerima permohonan dan memeriksa jadwal ruang", "lanes": [APPLICANT, CLERK],
         "roles": [CLERK], "requirements": "Surat permohonan", "time": "1 hari",
         "output": "Jadwal tersedia / tidak", "kind": "decision",
         "branches": [{"label": "Tersedia", "to": 2}, {"label": "Tidak tersedia", "to": 4}]},
        {"no": 2, "activity": "Menyetujui peminjaman", "roles": [HEAD], "requirements": "Jadwal tersedia",
         "time": "1 hari", "output": "Surat izin peminjaman", "approval": True, "return_to": 1},
        {"no": 3, "activity": "Serah terima ruang dengan berita acara", "lanes": [APPLICANT, CLERK],
         "roles": [CLERK], "requirements": "Surat izin peminjaman", "time": "30 menit",
         "output": "Berita acara serah terima", "next": None},
        {"no": 4, "activity": "Memberitahukan penolakan kepada pemohon", "lanes": [CLERK, APPLICANT],
         "roles": [CLERK], "time": "1 jam", "output": "Surat pemberitahuan", "next": None},
    ],
}
