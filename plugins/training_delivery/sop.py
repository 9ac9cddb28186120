"""SOP 503/47/SOP.BLK/DISPMPTSPTK/2024 — Penyelenggaraan Pelatihan, as published by Bidang Balai Latihan Kerja, Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja Kota Pagar Alam. Transcribed from the seed document.

Flow reading: the seed is an OCR scan whose column marks are garbled, so the
actor of each step follows the specification's reading (Kabupaten/Kota, whose
column header is not legible, is placed last and marked on step 7, where the
regencies/cities send their replies); the approver's name is not legible and
is left empty; step 2 may return the work plan to step 1, step 5 may return
the drafts to step 4, and the run ends after step 11.
"""

SOP = {
    "code": "BLK-PA-503-47",
    "number": "503/47/SOP.BLK/DISPMPTSPTK/2024",
    "title": "Penyelenggaraan Pelatihan",
    "unit": (
        "Bidang Balai Latihan Kerja, Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu "
        "dan Tenaga Kerja Kota Pagar Alam"
    ),
    "created": "2024-01-23",
    "revision": "0",
    "revision_date": None,
    "effective": "2024-01-23",
    "approved_by": {
        "name": "",
        "nip": "196910161995031001",
        "position": (
            "Kepala Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja "
            "Kota Pagar Alam"
        ),
        "rank": "Pembina Utama Muda / IV.c",
    },
    "legal_basis": [
        "Undang-Undang Nomor 13 Tahun 2003 tentang Ketenagakerjaan",
        "Permenaker Nomor 17/MEN/VII/2007 tentang Ijin Pendirian Pelatihan Kerja",
        "Kepmenakertrans Nomor 229/MEN/2003 tentang Tata Cara Perizinan dan Pendaftaran "
        "Lembaga Pelatihan Kerja",
    ],
    "qualifications": [
        "Memahami konsep dasar pelayanan",
        "Memahami konsep SOP pelayanan",
        "Memahami dengan baik ketentuan yang berlaku dalam pelaksanaan kegiatan",
    ],
    "related": [
        "Penyelenggaraan Pelatihan",
    ],
    "equipment": [
        "Alat Tulis Kantor",
        "Komputer dan kelengkapannya",
        "Kendaraan Dinas",
    ],
    "warning": (
        "Jika prosedur dan persyaratan tidak dipenuhi maka permohonan tidak dapat dikabulkan "
        "dan berkas dikembalikan. Bagi Lembaga Pelatihan Kerja yang tidak memperoleh ijin dari "
        "Dinas terkait, maka pelatihannya tidak diakui."
    ),
    # As printed on the document (apparently carried over from another SOP of the office).
    "records": [
        "Buku Register Klaim BPJS Ketenagakerjaan program JHT",
        "Arsip Pekerja yang Klaim BPJS Ketenagakerjaan",
    ],
    "roles": [
        {"code": "kepala_dinas", "title": "Kepala Dinas", "external": False},
        {"code": "staf_blk", "title": "Staf JFU", "external": False},
        {"code": "kepala_bidang", "title": "Kepala Bidang", "external": False},
        {"code": "panitia", "title": "Panitia", "external": False},
        {"code": "kabupaten_kota", "title": "Kabupaten/Kota", "external": True},
    ],
    "steps": [
        {
            "no": 1,
            "activity": "Membuat rencana kerja.",
            "lanes": ["staf_blk"],
            "roles": ["staf_blk"],
            "requirements": "Jadwal kegiatan, DPA",
            "time": "1 hari",
            "output": "Rencana kerja kegiatan",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 2,
            "activity": "Memeriksa dan menyetujui rencana kerja kegiatan.",
            "lanes": ["kepala_dinas"],
            "roles": ["kepala_dinas"],
            "requirements": "Rencana kerja kegiatan",
            "time": "30 menit",
            "output": "Rencana kerja kegiatan disetujui",
            "notes": "",
            "kind": "process",
            "approval": True,
            "return_to": 1,
            "skippable": False,
        },
        {
            "no": 3,
            "activity": (
                "Menginstruksikan untuk membuat surat undangan kegiatan, surat pengantar dan "
                "Keputusan Panitia"
            ),
            "lanes": ["kepala_bidang"],
            "roles": ["kepala_bidang"],
            "requirements": "Rencana kerja kegiatan",
            "time": "5 menit",
            "output": "Instruksi Kepala BKOM",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 4,
            "activity": "Membuat konsep undangan, konsep surat pengantar dan konsep Panitia.",
            "lanes": ["staf_blk"],
            "roles": ["staf_blk"],
            "requirements": "Rencana kerja kegiatan, Instruksi Kepala BKOM",
            "time": "2 jam",
            "output": "Konsep undangan, konsep surat pengantar dan konsep Keputusan Panitia",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 5,
            "activity": (
                "Memeriksa, memaraf konsep undangan dan Keputusan Panitia dan menandatangani "
                "konsep surat pengantar undangan."
            ),
            "lanes": ["kepala_bidang"],
            "roles": ["kepala_bidang"],
            "requirements": "Konsep undangan, konsep surat pengantar dan konsep Keputusan Panitia",
            "time": "5 menit",
            "output": (
                "Konsep undangan dan Keputusan panitia diparaf dan surat pengantar ditandatangani"
            ),
            "notes": "",
            "kind": "process",
            "approval": True,
            "return_to": 4,
            "skippable": False,
        },
        {
            "no": 6,
            "activity": "Mendistribusikan surat undangan sesuai tujuan Kabupaten/Kota.",
            "lanes": ["staf_blk"],
            "roles": ["staf_blk"],
            "requirements": "Surat undangan",
            "time": "1 hari",
            "output": "Tanda terima, bukti kirim surat",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 7,
            "activity": (
                "Menerima surat jawaban dari Kabupaten/Kota berisi nama-nama calon peserta "
                "kegiatan pelatihan."
            ),
            "lanes": ["staf_blk", "kabupaten_kota"],
            "roles": ["staf_blk"],
            "requirements": (
                "Surat pengantar, konsep surat undangan kegiatan dan konsep Keputusan Panitia"
            ),
            "time": "1 minggu",
            "output": "Nama calon peserta kegiatan pelatihan",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 8,
            "activity": "Melaksanakan Rapat internal persiapan kegiatan pelatihan.",
            "lanes": ["panitia"],
            "roles": ["panitia"],
            "requirements": (
                "Surat pengantar, konsep surat undangan kegiatan dan konsep Keputusan Panitia"
            ),
            "time": "2 jam",
            "output": "Hasil rapat internal persiapan kegiatan pelatihan",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 9,
            "activity": "Melaksanakan kegiatan pelatihan.",
            "lanes": ["panitia"],
            "roles": ["panitia"],
            "requirements": "Surat pengantar undangan dan Keputusan Panitia.",
            "time": "3 hari",
            "output": "Hasil kegiatan pelatihan",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 10,
            "activity": "Membuat laporan pelaksanaan pelatihan.",
            "lanes": ["staf_blk", "panitia"],
            "roles": ["staf_blk", "panitia"],
            "requirements": "Hasil kegiatan pelatihan",
            "time": "1 hari",
            "output": "Laporan pelaksanaan pelatihan",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 11,
            "activity": "Menerima laporan pelaksanaan pelatihan.",
            "lanes": ["kepala_dinas"],
            "roles": ["kepala_dinas"],
            "requirements": "Laporan pelaksanaan pelatihan",
            "time": "5 menit",
            "output": "Laporan pelaksanaan pelatihan diterima",
            "notes": "",
            "kind": "process",
            "next": None,
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
    ],
}

ROLE_TITLES_EN = {
    "kepala_dinas": "Head of office",
    "staf_blk": "BLK staff (JFU)",
    "kepala_bidang": "Head of division",
    "panitia": "Training committee",
    "kabupaten_kota": "Regency/city",
}


# ---------------------------------------------------------------- revision 1 (the office's, on tracker v2)

ANCHOR_LAST_DAY = "hari_terakhir_pelatihan"


def _revised():
    """Revision 1: what the paper SOP lacks, the original (revision 0) kept readable beside it.

    - Step 5 is joint (``sign_off: all``): the Kepala Bidang initials the drafts and signs the
      cover letter, and the Kepala Dinas (or a Plt./Plh. recorded in the tracker) signs the SK
      Panitia — a decree of the Kepala Dinas, not signed "a.n." by the Kepala Bidang.
    - Step 9 records the training: anchored to its last day (not completed before it) and
      guarded by the daily attendance of every training day (``balai_step_guards``).
    - Step 10 is joint: the staff and the committee both sign the implementation report.
    The step numbers are those of revision 0, so runs of either revision read alike."""
    import copy
    sop = copy.deepcopy(SOP)
    sop.update(revision="1", revision_date="2026-12-01", effective="2026-12-01")
    steps = {s["no"]: s for s in sop["steps"]}
    steps[5].update(
        activity=("Memeriksa, memaraf konsep undangan dan Keputusan Panitia dan menandatangani konsep surat "
                  "pengantar undangan (Kepala Bidang); menandatangani Keputusan Panitia (Kepala Dinas)."),
        lanes=["kepala_bidang", "kepala_dinas"], roles=["kepala_bidang", "kepala_dinas"], sign_off="all",
        output=("Konsep undangan diparaf, surat pengantar ditandatangani Kepala Bidang, Keputusan Panitia "
                "ditandatangani Kepala Dinas"))
    steps[9].update(anchor=ANCHOR_LAST_DAY, not_before=True,
                    notes="Tidak dapat diselesaikan sebelum hari terakhir pelatihan, dan tidak tanpa daftar hadir "
                          "setiap hari pelatihan.")
    steps[10].update(sign_off="all", notes="Ditandatangani staf dan panitia.")
    return sop


SOP_REVISED = _revised()
