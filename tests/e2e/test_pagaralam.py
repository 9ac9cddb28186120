"""UPTD BLK Kota Pagar Alam in a real browser: SOP BLK-PA-503-47 (Penyelenggaraan Pelatihan)
walked from step 1 to step 11 by its roles in turn, as a person would, and the demo a new user
starts with (``balai demo``)."""
import datetime
import re

from browser import (check_page, click_and_wait, flashes, horizontal_overflow, keyboard_login, login, logout,
                     screenshot, scrolls_sideways, unlabelled_inputs, wide_elements)

from core.testing import make_user

ACTIVITY = "Pelatihan Operator Komputer Angkatan II"
RETURN_REASON = "Rincian konsumsi peserta belum ada di jadwal."


def setup_office(server):
    """The office's people (one per SOP role) and the programme the plan is made for."""
    from core import audit, db
    from plugins.training.models import Programme
    make_user(server.app, "yuliana", ["staf_blk"], full_name="Yuliana Safitri", nip="199107142019032008",
              rank="Penata Muda / III.a")
    make_user(server.app, "zulkarnain", ["kepala_dinas"], full_name="Drs. H. Zulkarnain, M.Si.",
              nip="196910161995031001", rank="Pembina Utama Muda / IV.c")
    make_user(server.app, "hendra", ["kepala_bidang"], full_name="Hendra Saputra, S.T.", nip="197805122006041003",
              rank="Penata Tk. I / III.d")
    make_user(server.app, "rina", ["panitia"], full_name="Rina Marlina, S.E.", nip="198203152009012004",
              rank="Penata / III.c")
    with db.connection(), db.write():
        audit.create(Programme, code="BLK-PA-TIK", title="Operator Komputer Perkantoran", field="TIK", total_jp=120)


def open_my_task(pg, activity):
    """From "Tugas saya": the one waiting step → its run → the work plan it belongs to."""
    assert pg.url.endswith("/tasks")
    rows = pg.locator("table.tasks tbody tr")
    assert rows.count() == 1, rows.all_inner_texts()
    assert activity in rows.first.inner_text()
    click_and_wait(pg, rows.first.get_by_role("link", name=f"Rencana kerja: {ACTIVITY}"))
    assert re.search(r"/runs/\d+$", pg.url)
    click_and_wait(pg, pg.get_by_role("link", name="Buka rencana kerja"))
    assert re.search(r"/delivery/plans/\d+$", pg.url)


def labelled(pg, text):
    """The input whose label is exactly ``text`` (a required field's label ends with " *")."""
    return pg.get_by_label(re.compile(r"^" + re.escape(text) + r"( \*)?$"))


def on_phone(phone, url, name, keep=False):
    """The same page on the staff member's phone (375 px): nothing sideways, every input labelled."""
    if url is not None:
        phone.goto(url)
    assert not scrolls_sideways(phone) and not horizontal_overflow(phone), (name, wide_elements(phone))
    if keep:
        check_page(phone, f"pagaralam-phone-{name}")
    else:
        assert unlabelled_inputs(phone) == [], name


def training_days(today):
    """The training: the three days ending today (working days), so that step 9 can be done in the walk."""
    days, d = [], today
    while len(days) < 3:
        if d.weekday() < 5:
            days.append(d)
        d -= datetime.timedelta(days=1)
    return sorted(days)


def png(width=64, height=48):
    """A small real PNG (a grey photo of the training, as far as the walk needs)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _row in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PNG = png()
RAB = ("Honor instruktur | 24 | JP | 300.000\nKonsumsi peserta dan panitia | 60 | OH | 50.000\n"
       "Modul dan ATK | 16 | paket | 150.000")              # Rp 12.600.000


def step_now(pg):
    return pg.locator("main").inner_text()


def test_pagaralam_walk(deployment, page, phone):
    server = deployment("pagaralam")
    base = server.url
    setup_office(server)
    pg = page
    today = datetime.date.today()

    # ---- Step 1: the BLK staff make the work plan (an empty form first: the message is next to the field).
    keyboard_login(pg, base, "yuliana")                      # keyboard only: type, Tab, type, Enter
    assert pg.url.endswith("/tasks")
    login(phone, base, "yuliana")                            # she also follows the work on her phone
    click_and_wait(pg, pg.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Rencana kerja"))
    click_and_wait(pg, pg.get_by_role("link", name="Rencana kerja baru"))
    click_and_wait(pg, pg.get_by_role("button", name="Simpan"))
    assert pg.locator("#f-activity-err").inner_text() == "Wajib diisi."
    assert pg.locator("#f-addressees-err").inner_text() == "Wajib diisi."
    assert pg.get_by_label("Nama kegiatan").get_attribute("aria-invalid") == "true"
    pg.get_by_label("Nama kegiatan").fill(ACTIVITY)
    pg.get_by_label("Program pelatihan").select_option(label="BLK-PA-TIK — Operator Komputer Perkantoran")
    days = training_days(today)
    pg.get_by_label("Tanggal mulai").fill(days[0].isoformat())
    pg.get_by_label("Tanggal selesai").fill(days[-1].isoformat())
    labelled(pg, "Tempat").fill("Laboratorium Komputer BLK Kota Pagar Alam")
    assert pg.get_by_label("Kuota peserta").input_value() == "16"
    pg.get_by_label("Nomor DPA").fill("DPA/2.07.02/2026")
    rab = pg.get_by_label(re.compile(r"^Rincian anggaran \(RAB\)"))
    rab.fill("Honor instruktur | 24 | JP | tiga ratus ribu")      # a bad line: its reason next to the field
    click_and_wait(pg, pg.get_by_role("button", name="Simpan"))
    assert "Baris 1: harga satuan harus angka rupiah" in pg.locator("#f-budget_lines-err").inner_text()
    assert pg.get_by_label("Nama kegiatan").input_value() == ACTIVITY            # what was typed is kept
    rab = pg.get_by_label(re.compile(r"^Rincian anggaran \(RAB\)"))
    rab.fill(RAB)
    pg.get_by_label("Jadwal kegiatan").fill("Hari 1: pengolah kata\nHari 2: lembar kerja\nHari 3: presentasi")
    pg.get_by_label("Kabupaten/Kota yang diundang").fill(
        "Kabupaten Lahat | Kepala Dinas Tenaga Kerja dan Transmigrasi Kabupaten Lahat\nKabupaten Empat Lawang")
    check_page(pg, "pagaralam-work-plan-form")
    on_phone(phone, pg.url, "work-plan-form", keep=True)
    click_and_wait(pg, pg.get_by_role("button", name="Simpan"))
    assert "Rencana kerja tersimpan." in flashes(pg)
    plan_url = pg.url
    assert re.search(r"/delivery/plans/\d+$", plan_url)
    record = pg.locator("dl.record").inner_text()
    assert "Rp 12.600.000" in record and "Kabupaten Empat Lawang, Kabupaten Lahat" in record
    budget = pg.locator("section[aria-labelledby=rab-h]").inner_text()
    assert "Konsumsi peserta dan panitia" in budget and "dua belas juta enam ratus ribu rupiah" in budget
    check_page(pg, "pagaralam-work-plan")
    on_phone(phone, plan_url, "work-plan", keep=True)
    on_phone(phone, base + pg.locator("section.run-panel a").get_attribute("href"), "run-step-1")
    click_and_wait(pg, pg.get_by_role("button", name="Ajukan persetujuan kepada Kepala Dinas"))
    assert "Rencana kerja diajukan kepada Kepala Dinas." in flashes(pg)
    assert "Menunggu persetujuan Kepala Dinas." in step_now(pg)
    logout(pg)

    # ---- Step 2: the head of office; first a page that is not theirs (friendly 403), then the return.
    login(pg, base, "zulkarnain")
    refused = pg.goto(base + "/delivery/plans/new")          # a bookmark from a colleague: writing plans is staff work
    assert refused.status == 403
    assert pg.get_by_role("heading", level=1).inner_text() == "Akses ditolak"
    assert "Staf JFU" in pg.locator(".why").inner_text()      # who may do it, in words
    click_and_wait(pg, pg.get_by_role("link", name="Kembali ke Tugas saya"))
    open_my_task(pg, "2. Memeriksa dan menyetujui rencana kerja kegiatan.")
    check_page(pg, "pagaralam-approval")
    # Returning without a reason: the browser keeps the person on the page and says what is missing.
    assert pg.locator("form[action$='/return']").evaluate("f => !f.noValidate")
    pg.get_by_role("button", name="Kembalikan untuk diperbaiki").click()
    assert pg.url == plan_url
    assert pg.get_by_label("Alasan pengembalian").evaluate("e => e.matches(':invalid') && e.validationMessage") != ""
    pg.get_by_label("Alasan pengembalian").fill(RETURN_REASON)
    click_and_wait(pg, pg.get_by_role("button", name="Kembalikan untuk diperbaiki"))
    assert "Rencana kerja dikembalikan untuk diperbaiki." in flashes(pg)
    assert "Menunggu staf menyusun rencana kerja." in step_now(pg)
    logout(pg)

    # ---- Step 1 again: the staff see the reason, edit and resubmit.
    login(pg, base, "yuliana")
    open_my_task(pg, "1. Membuat rencana kerja.")
    assert RETURN_REASON in pg.locator("#return-reason").inner_text()
    assert "Drs. H. Zulkarnain, M.Si." in pg.locator("#return-reason").inner_text()
    click_and_wait(pg, pg.get_by_role("link", name="Ubah rencana kerja"))
    assert RETURN_REASON in pg.locator("main").inner_text()
    pg.get_by_label(re.compile(r"^Rincian anggaran \(RAB\)")).fill(RAB + "\nKonsumsi tambahan | 16 | OH | 50.000")
    pg.get_by_label("Jadwal kegiatan").fill("Hari 1: pengolah kata\nHari 2: lembar kerja\nHari 3: presentasi\n"
                                            "Konsumsi: 16 orang x 3 hari")
    click_and_wait(pg, pg.get_by_role("button", name="Simpan"))
    assert "Rp 13.400.000" in pg.locator("dl.record").inner_text()
    click_and_wait(pg, pg.get_by_role("button", name="Ajukan persetujuan kepada Kepala Dinas"))
    logout(pg)

    # ---- Step 2: approved.
    login(pg, base, "zulkarnain")
    open_my_task(pg, "2. Memeriksa dan menyetujui rencana kerja kegiatan.")
    pg.get_by_label("Catatan (opsional)").fill("Setuju, laksanakan sesuai DPA.")
    click_and_wait(pg, pg.get_by_role("button", name="Setujui rencana kerja"))
    assert "Rencana kerja disetujui." in flashes(pg)
    approved = pg.get_by_role("link", name="Unduh rencana kerja yang disetujui (PDF)")
    assert approved.count() == 1                       # the approved work plan with its RAB, issued as a paper
    pdf_url = base + approved.get_attribute("href")
    logout(pg)

    # ---- Step 3: the head of division instructs.
    login(pg, base, "hendra")
    open_my_task(pg, "3. Menginstruksikan untuk membuat surat undangan")
    pg.get_by_label("Instruksi").fill("Susun undangan untuk Lahat dan Empat Lawang.")
    click_and_wait(pg, pg.get_by_role("button", name="Instruksikan penyusunan surat"))
    assert "Instruksi penyusunan surat dicatat." in flashes(pg)
    logout(pg)

    # ---- Step 4: the staff add the committee (keyboard only) and make the drafts from the templates.
    login(pg, base, "yuliana")
    open_my_task(pg, "4. Membuat konsep undangan")
    assert "Susun undangan untuk Lahat dan Empat Lawang." in pg.locator("dl.record").inner_text()
    click_and_wait(pg, pg.get_by_role("link", name="Buka konsep surat"))
    labelled(pg, "Nama").focus()                             # (the person tabbed down to the form)
    pg.keyboard.type("Rina Marlina, S.E.")
    pg.keyboard.press("Tab")
    pg.keyboard.type("198203152009012004")
    pg.keyboard.press("Tab")
    pg.keyboard.type("Pengantar Kerja Ahli Muda")
    pg.keyboard.press("Tab")
    pg.keyboard.type("Ketua")                                # typing picks the option of a focused select
    pg.keyboard.press("Tab")
    with pg.expect_navigation():
        pg.keyboard.press("Enter")                           # on the "Tambah" button
    assert "Anggota panitia ditambahkan." in flashes(pg)
    members = pg.locator("#panitia table").inner_text()
    assert "Rina Marlina, S.E." in members and "Ketua" in members and "198203152009012004" in members
    click_and_wait(pg, pg.get_by_role("button", name="Buat konsep dari templat"))
    on_phone(phone, pg.url, "letters-drafts")
    assert "Konsep surat dibuat dari templat." in flashes(pg)
    letters = pg.locator("section[aria-labelledby=letters-h] tbody tr")
    assert letters.count() == 4                              # 2 invitations, cover letter, committee decree
    assert letters.filter(has_text="konsep").count() == 4
    click_and_wait(pg, pg.get_by_role("button", name="Ajukan konsep untuk paraf Kepala Bidang"))
    assert "Konsep surat diajukan untuk paraf Kepala Bidang." in flashes(pg)
    logout(pg)

    # ---- Step 5: the head of division initials the drafts and signs the cover letter; numbers are given.
    login(pg, base, "hendra")
    open_my_task(pg, "5. Memeriksa, memaraf konsep undangan")
    click_and_wait(pg, pg.get_by_role("link", name="Buka konsep surat"))
    assert unlabelled_inputs(pg) == []
    for _draft in range(3):                                   # two invitations and the committee decree
        click_and_wait(pg, pg.get_by_role("button", name="Paraf", exact=True).first)
        assert "Konsep diparaf." in flashes(pg)
    assert pg.get_by_role("button", name="Paraf", exact=True).count() == 0
    click_and_wait(pg, pg.get_by_role("button", name="Paraf & tandatangani"))
    assert "Surat pengantar ditandatangani." in flashes(pg)
    number = re.compile(r"\b(?:005|560)/\d{3}/BLK/DISPMPTSPTK/" + str(today.year) + r"\b")
    assert number.findall(pg.locator("section[aria-labelledby=letters-h] table").inner_text()) == []   # not yet
    logout(pg)

    # ---- Step 5 (revision 1, joint): the head of office signs the SK Panitia himself; then the numbers are given.
    login(pg, base, "zulkarnain")
    open_my_task(pg, "5. Memeriksa, memaraf konsep undangan")
    click_and_wait(pg, pg.get_by_role("link", name="Buka konsep surat"))
    click_and_wait(pg, pg.get_by_role("button", name="Tandatangani Keputusan Panitia"))
    assert "Keputusan Panitia ditandatangani." in flashes(pg)
    numbers = number.findall(pg.locator("section[aria-labelledby=letters-h] table").inner_text())
    assert len(numbers) == 4 and len(set(numbers)) == 4, numbers
    decree = pg.locator("section[aria-labelledby=letters-h] tbody tr", has_text="Keputusan Panitia")
    click_and_wait(pg, decree.get_by_role("link", name="Lihat/cetak"))
    sk = pg.locator("article.document").inner_text()
    assert "Menimbang" in sk and "Mengingat" in sk and "Undang-Undang Nomor 13 Tahun 2003" in sk
    assert "a.n." not in sk and "Drs. H. Zulkarnain, M.Si." in sk and "NIP 196910161995031001" in sk
    assert "Tembusan" in sk
    check_page(pg, "pagaralam-decree")
    click_and_wait(pg, pg.get_by_role("link", name="Kembali ke daftar surat"))
    lahat = pg.locator("section[aria-labelledby=letters-h] tbody tr", has_text="Kabupaten Lahat")
    click_and_wait(pg, lahat.get_by_role("link", name="Lihat/cetak"))
    letter = pg.locator("article.document").inner_text()
    assert number.search(letter), letter[:300]
    assert "KONSEP" not in letter and "Paraf" not in letter   # the paraf is recorded, not printed
    assert letter.count("Kabupaten Lahat") == 2               # the addressee once, and in the request for names
    assert "Yth. Kepala Dinas Tenaga Kerja dan Transmigrasi Kabupaten Lahat" in letter
    assert "Hendra Saputra, S.T." in letter and "NIP 197805122006041003" in letter
    assert "(Kepala Bidang)" not in letter and "Tembusan" in letter
    assert "DINAS PENANAMAN MODAL" in letter                  # the Dinas letterhead
    check_page(pg, "pagaralam-letter-print")
    logout(pg)

    # ---- Step 6: the staff record the distribution (a row without proof is refused with the reason).
    login(pg, base, "yuliana")
    open_my_task(pg, "6. Mendistribusikan surat undangan")
    click_and_wait(pg, pg.get_by_role("link", name="Catat pengiriman undangan"))
    row = pg.locator("tbody tr", has_text="Kabupaten Empat Lawang")
    click_and_wait(pg, row.get_by_role("button", name="Simpan"))
    row = pg.locator("tbody tr", has_text="Kabupaten Empat Lawang")
    assert row.get_by_label("No. tanda terima/resi").get_attribute("aria-invalid") == "true"
    assert "Isi nomor tanda terima/resi atau unggah bukti kirim." in row.locator("p.error").inner_text()
    row = pg.locator("tbody tr", has_text="Kabupaten Empat Lawang")
    row.get_by_label("No. tanda terima/resi").fill("TT/BLK/031")
    click_and_wait(pg, row.get_by_role("button", name="Simpan"))
    assert "Pengiriman ke Kabupaten Empat Lawang dicatat." in flashes(pg)
    row = pg.locator("tbody tr", has_text="Kabupaten Lahat")
    row.get_by_label("Unggah bukti").set_input_files(
        {"name": "resi-pos-lahat.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 resi pos Lahat"})
    click_and_wait(pg, row.get_by_role("button", name="Simpan"))
    assert "Pengiriman ke Kabupaten Lahat dicatat." in flashes(pg)
    register = pg.locator("main table").inner_text()
    assert "TT/BLK/031" in register and "resi-pos-lahat.pdf" in register
    assert "Langkah SOP sekarang: 7" in step_now(pg)           # every invitation sent: step 6 is done by itself
    assert unlabelled_inputs(pg) == []
    on_phone(phone, pg.url, "distribution")

    # ---- Step 7: the reply from Lahat with a candidate typed in; then the replies are closed.
    click_and_wait(pg, pg.get_by_role("link", name="Jawaban & calon peserta"))
    lahat = pg.locator("section.card", has=pg.get_by_role("heading", name="Kabupaten Lahat"))
    click_and_wait(pg, lahat.get_by_role("link", name="Catat jawaban / tambah calon peserta"))
    pg.get_by_label("Nomor surat jawaban").fill("560/118/DTKT/2026")
    click_and_wait(pg, pg.get_by_role("button", name="Simpan jawaban"))
    assert "Jawaban dari Kabupaten Lahat dicatat." in flashes(pg)
    labelled(pg, "NIK").fill("16040144050100")           # two digits short: refused next to the field
    pg.get_by_label("Nama lengkap").fill("Nurhaliza Putri")
    pg.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    pg.get_by_label("Nomor telepon").fill("081377120045")
    click_and_wait(pg, pg.get_by_role("button", name="Daftarkan calon peserta"))
    assert pg.locator("#f-nik-err").inner_text() == "NIK harus 16 digit angka."
    assert pg.get_by_label("Nama lengkap").input_value() == "Nurhaliza Putri"     # what was typed is kept
    labelled(pg, "NIK").fill("1604014405010003")
    click_and_wait(pg, pg.get_by_role("button", name="Daftarkan calon peserta"))
    assert "Calon peserta Nurhaliza Putri dari Kabupaten Lahat didaftarkan pada angkatan." in flashes(pg)
    assert "Nurhaliza Putri" in pg.locator("main table").inner_text()
    assert unlabelled_inputs(pg) == []
    on_phone(phone, pg.url, "candidates")
    click_and_wait(pg, pg.get_by_role("link", name="Jawaban & calon peserta"))
    click_and_wait(pg, pg.get_by_role("button", name="Tutup penerimaan jawaban (selesaikan langkah 7)"))
    assert "Penerimaan jawaban ditutup." in flashes(pg)
    logout(pg)

    # ---- Steps 8 and 9: the committee holds the meeting, looks at the batch, marks the training done.
    login(pg, base, "rina")
    open_my_task(pg, "8. Melaksanakan Rapat internal")
    click_and_wait(pg, pg.get_by_role("link", name="Catat rapat internal"))
    assert pg.get_by_label("Peserta rapat (satu per baris)").input_value() == "Rina Marlina, S.E."
    pg.get_by_label("Tanggal rapat").fill(today.isoformat())
    pg.get_by_label("Tempat rapat").fill("Aula BLK Kota Pagar Alam")
    pg.get_by_label("Notulen / hasil rapat").fill("1. Pembagian tugas panitia.\n2. Kesiapan laboratorium.")
    click_and_wait(pg, pg.get_by_role("button", name=re.compile("Simpan hasil rapat")))
    assert "Hasil rapat tersimpan." in flashes(pg)
    click_and_wait(pg, pg.get_by_role("link", name="Buka angkatan"))
    assert "Nurhaliza Putri" in pg.locator("#roster").inner_text()      # the nominee is on the batch roster
    batch_url = pg.url
    pg.go_back()
    # The training ran; the nominee sat in class (the training module's own steps, tested there).
    from core import db
    from plugins.training import service as training
    from plugins.training.models import Enrolment
    batch_id = int(batch_url.rstrip("/").rsplit("/", 1)[1])
    with db.connection():
        for e in Enrolment.select().where(Enrolment.batch == batch_id):
            for status in ("selection", "accepted", "reregistered", "training"):
                training.change_status(e, status)
    # Daily attendance of the first days only: completing step 9 is refused with the missing day.
    for day in days[:-1]:
        pg.goto(f"{batch_url}/attendance?day={day.isoformat()}")
        pg.locator("input[type=radio][value=H]").first.check()
        click_and_wait(pg, pg.get_by_role("button", name="Simpan daftar hadir"))
        assert any("tersimpan" in f for f in flashes(pg))
    pg.goto(plan_url)
    pg.get_by_label("Catatan hasil pelatihan").fill("Pelatihan selesai 3 hari; 1 peserta dari Kabupaten Lahat.")
    click_and_wait(pg, pg.get_by_role("button", name="Tandai pelatihan selesai"))
    assert any("Daftar hadir belum diisi untuk 1 hari pelatihan" in f for f in flashes(pg)), flashes(pg)
    pg.goto(f"{batch_url}/attendance?day={days[-1].isoformat()}")
    pg.locator("input[type=radio][value=H]").first.check()
    click_and_wait(pg, pg.get_by_role("button", name="Simpan daftar hadir"))
    pg.goto(plan_url)
    pg.get_by_label("Catatan hasil pelatihan").fill("Pelatihan selesai 3 hari; 1 peserta dari Kabupaten Lahat.")
    click_and_wait(pg, pg.get_by_role("button", name="Tandai pelatihan selesai"))
    assert "Pelaksanaan pelatihan dicatat selesai." in flashes(pg)

    # ---- Step 10: the committee writes the report from the records and sends it.
    click_and_wait(pg, pg.get_by_role("link", name="Susun laporan pelaksanaan"))
    report = pg.get_by_label("Pelaksanaan kegiatan")
    text = report.input_value()
    for expected in ("DPA/2.07.02/2026", "Kabupaten Lahat", "Nurhaliza Putri", "Pembagian tugas panitia",
                     "hadir 3/3 hari"):
        assert expected in text, expected
    assert number.search(text)
    pg.get_by_label("Keterangan foto").fill("Pembukaan pelatihan")          # the photos first (their own form)
    pg.get_by_label("Berkas foto (JPG/PNG)").set_input_files(
        {"name": "pembukaan.png", "mimeType": "image/png", "buffer": PNG})
    click_and_wait(pg, pg.get_by_role("button", name="Tambah foto"))
    assert "Foto kegiatan ditambahkan." in flashes(pg)
    report = pg.get_by_label("Pelaksanaan kegiatan")
    report.fill(text + "\nKegiatan berjalan lancar dan tepat waktu.")
    pg.get_by_label("Instruktur dan materi").fill("Ir. Bambang Wijanarko: pengolah kata, lembar kerja, presentasi.")
    pg.get_by_label("Realisasi anggaran (Rp)").fill("13.150.000")
    pg.get_by_label("Kendala dan saran").fill("Tidak ada kendala berarti.")
    assert unlabelled_inputs(pg) == []
    click_and_wait(pg, pg.get_by_role("button", name="Simpan dan sampaikan kepada Kepala Dinas"))
    assert any("menunggu tanda tangan" in f for f in flashes(pg)), flashes(pg)               # joint step 10: the staff sign too
    logout(pg)
    login(pg, base, "yuliana")
    open_my_task(pg, "10. Membuat laporan pelaksanaan")
    click_and_wait(pg, pg.get_by_role("link", name="Susun laporan pelaksanaan"))
    click_and_wait(pg, pg.get_by_role("button", name="Simpan dan sampaikan kepada Kepala Dinas"))
    assert "Laporan disampaikan kepada Kepala Dinas." in flashes(pg)
    logout(pg)

    # ---- Step 11: the head of office reads and receives the report.
    login(pg, base, "zulkarnain")
    open_my_task(pg, "11. Menerima laporan pelaksanaan pelatihan.")
    click_and_wait(pg, pg.get_by_role("link", name="Baca laporan"))
    paper = pg.locator("article.document").inner_text()
    assert "Kegiatan berjalan lancar dan tepat waktu." in paper
    for section in ("PENDAHULUAN", "PELAKSANAAN", "PESERTA DAN KEHADIRAN", "INSTRUKTUR DAN MATERI",
                    "REALISASI ANGGARAN", "KENDALA DAN SARAN", "PENUTUP", "Pembukaan pelatihan"):
        assert section in paper, section
    assert "Nurhaliza Putri" in paper and "3/3 hari" in paper
    assert "Rina Marlina, S.E." in paper and "Yuliana Safitri" in paper          # both signatures
    pdf = pg.request.get(base + pg.get_by_role("link", name="Unduh PDF").get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    assert pg.request.get(pdf_url).body().startswith(b"%PDF")
    check_page(pg, "pagaralam-report")
    click_and_wait(pg, pg.get_by_role("link", name="Kembali"))
    click_and_wait(pg, pg.get_by_role("button", name="Terima laporan"))
    assert "Laporan diterima; kegiatan selesai." in flashes(pg)
    assert "Semua langkah SOP selesai." in step_now(pg)

    # ---- The run's timeline: 11 steps done, the return with its reason, durations against the standard.
    click_and_wait(pg, pg.locator("section.run-panel").get_by_role("link", name=re.compile("lihat run")))
    assert re.search(r"/runs/\d+$", pg.url)
    assert "selesai" in pg.locator("main p.muted").first.inner_text()
    done = pg.locator("table.timeline tbody tr.st-done")
    done_steps = sorted({int(t.split(".", 1)[0]) for t in done.all_inner_texts()})
    assert done_steps == list(range(1, 12))
    assert done.count() == 12                              # step 1 twice (before and after the return)
    returned = pg.locator("table.timeline tbody tr.st-returned")
    assert returned.count() == 1
    assert returned.first.inner_text().startswith("2.") and RETURN_REASON in returned.first.inner_text()
    assert "Drs. H. Zulkarnain, M.Si." in returned.first.inner_text()
    standards = {"2.": "/ 30 menit", "3.": "/ 5 menit", "6.": "/ 1 hari", "7.": "/ 1 minggu", "9.": "/ 3 hari"}
    for row_text in done.all_inner_texts():
        for prefix, standard in standards.items():
            if row_text.startswith(prefix):
                assert standard in row_text, row_text
    assert done.filter(has_text="tepat waktu").count() == 12
    check_page(pg, "pagaralam-run-timeline")
    run_timeline = pg.url

    # ---- The SOP compliance report shows this SOP, step by step; its code leads to the SOP itself.
    click_and_wait(pg, pg.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Kepatuhan SOP"))
    rows = pg.locator("table.compliance tbody tr", has_text="BLK-PA-503-47")
    assert rows.count() == 11
    step2 = rows.nth(1).locator("td").all_inner_texts()
    assert step2[:4] == ["BLK-PA-503-47", "2", "2", "2"]       # step 2 activated twice (the return), finished twice
    check_page(pg, "pagaralam-compliance")
    compliance_url = pg.url
    click_and_wait(pg, rows.first.get_by_role("link", name="BLK-PA-503-47"))
    sop_url = pg.url
    sop = pg.locator("main").inner_text()
    assert "Penyelenggaraan Pelatihan" in sop and "503/47/SOP.BLK/DISPMPTSPTK/2024" in sop
    logout(pg)

    # ---- Phone width (375 px): the finished record on the staff member's phone.
    on_phone(phone, compliance_url, "compliance")
    on_phone(phone, sop_url, "sop")
    on_phone(phone, run_timeline, "run-timeline", keep=True)
    click_and_wait(phone, phone.get_by_role("link", name="Buka rencana kerja"))
    on_phone(phone, None, "plan-done")
    click_and_wait(phone, phone.get_by_role("navigation", name="Bagian kegiatan").get_by_role("link", name="Surat"))
    on_phone(phone, None, "letters-final")
    click_and_wait(phone, phone.get_by_role("link", name="Lihat/cetak").first)
    on_phone(phone, None, "letter-print", keep=True)


def test_pagaralam_demo(deployment, page, balai_db, tmp_path, capsys):
    """``balai demo`` on the deployment's own ini: demo users with passwords printed once, then one of
    them logs in and finds an overdue task."""
    from core import cli
    source = open(__file__.rsplit("/tests/", 1)[0] + "/deployments/pagaralam.ini", encoding="utf-8").read()
    lines = []
    for line in source.splitlines():
        if line.startswith("database ="):
            line = f"database = {balai_db}"
        elif line.startswith("upload_dir ="):
            line = f"upload_dir = {tmp_path}/demo-uploads"
        lines.append(line)
    ini = tmp_path / "pagaralam-demo.ini"
    ini.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert cli.main(["--config", str(ini), "demo"]) == 0
    out = capsys.readouterr().out
    assert "Data demo untuk UPTD BLK Kota Pagar Alam" in out
    assert "training_delivery: 3 rencana kerja" in out
    users = dict(re.findall(r"^  (\S+)\s+(\S+-\S+-\d{3})\s+\S.*$", out.split("kata sandi hanya ditampilkan sekali ini:")[1],
                            re.M))
    for username in ("staf.blk", "kepala.dinas", "kepala.bidang", "panitia"):   # one per SOP role
        assert username in users, out
    assert "kabupaten.kota" not in users                    # the regencies are outside the office

    assert cli.main(["--config", str(ini), "demo"]) == 0
    again = capsys.readouterr().out
    assert "Pengguna demo sudah ada" in again
    assert not any(password in again for password in users.values())

    # The server on that same database; the staff member logs in with the printed password.
    server = deployment("pagaralam")
    login(page, server.url, "staf.blk", users["staf.blk"])
    assert page.url.endswith("/tasks")
    rows = page.locator("table.tasks tbody tr")
    assert rows.count() >= 2
    late = rows.filter(has_text="terlambat")
    assert late.count() >= 1
    assert "7. Menerima surat jawaban dari Kabupaten/Kota" in late.first.inner_text()
    assert "Pelatihan Juru Las SMAW Angkatan I" in late.first.inner_text()
    screenshot(page, "pagaralam-demo-tasks")
    click_and_wait(page, late.first.get_by_role("link"))
    assert "terlambat" in page.locator("section.current-step").inner_text()
    logout(page)
