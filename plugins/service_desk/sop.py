"""SOP KDI-PM-06 — Prosedur Standar Pelayanan, as published by Balai Pelatihan Vokasi dan Produktivitas (BPVP) Kendari. Transcribed from the seed document.

Flow reading: step 1 routes the run by purpose (pendaftaran pelatihan → step 2,
kerja sama → step 4); the registration route continues from step 3 to step 6
(training) and the cooperation route from step 5 to step 6, both ending after
the competency test of step 7. The document states no revision date; the
revision is taken as dated on its effective date.

Where the paper's flow leaves a visitor without an ending, the run ends where
the office's work ends (issue 17): a visitor who only wants information or
who complains has a branch of step 1 that ends the run (the complaint goes on
in the complaints log, with its own time standard); an applicant not accepted
at selection ends at step 3; a cooperation on job placement ends after the
minutes of step 4 (placement files, not the RAB/PKS for certification).
Step 6 records the training of the batch the run was handed over to: it is
anchored to the batch's own last day (anchor ``akhir_pelatihan``) and due at
the end of that day (``due_at_anchor``): scheduled, not late, while the batch
runs; it completes when the batch is ended, and is late only after its last day.
"""

SOP = {
    "code": "KDI-PM-06",
    "number": "KDI-PM-06",
    "title": "Prosedur Standar Pelayanan",
    "unit": "BPVP Kendari",
    "created": "2018-11-29",
    "revision": "1",
    "revision_date": "2024-12-16",
    "effective": "2024-12-16",
    "approved_by": {
        "name": "AMRAN, ST.",
        "nip": "198303122009011014",
        "position": "Kepala Balai Pelatihan Vokasi dan Produktivitas Kendari",
        "rank": "",
    },
    "legal_basis": [
        "Undang-Undang Republik Indonesia Nomor 13 Tahun 2003 tentang Ketenagakerjaan",
        "Peraturan Pemerintah (PP) no 31 tahun 2006 tentang sistim pelatihan kerja nasional",
        "Peraturan Menteri Ketenagakerjaan Republik Indonesia Nomor 5 Tahun 2017 tentang Pedoman "
        "Penyusunan Standar Operasional Prosedur Administrasi Pemerintahan Kementerian Ketenagakerjaan",
        "ISO 9001:2015 Klausul 8.2 Persyaratan Produk dan Jasa",
        "Peraturan Menteri Ketenagakerjaan no 1 tahun 2022 tentang Organisasi dan Tata Kerja Unit "
        "Pelaksana Teknis di Kementerian Ketenagakerjaan",
    ],
    "qualifications": [
        "Memiliki kemampuan mengoperasikan komputer",
        "Memiliki kemampuan untuk pembuatan laporan",
        "Memiliki kemampuan komunikasi",
        "Memiliki pemahaman yang baik dengan aplikasi media sosial yang berkembang",
    ],
    "related": [
        "SOP Rekrutmen Calon Peserta Pelatihan",
        "SOP Pendaftaran Calon Peserta Pelatihan",
        "SOP Penyusunan Program Pelatihan",
        "SOP Penyelenggaraan Program Pelatihan",
        "SOP Pelaksanaan Uji Kompetensi",
    ],
    "equipment": [
        "Komputer dengan aplikasi office atau sejenis",
        "Fasilitas internet",
    ],
    "warning": (
        "Semua dokumen yang dipersyaratkan Sistem Manajemen Mutu dan berlaku di internal "
        "Balai Pelatihan Vokasi dan Produktivitas Kendari wajib dikendalikan."
    ),
    "records": [
        "Berkas rekrutmen",
        "Berkas pelatihan",
        "Berkas uji kompetensi",
        "Berkas On The Job Training",
        "Berkas Penempatan kerja",
    ],
    "roles": [
        {"code": "pihak_ketiga", "title": "Pihak Ketiga", "external": True},
        {"code": "petugas_kios", "title": "Petugas Kios SIAP Kerja", "external": False},
        {"code": "sub_koordinator_pemberdayaan", "title": "Sub Koordinator Pemberdayaan", "external": False},
        {"code": "sub_koordinator_penyelenggaraan", "title": "Sub Koordinator Penyelenggaraan", "external": False},
        {"code": "lsp", "title": "LSP", "external": True},
    ],
    "steps": [
        {
            "no": 1,
            "activity": (
                "Menerima tamu / pihak ketiga yang datang ke BPVP Kendari dan menanyakan keperluan "
                "kedatangannya : pendaftaran pelatihan atau kerja sama"
            ),
            "lanes": ["pihak_ketiga", "petugas_kios"],
            "roles": ["petugas_kios"],
            "requirements": "Buku Registrasi Tamu",
            "time": "5 menit",
            "output": "",
            "notes": (
                "Tamu yang datang ke BPVP bisa berasal dari masyarakat umum, instansi, dunia industri, "
                "dan mitra lainnya. Pastikan diterima dengan baik sesuai dengan maklumat dan janji layanan"
            ),
            "kind": "decision",
            "branches": [
                {"label": "Pendaftaran pelatihan", "to": 2},
                {"label": "Kerja sama", "to": 4},
                {"label": "Informasi saja", "to": None},
                {"label": "Pengaduan", "to": None},
            ],
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 2,
            "activity": (
                "Membantu pendaftaran pelatihan sesuai dengan Prosedur Pendaftaran Calon Peserta Pelatihan"
            ),
            "lanes": ["petugas_kios"],
            "roles": ["petugas_kios"],
            "requirements": "Kios SIAP Kerja yang dilengkapi dengan Internet",
            "time": "15 menit",
            "output": "Bukti pendaftaran di aplikasi SIAP Kerja",
            "notes": (
                "Pastikan pelatihan yang didaftarkan sudah dibuka sesuai dengan jadwal pendaftaran "
                "yang ditentukan"
            ),
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 3,
            "activity": (
                "Menyelenggarakan rekrutmen dan daftar ulang sesuai dengan Prosedur Rekrutmen Calon "
                "Peserta Pelatihan"
            ),
            "lanes": ["sub_koordinator_penyelenggaraan"],
            "roles": ["sub_koordinator_penyelenggaraan"],
            "requirements": "Media seleksi online (Cbt dan Zoom), data calon peserta, lembar wawancara",
            "time": "5 hari",
            "output": (
                "Rekap nilai hasil seleksi, form kelulusan, form daftar ulang, rekap data peserta pelatihan"
            ),
            "notes": "",
            "kind": "decision",
            "branches": [
                {"label": "Diterima dan daftar ulang", "to": 6},
                {"label": "Tidak diterima", "to": None},
            ],
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 4,
            "activity": (
                "Menindaklanjuti keperluan tamu yang datang : Kerja sama pelatihan dan sertifikasi atau "
                "Kerja sama Penempatan Kerja"
            ),
            "lanes": ["sub_koordinator_pemberdayaan"],
            "roles": ["sub_koordinator_pemberdayaan"],
            "requirements": "",
            "time": "5 menit",
            "output": "Notulen hasil pertemuan",
            "notes": "Pastikan tamu dilayani dengan baik dan keperlunya dapat diakomodir.",
            "kind": "decision",
            "branches": [
                {"label": "Kerja sama pelatihan dan sertifikasi", "to": 5},
                {"label": "Kerja sama penempatan kerja", "to": None},
            ],
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 5,
            "activity": (
                "Membuat Rencana Anggaran Biaya (RAB) dan Perjanjian Kerja Sama (PKS) untuk proses "
                "pengajuan sertifikasi, berkoordinasi dengan Seksi Penyelenggara terkait ketersediaan "
                "paket pelatihan, instruktur, tempat, dan bahan pelatihan"
            ),
            "lanes": ["sub_koordinator_pemberdayaan", "sub_koordinator_penyelenggaraan"],
            "roles": ["sub_koordinator_pemberdayaan"],
            "requirements": (
                "Notulen Hasil Pertemuan, Data Biaya UJK, Jadwal Pelatihan, Data Instruktur, draft PKS"
            ),
            "time": "1 hari",
            "output": (
                "Data Peserta, Rencana Anggaran Biaya (RAB) yang telah disetujui, Perjanjian Kerja Sama "
                "yang telah disetujui"
            ),
            "notes": (
                "Pastikan RAB dan PKS sudah dikordinasikan dan mendapat persetujuan dari Kepala BPVP "
                "Kendari; Pastikan biaya sertifikasi disetujui oleh Pihak Ketiga dan telah dilakukan "
                "pembayaran sesuai dengan ID Billing dari Keuangan BPVP Kendari"
            ),
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 6,
            "activity": "Menyelenggarakan pelatihan sesuai Prosedur Penyelenggaraan Program Pelatihan BPVP",
            "lanes": ["sub_koordinator_penyelenggaraan"],
            "roles": ["sub_koordinator_penyelenggaraan"],
            "requirements": (
                "Data Peserta, SK Penyelenggaraan Pelatihan, data instruktur, data bahan pelatihan"
            ),
            "time": "JP",
            "anchor": "akhir_pelatihan",   # the batch's own end date (balai_step_anchor)
            "due_at_anchor": True,         # the training (its JP) happens before: due on that last day
            "not_before": False,          # a batch ended early has ended: the guard asks for its end instead
            "output": "Sertifikat Pelatihan",
            "notes": (
                "Pastikan data peserta lengkap dan sudah lulus rapid test sesuai ketentuan; Pastikan "
                "instruktur, tempat, modul, jadwal dan bahan pelatihan tersedia"
            ),
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 7,
            "activity": "Melaksanakan uji kompetensi sesuai dengan Prosedur Pelaksanaan Uji Kompetensi",
            "lanes": ["lsp"],
            "roles": ["sub_koordinator_penyelenggaraan"],
            "requirements": "Daftar Calon Peserta, Surat Permintaan Uji Kompetensi",
            "time": "4 hari",
            "output": "Berita acara, Daftar kelulusan uji kompetensi, sertifikat kompetensi",
            "notes": "Pastikan skema sertifikasi, asesor, MUK, dan TUK tersedia dengan baik.",
            "kind": "process",
            "next": None,
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
    ],
}

ROLE_TITLES_EN = {
    "pihak_ketiga": "Third party (visitor)",
    "petugas_kios": "SIAPkerja kiosk officer",
    "sub_koordinator_pemberdayaan": "Empowerment sub-coordinator",
    "sub_koordinator_penyelenggaraan": "Training delivery sub-coordinator",
    "lsp": "Professional certification body (LSP)",
}
