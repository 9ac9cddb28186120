"""Demo data of the ``certification`` plugin: four schemes (Operator Komputer
Madya, Barista, Penjahit Pakaian, Juru Las) with units and readiness
checklists, three TUK (each linked to its head's account), five assessors (one with an expired MET), and test
events in several states: two archived (certificates, some expiring within
60 days), one waiting for confirmations with step 1 overdue, one whose
candidates (graduates of an ended training batch) are confirming.
Idempotent: nothing happens when the demo schemes exist.
"""
import datetime
import io
import types

from core.toolkit import User, _, audit, current_app, db, local_today, set_roles, tracker, users_with_role, values
from plugins.certification import service
from plugins.certification.models import (APPLICATION_DOCUMENTS, Application, ApplicationDocument, Assessor,
                                          AssessorScheme, Candidate, ChecklistItem, EventAssessor, Scheme, SchemeUnit,
                                          TestEvent, Tuk)
from plugins.training import service as training
from plugins.training.models import Batch, Enrolment, Programme


SCHEMES = [
    ("OKM", "SKM/LSP-DTNG/01/2023", "Operator Komputer Madya", "kkni", 3, [
        ("J.63OPR00.001.2", "Mengoperasikan sistem operasi"), ("J.63OPR00.004.2", "Mengoperasikan perangkat lunak pengolah kata"),
        ("J.63OPR00.005.2", "Mengoperasikan perangkat lunak lembar kerja"), ("J.63OPR00.007.2", "Mengoperasikan perangkat lunak presentasi")],
     [("equipment", "Komputer dan printer sesuai jumlah peserta"), ("materials", "Soal dan lembar jawaban"),
      ("room", "Laboratorium komputer ber-AC")]),
    ("BRS", "SKM/LSP-DTNG/02/2023", "Barista", "okupasi", 3, [
        ("I.56BAR00.001.1", "Menyiapkan peralatan kopi"), ("I.56BAR00.004.1", "Menyeduh espresso"),
        ("I.56BAR00.008.1", "Membuat minuman berbasis espresso")],
     [("equipment", "Mesin espresso dan grinder"), ("materials", "Biji kopi, susu segar, gelas"),
      ("room", "Dapur praktik dengan air bersih")]),
    ("PJT", "SKM/LSP-DTNG/03/2023", "Penjahit Pakaian", "klaster", 3, [
        ("C.141100.001.01", "Mengukur badan"), ("C.141100.005.01", "Membuat pola dasar"),
        ("C.141100.010.01", "Menjahit dengan mesin")],
     [("equipment", "Mesin jahit high speed"), ("materials", "Kain katun, benang, kertas pola"),
      ("room", "Ruang jahit dengan penerangan cukup")]),
    ("JLS", "SKM/LSP-DTNG/04/2023", "Juru Las", "kkni", 3, [
        ("C.25LAS00.001.01", "Menerapkan K3 pengelasan"), ("C.25LAS00.010.01", "Mengelas posisi 1G"),
        ("C.25LAS00.011.01", "Mengelas posisi 2G")],
     [("equipment", "Mesin las SMAW dan APD lengkap"), ("materials", "Pelat baja dan elektroda"),
      ("room", "Bengkel las berventilasi")]),
]
TUKS = [
    ("TUK Sewaktu UPT Pelatihan Kerja Kota Tangerang", "sewaktu", "Jl. Perintis Kemerdekaan No. 1, Cikokol, Tangerang", 20,
     "Rina Marlina, S.T.", "197805122005012003"),
    ("TUK Tempat Kerja PT Cipta Garmen Tangerang", "tempat_kerja", "Jl. Industri Raya No. 12, Jatiuwung, Tangerang", 12,
     "Dedi Kurniawan", None),
    ("TUK Mandiri LPK Bina Las Mandiri", "mandiri", "Jl. Gatot Subroto Km 5, Cibodas, Tangerang", 10,
     "Samsul Bahri", None),
]
# name, MET, expiry offset in days (negative: expired), schemes
ASSESSORS = [
    ("Hendra Wijaya, S.Kom.", "MET.000.001234.2019", 500, ["OKM"]),
    ("Sri Wahyuni, S.Pd.", "MET.000.004321.2020", 300, ["OKM", "BRS"]),
    ("Yuliana Sari", "MET.000.002468.2021", 700, ["PJT"]),
    ("Arief Setiawan, S.T.", "MET.000.003579.2018", 900, ["JLS"]),
    ("Bambang Hartono", "MET.000.000777.2015", -45, ["JLS", "OKM"]),
]
PEOPLE = [("Fitri Handayani", True), ("Wahyu Saputra", False), ("Nurul Hikmah", True), ("Taufik Hidayat", False),
          ("Putri Amalia", True), ("Irfan Hakim", False), ("Mega Utami", True), ("Rudi Hartono", False),
          ("Ratna Dewi", True), ("Eko Prasetyo", False), ("Lilis Suryani", True), ("Joko Susilo", False)]


class _Acting:
    """A demo actor: a real user's id acting in one SOP role (demo code only)."""
    def __init__(self, user, role):
        self.id, self.username, self.full_name = user.id, user.username, user.full_name
        self.nip = user.nip
        self.roles = frozenset({role})
        self.is_admin = False

    def can(self, permission):
        return True


def actor(role):
    user = users_with_role(role).first()
    if user is not None:
        return user
    anyone = User.select().order_by(User.id).first()
    return _Acting(anyone, role) if anyone is not None else None


def own_account(role, prefix, name, i, position, **fields):
    """A demo person's own login (every signature stays a person's own): the demo user holding ``role`` for
    the first (``i == 0``), for the others an account ``<prefix>.<first name>`` without a password (an
    administrator sets one)."""
    first = users_with_role(role).first()
    if i == 0 and first is not None:
        return first
    username = f"{prefix}." + name.split()[0].lower().strip(",")
    user = User.get_or_none(User.username == username)
    if user is None:
        user = audit.create(User, username=username, full_name=name, password_hash="", position=position, **fields)
        set_roles(user, {role})
    return user


def assessor_account(name, i):
    """The assessor's own login: the demo ``asesor`` user for the first."""
    return own_account("asesor", "asesor", name, i, "Asesor Kompetensi")


def tuk_head_account(name, nip, i):
    """The TUK head's own login, linked to the TUK (only they sign its berita acara as Kepala TUK): the demo
    ``kepala_tuk`` user for the first TUK."""
    return own_account("kepala_tuk", "tuk", name, i, "Kepala TUK", nip=nip)


def nik(seq, female, birth):
    day = birth.day + (40 if female else 0)
    return f"367101{day:02d}{birth.month:02d}{birth.year % 100:02d}{7000 + seq:04d}"


def manual_person(i):
    name, female = PEOPLE[i % len(PEOPLE)]
    birth = datetime.date(1995 + i % 8, 1 + i % 12, 1 + (i * 3) % 27)
    return training.find_or_create_person(nik(i, female, birth), name=name, sex="P" if female else "L", birth_date=birth,
                                          province="Banten", regency="Kota Tangerang", phone=values.phone(f"08128{i:07d}"))


def graduated_batch(today):
    """An ended training batch with graduates: the training demo's, or a small one made here."""
    for batch in Batch.select().where(Batch.status == "ended").order_by(Batch.end_date.desc()):
        if len(training.graduates(batch)) >= 4:
            return batch
    prog = Programme.get_or_none(Programme.code == "TIK-OKM-SERT") or audit.create(
        Programme, code="TIK-OKM-SERT", title="Operator Komputer", field="TIK", total_jp=240)
    batch = audit.create(Batch, programme=prog, name="Angkatan I", start_date=today - datetime.timedelta(days=75),
                         end_date=today - datetime.timedelta(days=10), quota=16,
                         reg_opens=today - datetime.timedelta(days=110), reg_closes=today - datetime.timedelta(days=80),
                         venue="UPT Pelatihan Kerja", status="ended")
    for i in range(6):
        audit.create(Enrolment, person=manual_person(20 + i), batch=batch, status="graduated", source="walk_in")
    return batch


def make_event(scheme, tuk, day, start, end, assessors, batch=None, enrolments=(), people=()):
    data = dict(scheme=scheme.id, tuk=tuk.id, date=day, start_time=datetime.time(*start), end_time=datetime.time(*end),
                batch=batch.id if batch else None, notes="")
    event, errors = service.save_event(data, [a.id for a in assessors], [e.id for e in enrolments], None)
    if errors:
        raise ValueError(f"demo event refused: {errors}")
    for person in people:
        service.add_candidate(event, person)
    return TestEvent.get_by_id(event.id)


def receive_applications(event, user, limit=None):
    """The candidates' APL-01 with their four documents (a placeholder PDF each, stored like an upload).
    Written directly: the demo's past events received them before their (past) test day."""
    app = current_app()
    stored = {}
    for kind, _label in APPLICATION_DOCUMENTS:
        blank = types.SimpleNamespace(raw_filename=f"{kind}.pdf", filename=f"{kind}.pdf",
                                      file=io.BytesIO(f"%PDF-1.4 demo {kind}".encode()))
        stored[kind] = tracker.store_upload(app, blank)
    cands = list(Candidate.select().where(Candidate.event == event).order_by(Candidate.id))
    for i, cand in enumerate(cands[:limit]):
        if Application.select().where(Application.candidate == cand).exists():
            continue
        row = audit.create(Application, candidate=cand, education=("sma", "d3", "smp")[i % 3], purpose="sertifikasi",
                           institution="SMK Negeri 1 Kota Tangerang" if i % 3 == 0 else "",
                           interview_notes="Wawancara: siap mengikuti uji.", received_by=user.id)
        for kind, f in stored.items():
            audit.create(ApplicationDocument, application=row, kind=kind, sha256=f["sha256"], filename=f["filename"],
                         content_type=f["content_type"])


def walk_to_archive(event, issued_on, bk_every=4):
    """Carry an event through all eight steps (results, signatures, review, certificates, archive)."""
    adm, asr, mutu = actor("bagian_administrasi"), actor("asesor"), actor("manajemen_mutu")
    tuk_head = User.get_by_id(Tuk.get_by_id(event.tuk_id).head_user_id)      # the head of this event's TUK
    tek = actor("teknis_operasional")
    eas = list(EventAssessor.select().where(EventAssessor.event == event))
    for ea in eas:
        service.confirm(ea, "confirmed")
    service.complete_step(event, 1, adm, notes="Jadwal dikirim lewat WhatsApp grup angkatan.")
    rows = {item.id: (True, "Siap", None) for item, _t in service.checklist(event)}
    service.save_readiness(event, tuk_head, rows)
    service.complete_step(event, 2, tek, notes="Rencana pelaksanaan disepakati dengan Kepala TUK.")
    service.complete_step(event, 3, adm, notes="Peserta diingatkan H-1 lewat telepon.")
    receive_applications(event, adm)
    cands = list(Candidate.select().where(Candidate.event == event).order_by(Candidate.id))
    for i, c in enumerate(cands):
        service.confirm(c, "confirmed", via="link" if i % 2 else "staff")
    service.complete_step(event, 4, adm)
    units = list(SchemeUnit.select().where(SchemeUnit.scheme == event.scheme_id))
    presence, values, recs = {}, {}, {}
    for i, c in enumerate(cands):
        presence[c.id] = i != len(cands) - 1 or len(cands) < 4          # the last one absent
        for j, u in enumerate(units):
            values[(c.id, u.id)] = "BK" if (i % bk_every == 2 and j == len(units) - 1) else "K"
        if presence[c.id]:
            recs[c.id] = "Direkomendasikan untuk diterbitkan sertifikat" if i % bk_every != 2 else "Perlu uji ulang unit terakhir"
    service.save_results(event, asr, presence, {ea.id: True for ea in eas}, values, recs)
    service.finish_test(event, asr, notes="Uji berjalan lancar; dokumentasi foto disimpan.")
    service.finish_test(event, tek, notes="Pelaksanaan uji dipastikan dan didokumentasikan.")
    for ea in eas:          # each assessor signs as their own account
        service.sign(event, User.get_by_id(ea.assessor.user_id), "asesor", ea.assessor_id)
    service.sign(event, tuk_head, "kepala_tuk")
    every_item = [key for items in service.REVIEW_ITEMS.values() for key, _l in items]
    for party in (tek, tuk_head, mutu):
        service.review(event, party, True, "Berkas lengkap.", ticked=every_item)
    event = TestEvent.get_by_id(event.id)
    rows = {}
    for n, c in enumerate(Candidate.select().where((Candidate.event == event) & (Candidate.present == True)), 1):  # noqa: E712
        k = c.result == "K"      # as the LSP's letter would list them (illustrative numbers of the demo)
        rows[c.id] = {"decision": c.result, "number": f"62090 2424 {event.id:02d}{n:04d} {event.date.year}" if k else None,
                      "registration_number": f"{event.scheme.code}.{event.id:03d}.{n:05d}.{event.date.year}" if k else None,
                      "issued_on": issued_on if k else None,
                      # handed over a week later, or today when that week has not passed: never a future date
                      "handed_over_on": min(issued_on + datetime.timedelta(days=7), local_today()) if k else None}
    service.record_lsp(event, rows)
    service.archive(TestEvent.get_by_id(event.id), adm, notes="Disimpan di lemari arsip Seksi Sertifikasi.")


def load(app, today=None):
    if Scheme.select().where(Scheme.code == SCHEMES[0][0]).exists():
        return []
    today = today or local_today(app)
    if actor("bagian_administrasi") is None:
        return [_("dilewati: belum ada pengguna untuk peran SOP (jalankan setelah `balai init`)")]
    with db.write():
        schemes = {}
        for code, number, title, kind, years, units, items in SCHEMES:
            s = audit.create(Scheme, code=code, number=number, title=title, kind=kind, validity_years=years)
            for ucode, utitle in units:
                audit.create(SchemeUnit, scheme=s, code=ucode, title=utitle)
            for category, label in items:
                audit.create(ChecklistItem, scheme=s, category=category, label=label)
            schemes[code] = s
        tuks = [audit.create(Tuk, name=n, kind=k, address=a, capacity=c, head_name=h, head_nip=nip,
                             head_user=tuk_head_account(h, nip, i))
                for i, (n, k, a, c, h, nip) in enumerate(TUKS)]
        assessors = {}
        for i, (name, met, offset, codes) in enumerate(ASSESSORS):
            a = audit.create(Assessor, name=name, met_number=met, met_expiry=today + datetime.timedelta(days=offset),
                             phone=values.phone("0812" + met[-8:].replace(".", "")[:8]), user=assessor_account(name, i))
            for code in codes:
                audit.create(AssessorScheme, assessor=a, scheme=schemes[code])
            assessors[met] = a
        a = list(assessors.values())

    # 1. Juru Las, three years ago: archived; certificates expire within 60 days.
    old_day = today - datetime.timedelta(days=3 * 365 - 40)
    with db.write():
        ev1 = make_event(schemes["JLS"], tuks[2], old_day, (8, 0), (16, 0), [a[3]],
                         people=[manual_person(i) for i in range(5)])
        walk_to_archive(ev1, old_day + datetime.timedelta(days=3))
    # 2. Barista, two months ago: archived; certificates valid for years.
    with db.write():
        ev2 = make_event(schemes["BRS"], tuks[0], today - datetime.timedelta(days=60), (9, 0), (15, 0), [a[1]],
                         people=[manual_person(i) for i in range(5, 11)])
        walk_to_archive(ev2, today - datetime.timedelta(days=45))
    # 3. Penjahit Pakaian, in ten days: waiting for assessor confirmations, step 1 overdue.
    with db.write():
        ev3 = make_event(schemes["PJT"], tuks[1], today + datetime.timedelta(days=10), (8, 0), (14, 0), [a[2]],
                         people=[manual_person(i) for i in range(11, 15)])
        run = service.run_of(ev3)
        tracker.demo_shift_run(run, -datetime.timedelta(days=3))
    # 4. Operator Komputer Madya, in three weeks: graduates of an ended batch confirming (step 4).
    with db.write():
        batch = graduated_batch(today)
        grads = training.graduates(batch)[:8]
        ev4 = make_event(schemes["OKM"], tuks[0], today + datetime.timedelta(days=21), (8, 0), (16, 0), [a[0], a[1]],
                         batch=batch, enrolments=grads)
        adm, tuk_head = actor("bagian_administrasi"), User.get_by_id(tuks[0].head_user_id)
        for ea in EventAssessor.select().where(EventAssessor.event == ev4):
            service.confirm(ea, "confirmed")
        service.complete_step(ev4, 1, adm)
        service.save_readiness(ev4, tuk_head, {item.id: (True, "", None) for item, _t in service.checklist(ev4)})
        service.complete_step(ev4, 2, actor("teknis_operasional"))
        service.complete_step(ev4, 3, adm)
        receive_applications(ev4, adm, limit=5)          # three candidates still to hand in their APL-01
        for c in list(Candidate.select().where(Candidate.event == ev4).order_by(Candidate.id))[:3]:
            service.confirm(c, "confirmed", via="link")
    return [_("{s} skema, {t} TUK, {a} asesor (1 dengan MET kedaluwarsa)", s=len(SCHEMES), t=len(TUKS),
              a=len(ASSESSORS)),
            _("4 uji kompetensi: 2 diarsipkan dengan sertifikat (sebagian habis masa berlakunya dalam 60 hari), "
              "1 menunggu konfirmasi asesor (terlambat), 1 mengonfirmasi peserta dari angkatan yang sudah lulus")]
