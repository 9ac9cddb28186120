"""Builds "Prosedur Peminjaman Aset", an SOP AP document written by hand for the import
tests, as a real Word file with python-docx: the identity table, the list table, and
the step table with a merged "Pelaksana" header, one column per actor and "√" marks.

    python tests/sop_documents/build_docx.py out.docx      # or build(path) from a test
"""
import sys

IDENTITY = [("Nomor SOP", "BPV/BMN/07"), ("Tanggal Pembuatan", "12 Januari 2026"), ("Nomor Revisi", "1"),
            ("Tanggal Efektif", "2 Februari 2026"),
            ("Disahkan Oleh", "Kepala Balai Pelatihan Vokasi dan Produktivitas Contoh\nIr. BAMBANG WIDODO, M.T.\n"
                              "NIP. 19751120 200212 1 003"),
            ("Judul SOP", "Prosedur Peminjaman Aset")]
LISTS = [("Dasar Hukum", ["Peraturan Menteri Keuangan Nomor 181/PMK.06/2016 tentang Penatausahaan Barang Milik Negara",
                          "Peraturan Pemerintah Nomor 27 Tahun 2014 tentang Pengelolaan Barang Milik Negara/Daerah"]),
         ("Kualifikasi Pelaksana", ["Memahami penatausahaan BMN", "Mampu mengoperasikan aplikasi SIMAK BMN"]),
         ("Keterkaitan", ["SOP Pemeliharaan Aset"]), ("Peralatan / Perlengkapan", ["Komputer", "Aplikasi SIMAK BMN"]),
         ("Peringatan", ["Aset yang dipinjam wajib dikembalikan dalam kondisi baik."]),
         ("Pencatatan dan Pendataan", ["Buku peminjaman aset", "Berita acara serah terima"])]
ACTORS = ["Peminjam", "Petugas BMN", "STAF  pelatihan", "Kepala Subbagian Umum"]
STEPS = [  # no, activity, marked actors, requirements, time, output, notes
    ("1", "Mengajukan permohonan peminjaman aset", [0], "Formulir peminjaman aset", "10 menit", "Formulir terisi", ""),
    ("2", "Memeriksa ketersediaan dan kondisi aset", [1], "Daftar aset (SIMAK BMN)", "1 jam", "Status ketersediaan",
     "Tersedia → langkah 3; Tidak tersedia → selesai"),
    ("3", "Menyetujui peminjaman aset", [3], "Formulir dan status ketersediaan", "1 hari", "Persetujuan",
     "Disetujui → langkah 4; Ditolak: kembali ke langkah 1"),
    ("4", "Menyerahkan aset dan menandatangani berita acara serah terima", [1, 2], "Berita acara serah terima",
     "30 menit", "BAST peminjaman", "Staf pelatihan menyaksikan serah terima"),
    ("5", "Menerima pengembalian aset dan memeriksa kondisinya", [1], "BAST peminjaman", "1 hari",
     "BA pengembalian", ""),
]


def build(path):
    import docx
    document = docx.Document()
    document.add_paragraph("STANDAR OPERASIONAL PROSEDUR")
    table = document.add_table(rows=0, cols=2)
    for label, value in IDENTITY:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
    document.add_paragraph("")
    lists = document.add_table(rows=0, cols=2)
    for i in range(0, len(LISTS), 2):
        cells = lists.add_row().cells
        for k, (label, items) in enumerate(LISTS[i:i + 2]):
            cells[k].text = label
            for item in items:
                cells[k].add_paragraph(item)
    document.add_paragraph("PROSEDUR PEMINJAMAN ASET")
    width = 2 + len(ACTORS) + 3 + 1
    steps = document.add_table(rows=2, cols=width)
    top, sub = steps.rows[0].cells, steps.rows[1].cells
    top[0].text, top[1].text = "No.", "Kegiatan"
    top[0].merge(sub[0])
    top[1].merge(sub[1])
    lanes = top[2].merge(top[1 + len(ACTORS)])
    lanes.text = "Pelaksana"
    quality = top[2 + len(ACTORS)].merge(top[4 + len(ACTORS)])
    quality.text = "Mutu Baku"
    notes = top[width - 1].merge(sub[width - 1])
    notes.text = "Keterangan"
    for i, actor in enumerate(ACTORS):
        sub[2 + i].text = actor
    for i, label in enumerate(("Kelengkapan", "Waktu", "Output")):
        sub[2 + len(ACTORS) + i].text = label
    for no, activity, marked, req, time, output, note in STEPS:
        cells = steps.add_row().cells
        cells[0].text, cells[1].text = no, activity
        for i in marked:
            cells[2 + i].text = "√"
        base = 2 + len(ACTORS)
        cells[base].text, cells[base + 1].text, cells[base + 2].text, cells[base + 3].text = req, time, output, note
    document.save(path)
    return path


if __name__ == "__main__":
    build(sys.argv[1] if len(sys.argv) > 1 else "peminjaman-aset.docx")
