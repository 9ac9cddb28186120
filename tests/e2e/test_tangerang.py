"""Dinas Ketenagakerjaan Kota Tangerang in a real browser: SOP PSM/DISNAKER-10 (fasilitasi sertifikasi)
walked from step 1 to step 8 by its roles in turn, as people would, and the deployment's demo.

Reference data (scheme, TUK, assessors, a graduated training batch) is made in Python through the
audit layer; every SOP step is done in the browser.
"""
import datetime
import re
import urllib.parse
import zoneinfo

from browser import check_page, horizontal_overflow, login, logout

from core.testing import make_user

# the deployment's day (WIB), as the app counts it: not the server's, the day before between 17:00 and 24:00 UTC
TODAY = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta")).date()
SCHEME = "Operator Komputer Madya"
TUK = "TUK Sewaktu UPT Pelatihan Kerja Kota Tangerang"
HEAD, HEAD_NIP = "Rina Marlina, S.T.", "197805122005012003"
HENDRA, BAMBANG = "Hendra Wijaya, S.Kom.", "Bambang Hartono"
GRADUATES = ["Ahmad Fauzi", "Budi Santoso", "Citra Lestari", "Dewi Anggraini"]
UNITS = [("J.63OPR00.001.2", "Mengoperasikan sistem operasi"),
         ("J.63OPR00.004.2", "Mengoperasikan perangkat lunak pengolah kata")]
ITEMS = [("equipment", "Komputer dan printer sesuai jumlah peserta"), ("room", "Laboratorium komputer ber-AC")]
CERT_NO = "62090 2424 3 0000001 2026"
RETURN_REASON = "Rekomendasi untuk peserta BK belum menyebut unit yang harus diulang"


# ---------------------------------------------------------------- what a person does

def go(pg, action):
    """Do something that loads a new page (click a link or a button) and wait for it."""
    with pg.expect_navigation():
        action()


def click(pg, name, scope=None, role="button"):
    go(pg, lambda: (scope or pg).get_by_role(role, name=name, exact=True).click())


def flashes(pg, kind=None):
    sel = f".flash-{kind}" if kind else "main > .flash"
    return " | ".join(pg.locator(sel).all_inner_texts())


def nav(pg, label):
    go(pg, lambda: pg.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=label, exact=True).click())


def tab_to(pg, element_id, limit=80):
    """Press Tab (only Tab) until the element has the focus."""
    for _ in range(limit):
        pg.keyboard.press("Tab")
        if pg.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def open_event_from_tasks(pg):
    """From "Tugas saya": the task's run, then the test event it belongs to."""
    assert pg.url.endswith("/tasks")
    go(pg, lambda: pg.locator("table.tasks").get_by_role("link", name=re.compile(SCHEME)).first.click())
    assert "/runs/" in pg.url
    click(pg, "Buka data", role="link")
    assert "/certification/events/" in pg.url


def phone_ok(pg, name):
    assert not horizontal_overflow(pg), f"{name} scrolls sideways at 375 px"
    check_page(pg, name)


# ---------------------------------------------------------------- reference data (not an SOP step)

def reference(app, asesor_user, head_user):
    from core import audit, db
    from plugins.certification.models import Assessor, AssessorScheme, ChecklistItem, Scheme, SchemeUnit, Tuk
    from plugins.training.models import Batch, Enrolment, Person, Programme
    with db.connection(), db.write():
        scheme = audit.create(Scheme, code="OKM", number="SKM/LSP-DTNG/01/2023", title=SCHEME, kind="kkni",
                              validity_years=3)
        for code, title in UNITS:
            audit.create(SchemeUnit, scheme=scheme, code=code, title=title)
        for category, label in ITEMS:
            audit.create(ChecklistItem, scheme=scheme, category=category, label=label)
        audit.create(Tuk, name=TUK, kind="sewaktu", address="Jl. Perintis Kemerdekaan No. 1, Cikokol", capacity=3,
                     head_name=HEAD, head_nip=HEAD_NIP, head_user=head_user)      # only she signs as Kepala TUK
        for name, met, days, user in [(HENDRA, "MET.000.001234.2019", 500, asesor_user),
                                      (BAMBANG, "MET.000.000777.2015", -45, None)]:
            a = audit.create(Assessor, name=name, met_number=met, met_expiry=TODAY + datetime.timedelta(days=days),
                             user=user)
            audit.create(AssessorScheme, assessor=a, scheme=scheme)
        prog = audit.create(Programme, code="TIK-OKM", title="Operator Komputer", field="TIK", total_jp=240)
        batch = audit.create(Batch, programme=prog, name="Angkatan I", start_date=TODAY - datetime.timedelta(days=70),
                             end_date=TODAY - datetime.timedelta(days=10), quota=16,
                             reg_opens=TODAY - datetime.timedelta(days=100),
                             reg_closes=TODAY - datetime.timedelta(days=75), status="ended")
        for i, name in enumerate(GRADUATES):
            person = audit.create(Person, nik=f"36710{i + 1}4{i + 1}0595000{i + 1}", name=name, sex="P" if i % 2 else "L",
                                  phone=f"0812345678{i}")
            audit.create(Enrolment, person=person, batch=batch, status="graduated")


# ---------------------------------------------------------------- the walk

def test_tangerang_walk(deployment, page, phone):
    server = deployment("tangerang")
    base = server.url
    make_user(server.app, "siti.adm", ["bagian_administrasi"], full_name="Siti Rahmawati",
              nip="198203152006042011", rank="Penata / III.c")
    head = make_user(server.app, "rina.tuk", ["kepala_tuk"], full_name=HEAD, nip=HEAD_NIP, rank="Penata Tk. I / III.d")
    make_user(server.app, "agus.teknis", ["teknis_operasional"], full_name="Agus Salim",
              nip="197911202005011004", rank="Penata / III.c")
    asesor = make_user(server.app, "hendra.asesor", ["asesor"], full_name=HENDRA)
    make_user(server.app, "intan.mutu", ["manajemen_mutu"], full_name="Intan Permata",
              nip="198507092010012015", rank="Penata Muda Tk. I / III.b")
    reference(server.app, asesor.id, head.id)
    pg = page

    # ---- Step 1 (Bagian Administrasi): schedule the test; the form refuses first, as a person meets it.
    login(pg, base, "siti.adm")
    nav(pg, "Jadwal uji kompetensi")
    click(pg, "Jadwal baru", role="link")
    check_page(pg, "tangerang-01-event-form")
    pg.get_by_label("Skema sertifikasi").select_option(label=f"OKM — {SCHEME}")
    pg.get_by_label(re.compile(r"^TUK\b")).select_option(label=f"{TUK} (3)")
    pg.get_by_label("Tanggal uji").fill(TODAY.isoformat())
    pg.get_by_label("Jam mulai").fill("08:00")
    pg.get_by_label("Jam selesai").fill("15:00")
    pg.get_by_label("Angkatan pelatihan").select_option(label="Operator Komputer — Angkatan I")
    click(pg, "Tampilkan lulusan angkatan ini")              # also lists the assessors licensed for the scheme
    assert pg.locator("#f-assessors label", has_text="Joko").count() == 0
    pg.get_by_label(re.compile(BAMBANG)).check()              # his MET has expired (the form says so)
    assert "MET habis" in pg.locator("label", has_text=BAMBANG).inner_text()
    for name in GRADUATES:                                      # every graduate is proposed
        assert pg.get_by_label(name, exact=True).is_checked()
    click(pg, "Simpan jadwal")
    assert "/events/new" in pg.url
    assert "Periksa isian" in flashes(pg, "error")
    asr_err = pg.locator("#f-assessors-err").inner_text()
    assert f"Registrasi MET {BAMBANG} (MET.000.000777.2015) sudah habis berlaku" in asr_err
    cand_err = pg.locator("#f-candidates-err").inner_text()
    assert f"Melebihi kapasitas {TUK}: 4 peserta, kapasitas 3." in cand_err
    assert pg.get_by_label("Jam mulai").input_value() == "08:00"      # what was typed is kept
    check_page(pg, "tangerang-02-event-form-refused")
    pg.get_by_label(re.compile(BAMBANG)).uncheck()
    pg.get_by_label(re.compile("Hendra Wijaya")).check()
    pg.get_by_label("Dewi Anggraini", exact=True).uncheck()
    click(pg, "Simpan jadwal")
    assert re.search(r"/certification/events/\d+$", pg.url), pg.url
    event_url = pg.url
    assert "Jadwal uji tersimpan." in flashes(pg)
    assert "Terjadwal" in pg.locator("dl.record").inner_text()
    people = pg.locator("section", has_text="Peserta (3)")
    for name in GRADUATES[:3]:
        assert name in people.inner_text()
    assert "Dewi Anggraini" not in people.inner_text()

    # Step 1 cannot end before the assessor confirmed; the confirmation is recorded, then the step ends.
    click(pg, "Selesaikan langkah 1")
    assert f"Asesor belum mengonfirmasi kesediaan: {HENDRA}." in flashes(pg, "error")
    click(pg, "Catat bersedia", scope=pg.locator("tr", has_text=HENDRA))
    assert "Konfirmasi dicatat." in flashes(pg)
    assert "Sudah konfirmasi" in pg.locator("tr", has_text=HENDRA).inner_text()
    click(pg, "Selesaikan langkah 1")
    assert "Langkah 1 selesai" in flashes(pg, "success")
    # No raw link on screen: a WhatsApp click-to-chat message carrying the schedule and the personal link.
    assert pg.locator("code.cert-link").count() == 0
    links = {}
    for name in GRADUATES[:3]:
        wa = pg.locator("tr", has_text=name).get_by_role("link", name="Kirim jadwal lewat WhatsApp")
        text = urllib.parse.unquote(wa.get_attribute("href"))
        assert text.startswith("https://wa.me/62812345678") and SCHEME in text and name in text, text
        links[name] = re.search(r"(http://127\.0\.0\.1:\d+/confirm/[\w-]+)", text).group(1)
    logout(pg)

    # ---- Step 2 (Kepala TUK): the readiness checklist, filled with the keyboard only.
    login(pg, base, "rina.tuk")
    assert "\t2. 1. Menerima jadwal uji kompetensi" in pg.locator("table.tasks").inner_text()
    open_event_from_tasks(pg)
    click(pg, "Isi kesiapan sarana", role="link")
    ids = pg.locator("input[type=checkbox][id^=done-]").evaluate_all("els => els.map(e => e.id.slice(5))")
    assert len(ids) == 2
    tab_to(pg, f"done-{ids[0]}")
    pg.keyboard.press("Space")
    tab_to(pg, f"notes-{ids[0]}")
    pg.keyboard.type("3 unit komputer dan 1 printer diuji nyala")
    tab_to(pg, f"done-{ids[1]}")
    pg.keyboard.press("Space")
    tab_to(pg, f"notes-{ids[1]}")
    pg.keyboard.type("AC menyala, 20 kursi")
    go(pg, lambda: pg.keyboard.press("Enter"))
    assert "menunggu Teknis Operasional" in flashes(pg)
    assert pg.locator(f"#done-{ids[0]}").is_checked() and pg.locator(f"#done-{ids[1]}").is_checked()
    assert pg.locator(f"#notes-{ids[1]}").input_value() == "AC menyala, 20 kursi"
    check_page(pg, "tangerang-03-readiness-checklist")
    logout(pg)
    # Step 2 is joint: Teknis Operasional signs it off too, on the run page.
    login(pg, base, "agus.teknis")
    go(pg, lambda: pg.locator("table.tasks").get_by_role("link", name=re.compile(SCHEME)).first.click())
    click(pg, "Tandatangani langkah 2")
    assert "selesai" in flashes(pg).lower()
    logout(pg)

    # ---- Steps 3 and 4 (Bagian Administrasi): readiness information, the candidates' confirmations.
    login(pg, base, "siti.adm")
    pg.goto(event_url)
    click(pg, "Peserta sudah diingatkan — selesaikan langkah 3")
    assert "Langkah 3 selesai." in flashes(pg)
    click(pg, "Konfirmasi lengkap — selesaikan langkah 4")
    assert "Peserta belum konfirmasi: Ahmad Fauzi, Budi Santoso, Citra Lestari." in flashes(pg, "error")

    # Ahmad opens his link on his phone, without an account.
    phone.goto(links["Ahmad Fauzi"])
    assert "Halo, Ahmad Fauzi." in phone.locator("main").inner_text()
    assert SCHEME in phone.locator("main").inner_text() and TUK in phone.locator("main").inner_text()
    phone_ok(phone, "tangerang-04-phone-confirm-link")
    go(phone, lambda: phone.get_by_role("button", name="Ya, saya akan hadir").click())
    assert "Kehadiran Anda sudah tercatat" in phone.get_by_role("status").inner_text()
    phone_ok(phone, "tangerang-05-phone-confirmed")
    phone.goto(links["Ahmad Fauzi"])                      # the link cannot be used twice
    assert "sudah tercatat sebelumnya" in phone.locator("main").inner_text()
    assert phone.get_by_role("button", name="Ya, saya akan hadir").count() == 0

    login(phone, base, "siti.adm")                         # the clerk, on her phone too: links still to send
    phone.goto(event_url)
    assert "Belum konfirmasi" in phone.locator("tr", has_text="Budi Santoso").inner_text()
    assert phone.locator("tr", has_text="Budi Santoso").get_by_role("link", name="Kirim jadwal lewat WhatsApp").count() == 1
    phone_ok(phone, "tangerang-06-phone-event-confirming")

    pg.reload()
    assert re.search(r"Sudah konfirmasi\s+lewat tautan", pg.locator("tr", has_text="Ahmad Fauzi").inner_text())
    click(pg, "Catat akan hadir", scope=pg.locator("tr", has_text="Budi Santoso"))
    click(pg, "Catat berhalangan", scope=pg.locator("tr", has_text="Citra Lestari"))
    assert "Berhalangan" in pg.locator("tr", has_text="Citra Lestari").inner_text()
    click(pg, "Konfirmasi lengkap — selesaikan langkah 4")
    # Intake first: the APL-01 of each candidate still expected (Citra declined), with its four documents.
    assert "belum lengkap untuk: Ahmad Fauzi, Budi Santoso." in flashes(pg, "error")
    for name in ("Ahmad Fauzi", "Budi Santoso"):
        click(pg, "APL-01 belum", scope=pg.locator("tr", has_text=name), role="link")
        pg.get_by_label("Pendidikan terakhir").select_option(label="SMA/SMK")
        pg.get_by_label("Tujuan asesmen").select_option(label="Sertifikasi")
        pg.get_by_label("Catatan wawancara").fill("Siap diuji; membawa KTP asli")
        for label in ("KTP", "Ijazah terakhir", "Pas foto"):
            pg.get_by_label(label).set_input_files({"name": f"{label}.pdf", "mimeType": "application/pdf",
                                                    "buffer": b"%PDF-1.4 " + label.encode()})
        if name == "Ahmad Fauzi":           # the training certificate forgotten: refused next to its field
            click(pg, "Simpan permohonan")
            assert pg.locator("#doc-sertifikat_pelatihan-err").inner_text() == "Unggah berkas ini."
            assert pg.get_by_label("Catatan wawancara").input_value() == "Siap diuji; membawa KTP asli"
            for label in ("KTP", "Ijazah terakhir", "Pas foto"):
                pg.get_by_label(label).set_input_files({"name": f"{label}.pdf", "mimeType": "application/pdf",
                                                        "buffer": b"%PDF-1.4 " + label.encode()})
        pg.get_by_label("Sertifikat pelatihan").set_input_files(
            {"name": "sertifikat.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 sertifikat"})
        click(pg, "Simpan permohonan")
        assert "Permohonan (APL-01) tersimpan." in flashes(pg)
        assert "APL-01 lengkap" in pg.locator("tr", has_text=name).inner_text()
    click(pg, "Konfirmasi lengkap — selesaikan langkah 4")
    assert "Langkah 4 selesai: konfirmasi peserta lengkap." in flashes(pg)
    assert "Siap diuji" in pg.locator("dl.record").inner_text()
    logout(pg)

    # ---- Step 5 on the day: Teknis Operasional records attendance, the assessor the K/BK results.
    login(pg, base, "agus.teknis")
    nav(pg, "Jadwal uji kompetensi")
    go(pg, lambda: pg.locator("tr", has_text=SCHEME).get_by_role("link").first.click())
    assert pg.url == event_url
    click(pg, "Isi kehadiran dan hasil", role="link")
    pg.get_by_label(f"{HENDRA} — Kehadiran").select_option(label="Hadir")
    for name, present in (("Ahmad Fauzi", "Hadir"), ("Budi Santoso", "Hadir"), ("Citra Lestari", "Tidak hadir")):
        pg.get_by_label(f"{name} — Kehadiran").select_option(label=present)
    # A result for the absent candidate: refused in its cell, every value kept, nothing saved.
    pg.get_by_label("Citra Lestari — 1").select_option(label="K")
    click(pg, "Simpan")
    assert "belum ada yang disimpan" in flashes(pg, "error")
    assert "Peserta tidak hadir tidak dapat diberi hasil." in pg.locator("td.grid-bad").inner_text()
    assert pg.get_by_label("Budi Santoso — Kehadiran").input_value() == "1"
    pg.get_by_label("Citra Lestari — 1").select_option(label="—")
    click(pg, "Simpan")
    assert "Kehadiran dan hasil tersimpan." in flashes(pg)
    logout(pg)

    login(pg, base, "hendra.asesor")
    open_event_from_tasks(pg)
    click(pg, "Isi kehadiran dan hasil", role="link")
    assert pg.get_by_label("Ahmad Fauzi — Kehadiran").input_value() == "1"
    for n in (1, 2):
        pg.get_by_label(f"Ahmad Fauzi — {n}").select_option(label="K")
    pg.get_by_label("Budi Santoso — 1").select_option(label="K")
    pg.get_by_label("Budi Santoso — 2").select_option(label="BK")
    pg.get_by_label("Ahmad Fauzi — Rekomendasi asesor").fill("Kompeten pada semua unit; direkomendasikan ke LSP")
    pg.get_by_label("Budi Santoso — Rekomendasi asesor").fill("Perlu uji ulang")
    click(pg, "Simpan dan selesaikan langkah 5")
    assert "menunggu peran lain" in flashes(pg)
    height = pg.evaluate("() => document.documentElement.scrollHeight")
    assert height < 1600, f"the results grid is {height} px tall"
    check_page(pg, "tangerang-07-results")
    logout(pg)
    login(pg, base, "agus.teknis")                 # joint step 5: Teknis Operasional signs the test off too
    pg.goto(event_url + "/results")
    click(pg, "Simpan dan selesaikan langkah 5")
    assert "Langkah 5 selesai: uji kompetensi dilaksanakan." in flashes(pg)
    logout(pg)
    login(pg, base, "hendra.asesor")
    pg.goto(event_url + "/results")

    # ---- Step 6: the berita acara, signed by the assessor, then by the head of the TUK.
    click(pg, "Kembali ke jadwal", role="link")
    click(pg, "Buka berita acara", role="link")
    assert pg.get_by_label("Sebagai asesor").input_value() != ""
    click(pg, "Tandatangani sebagai asesor")
    assert "Berita acara ditandatangani." in flashes(pg)
    assert pg.get_by_role("button", name="Tandatangani sebagai Kepala TUK").count() == 0
    logout(pg)

    login(pg, base, "rina.tuk")
    open_event_from_tasks(pg)
    click(pg, "Buka berita acara", role="link")
    assert f"{HEAD}, NIP {HEAD_NIP}" in pg.locator("section.card", has_text="Tandatangani berita acara").inner_text()
    click(pg, "Tandatangani sebagai Kepala TUK")
    assert "Berita acara ditandatangani. Langkah 6 selesai." in flashes(pg)
    check_berita_acara(pg)
    check_page(pg, "tangerang-08-berita-acara")
    logout(pg)

    # ---- Step 7 (Manajemen Mutu): returned once with a reason, then approved.
    login(pg, base, "intan.mutu")
    open_event_from_tasks(pg)
    click(pg, "Kaji berita acara", role="link")
    pg.get_by_role("button", name="Kembalikan untuk diperbaiki").click()      # no reason: the browser stops it
    assert pg.url.endswith("/report")
    assert pg.evaluate("() => document.getElementById('rv-reason').validity.valueMissing")
    pg.get_by_label("Alasan pengembalian ke langkah 6").fill(RETURN_REASON)
    click(pg, "Kembalikan untuk diperbaiki")
    assert "Dikembalikan ke langkah 6 dengan alasan" in flashes(pg)
    assert RETURN_REASON in pg.locator(".run-panel").inner_text()
    assert "Berita acara" in pg.locator("dl.record").inner_text()
    logout(pg)

    # Back at step 6: the assessor corrects the recommendation and signs again, then the head of the TUK.
    login(pg, base, "hendra.asesor")
    open_event_from_tasks(pg)
    click(pg, "Kehadiran & hasil", role="link")
    pg.get_by_label("Budi Santoso — Rekomendasi asesor").fill(
        "Uji ulang unit J.63OPR00.004.2 (pengolah kata)")
    click(pg, "Simpan")
    assert "Kehadiran dan hasil tersimpan." in flashes(pg)
    click(pg, "Kembali ke jadwal", role="link")
    click(pg, "Buka berita acara", role="link")
    assert "belum ditandatangani" in pg.locator("article").inner_text()      # the return withdrew the signatures
    click(pg, "Tandatangani sebagai asesor")
    logout(pg)
    login(pg, base, "rina.tuk")
    open_event_from_tasks(pg)
    click(pg, "Buka berita acara", role="link")
    click(pg, "Tandatangani sebagai Kepala TUK")
    assert "Langkah 6 selesai." in flashes(pg)
    logout(pg)

    login(pg, base, "intan.mutu")
    open_event_from_tasks(pg)
    click(pg, "Kaji berita acara", role="link")
    assert "Uji ulang unit J.63OPR00.004.2 (pengolah kata)" in pg.locator("article").inner_text()
    pg.get_by_label("Catatan kaji ulang (opsional)").fill("Berkas lengkap, rekomendasi jelas")
    click(pg, "Kaji ulang selesai — tandatangani")              # nothing ticked: refused next to the first item
    assert "Centang setiap butir" in pg.locator("#review-files_checked-err").inner_text()
    assert pg.get_by_label("Catatan kaji ulang (opsional)").input_value() == "Berkas lengkap, rekomendasi jelas"
    for label in ("Berkas hasil uji kompetensi diperiksa", "Rekomendasi ke LSP diperiksa",
                  "Pelaksanaan uji kompetensi dikaji ulang (kaji ulang mutu)"):
        pg.get_by_label(label).check()
    click(pg, "Kaji ulang selesai — tandatangani")
    assert "menunggu pihak lain" in flashes(pg)
    logout(pg)
    for user, label in (("agus.teknis", "berkas hasil uji diserahkan ke Kepala TUK"),
                        ("rina.tuk", "Bagian Administrasi diminta menyimpan")):
        login(pg, base, user)
        pg.goto(event_url + "/report")
        pg.get_by_label(re.compile(label)).check()
        click(pg, "Kaji ulang selesai — tandatangani")
        logout(pg)

    # ---- Step 8 (Bagian Administrasi): the certificate issued by the LSP is recorded; the files are archived.
    login(pg, base, "siti.adm")
    open_event_from_tasks(pg)
    assert "Pengarsipan" in pg.locator("dl.record").inner_text()
    click(pg, "Catat keputusan LSP", role="link")            # the LSP's numbers, typed as received
    pg.get_by_label("Ahmad Fauzi — Keputusan LSP").select_option(label="K")
    pg.get_by_label("Ahmad Fauzi — No. sertifikat").fill(CERT_NO)
    pg.get_by_label("Ahmad Fauzi — Tanggal terbit").fill((TODAY - datetime.timedelta(days=1)).isoformat())
    pg.get_by_label("Budi Santoso — Keputusan LSP").select_option(label="BK")
    click(pg, "Simpan")
    bad = pg.locator("td.grid-bad").all_inner_texts()
    assert any("Wajib diisi" in t for t in bad) and any("sebelum tanggal uji" in t for t in bad), bad
    assert pg.get_by_label("Ahmad Fauzi — No. sertifikat").input_value() == CERT_NO
    pg.get_by_label("Ahmad Fauzi — No. registrasi").fill("OKM.001.00001.2026")
    pg.get_by_label("Ahmad Fauzi — Tanggal terbit").fill(TODAY.isoformat())
    pg.get_by_label("Ahmad Fauzi — Diserahkan").fill(TODAY.isoformat())
    click(pg, "Simpan")
    assert "nomor sertifikat tersimpan" in flashes(pg)
    check_page(pg, "tangerang-08b-lsp-grid")
    click(pg, "Kembali ke jadwal", role="link")
    pg.get_by_label("Catatan arsip (lokasi berkas, dll.)").fill("Lemari arsip Seksi Sertifikasi, map OKM")
    click(pg, "Arsipkan dan kunci berkas")
    assert "Berkas uji diarsipkan." in flashes(pg)
    assert "Diarsipkan" in pg.locator("dl.record").inner_text()

    # The archived event: a change without a reason is refused next to the reason field; with one it is kept.
    click(pg, "Ubah jadwal", role="link")
    pg.get_by_label("Catatan", exact=True).fill("Ruang uji pindah ke Lab 2")
    click(pg, "Simpan jadwal")
    assert pg.url.endswith("/edit")
    refusal = pg.locator(".cert-reopen p.error").inner_text()
    assert "sudah diarsipkan" in refusal and "alasan" in refusal
    check_page(pg, "tangerang-09-archived-edit-refused")
    pg.get_by_label("Alasan membuka kembali berkas yang sudah diarsipkan").fill("Koreksi ruang atas permintaan LSP")
    click(pg, "Simpan jadwal")
    assert "Jadwal uji tersimpan." in flashes(pg)
    assert "Ruang uji pindah ke Lab 2" in pg.locator("dl.record").inner_text()
    assert "Koreksi ruang atas permintaan LSP" in pg.locator("section.history").inner_text()

    # ---- The run's timeline: all eight steps, the return with its reason.
    click(pg, re.compile(r"lihat run #\d+"), role="link")
    assert re.search(r"/runs/\d+$", pg.url)
    assert "PSM-DISNAKER-10" in pg.locator("main").inner_text()
    rows = pg.locator("table.timeline tbody tr").all_inner_texts()
    done = {int(r.split(".")[0]) for r in rows if "\tselesai" in r}
    assert done == set(range(1, 9)), rows
    returned = [r for r in rows if "dikembalikan" in r]
    assert len(returned) == 1 and returned[0].startswith("7.") and RETURN_REASON in returned[0]
    assert "Intan Permata" in returned[0]
    assert pg.locator("table.timeline tbody tr.st-done").count() == 9           # step 6 twice
    check_page(pg, "tangerang-10-run-timeline")
    run_url = pg.url

    # ---- Reports: SOP compliance, certificates expiring soon.
    nav(pg, "Kepatuhan SOP")
    compliance = pg.locator("table.compliance").inner_text()
    assert "PSM-DISNAKER-10" in compliance
    check_page(pg, "tangerang-11-compliance")
    pg.goto(base + "/certification/certificates")
    listed = pg.locator("table").inner_text()
    assert "Ahmad Fauzi" in listed and CERT_NO in listed and "Budi Santoso" not in listed
    check_page(pg, "tangerang-12-certificates")
    logout(pg)

    # ---- Phone width (375 px), the clerk still logged in on her phone: event, berita acara, run, results.
    for path, name in ((event_url, "event"), (event_url + "/report", "berita-acara"), (run_url, "run"),
                       (event_url + "/results", "results")):
        phone.goto(path)
        phone_ok(phone, f"tangerang-13-phone-{name}")


def check_berita_acara(pg):
    """The printable berita acara: who, how many K/BK, who signed."""
    doc = pg.locator("article.cert-report")
    text = doc.inner_text()
    assert "BERITA ACARA UJI KOMPETENSI" in text
    assert SCHEME in text and "SKM/LSP-DTNG/01/2023" in text and TUK in text
    assert HENDRA in text and "MET.000.001234.2019" in text
    for name in GRADUATES[:3]:
        assert name in text
    assert "Dewi Anggraini" not in text
    counts = {k: doc.locator(f"#n-{k}").inner_text() for k in ("total", "present", "absent", "k", "bk")}
    assert counts == {"total": "3", "present": "2", "absent": "1", "k": "1", "bk": "1"}
    sigs = doc.locator(".sig")
    assert sigs.count() == 2
    assessor_sig, head_sig = sigs.nth(0).inner_text(), sigs.nth(1).inner_text()
    assert "Asesor Kompetensi" in assessor_sig and HENDRA in assessor_sig
    assert "Ditandatangani secara elektronik" in assessor_sig
    assert "Kepala TUK" in head_sig and HEAD in head_sig and f"NIP {HEAD_NIP}" in head_sig
    assert "Ditandatangani secara elektronik" in head_sig
    assert "belum ditandatangani" not in text
    # Printed: only the document (no menu, no signing form).
    pg.emulate_media(media="print")
    try:
        assert not pg.locator("header.topbar").is_visible()
        assert doc.is_visible() and not pg.locator("section.card.no-print").first.is_visible()
    finally:
        pg.emulate_media(media="screen")


# ---------------------------------------------------------------- the demo

def test_tangerang_demo(deployment, page, capsys):
    from core import db, demo
    server = deployment("tangerang")
    capsys.readouterr()
    with db.connection():
        assert demo.load(server.app) == 0
    out = capsys.readouterr().out
    assert "Data demo untuk Dinas Ketenagakerjaan Kota Tangerang" in out
    assert "certification: 4 uji kompetensi" in out                 # in the deployment's language
    users = {}
    table = out.split("kata sandi hanya ditampilkan sekali ini:", 1)[1]
    for line in table.strip().splitlines():
        username, password, title = line.split(None, 2)
        users[username] = (password, title)
    staff = {r.code.replace("_", "."): r.title for r in server.app.roles.values() if not r.external}
    for code in ("bagian_administrasi", "kepala_tuk", "teknis_operasional", "asesor", "manajemen_mutu"):
        assert code.replace("_", ".") in staff
    assert {u: t for u, (_p, t) in users.items()} == staff         # one demo user per staff role
    assert "calon.peserta" not in users                            # candidates are people outside, not users
    assert all(re.fullmatch(r"[a-z]+-[a-z]+-\d{3}", p) for p, _t in users.values())

    with db.connection():
        assert demo.load(server.app) == 0
    again = capsys.readouterr().out
    assert "Pengguna demo sudah ada" in again
    assert not any(p in again for p, _t in users.values())

    login(page, server.url, "bagian.administrasi", users["bagian.administrasi"][0])
    assert page.url.endswith("/tasks")
    assert page.get_by_role("heading", level=1).inner_text() == "Tugas saya"
    rows = page.locator("table.tasks tbody tr")
    assert rows.count() >= 1 and "Tidak ada tugas" not in rows.first.inner_text()
    late = page.locator("table.tasks tbody tr.late")
    assert late.count() >= 1 and "terlambat" in late.first.inner_text()
    assert "PSM-DISNAKER-10" in late.first.inner_text()
    check_page(page, "tangerang-demo-tasks")
