"""BPVP Kendari in a real browser: SOP KDI-PM-06 (front-desk service standard, both routes) and
SOP KDI/PM/09 (alumni employment survey) walked by their roles in turn, as people would, and the
deployment's demo.

Reference data (a programme and batches, the LSP's test schedule and its own SOP, which the
Tangerang walk does in the browser) is made in Python through the plugins' services and the audit
layer; every step of the two Kendari SOPs is done in the browser.
"""
import datetime
import re

from browser import check_page, has_focus, horizontal_overflow, login, logout, screenshot, scrolls_sideways

from core.testing import make_user

D = datetime.timedelta(days=1)
GUEST = "La Ode Muhammad Arif"
GUEST_NIK = "7471021508000003"
COMPANY = "PT Anugrah Nikel Sultra"
CONTACT = "Andi Pratama"
BATCH = "Operator Komputer Muda — Angkatan II"
RETURN_REASON = "Honor instruktur melebihi SBM 2025; gunakan tarif Rp 300.000 per JP."
ALUMNI = [("Wa Ode Sitti Rahma", "0821 4567 8901", True), ("La Ode Ahmad Fauzan", "+62 852-4123-5502", True),
          ("Nur Fadillah", "0401 312190", True), ("Muh. Taufik", "081311112222", False)]


# ---------------------------------------------------------------- what a person does

def go(pg, action):
    """Do something that loads a new page (click a link or a button) and wait for it."""
    with pg.expect_navigation():
        action()


def click(pg, name, scope=None, role="button"):
    go(pg, lambda: (scope or pg).get_by_role(role, name=name, exact=True).click())


def nav(pg, label):
    go(pg, lambda: pg.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=label,
                                                                                  exact=True).click())


def flashes(pg, kind=None):
    """The page's flash messages (not the warnings inside its sections)."""
    sel = f"main > .flash-{kind}" if kind else "main > .flash"
    return " | ".join(pg.locator(sel).all_inner_texts())


def choose(select, text):
    """Pick the option of a select whose text contains ``text``."""
    select.select_option(value=select.locator("option", has_text=text).first.get_attribute("value"))


def focused(pg):
    return pg.evaluate("() => document.activeElement && document.activeElement.id")


def tab_to(pg, element_id, limit=40):
    """Press Tab (only Tab) until the element has the focus; returns how many presses it took."""
    for n in range(1, limit + 1):
        pg.keyboard.press("Tab")
        if focused(pg) == element_id:
            return n
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def tab_to_button(pg, text, limit=10):
    """Press Tab until the button with this text has the focus; returns how many presses it took."""
    for n in range(1, limit + 1):
        pg.keyboard.press("Tab")
        if pg.evaluate("() => document.activeElement.tagName === 'BUTTON' && document.activeElement.innerText.trim()") \
                == text:
            return n
    raise AssertionError(f"the button {text!r} cannot be reached with the Tab key")


def timeline(pg):
    """From a subject page: follow the run panel's link to the run page; its timeline rows."""
    click(pg, re.compile(r"lihat run #\d+"), role="link")
    assert re.search(r"/runs/\d+$", pg.url), pg.url
    return pg.locator("table.timeline tbody tr").all_inner_texts()


def phone_ok(pg, name):
    assert not horizontal_overflow(pg) and not scrolls_sideways(pg), f"{name} scrolls sideways at 375 px"
    check_page(pg, name)


# ---------------------------------------------------------------- reference data (not SOP steps)

def local_today(app):
    from plugins.service_desk import service
    return service.local_today(app)


def office(app):
    """BPVP Kendari's people, one per role of the walk."""
    make_user(app, "hasnah", ["petugas_kios"], full_name="Wa Ode Hasnah", nip="199203142019032011",
              rank="Pengatur / II.c")
    make_user(app, "ridwan", ["sub_koordinator_penyelenggaraan"], full_name="La Ode Muhammad Ridwan, S.T.",
              nip="198107222006041002", rank="Penata Tk. I / III.d")
    make_user(app, "nurhayati", ["sub_koordinator_pemberdayaan"], full_name="Nurhayati, S.E.",
              nip="198405102009012007", rank="Penata Tk. I / III.d")
    make_user(app, "amran", ["kepala_bpvp"], full_name="Amran, S.T.", nip="198303122009011014",
              rank="Pembina / IV.a")
    make_user(app, "sartika", ["staf_pelatihan"], full_name="Sartika Dewi", nip="199405082020122011",
              rank="Penata Muda / III.a")


def open_batch(app):
    """A batch whose registration window is open (planned by the training section)."""
    from core import audit, db
    from plugins.training.models import Batch, Programme
    today = local_today(app)
    with db.connection(), db.write():
        prog = audit.create(Programme, code="TIK-OKM", title="Operator Komputer Muda", field="TIK", total_jp=160)
        return audit.create(Batch, programme=prog, name="Angkatan II", start_date=today + 10 * D,
                            end_date=today + 40 * D, quota=16, reg_opens=today - 5 * D, reg_closes=today + 5 * D,
                            venue="Workshop TIK BPVP Kendari", status="registration")


def training_held(app, batch_id):
    """The walk compresses a month of training into a minute: the batch's dates become those it
    was held on (the last thirty days), so the LSP's test today comes after the training."""
    from core import audit, db
    from plugins.training.models import Batch
    today = local_today(app)
    with db.connection(), db.write():
        audit.update(Batch.get_by_id(batch_id), start_date=today - 30 * D, end_date=today)


def lsp_schedules_test(app, batch_id):
    """The LSP's competency test of the batch's graduates (certification plugin; its own SOP)."""
    from core import audit, db
    from plugins.certification import demo as cert
    from plugins.certification.models import Assessor, AssessorScheme, ChecklistItem, Scheme, SchemeUnit, Tuk
    from plugins.training import service as training
    from plugins.training.models import Batch
    today = datetime.date.today()                 # the certification plugin's own calendar
    with db.connection(), db.write():
        scheme = audit.create(Scheme, code="OKM", number="SKM/LSP-BPVP-KDI/01/2024", title="Operator Komputer Muda",
                              kind="kkni", validity_years=3)
        audit.create(SchemeUnit, scheme=scheme, code="J.63OPR00.001.2", title="Mengoperasikan sistem operasi")
        audit.create(ChecklistItem, scheme=scheme, category="equipment", label="Komputer sesuai jumlah peserta")
        tuk = audit.create(Tuk, name="TUK Sewaktu BPVP Kendari", kind="sewaktu", capacity=16,
                           address="Jl. Mayjen Sutoyo No. 2, Kendari", head_name="Muh. Yusuf", head_nip=None,
                           head_user=cert.tuk_head_account("Muh. Yusuf", None, 1))
        assessor = audit.create(Assessor, name="Hasrun, S.Kom.", met_number="MET.000.005678.2021",
                                met_expiry=today + 400 * D, user=cert.assessor_account("Hasrun, S.Kom.", 1))
        audit.create(AssessorScheme, assessor=assessor, scheme=scheme)
        batch = Batch.get_by_id(batch_id)
        return cert.make_event(scheme, tuk, today, (8, 0), (16, 0), [assessor], batch=batch,
                               enrolments=training.graduates(batch))


def lsp_archives_test(event):
    """The LSP tests, signs, reviews and archives (certification's SOP, walked in the Tangerang test)."""
    from core import db
    from plugins.certification import demo as cert
    from plugins.certification.models import TestEvent
    with db.connection(), db.write():
        cert.walk_to_archive(TestEvent.get_by_id(event.id), datetime.date.today())


# ---------------------------------------------------------------- KDI-PM-06, both routes

def test_kendari_service_desk_walk(deployment, page, phone):
    server = deployment("kendari")
    base, app = server.url, server.app
    office(app)
    batch = open_batch(app)
    pg = page

    # ---- Step 1 (Petugas Kios): a guest at the desk, typed with the keyboard only.
    login(pg, base, "hasnah")
    nav(pg, "Buku tamu")
    has_focus(pg, "f-name")                                          # the cursor is already in the name field
    fields = pg.locator("main form.form").locator("input:not([type=hidden]), select, textarea")
    assert fields.count() <= 14                                      # one short form (radios included)
    check_page(pg, "kendari-sd-01-guest-book")
    pg.keyboard.type(GUEST)
    assert tab_to(pg, "f-phone") <= 3                                # name → origin → organisation → phone
    pg.keyboard.type("0812 4455 6677")
    go(pg, lambda: pg.keyboard.press("Enter"))                      # forgot the consent box
    assert pg.locator("#f-consent-err").inner_text() == \
        "Persetujuan tamu wajib dicentang sebelum data disimpan (UU 27/2022)."
    assert pg.get_by_label("Nama tamu").input_value() == GUEST       # what was typed is kept
    check_page(pg, "kendari-sd-02-guest-book-consent-refused")
    pg.locator("#f-name").focus()
    presses = tab_to(pg, "f-consent")
    assert presses <= 5, presses                                    # a short way: 5 stops to the consent box
    pg.keyboard.press("Space")
    assert pg.locator("#f-consent").is_checked()
    assert tab_to_button(pg, "Simpan tamu") == 2                    # past "Catatan (opsional)"
    go(pg, lambda: pg.keyboard.press("Enter"))
    assert re.search(r"/service-desk/visits/\d+$", pg.url), pg.url
    visit_url = pg.url
    assert f"Tamu {GUEST} dicatat; lanjut ke pendaftaran pelatihan." in flashes(pg)
    assert "1. Menerima tamu" in pg.locator(".run-panel").inner_text()
    assert "→ Pendaftaran pelatihan" in pg.locator(".run-panel").inner_text()

    # ---- Step 2: registration for the open batch with the SIAPkerja proof (first without it).
    reg = pg.locator("#registration")
    choose(reg.get_by_label("Angkatan pelatihan"), BATCH)
    reg.get_by_label("NIK").fill(GUEST_NIK)
    reg.get_by_label("Jenis kelamin").select_option(label="Laki-laki")
    reg.get_by_label("Tanggal lahir").fill("2000-08-15")
    click(pg, "Daftarkan", scope=reg)
    assert pg.locator("#f-siapkerja_ref-err").inner_text() == "Wajib diisi."
    reg = pg.locator("#registration")
    assert reg.get_by_label("NIK").input_value() == GUEST_NIK
    reg.get_by_label("Nomor bukti pendaftaran SIAPkerja").fill("SK-2025-7471-00123")
    click(pg, "Daftarkan", scope=reg)
    assert f"{GUEST} terdaftar pada" in flashes(pg) and "SK-2025-7471-00123" in flashes(pg)
    assert "Terdaftar" in pg.locator("#registration").inner_text()

    # A company's guest: the purpose is chosen with the arrow keys.
    nav(pg, "Buku tamu")
    has_focus(pg, "f-name")
    pg.keyboard.type(CONTACT)
    pg.keyboard.press("Tab")
    pg.keyboard.press("ArrowRight")                                  # Instansi
    pg.keyboard.press("ArrowRight")                                  # Dunia industri
    pg.keyboard.press("Tab")
    pg.keyboard.type(COMPANY)
    pg.keyboard.press("Tab")
    pg.keyboard.type("0811 4012 3456")
    pg.keyboard.press("Tab")
    pg.keyboard.press("ArrowRight")                                  # Kerja sama
    pg.keyboard.press("Tab")
    pg.keyboard.press("Space")
    tab_to_button(pg, "Simpan tamu")
    go(pg, lambda: pg.keyboard.press("Enter"))
    assert f"Tamu {CONTACT} dicatat; diteruskan ke Sub Koordinator Pemberdayaan." in flashes(pg)
    coop_visit_url = pg.url
    assert "→ Kerja sama" in pg.locator(".run-panel").inner_text()

    # The daily recap and its chart.
    nav(pg, "Rekap tamu")
    main = pg.locator("main").inner_text()
    assert "2 tamu · Masyarakat umum: 1 · Dunia industri: 1" in main
    assert GUEST in main and COMPANY in main
    titles = pg.locator("main svg title").all_text_contents()
    assert "Masyarakat umum · Pendaftaran pelatihan: 1" in titles
    assert "Dunia industri · Kerja sama: 1" in titles
    assert "Instansi · Kerja sama: 0" in titles
    check_page(pg, "kendari-sd-03-daily-recap")
    logout(pg)

    # ---- Step 3 (Sub Koordinator Penyelenggaraan): selection scores, finalised; re-registration.
    login(pg, base, "ridwan")
    nav(pg, "Seleksi peserta")
    click(pg, BATCH, role="link")
    pg.get_by_label("Bobot CBT (%)").fill("60")
    pg.get_by_label("Bobot wawancara (%)").fill("40")
    pg.get_by_label("Nilai batas lulus").fill("70")
    pg.get_by_label("Nilai batas cadangan").fill("60")
    click(pg, "Simpan bobot")
    assert "Bobot dan nilai batas disimpan." in flashes(pg)
    pg.get_by_label(f"Nilai CBT {GUEST}").fill("180")
    pg.get_by_label(f"Nilai wawancara {GUEST}").fill("80")
    click(pg, "Simpan nilai")
    assert "Harus antara 0 dan 100." in pg.locator("main table").inner_text()      # next to the score
    pg.get_by_label(f"Nilai CBT {GUEST}").fill("85")
    pg.get_by_label(f"Catatan lembar wawancara {GUEST}").fill("Lancar mengetik, motivasi kuat")
    click(pg, "Simpan nilai")
    assert "Nilai seleksi disimpan." in flashes(pg)
    check_page(pg, "kendari-sd-04-selection")
    click(pg, "Finalkan seleksi")
    assert "Seleksi difinalkan" in flashes(pg, "success")
    row = pg.locator("main table tbody tr", has_text=GUEST)
    assert "83,00" in row.inner_text() and "Lulus" in row.inner_text() and "Diterima" in row.inner_text()
    click(pg, "Catat daftar ulang", scope=row)
    assert "Status peserta diperbarui." in flashes(pg)
    assert f"{GUEST} — Daftar ulang" in pg.locator("main ol").inner_text()
    pg.goto(visit_url)
    panel = pg.locator(".run-panel").inner_text()
    assert "3. Menyelenggarakan rekrutmen" in panel and "6. Menyelenggarakan pelatihan" in panel
    logout(pg)

    # ---- Steps 4–5 (Sub Koordinator Pemberdayaan): minutes, RAB in rupiah, PKS, sent to the head.
    login(pg, base, "nurhayati")
    nav(pg, "Kerja sama")
    click(pg, COMPANY, role="link")
    coop_url = pg.url
    pg.get_by_label("Jenis kerja sama").select_option(label="Kerja sama pelatihan dan sertifikasi")
    pg.get_by_label("Peserta pertemuan").fill(f"{CONTACT} (HRD {COMPANY}); Nurhayati, S.E.")
    pg.get_by_label("Notulen hasil pertemuan").fill(
        "Perusahaan meminta pelatihan dan sertifikasi Operator Komputer Muda untuk 16 staf administrasi smelter.")
    pg.get_by_label("Tindak lanjut").fill("Susun RAB dan draf PKS; ikutkan pada Angkatan II.")
    click(pg, "Simpan notulen")
    assert "Notulen disimpan." in flashes(pg)
    rab = pg.locator("#rab")
    for item, volume, unit, cost in (("Biaya uji kompetensi", "16", "orang", "650000"),
                                     ("Honor instruktur", "40", "JP", "1.250.000")):
        rab = pg.locator("#rab")
        rab.get_by_role("textbox", name="Uraian", exact=True).fill(item)
        rab.get_by_role("textbox", name="Volume", exact=True).fill(volume)
        rab.get_by_role("textbox", name="Satuan", exact=True).fill(unit)
        rab.get_by_label("Harga satuan (Rp)").fill(cost)
        click(pg, "Tambah rincian", scope=rab)
        assert "Rincian RAB ditambahkan." in flashes(pg)
    table = pg.locator("#rab table").inner_text()
    assert "Rp 10.400.000" in table and "Rp 50.000.000" in table and "Rp 60.400.000" in table
    check_page(pg, "kendari-sd-05-rab")
    pks = pg.locator("#pks")
    pks.get_by_label("Nomor PKS").fill("PKS/021/BPVP-KDI/2025")
    pks.get_by_label("Ruang lingkup").fill("Pelatihan dan sertifikasi Operator Komputer Muda bagi 16 staf")
    pks.get_by_label("Berlaku mulai").fill(local_today(app).isoformat())
    pks.get_by_label("Berlaku sampai").fill((local_today(app) + 365 * D).isoformat())
    click(pg, "Simpan PKS", scope=pks)
    assert "PKS disimpan." in flashes(pg)
    # Step 6 will be the batch the company's staff join (coordinated with the delivery section).
    pg.goto(coop_visit_url)
    choose(pg.get_by_label("Tautkan ke angkatan pelatihan"), BATCH)
    click(pg, "Tautkan")
    assert "Kerja sama ditautkan ke" in flashes(pg)
    click(pg, "Buka kerja sama", role="link", scope=pg.locator(".page-head"))
    click(pg, "Ajukan RAB ke Kepala BPVP")
    assert "RAB diajukan kepada Kepala BPVP." in flashes(pg)
    click(pg, "Ajukan PKS ke Kepala BPVP")
    assert "PKS diajukan kepada Kepala BPVP." in flashes(pg)
    logout(pg)

    # ---- The head: RAB returned with a reason (first without one), PKS approved.
    login(pg, base, "amran")
    nav(pg, "Persetujuan RAB & PKS")
    card = pg.locator("main section.card", has_text=COMPANY)
    rab_form = card.locator("form", has_text="RAB")
    assert "Rp 60.400.000" in rab_form.inner_text()
    click(pg, "Kembalikan", scope=rab_form)
    assert "Alasan pengembalian wajib diisi." in flashes(pg, "error")
    rab_form = pg.locator("main section.card", has_text=COMPANY).locator("form", has_text="RAB")
    rab_form.get_by_label("Alasan (wajib bila dikembalikan)").fill(RETURN_REASON)
    click(pg, "Kembalikan", scope=rab_form)
    assert "RAB dikembalikan dengan alasan." in flashes(pg)
    pks_form = pg.locator("main section.card", has_text=COMPANY).locator("form", has_text="PKS")
    click(pg, "Setujui PKS", scope=pks_form)
    assert "PKS disetujui." in flashes(pg)
    logout(pg)

    # ---- The RAB fixed and sent again; approved: step 5 ends.
    login(pg, base, "nurhayati")
    pg.goto(coop_url)
    assert f"Dikembalikan: {RETURN_REASON}" in pg.locator("#rab").inner_text()
    click(pg, "Hapus", scope=pg.locator("#rab tr", has_text="Honor instruktur"))
    assert "Rincian RAB dihapus." in flashes(pg)
    rab = pg.locator("#rab")
    rab.get_by_role("textbox", name="Uraian", exact=True).fill("Honor instruktur")
    rab.get_by_role("textbox", name="Volume", exact=True).fill("40")
    rab.get_by_role("textbox", name="Satuan", exact=True).fill("JP")
    rab.get_by_label("Harga satuan (Rp)").fill("300000")
    click(pg, "Tambah rincian", scope=rab)
    assert "Rp 22.400.000" in pg.locator("#rab tfoot").inner_text()
    click(pg, "Ajukan RAB ke Kepala BPVP")
    logout(pg)
    login(pg, base, "amran")
    nav(pg, "Persetujuan RAB & PKS")
    rab_form = pg.locator("main section.card", has_text=COMPANY).locator("form", has_text="RAB")
    assert "Rp 22.400.000" in rab_form.inner_text()
    click(pg, "Setujui RAB", scope=rab_form)
    assert "RAB disetujui." in flashes(pg)
    assert "Tidak ada RAB atau PKS yang menunggu persetujuan." in pg.locator("main").inner_text()
    pg.goto(coop_url)
    history = pg.locator("ol.chatter").inner_text()
    assert "RAB: dikembalikan" in history and RETURN_REASON in history and "PKS: disetujui" in history
    panel = pg.locator(".run-panel").inner_text()
    assert re.search(r"5\. Membuat Rencana Anggaran Biaya.*selesai", panel), panel
    logout(pg)

    # ---- Step 6: the training section runs and ends the batch (training screens).
    login(pg, base, "sartika")
    nav(pg, "Angkatan")
    click(pg, "Angkatan II", role="link")
    click(pg, "Ubah status ke: Berjalan")
    for status in ("Mengikuti pelatihan", "Lulus"):
        pg.get_by_label(GUEST, exact=True).check()
        pg.get_by_label("Ubah status peserta terpilih menjadi").select_option(label=status)
        click(pg, "Terapkan", scope=pg.locator("#roster"))
        assert f"1 peserta diubah menjadi {status}." in flashes(pg)
    click(pg, "Selesaikan angkatan")
    assert "Angkatan Angkatan II selesai." in flashes(pg)
    logout(pg)
    training_held(app, batch.id)
    event = lsp_schedules_test(app, batch.id)

    # ---- Step 7 (Sub Koordinator Penyelenggaraan): the LSP's test linked; the company has not paid yet.
    login(pg, base, "ridwan")
    pg.goto(visit_url)
    assert "7. Melaksanakan uji kompetensi" in pg.locator(".run-panel").inner_text()
    test = pg.locator("#test")
    test.get_by_label("Jadwal uji kompetensi (modul sertifikasi)").select_option(value=str(event.id))
    click(pg, "Tautkan jadwal", scope=test)
    assert "Jadwal uji kompetensi ditautkan." in flashes(pg)
    assert f"/certification/events/{event.id}" in pg.locator("#test a").first.get_attribute("href")
    pg.goto(coop_visit_url)
    test = pg.locator("#test")
    assert "Uji kompetensi belum dapat dijadwalkan: ID Billing biaya sertifikasi belum diterbitkan." in \
        test.inner_text()
    assert test.get_by_role("button").count() == 0                 # nothing to press before payment
    logout(pg)

    # ---- The ID Billing: "paid" needs the payment date; issued unpaid, the test stays refused; then paid.
    login(pg, base, "nurhayati")
    pg.goto(coop_url)
    billing = pg.locator("#billing")
    billing.get_by_label("ID Billing").fill("820250612345678")
    assert billing.get_by_label("Jumlah tagihan (Rp)").input_value() == "Rp 22.400.000"   # the approved RAB
    billing.get_by_label("Tanggal tagihan").fill(local_today(app).isoformat())
    billing.get_by_label("Sudah dibayar").check()
    click(pg, "Simpan ID Billing", scope=billing)
    assert "Tanggal pembayaran wajib diisi bila sudah dibayar." in pg.locator("#billing").inner_text()
    billing = pg.locator("#billing")
    assert billing.get_by_label("ID Billing").input_value() == "820250612345678"      # kept in the form
    billing.get_by_label("Sudah dibayar").uncheck()
    click(pg, "Simpan ID Billing", scope=billing)
    assert "ID Billing disimpan." in flashes(pg) and "belum dibayar" in pg.locator("#billing").inner_text()
    pg.goto(coop_visit_url)
    test = pg.locator("#test")
    assert "Uji kompetensi belum dapat dijadwalkan: tagihan ID Billing 820250612345678 belum dibayar." in \
        test.inner_text()
    assert test.get_by_role("button").count() == 0
    click(pg, "Buka kerja sama", role="link", scope=pg.locator(".page-head"))
    billing = pg.locator("#billing")
    billing.get_by_label("Sudah dibayar").check()
    billing.get_by_label("Tanggal bayar").fill(local_today(app).isoformat())
    click(pg, "Simpan ID Billing", scope=billing)
    assert "ID Billing disimpan." in flashes(pg)
    assert "lunas" in pg.locator("#billing").inner_text()
    pg.goto(coop_visit_url)
    test = pg.locator("#test")
    assert "belum dapat dijadwalkan" not in test.inner_text()
    assert test.get_by_role("button", name="Tautkan jadwal").count() == 1     # the test may now be linked
    logout(pg)

    # The LSP holds the test and archives it (its own SOP): step 7 of both runs ends.
    lsp_archives_test(event)

    # ---- The runs' timelines, reached by links.
    login(pg, base, "ridwan")
    pg.goto(visit_url)
    assert "Selesai" in pg.locator(".run-panel").inner_text()
    rows = timeline(pg)
    check_page(pg, "kendari-sd-06-run-timeline")
    assert [int(r.split(".")[0]) for r in rows] == [1, 2, 3, 6, 7], rows
    assert all("\tselesai" in r for r in rows), rows
    assert "selesai → Pendaftaran pelatihan" in rows[0] and "5 menit" in rows[0]
    assert "15 menit" in rows[1] and "SK-2025-7471-00123" in rows[1]
    assert "5 hari" in rows[2] and "Diterima dan sudah daftar ulang." in rows[2]
    assert "→ Diterima dan daftar ulang" in rows[2]
    assert "/ JP" in rows[3] and "angkatan pelatihan sudah selesai" in rows[3]
    assert "4 hari" in rows[4] and "uji kompetensi sudah diarsipkan" in rows[4]
    assert "tepat waktu" in rows[0] and "tepat waktu" in rows[1]
    assert "selesai" in pg.locator("main p.muted").first.inner_text()
    pg.goto(coop_visit_url)
    rows = timeline(pg)
    assert [int(r.split(".")[0]) for r in rows] == [1, 4, 5, 6, 7], rows
    assert "selesai → Kerja sama" in rows[0]
    assert "1 hari" in rows[2] and "RAB (Rp 22.400.000) dan PKS PKS/021/BPVP-KDI/2025 disetujui" in rows[2]
    assert "Amran, S.T." in rows[2]
    run_url = pg.url

    # ---- At phone width (the kiosk's tablet and phone): guest book, visit, cooperation with its RAB, run, recap.
    login(phone, base, "hasnah")
    for path, name in ((base + "/service-desk/visits/new", "guest-book"), (visit_url, "visit"),
                       (coop_url, "cooperation"), (run_url, "run"), (base + "/service-desk/recap", "recap")):
        phone.goto(path)
        phone_ok(phone, f"kendari-sd-07-phone-{name}")


# ---------------------------------------------------------------- KDI-PM-06: who only asks or complains; SKM; papers

def test_kendari_public_service_walk(deployment, page, tmp_path):
    """A visitor who only wants information and one who complains end their runs at step 1; the
    visitor rates the service on the kiosk (the maklumat pelayanan on screen); the head answers the
    complaint from "Tugas saya"; the IKM is shown per period; a paper is issued and verifies."""
    import shutil
    import subprocess
    server = deployment("kendari")
    base, app = server.url, server.app
    office(app)
    pg = page

    login(pg, base, "hasnah")
    nav(pg, "Buku tamu")
    has_focus(pg, "f-name")
    pg.get_by_label("Nama tamu").fill("Wa Ode Nurmala")
    pg.locator("#purpose-information").check()
    pg.locator("#f-consent").check()
    click(pg, "Simpan tamu")
    assert "informasi diberikan, layanan selesai" in flashes(pg)
    assert "→ Informasi saja" in pg.locator(".run-panel").inner_text()
    skm_link = pg.locator("#skm a").first.get_attribute("href")
    assert "/layanan/skm?t=" in skm_link and pg.locator("#skm img").count() == 1     # link and QR

    nav(pg, "Buku tamu")
    has_focus(pg, "f-name")
    pg.get_by_label("Nama tamu").fill("La Ode Amir")
    pg.locator("#purpose-complaint").check()
    pg.locator("#f-consent").check()
    click(pg, "Simpan tamu")
    assert pg.locator("#f-notes-err").inner_text() == "Tulis isi pengaduan tamu di catatan."
    pg.locator("#f-notes").fill("Sertifikat pelatihan belum diterima sejak tiga bulan.")
    click(pg, "Simpan tamu")
    assert "pengaduan dicatat di log pengaduan" in flashes(pg)
    assert "→ Pengaduan" in pg.locator(".run-panel").inner_text()
    logout(pg)

    # The visitor, on the kiosk tablet: the pledge, nine questions; one forgotten is pointed at.
    pg.goto(skm_link.replace("http://localhost:8080", base) if skm_link.startswith("http://localhost") else skm_link)
    assert "sanggup menyelenggarakan pelayanan" in pg.locator("#maklumat").inner_text()
    assert "Balai Pelatihan Vokasi dan Produktivitas Kendari" in pg.locator("#maklumat").inner_text()
    for i in range(1, 9):
        pg.locator(f"#f-u{i}-4" if i % 2 else f"#f-u{i}-3").check()
    check_page(pg, "kendari-sd-08-skm-kiosk")
    click(pg, "Kirim penilaian")
    assert pg.locator("#f-u9-err").inner_text() == "Pilih salah satu jawaban."
    assert pg.locator("#f-u1-4").is_checked()                        # what was chosen is kept
    pg.locator("#f-u9-3").check()
    click(pg, "Kirim penilaian")
    assert "Terima kasih" in pg.locator("main").inner_text()

    # The head answers the complaint from "Tugas saya"; the IKM page shows the period's index.
    login(pg, base, "amran")
    click(pg, "Jawab pengaduan: Pengaduan tamu La Ode Amir", role="link")
    pg.get_by_label("Jawaban / tindak lanjut").fill("Sertifikat sudah dicetak; dapat diambil di front office.")
    click(pg, "Simpan jawaban")
    assert "Jawaban pengaduan disimpan." in flashes(pg)
    assert "tepat waktu" in pg.locator("main").inner_text()
    nav(pg, "Indeks kepuasan (IKM)")
    table = pg.locator("main table").inner_text()
    # (4+3+4+3+4+3+4+3+3)/9 × 25 = 86,11 → B (Baik)
    assert "86,11" in table and "B (Baik)" in table
    assert pg.locator("main svg").count() == 1
    check_page(pg, "kendari-sd-09-ikm")
    logout(pg)

    # A paper of the SOP: the registration receipt, issued as a PDF that verifies.
    from core import db
    from plugins.service_desk.models import GuestVisit
    batch = open_batch(app)
    login(pg, base, "hasnah")
    nav(pg, "Buku tamu")
    has_focus(pg, "f-name")
    pg.get_by_label("Nama tamu").fill(GUEST)
    pg.locator("#f-consent").check()
    click(pg, "Simpan tamu")
    reg = pg.locator("#registration")
    choose(reg.get_by_label("Angkatan pelatihan"), BATCH)
    reg.get_by_label("NIK").fill(GUEST_NIK)
    reg.get_by_label("Jenis kelamin").select_option(label="Laki-laki")
    reg.get_by_label("Tanggal lahir").fill((local_today(app) + 3 * D).isoformat())      # a slip of the finger
    reg.get_by_label("Nomor bukti pendaftaran SIAPkerja").fill("SK-2025-7471-00999")
    click(pg, "Daftarkan", scope=reg)
    assert "Tanggal tidak boleh di masa depan" in pg.locator("#f-birth_date-err").inner_text()
    pg.locator("#registration").get_by_label("Tanggal lahir").fill("2000-08-15")
    click(pg, "Daftarkan", scope=pg.locator("#registration"))
    click(pg, "Terbitkan bukti pendaftaran")
    assert re.search(r"/documents/\d+$", pg.url), pg.url
    assert "diterbitkan" in flashes(pg)
    with db.connection():
        assert GuestVisit.get(GuestVisit.name == GUEST).enrolment_id is not None
    pdf_link = pg.locator("a[href$='/pdf']").first.get_attribute("href")
    pdf = pg.request.get(base + pdf_link if pdf_link.startswith("/") else pdf_link)
    assert pdf.headers["content-type"].startswith("application/pdf")
    path = tmp_path / "bukti.pdf"
    path.write_bytes(pdf.body())
    if shutil.which("pdftoppm"):             # poppler renders it as a page image
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path), str(tmp_path / "bukti")], check=True)
        assert (tmp_path / "bukti.png").stat().st_size > 5000
    else:                                    # without poppler: the PDF reads back with the guest on it
        from pypdf import PdfReader
        assert GUEST in " ".join(p.extract_text() for p in PdfReader(str(path)).pages)
    verify = pg.locator("a[href*='/verify/']").first.get_attribute("href")
    pg.goto(base + verify[verify.index("/verify/"):])
    assert "Bukti Pendaftaran Pelatihan" in pg.locator("main").inner_text()
    assert batch.id


def papers_ready(app):
    """A guest registered, selected and re-registered, and a cooperation whose RAB and PKS the head
    approved — the steps the walk above does in the browser, done here through the services so that
    this test is about the papers."""
    from decimal import Decimal as Dec

    from core import db
    from core.context import set_actor
    from core.identity import User
    from plugins.service_desk import cooperation, selection, service
    batch = open_batch(app)
    today = local_today(app)
    with db.connection():
        people = {u.username: u for u in User.select().where(User.username.in_(["hasnah", "ridwan", "nurhayati",
                                                                                 "amran"]))}
        try:
            set_actor(people["hasnah"])
            visit = service.create_visit(app, people["hasnah"], {"name": GUEST, "category": "umum",
                                                                 "purpose": "registration", "phone": "081245678901"})
            enrolment = selection.register_guest(app, visit, people["hasnah"], batch,
                                                 {"nik": GUEST_NIK, "sex": "L", "birth_date": datetime.date(2000, 8, 15),
                                                  "siapkerja_ref": "SK-2025-7471-00999"})
            partner = service.create_visit(app, people["hasnah"], {"name": CONTACT, "category": "industri",
                                                                   "purpose": "cooperation", "organisation": COMPANY})
            set_actor(people["ridwan"])
            selection.save_setting(batch, {"cbt_weight": Dec(60), "interview_weight": Dec(40), "pass_mark": Dec(70),
                                           "reserve_mark": Dec(60)})
            selection.save_scores(batch, {enrolment.id: {"cbt_score": Dec(85), "interview_score": Dec(80)}})
            selection.finalise_selection(app, batch, people["ridwan"])
            selection.move_enrolment(batch, enrolment.id, "reregistered")
            set_actor(people["nurhayati"])
            coop = service.cooperation_of(partner)
            cooperation.save_minutes(app, coop, people["nurhayati"], {
                "kind": "training_certification", "meeting_date": today, "attendees": f"{CONTACT}; Nurhayati, S.E.",
                "minutes": "Sertifikasi 16 operator komputer PT Anugrah Nikel Sultra.", "follow_up": "RAB dan PKS"})
            cooperation.add_rab_line(coop, {"item": "Biaya uji kompetensi", "volume": Dec(16), "unit": "orang",
                                            "unit_cost": Dec(650000)})
            cooperation.save_pks(coop, {"number": "PKS/017/BPVP-KDI/2026", "scope": "Pelatihan dan sertifikasi",
                                        "parties": f"1. BPVP Kendari\n2. {COMPANY}", "period_start": today,
                                        "period_end": today + 300 * D})
            cooperation.submit(coop, "rab")
            cooperation.submit(coop, "pks")
            set_actor(people["amran"])
            cooperation.decide(app, coop, "rab", people["amran"], True)
            cooperation.decide(app, coop, "pks", people["amran"], True)
        finally:
            set_actor(None)
    return batch, visit, enrolment, coop


def test_kendari_papers_are_pdfs_that_verify(deployment, page):
    """Each paper of KDI-PM-06 is issued in the browser by the section whose record it is, downloads
    as a PDF with what the office needs on it, and verifies at /verify/<token>."""
    import io

    from pypdf import PdfReader
    server = deployment("kendari")
    base, app = server.url, server.app
    office(app)
    batch, visit, enrolment, coop = papers_ready(app)
    pg = page
    visit_url, selection_url = f"/service-desk/visits/{visit.id}", f"/service-desk/selection/{batch.id}"
    coop_url = f"/service-desk/cooperations/{coop.id}"
    papers = [  # (who, page, button, title at /verify, words in the PDF)
        ("hasnah", visit_url, "Terbitkan bukti pendaftaran", "Bukti Pendaftaran Pelatihan",
         ["BUKTI PENDAFTARAN PELATIHAN", "SK-2025-7471-00999", "Kendari,", "Wa Ode Hasnah"]),
        ("ridwan", selection_url, "Terbitkan rekap nilai seleksi", "Rekap Nilai Hasil Seleksi",
         ["REKAP NILAI HASIL SELEKSI", "83,00", "Kendari,", "La Ode Muhammad Ridwan, S.T."]),
        ("ridwan", selection_url, "Terbitkan pengumuman kelulusan", "Pengumuman Kelulusan Seleksi",
         ["PENGUMUMAN KELULUSAN", GUEST, "Amran, S.T."]),
        ("ridwan", visit_url, "Terbitkan formulir daftar ulang", "Formulir Daftar Ulang Peserta Pelatihan",
         ["FORMULIR DAFTAR ULANG", GUEST]),
        ("ridwan", selection_url, "Terbitkan surat permintaan uji kompetensi", "Surat Permintaan Uji Kompetensi",
         ["SURAT PERMINTAAN UJI KOMPETENSI", GUEST, "Amran, S.T."]),
        ("nurhayati", coop_url, "Terbitkan notulen", "Notulen Hasil Pertemuan",
         ["NOTULEN HASIL PERTEMUAN", "Sertifikasi 16 operator komputer", "Nurhayati, S.E."]),
        ("nurhayati", coop_url, "Terbitkan RAB", "Rencana Anggaran Biaya",
         ["Rp 10.400.000", "sepuluh juta empat ratus ribu rupiah", "Amran, S.T.", "Nurhayati, S.E."]),
        ("nurhayati", coop_url, "Terbitkan PKS dari templat", "Perjanjian Kerja Sama",
         ["PERJANJIAN KERJA SAMA", "PKS/017/BPVP-KDI/2026", COMPANY]),
    ]
    who = None
    for n, (user, url, button, title, words) in enumerate(papers):
        if user != who:
            if who:
                logout(pg)
            login(pg, base, user)
            who = user
        pg.goto(base + url)
        click(pg, button)
        assert re.search(r"/documents/\d+$", pg.url), (button, pg.url)
        assert "diterbitkan" in flashes(pg), button
        pdf_link = pg.locator("a[href$='/pdf']").first.get_attribute("href")
        pdf = pg.request.get(base + pdf_link if pdf_link.startswith("/") else pdf_link)
        assert pdf.headers["content-type"].startswith("application/pdf"), button
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).split())
        for word in words:
            assert " ".join(word.split()) in text, (button, word)
        verify = pg.locator("a[href*='/verify/']").first.get_attribute("href")
        pg.goto(base + verify[verify.index("/verify/"):])
        assert title in pg.locator("main").inner_text(), (button, title)
        if n == 6:
            check_page(pg, "kendari-sd-10-rab-verified")


# ---------------------------------------------------------------- KDI/PM/09, one wave from step 1 to step 9

def ended_batch(app):
    """A sewing batch that ended a month and three days ago: its +1 wave is open (the training
    section ends it through its service, which creates the waves)."""
    from core import audit, db
    from plugins.tracer_survey import service
    from plugins.training import service as training
    from plugins.training.models import Batch, Enrolment, Person, Programme
    today = service.local_today(app)
    end = service.add_months(today, -1) - 3 * D
    with db.connection():
        with db.write():
            prog = audit.create(Programme, code="GAR-MJP", title="Menjahit Pakaian", field="Garmen", total_jp=240)
            batch = audit.create(Batch, programme=prog, name="Angkatan I", start_date=end - 40 * D, end_date=end,
                                 quota=16, reg_opens=end - 80 * D, reg_closes=end - 50 * D, status="running")
            for i, (name, phone, graduated) in enumerate(ALUMNI, start=1):
                female = name.startswith(("Wa Ode", "Nur"))
                person = audit.create(Person, nik=f"747102{10 + i + (40 if female else 0):02d}0399{i:04d}", name=name,
                                      sex="P" if female else "L", phone=phone)
                audit.create(Enrolment, person=person, batch=batch,
                             status="graduated" if graduated else "not_graduated")
        training.end_batch(Batch.get_by_id(batch.id))
    return batch


def test_kendari_tracer_walk(deployment, page, phone):
    server = deployment("kendari")
    base, app = server.url, server.app
    make_user(app, "irfan", ["pengantar_kerja"], full_name="Irfan Saputra, S.Sos.", nip="199001172015031003",
              rank="Penata Muda Tk. I / III.b")
    make_user(app, "nurhayati", ["sub_koordinator_pemberdayaan"], full_name="Nurhayati, S.E.",
              nip="198405102009012007", rank="Penata Tk. I / III.d")
    ended_batch(app)
    pg = page

    # ---- Step 1 (Pengantar Kerja): the open +1 wave, its roster of graduates confirmed.
    login(pg, base, "irfan")
    nav(pg, "Gelombang survei")
    waves = pg.locator("main table").first.inner_text()
    assert "GAR-MJP — Menjahit Pakaian" in waves and "Dibuka" in waves and "Belum dibuka" in waves
    click(pg, "+1 bulan", role="link")
    wave_url = pg.url
    record = pg.locator("dl.record").inner_text()
    assert "+1 bulan setelah pelatihan" in record and "Dibuka" in record and "0 / 3" in record
    roster = pg.locator("main table").last.inner_text()
    assert all(name in roster for name, _p, graduated in ALUMNI if graduated) and "Muh. Taufik" not in roster
    assert "tidak valid" in pg.locator("main table tr", has_text="Nur Fadillah").inner_text()    # a landline
    check_page(pg, "kendari-tr-01-wave")
    click(pg, "Konfirmasi daftar alumni")
    assert "Langkah 1 SOP KDI/PM/09 dicatat selesai." in flashes(pg)

    # ---- Step 2: the vacancies gathered (refused while the board is empty).
    click(pg, "Lowongan terhimpun")
    assert "Papan lowongan belum berisi lowongan yang masih dibuka." in flashes(pg, "error")
    click(pg, "Papan lowongan", role="link", scope=pg.locator("ul.steps-help"))
    click(pg, "Tambah", role="link")
    pg.get_by_label("Perusahaan").fill("PT Sultra Garmen Mandiri")
    pg.get_by_label("Posisi").fill("Operator Jahit")
    pg.get_by_label("Lokasi").fill("Kota Kendari")
    pg.get_by_label("Batas lamaran").fill((local_today(app) + 20 * D).isoformat())
    pg.get_by_label("Sumber (mis. Karirhub, Disnaker, Instagram)").fill("Karirhub Kemnaker")
    click(pg, "Simpan")
    assert "Data tersimpan." in flashes(pg)                         # the optional fields left blank
    pg.goto(wave_url)
    click(pg, "Lowongan terhimpun")
    assert "Langkah 2 SOP KDI/PM/09 dicatat selesai." in flashes(pg)

    # ---- Step 3: shared with the wave's alumni.
    pg.get_by_label(re.compile("Operator Jahit — PT Sultra Garmen Mandiri")).check()
    pg.get_by_label("Saluran").select_option(label="Grup WA alumni")
    click(pg, "Catat dibagikan ke semua alumni")
    assert "1 lowongan dicatat dibagikan ke 3 alumni." in flashes(pg)
    assert "Langkah 3 SOP KDI/PM/09 dicatat selesai." in flashes(pg)

    # ---- Step 4: invitations; WhatsApp links with the personal survey link in the message.
    click(pg, "Hubungi alumni", role="link")
    wa = pg.locator("a.wa-link")
    assert wa.count() == 2                                          # the landline has no WhatsApp
    href = pg.locator("tr", has_text="Wa Ode Sitti Rahma").locator("a.wa-link").get_attribute("href")
    assert href.startswith("https://wa.me/6282145678901?text=Halo%20Wa%20Ode%20Sitti%20Rahma")
    assert "Bukan nomor HP Indonesia yang valid" in pg.locator("tr", has_text="Nur Fadillah").inner_text()
    survey_link = pg.locator("tr", has_text="Wa Ode Sitti Rahma").locator("a[href*='/survey/']").get_attribute("href")
    assert survey_link.startswith(base + "/survey/")
    # base_url is not set in kendari.ini: the links take this browser's address; the clerk is warned.
    assert "base_url belum diatur" in pg.locator("#link-warning").inner_text()
    check_page(pg, "kendari-tr-02-contact")
    pg.get_by_label("Alumni", exact=True).select_option(label="Semua alumni")
    pg.get_by_label("Saluran").select_option(label="WhatsApp pribadi")
    click(pg, "Catat undangan terkirim")
    assert "Kontak dengan 3 alumni dicatat." in flashes(pg)
    assert "Langkah 4 SOP KDI/PM/09 dicatat selesai." in flashes(pg)

    # ---- The alumna answers on her phone, without an account (a refusal first: the employer).
    phone.goto(survey_link)
    assert "Halo Wa Ode Sitti Rahma" in phone.locator("main").inner_text()
    phone.get_by_label("Bekerja", exact=True).check()
    go(phone, lambda: phone.get_by_role("button", name="Kirim jawaban").click())
    assert phone.locator("#f-employer-err").inner_text() == "Wajib diisi jika Anda bekerja atau berwirausaha."
    phone.get_by_label("Nama perusahaan / usaha").fill("CV Busana Anoa")
    phone.get_by_label("Jabatan / pekerjaan").fill("Penjahit")
    phone.get_by_label("Bidang usaha").select_option(label="Industri pengolahan")
    phone.get_by_label("Mulai bekerja / berusaha sejak").fill((local_today(app) - 10 * D).isoformat())
    phone.get_by_label("Penghasilan per bulan").select_option(label="Rp2–3 juta")
    phone.get_by_label("4", exact=True).check()
    phone.get_by_label("Cara mendapatkan pekerjaan").select_option(label="Informasi dari BPVP / pengantar kerja")
    phone.get_by_label("Jenis tempat kerja").select_option(label="Perusahaan swasta")
    phone.get_by_label("Tingkat tempat kerja").select_option(label="Lokal / wilayah")
    phone.get_by_label("Kabupaten/kota tempat kerja").fill("Kota Kendari")
    phone.get_by_label(re.compile("^Saya setuju data jawaban ini")).check()
    phone_ok(phone, "kendari-tr-03-phone-survey-form")
    go(phone, lambda: phone.get_by_role("button", name="Kirim jawaban").click())
    assert "Terima kasih, jawaban Anda tersimpan." in flashes(phone)
    phone_ok(phone, "kendari-tr-04-phone-survey-saved")

    # ---- Step 5: reminders to those who have not answered.
    pg.goto(wave_url + "/contact?kind=reminder")
    assert "Bekerja" in pg.locator("tr", has_text="Wa Ode Sitti Rahma").inner_text()
    pg.get_by_label("Alumni", exact=True).select_option(label="Semua yang belum menjawab")
    pg.get_by_label("Saluran").select_option(label="WA blast")
    click(pg, "Catat pengingat terkirim")
    assert "Kontak dengan 2 alumni dicatat." in flashes(pg)
    assert "Langkah 5 SOP KDI/PM/09 dicatat selesai." in flashes(pg)

    # ---- Steps 6–7: collecting before closing is refused; the survey closed; the data collected.
    click(pg, "Kembali ke gelombang", role="link")
    click(pg, "Data survei terkumpul")
    assert "Langkah 7 tidak sedang terbuka (run berada di langkah 6)." in flashes(pg, "info")
    click(pg, "Tutup pengisian survei")
    assert "ditutup petugas" in pg.locator("dl.record").inner_text()
    assert "Caturwulan" in pg.locator("dl.record").inner_text()        # the SOP's reporting period
    # ONE run for the batch: step 6 (alumni answering) ends when its last wave (+3, +6) is closed too.
    assert "Langkah 6 SOP KDI/PM/09" not in flashes(pg)
    for later in ("+3 bulan", "+6 bulan"):
        nav(pg, "Gelombang survei")
        click(pg, later, role="link")
        click(pg, "Tutup pengisian survei")
    assert "Semua gelombang angkatan ini ditutup: langkah 6 SOP KDI/PM/09 dicatat selesai." in flashes(pg)
    pg.goto(wave_url)
    phone.goto(survey_link)                                          # the link now only says it is closed
    assert "sudah ditutup" in phone.locator("main").inner_text()
    assert phone.get_by_role("button", name="Simpan perbaikan").count() == 0
    click(pg, "Data survei terkumpul")
    assert "Langkah 7 SOP KDI/PM/09 dicatat selesai." in flashes(pg)

    # ---- Step 8: the recap (1 of 3 answered, all of them working), confirmed.
    click(pg, "Rekap", role="link", scope=pg.locator(".page-head"))
    row = pg.locator("#recap-waves tbody tr").first
    cells = row.locator("td").all_inner_texts()
    assert cells[:6] == ["GAR-MJP", "Angkatan I", "+1", "3", "1", "33,3%"], cells
    assert cells[6:10] == ["100,0%", "0,0%", "0,0%", "0,0%"], cells
    missing = pg.locator("#nonresponders").inner_text()
    assert "La Ode Ahmad Fauzan" in missing and "Nur Fadillah" in missing and "Wa Ode Sitti Rahma" not in missing
    assert pg.locator("main svg").count() >= 2
    check_page(pg, "kendari-tr-05-recap")
    click(pg, "Konfirmasi rekap gelombang ini (langkah 8)")
    assert "Langkah 8 SOP KDI/PM/09 dicatat selesai." in flashes(pg)
    logout(pg)

    # ---- Step 9 (Sub Koordinator Pemberdayaan): export for SMILe, then record the report.
    login(pg, base, "nurhayati")
    nav(pg, "Gelombang survei")
    click(pg, "+1 bulan", role="link")
    with pg.expect_download() as download:
        pg.locator("ul.steps-help").get_by_role("link", name="CSV", exact=True).click()
    csv_text = open(download.value.path(), encoding="utf-8-sig").read()
    lines = csv_text.strip().splitlines()
    assert lines[0] == "NIK,Nama,Status Kebekerjaan,Nama Perusahaan,Tanggal Mulai Kerja"
    assert len(lines) == 2 and "Wa Ode Sitti Rahma,Bekerja,CV Busana Anoa" in lines[1]
    pg.get_by_label("Nomor/referensi laporan SMILe").fill("Diunggah ke SMILe, tanda terima 2025/KDI/117")
    click(pg, "Sudah dilaporkan ke SMILe")
    assert "Langkah 9 SOP KDI/PM/09 dicatat selesai." in flashes(pg)
    assert "Selesai" in pg.locator(".run-panel").inner_text()

    # ---- The run's timeline: nine steps against their standards, by whom.
    rows = timeline(pg)
    assert [int(r.split(".")[0]) for r in rows] == list(range(1, 10)), rows
    assert all("\tselesai" in r for r in rows), rows
    assert "2 hari" in rows[0] and "Daftar alumni dikonfirmasi: 3 orang." in rows[0]
    assert "semua gelombang survei ditutup" in rows[5]
    assert "2 jam" in rows[7] and "Rekap: 1/3 menjawab (33,3%); bekerja 1" in rows[7]
    assert "1 jam" in rows[8] and "Nurhayati, S.E." in rows[8] and "tanda terima 2025/KDI/117" in rows[8]
    check_page(pg, "kendari-tr-06-run-timeline")

    # ---- The recap report paper: letterhead, number, her signature; a PDF that verifies.
    pg.goto(base + f"/tracer/recap?wave={wave_url.rsplit('/', 1)[1]}")
    click(pg, "Terbitkan laporan rekap")
    assert "Laporan rekap diterbitkan" in flashes(pg)
    paper = pg.locator("main").inner_text()
    assert "LAPORAN HASIL SURVEI KEBEKERJAAN ALUMNI" in paper and "Nurhayati, S.E." in paper and "33,3%" in paper
    check_page(pg, "kendari-tr-06b-recap-paper")
    logout(pg)

    # ---- The job placement officer on his phone (where WhatsApp is): wave, contacts, recap at 375 px.
    login(phone, base, "irfan")
    phone.goto(wave_url)
    phone_ok(phone, "kendari-tr-07-phone-wave")
    phone.goto(wave_url + "/contact")
    assert phone.locator("a.wa-link").count() == 2
    phone_ok(phone, "kendari-tr-08-phone-contact")
    phone.goto(base + "/tracer/recap")
    phone_ok(phone, "kendari-tr-09-phone-recap")


# ---------------------------------------------------------------- the deployment's demo

def test_kendari_demo(deployment, page, capsys):
    from core import db, demo
    server = deployment("kendari")
    base, app = server.url, server.app
    capsys.readouterr()
    with db.connection():
        assert demo.load(app) == 0
    out = capsys.readouterr().out
    assert "Data demo untuk BPVP Kendari" in out
    for plugin in ("training", "service_desk", "tracer_survey", "certification"):
        assert f"\n  {plugin}: " in out, out
    users = dict(re.findall(r"^  (\S+)\s+(\S+-\S+-\d{3})\s+\S.*$",
                            out.split("kata sandi hanya ditampilkan sekali ini:")[1], re.M))
    staff = {r.code.replace("_", ".") for r in app.roles.values() if not r.external}
    assert set(users) == staff, out                                  # one demo user per staff role
    for role in ("petugas.kios", "sub.koordinator.penyelenggaraan", "sub.koordinator.pemberdayaan",
                 "kepala.bpvp", "pengantar.kerja"):
        assert role in users
    assert not {"pihak.ketiga", "lsp", "alumni"} & set(users)         # outsiders get no account
    assert "training.delivery" not in out and "Rencana kerja" not in out

    with db.connection():
        assert demo.load(app) == 0                                   # again: nothing new, no password
    again = capsys.readouterr().out
    assert "Pengguna demo sudah ada" in again
    assert not any(password in again for password in users.values())

    # The kiosk officer logs in with the printed password: tasks, one of them overdue.
    login(page, base, "petugas.kios", users["petugas.kios"])
    assert page.url.endswith("/tasks")
    rows = page.locator("table.tasks tbody tr")
    assert rows.count() >= 1 and "Tidak ada tugas" not in rows.first.inner_text()
    late = rows.filter(has_text="terlambat")
    assert late.count() >= 1
    assert "KDI-PM-06" in late.first.inner_text()
    screenshot(page, "kendari-demo-tasks")
    menu = page.get_by_role("navigation", name="Navigasi utama").inner_text()
    assert "Buku tamu" in menu and "Rekap tamu" in menu
    click(page, re.compile("Tamu: "), role="link", scope=late.first)
    assert "terlambat" in page.locator("section.current-step").inner_text()
    logout(page)

    # Service desk and tracer menus; nothing of the other deployments' plugins.
    login(page, base, "sub.koordinator.pemberdayaan", users["sub.koordinator.pemberdayaan"])
    menu = page.get_by_role("navigation", name="Navigasi utama").inner_text()
    for entry in ("Kunjungan", "Kerja sama", "Gelombang survei", "Lowongan kerja", "Rekap kebekerjaan"):
        assert entry in menu, menu
    assert "Rencana kerja" not in menu and "Layanan Tamu".upper() in menu.upper()
    logout(page)
    login(page, base, "admin", users["admin"])
    menu = page.get_by_role("navigation", name="Navigasi utama").inner_text()
    assert "Buku tamu" in menu and "Gelombang survei" in menu and "Jadwal uji kompetensi" in menu
    for absent in ("Rencana kerja", "Jawaban terlambat", "Templat surat"):   # training_delivery leaves no trace
        assert absent not in menu, menu
    assert page.goto(base + "/delivery").status == 404
