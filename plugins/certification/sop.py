"""SOP PSM/DISNAKER-10 — Pelaksanaan Fasilitasi Sertifikasi untuk Peserta Pelatihan, as published by Dinas Ketenagakerjaan Kota Tangerang. Transcribed from the seed document.

Flow reading: the eight steps run in order; steps 2, 5, 6 and 7 are joint
(each of their roles signs off); step 5 records the test day (anchor
``hari_uji``) and cannot be completed before it; step 4 (the candidates' own
confirmation) is recorded by Bagian Administrasi; the review of step 7
(including the quality review) may return the test files to step 6; the run
ends after the archiving of step 8. The LSP, which receives the
recommendation, has no column in the document and is therefore not a role here.
"""

SOP = {
    "code": "PSM-DISNAKER-10",
    "number": "PSM/DISNAKER-10",
    "title": "Pelaksanaan Fasilitasi Sertifikasi untuk Peserta Pelatihan",
    "unit": "Dinas Ketenagakerjaan Kota Tangerang",
    "created": "2017-02-14",
    "revision": "0",
    "revision_date": None,
    "effective": "2017-03-20",
    "approved_by": {
        "name": "DR. Ir. H. M. Rakhmansyah, M.Si",
        "nip": "196209101986031013",
        "position": "Kepala Dinas Ketenagakerjaan",
        "rank": "",
    },
    "legal_basis": [
        "Undang-Undang Nomor 13 Tahun 2003 tentang Ketenagakerjaan",
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
        "Peraturan Pemerintah RI Nomor 31 Tahun 2006 tentang Sistem Pelatihan Kerja Nasional",
        "Peraturan Menteri Ketenagakerjaan RI Nomor 21 Tahun 2009 tentang Pedoman Pelayanan "
        "Produktivitas",
        "Peraturan Daerah Nomor 8 Tahun 2016 tentang Organisasi Perangkat Daerah",
        "Peraturan Walikota Nomor 64 Tahun 2016 tentang Kedudukan, Susunan Organisasi Tugas, "
        "Fungsi serta Tata Kerja Dinas Ketenagakerjaan",
    ],
    "qualifications": [
        "Memahami peraturan perundang-undangan bidang Pelatihan Kerjasama Peningkatan Produktivitas",
        "Memahami peraturan perundang-undangan tentang tata naskah Dinas",
        "Memahami Peraturan Walikota Tangerang Nomor 64 Tahun 2016 tentang Kedudukan, Susunan "
        "Organisasi, Tugas dan Fungsi serta Tata Kerja Dinas Ketenagakerjaan",
    ],
    "related": [],
    "equipment": [
        "Peraturan perundang-undangan bidang Norma Kerja",
        "Komputer",
        "Printer",
        "ATK",
        "Stempel Dinas",
    ],
    "warning": "Dijadikan sebagai Pedoman",
    "records": [],
    "roles": [
        {"code": "bagian_administrasi", "title": "Bagian Administrasi", "external": False},
        {"code": "teknis_operasional", "title": "Bidang Teknis Operasional", "external": False},
        {"code": "asesor", "title": "Asesor Kompetensi", "external": False},
        {"code": "calon_peserta", "title": "Calon Peserta Uji Kompetensi", "external": True},
        {"code": "manajemen_mutu", "title": "Bidang Manajemen Mutu", "external": False},
        {"code": "kepala_tuk", "title": "Kepala TUK", "external": False},
    ],
    "steps": [
        {
            "no": 1,
            "activity": (
                "Mendistribusikan jadwal uji kompetensi ke tenaga kerja kemudian "
                "memastikan/mengkonfirmasi Asesor Kompetensi perihal rencana uji kompetensi"
            ),
            "lanes": ["bagian_administrasi"],
            "roles": ["bagian_administrasi"],
            "requirements": "Daftar calon peserta uji kompetensi",
            "time": "15 menit",
            "output": (
                "Rekap daftar calon peserta dan jadwal uji kompetensi dan konfirmasi dari "
                "Asesor Kompetensi"
            ),
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 2,
            "activity": (
                "1. Menerima jadwal uji kompetensi ke tenaga kerja, mempersiapkan sarana/prasarana "
                "penyelenggaraan uji kompetensi termasuk menyiapkan tempat penyelenggaraan sesuai "
                "dengan persyaratan, berkoordinasi dengan Asesor Kompetensi ke tenaga kerja dan "
                "informasinya ke Bagian Administrasi. 2. Merencanakan pelaksanaan uji kompetensi, "
                "berkoordinasi dengan Bidang Teknis Operasional dan informasinya ke Bagian Administrasi"
            ),
            "lanes": ["teknis_operasional", "kepala_tuk"],
            "roles": ["teknis_operasional", "kepala_tuk"],
            "requirements": (
                "Daftar calon peserta uji kompetensi, jadwal uji kompetensi dan form kesiapan "
                "sarana prasarana kerja"
            ),
            "time": "1 hari",
            "output": "Sarana dan prasarana serta tempat uji kompetensi disiapkan",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "sign_off": "all",
            "skippable": False,
        },
        {
            "no": 3,
            "activity": (
                "Mendapatkan informasi kesiapan pelaksanaan uji kompetensi, menghubungi dan "
                "mengingatkan para calon Peserta Ujian perihal pelaksanaan uji kompetensi yang "
                "akan diselenggarakan."
            ),
            "lanes": ["bagian_administrasi"],
            "roles": ["bagian_administrasi"],
            "requirements": (
                "Daftar calon peserta uji kompetensi, jadwal uji kompetensi dan form kesiapan "
                "sarana prasarana kerja"
            ),
            "time": "1 hari",
            "output": "Informasi kesiapan sarana dan prasarana serta tempat uji kompetensi",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 4,
            "activity": "Mendapat kepastian perihal pelaksanaan uji kompetensi yang akan diselenggarakan.",
            "lanes": ["calon_peserta"],
            "roles": ["bagian_administrasi"],
            "requirements": "Daftar calon peserta uji kompetensi",
            "time": "15 menit",
            "output": "Mendapat konfirmasi",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "skippable": False,
        },
        {
            "no": 5,
            "activity": (
                "Melaksanakan uji kompetensi: 1. Memastikan terlaksananya uji kompetensi dan "
                "mendokumentasikan pelaksanaan uji kompetensi. 2. Melaksanakan tugas asesmen. "
                "3. Mengikuti uji kompetensi dan menyerahkan berkas hasil uji kompetensi ke petugas."
            ),
            "lanes": ["teknis_operasional", "asesor", "calon_peserta"],
            "roles": ["teknis_operasional", "asesor"],
            "requirements": (
                "Daftar calon peserta uji kompetensi, absensi peserta dan absensi asesor"
            ),
            "time": "1 hari",
            "output": "Uji kompetensi dilaksanakan",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "sign_off": "all",
            "anchor": "hari_uji",
            "skippable": False,
        },
        {
            "no": 6,
            "activity": (
                "1. Mengumpulkan isian uji kompetensi, menandatangani berita acara uji kompetensi. "
                "2. Memastikan semua terlaksana sesuai ketentuan dan menandatangani berita acara "
                "uji kompetensi."
            ),
            "lanes": ["asesor", "kepala_tuk"],
            "roles": ["asesor", "kepala_tuk"],
            "requirements": "Berkas hasil uji kompetensi dan form berita acara",
            "time": "",
            "output": "Berkas hasil uji kompetensi, dokumentasi dan berita acara",
            "notes": "",
            "kind": "process",
            "approval": False,
            "return_to": None,
            "sign_off": "all",
            "skippable": False,
        },
        {
            "no": 7,
            "activity": (
                "1. Mengkaji ulang pelaksanaan dan menyerahkan berkas tersebut ke Kepala TUK. "
                "2. Mengkaji ulang pelaksanaan dan meminta Staf Bagian Administrasi untuk menyimpan "
                "absensi peserta, absensi asesor, form berita acara dan form minutes of meeting "
                "sebagai arsip. 3. Mengkaji ulang pelaksanaan dan memeriksa berkas hasil uji "
                "kompetensi serta rekomendasi ke LSP. 4. Mengkaji ulang pelaksanaan uji kompetensi."
            ),
            "lanes": ["teknis_operasional", "manajemen_mutu", "kepala_tuk"],
            "roles": ["teknis_operasional", "manajemen_mutu", "kepala_tuk"],
            "requirements": (
                "Berkas hasil uji kompetensi, form berita acara dan form minutes of meeting"
            ),
            "time": "4 jam",
            "output": "Berkas hasil uji kompetensi dan form berita acara",
            "notes": "",
            "kind": "process",
            "approval": True,
            "return_to": 6,
            "sign_off": "all",
            "skippable": False,
        },
        {
            "no": 8,
            "activity": (
                "1. Menerima berkas hasil uji kompetensi. 2. Menyimpan absensi peserta, absensi "
                "asesor, form berita acara dan form minutes of meeting sebagai arsip."
            ),
            "lanes": ["bagian_administrasi"],
            "roles": ["bagian_administrasi"],
            "requirements": "Berkas hasil uji kompetensi dan form berita acara",
            "time": "4 jam",
            "output": "Berkas hasil uji kompetensi dan form berita acara",
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
    "bagian_administrasi": "Administration",
    "teknis_operasional": "Technical operations division",
    "asesor": "Competency assessor",
    "calon_peserta": "Competency test candidate",
    "manajemen_mutu": "Quality management division",
    "kepala_tuk": "Head of test site (TUK)",
}
