"""training_delivery: the 11 steps of SOP BLK-PA-503-47 through HTTP, returns,
letter numbers (pattern, uniqueness under concurrency), reply reminders, refusals."""
import datetime
import re
import threading

import pytest

from core import audit, db
from core.testing import institution_today, make_user
from core.tracker.models import Notification
from plugins.training import service as training
from plugins.training.models import Batch, Enrolment, Person, Programme
from plugins.training_delivery import service
from plugins.training_delivery.models import Addressee, Letter, LetterTemplate, WorkPlan

PATTERN = re.compile(r"^(\d{3})/(\d{3})/BLK/DISPMPTSPTK/(\d{4})$")     # classification/running number/.../year
RAB = "Honor instruktur | 120 | JP | 300.000\nKonsumsi peserta | 240 | OH | 50.000\nBahan praktik | 16 | paket | 4.812.500"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@pytest.fixture
def setup(balai_app, balai_client):
    app = balai_app("training_delivery", institution="UPTD BLK Kota Pagar Alam", theme="pagaralam", city="Pagar Alam")
    with db.connection():
        prog = audit.create(Programme, code="TIK-OFF", title="Operator Komputer Perkantoran", field="TIK", total_jp=160)
    kabid = make_user(app, "kabid", ["kepala_bidang"], full_name="Hendra Saputra, S.T.", nip="197805122006041003",
                      rank="Penata Tk. I / III.d")
    kadis = make_user(app, "kadis", ["kepala_dinas"], full_name="Drs. H. Zulkarnain, M.Si.", nip="196910161995031001",
                      rank="Pembina Utama Muda / IV.c")
    users = {
        "staff": balai_client(app, "staf_blk"),
        "head": balai_client(app, user=kadis),
        "kabid": balai_client(app, user=kabid),
        "panitia": balai_client(app, "panitia"),
    }
    return app, prog, users


local_day = institution_today        # the institution's (WIB) today, as the pages and rules count it


def _training_days():
    """Three working days ending before today (step 9 needs the training over and its attendance)."""
    days, d = [], local_day() - datetime.timedelta(days=1)
    while len(days) < 3:
        if d.weekday() < 5:
            days.append(d)
        d -= datetime.timedelta(days=1)
    return sorted(days)


TRAINING = _training_days()


def record_attendance(batch_id, days=TRAINING):
    """The daily attendance of the whole class (everyone present) for ``days``."""
    with db.connection():
        batch = Batch.get_by_id(batch_id)
        ids = [e.id for e in Enrolment.select().where(Enrolment.batch == batch_id)]
        for day in days:
            training.save_attendance(batch, day, {i: "H" for i in ids})


def plan_form(prog, **over):
    data = {"activity": "Pelatihan Operator Komputer Angkatan I", "programme": str(prog.id),
            "start_date": TRAINING[0].isoformat(), "end_date": TRAINING[-1].isoformat(),
            "venue": "Workshop BLK Kota Pagar Alam", "quota": "16", "dpa_number": "DPA/2.07.01/2026", "budget_lines": RAB,
            "schedule": "Hari 1: pembukaan\nHari 2-15: praktik",
            "addressees": "Kabupaten Lahat | Kepala Dinas Tenaga Kerja Kabupaten Lahat\nKota Prabumulih\nKabupaten Empat Lawang"}
    data.update(over)
    return data


def current_no(plan_id):
    with db.connection():
        return service.run_of(WorkPlan.get_by_id(plan_id)).current_no


def letters(plan_id):
    with db.connection():
        return {(l.kind, l.addressee.name if l.addressee_id else None): l
                for l in service.letters_of(WorkPlan.get_by_id(plan_id))}


def create_plan(users, prog, **over):
    res = users["staff"].post("/delivery/plans/new", plan_form(prog, **over), status=303)
    return int(res.headers["Location"].rsplit("/", 1)[1])


def to_step_4(users, plan_id):
    users["staff"].post(f"/delivery/plans/{plan_id}/submit", status=303)
    users["head"].post(f"/delivery/plans/{plan_id}/approve", {"notes": "Lanjutkan"}, status=303)
    users["kabid"].post(f"/delivery/plans/{plan_id}/instruct", {"note": "Segera susun suratnya"}, status=303)
    assert current_no(plan_id) == 4


def to_step_6(users, plan_id):
    to_step_4(users, plan_id)
    staff, kabid = users["staff"], users["kabid"]
    staff.post(f"/delivery/plans/{plan_id}/members", {"name": "Rina Marlina", "nip": "198203152009012004",
                                                      "position": "Pengantar Kerja", "role": "Ketua"}, status=303)
    staff.post(f"/delivery/plans/{plan_id}/letters/generate", status=303)
    staff.post(f"/delivery/plans/{plan_id}/letters/submit", status=303)
    assert current_no(plan_id) == 5
    for (kind, _a), l in letters(plan_id).items():
        kabid.post(f"/delivery/letters/{l.id}/{'sign' if kind == 'cover' else 'paraf'}", status=303)
    assert current_no(plan_id) == 5                     # joint step: the Kepala Dinas signs the SK Panitia
    users["head"].post(f"/delivery/letters/{letters(plan_id)[('decree', None)].id}/sign-decree", status=303)
    assert current_no(plan_id) == 6


def test_eleven_steps_with_returns(setup):
    app, prog, users = setup
    staff, head, kabid, panitia = users["staff"], users["head"], users["kabid"], users["panitia"]

    # Step 1: the work plan creates a batch (planned) and a run.
    plan_id = create_plan(users, prog)
    with db.connection():
        plan = WorkPlan.get_by_id(plan_id)
        assert plan.budget_amount == 125000000
        batch = Batch.get_by_id(plan.batch_id)
        assert (batch.status, batch.quota, batch.programme_id) == ("planned", 16, prog.id)
        assert sorted(a.name for a in plan.addressees) == ["Kabupaten Empat Lawang", "Kabupaten Lahat", "Kota Prabumulih"]
        run = service.run_of(plan)
        assert (run.code, run.current_no) == ("BLK-PA-503-47", 1)
    page = staff.get(f"/delivery/plans/{plan_id}")
    assert "Pelatihan Operator Komputer Angkatan I" in page.text and "Rp 125.000.000" in page.text

    # Step 2 refused before submission; the head of office returns it with a reason.
    staff.post(f"/delivery/plans/{plan_id}/submit", status=303)
    assert current_no(plan_id) == 2
    staff.post(f"/delivery/plans/{plan_id}/approve", status=403)           # wrong role
    head.post(f"/delivery/plans/{plan_id}/return", {"reason": ""}, status=303)
    assert current_no(plan_id) == 2                                         # a reason is required
    head.post(f"/delivery/plans/{plan_id}/return", {"reason": "Anggaran konsumsi belum dirinci"}, status=303)
    assert current_no(plan_id) == 1
    page = staff.get(f"/delivery/plans/{plan_id}")
    assert "Anggaran konsumsi belum dirinci" in page.text
    assert "Anggaran konsumsi belum dirinci" in staff.get(f"/delivery/plans/{plan_id}/edit").text
    # Staff edit and resubmit; the head approves.
    staff.post(f"/delivery/plans/{plan_id}/edit", plan_form(prog, budget_lines=RAB + "\nATK | 1 | paket | 5.500.000",
                                                           schedule="Hari 1: pembukaan\nKonsumsi: 16 orang x 15 hari"),
               status=303)
    staff.post(f"/delivery/plans/{plan_id}/submit", status=303)
    head.post(f"/delivery/plans/{plan_id}/approve", {"notes": "Setuju"}, status=303)
    with db.connection():
        plan = WorkPlan.get_by_id(plan_id)
        assert (plan.status, plan.budget_amount) == ("approved", 130500000)
    assert current_no(plan_id) == 3
    late = staff.post(f"/delivery/plans/{plan_id}/edit", plan_form(prog), status=422)   # no edit after approval
    assert "kegiatan berada di langkah 3" in late.text
    with db.connection():
        assert WorkPlan.get_by_id(plan_id).budget_amount == 130500000

    # Step 3: the head of division instructs.
    staff.post(f"/delivery/plans/{plan_id}/instruct", status=403)
    kabid.post(f"/delivery/plans/{plan_id}/instruct", {"note": "Susun undangan untuk 3 daerah"}, status=303)
    assert current_no(plan_id) == 4

    # Step 4: committee and drafts from templates.
    staff.post(f"/delivery/plans/{plan_id}/letters/submit", status=303)       # nothing drafted yet: refused
    assert current_no(plan_id) == 4
    for name, nip, role in [("Rina Marlina", "198203152009012004", "Ketua"), ("Doni Pratama", "", "Sekretaris"),
                            ("Siti Aminah", "199001202015032002", "Anggota")]:
        staff.post(f"/delivery/plans/{plan_id}/members", {"name": name, "nip": nip, "position": "Staf BLK",
                                                          "role": role}, status=303)
    bad = staff.post(f"/delivery/plans/{plan_id}/members", {"name": "X", "nip": "123", "role": "Ketua"}, status=422)
    assert "NIP harus 18 digit angka." in bad.text
    staff.post(f"/delivery/plans/{plan_id}/letters/generate", status=303)
    drafts = letters(plan_id)
    assert sorted(drafts) == [("cover", None), ("decree", None), ("invitation", "Kabupaten Empat Lawang"),
                              ("invitation", "Kabupaten Lahat"), ("invitation", "Kota Prabumulih")]
    assert all(l.number is None and l.status == "draft" for l in drafts.values())
    decree = staff.get(f"/delivery/letters/{drafts[('decree', None)].id}")
    assert "Doni Pratama" in decree.text and "Sekretaris" in decree.text and "KONSEP" in decree.text
    staff.post(f"/delivery/plans/{plan_id}/letters/submit", status=303)
    assert current_no(plan_id) == 5

    # Step 5: the head of division initials, then returns one draft with a reason.
    staff.post(f"/delivery/letters/{drafts[('decree', None)].id}/paraf", status=403)
    kabid.post(f"/delivery/letters/{drafts[('decree', None)].id}/paraf", status=303)
    lahat = drafts[("invitation", "Kabupaten Lahat")]
    kabid.post(f"/delivery/letters/{lahat.id}/return", {"reason": "Tambahkan batas waktu jawaban"}, status=303)
    assert current_no(plan_id) == 4
    with db.connection():
        assert Letter.get_by_id(lahat.id).return_reason == "Tambahkan batas waktu jawaban"
        assert Letter.get_by_id(drafts[("decree", None)].id).paraf_by_id is None   # paraf cleared
    assert "Tambahkan batas waktu jawaban" in staff.get(f"/delivery/plans/{plan_id}/letters").text
    edit = staff.get(f"/delivery/letters/{lahat.id}/edit")
    assert "Undangan" in edit.text
    bad = staff.post(f"/delivery/letters/{lahat.id}/edit", {"title": "Undangan", "source": "{% if %}"}, status=422)
    assert "Templat tidak valid" in bad.text
    # a misspelt name and unbounded work are refused on save with line and reason, not printed later
    bad = staff.post(f"/delivery/letters/{lahat.id}/edit",
                     {"title": "Undangan", "source": "Yth.\nMulai {{ plan.tanggal_mulai }}"}, status=422)
    assert "baris 2" in bad.text and "tanggal_mulai" in bad.text
    bad = staff.post(f"/delivery/letters/{lahat.id}/edit",
                     {"title": "Undangan", "source": "{% for i in range(10**9) %}x{% endfor %}"}, status=422)
    assert "baris 1" in bad.text and "terlalu besar" in bad.text
    assert staff.get(f"/delivery/letters/{lahat.id}").status_code == 200
    staff.post(f"/delivery/letters/{lahat.id}/edit", {
        "title": "Undangan Pengiriman Calon Peserta",
        "source": "Nomor: {{ number }}\nYth. {{ addressee.position }}\nMohon jawaban paling lambat 1 minggu.\n"}, status=303)
    staff.post(f"/delivery/plans/{plan_id}/letters/submit", status=303)
    assert current_no(plan_id) == 5
    for (kind, _a), l in letters(plan_id).items():
        if kind != "cover":
            kabid.post(f"/delivery/letters/{l.id}/paraf", status=303)
    assert current_no(plan_id) == 5                       # the cover letter is not signed yet
    kabid.post(f"/delivery/letters/{drafts[('cover', None)].id}/sign", status=303)
    assert current_no(plan_id) == 5                       # revision 1: the Kepala Dinas signs the SK Panitia
    assert all(l.number is None for l in letters(plan_id).values())     # no number before every signature
    decree_id = drafts[("decree", None)].id
    kabid.post(f"/delivery/letters/{decree_id}/sign-decree", status=403)
    head.post(f"/delivery/letters/{decree_id}/sign-decree", status=303)
    assert current_no(plan_id) == 6
    sk = staff.get(f"/delivery/letters/{decree_id}").text
    assert "a.n." not in sk and "Kepala Dinas Penanaman Modal" in sk
    assert "Drs. H. Zulkarnain, M.Si." in sk and "NIP 196910161995031001" in sk and "Pembina Utama Muda" in sk
    assert "Menimbang" in sk and "Undang-Undang Nomor 13 Tahun 2003 tentang Ketenagakerjaan" in sk
    final = letters(plan_id)
    numbers = [l.number for l in final.values()]
    assert len(set(numbers)) == 5
    today = local_day()
    for n in numbers:
        m = PATTERN.match(n)
        assert m and m.group(3) == str(today.year)
    assert sorted(int(PATTERN.match(n).group(2)) for n in numbers) == [1, 2, 3, 4, 5]
    assert {PATTERN.match(l.number).group(1) for (kind, _a), l in final.items() if kind != "decree"} == {"005"}
    assert PATTERN.match(final[("decree", None)].number).group(1) == "560"
    cover = final[("cover", None)]
    assert (cover.signer_name, cover.signer_nip, cover.signer_rank) == ("Hendra Saputra, S.T.", "197805122006041003",
                                                                        "Penata Tk. I / III.d")
    # The printable invitation: letterhead, number, addressee, signer's NIP.
    inv = final[("invitation", "Kabupaten Lahat")]
    printed = staff.get(f"/delivery/letters/{inv.id}")
    assert 'class="letterhead"' in printed.text and "DINAS PENANAMAN MODAL" in printed.text
    assert inv.number in printed.text and "Kepala Dinas Tenaga Kerja Kabupaten Lahat" in printed.text
    assert "NIP 197805122006041003" in printed.text and "Hendra Saputra, S.T." in printed.text
    assert "KONSEP" not in printed.text
    other = staff.get(f"/delivery/letters/{final[('invitation', 'Kota Prabumulih')].id}")
    assert "Kota Prabumulih" in other.text and final[("invitation", "Kota Prabumulih")].number in other.text

    # Step 6: distribution register, with a receipt number or an uploaded proof.
    with db.connection():
        addressees = {a.name: a.id for a in Addressee.select().where(Addressee.work_plan == plan_id)}
    panitia.post(f"/delivery/addressees/{addressees['Kabupaten Lahat']}/send", {"sent_on": "2026-02-02"}, status=403)
    refused = staff.post(f"/delivery/addressees/{addressees['Kabupaten Lahat']}/send", {"sent_on": today.isoformat()},
                         status=422)
    assert f'id="r-{addressees["Kabupaten Lahat"]}-err">Isi nomor tanda terima/resi atau unggah bukti kirim.' in refused.text
    early = staff.post(f"/delivery/addressees/{addressees['Kabupaten Lahat']}/send",
                       {"sent_on": "2026-02-02", "proof_ref": "X"}, status=422)     # before the letter was signed
    assert "Tanggal kirim tidak boleh sebelum tanggal surat" in early.text
    with db.connection():
        assert Addressee.get_by_id(addressees["Kabupaten Lahat"]).sent_on is None   # no proof: refused
    staff.post(f"/delivery/addressees/{addressees['Kabupaten Lahat']}/send",
               {"sent_on": today.isoformat(), "proof_ref": "TT-001/2026"}, status=303)
    staff.post(f"/delivery/addressees/{addressees['Kota Prabumulih']}/send", {"sent_on": today.isoformat()},
               upload_files=[("proof", "resi.pdf", b"%PDF-1.4 resi pos")], status=303)
    assert current_no(plan_id) == 6
    staff.post(f"/delivery/addressees/{addressees['Kabupaten Empat Lawang']}/send",
               {"sent_on": today.isoformat(), "proof_ref": "RESI-998877"}, status=303)
    assert current_no(plan_id) == 7
    dist = staff.get(f"/delivery/plans/{plan_id}/distribution")
    assert "TT-001/2026" in dist.text and "resi.pdf" in dist.text
    proof = staff.get(f"/delivery/addressees/{addressees['Kota Prabumulih']}/proof")
    assert proof.body == b"%PDF-1.4 resi pos"

    # Step 7: replies with candidates, typed in and imported; they become enrolments.
    lahat_id = addressees["Kabupaten Lahat"]
    early = staff.post(f"/delivery/addressees/{lahat_id}/reply", {"replied_on": "2026-01-01"}, status=422)
    assert "Tanggal jawaban tidak boleh sebelum tanggal kirim" in early.text       # next to the field, nothing saved
    with db.connection():
        assert Addressee.get_by_id(lahat_id).replied_on is None
    staff.post(f"/delivery/addressees/{lahat_id}/reply", {"replied_on": today.isoformat(), "reply_ref": "560/112/DISNAKER/2026"},
               status=303)
    staff.post(f"/delivery/addressees/{lahat_id}/candidates", {"nik": "1604015703990002", "name": "Nur Aisyah",
                                                                "sex": "P", "phone": "081377889900"}, status=303)
    bad = staff.post(f"/delivery/addressees/{lahat_id}/candidates", {"nik": "16040157", "name": "Salah", "sex": "L"},
                     status=422)
    assert "NIK harus 16 digit angka." in bad.text
    dup = staff.post(f"/delivery/addressees/{lahat_id}/candidates", {"nik": "1604015703990002", "name": "Nur Aisyah",
                                                                      "sex": "P"}, status=422)
    assert "sudah terdaftar" in dup.text
    csv_bad = "nik,nama,jenis_kelamin,telepon\n1672010101000001,Andi Wijaya,L,081200000001\n123,Budi,L,\n"
    res = staff.post(f"/delivery/addressees/{addressees['Kota Prabumulih']}/import",
                     upload_files=[("file", "calon.csv", csv_bad.encode())], status=422)
    assert "Baris 3" in res.text
    csv_ok = "nik;nama;jenis_kelamin;telepon\n1672010101000001;Andi Wijaya;L;081200000001\n1672014202010003;Dewi Lestari;P;081200000002\n"
    staff.post(f"/delivery/addressees/{addressees['Kota Prabumulih']}/import",
               upload_files=[("file", "calon.csv", csv_ok.encode())], status=303)
    with db.connection():
        enrolments = list(Enrolment.select(Enrolment, Person).join(Person).where(Enrolment.batch == batch.id))
        assert sorted((e.person.name, e.source, e.nominated_by) for e in enrolments) == [
            ("Andi Wijaya", "nomination", "Kota Prabumulih"), ("Dewi Lestari", "nomination", "Kota Prabumulih"),
            ("Nur Aisyah", "nomination", "Kabupaten Lahat")]
        assert Addressee.get_by_id(addressees["Kota Prabumulih"]).replied_on == today
    staff.post(f"/delivery/plans/{plan_id}/replies/close", status=303)
    assert current_no(plan_id) == 8

    # Step 8: internal meeting by the committee.
    staff.post(f"/delivery/plans/{plan_id}/meeting", {"meeting_date": today.isoformat()}, status=403)
    bad = panitia.post(f"/delivery/plans/{plan_id}/meeting", {"meeting_date": today.isoformat()}, status=422)
    assert "Wajib diisi." in bad.text
    panitia.post(f"/delivery/plans/{plan_id}/meeting", {"meeting_date": today.isoformat(), "meeting_place": "Aula BLK",
                                                        "meeting_attendees": "Rina Marlina\nDoni Pratama",
                                                        "meeting_minutes": "Pembagian tugas instruktur dan konsumsi."},
                 status=303)
    assert current_no(plan_id) == 9

    # Step 9: the batch ends in the training module → the step completes by the event.
    with db.connection():
        for e in enrolments:
            for status in ("selection", "accepted", "reregistered", "training"):
                training.change_status(e, status)
    record_attendance(batch.id, TRAINING[:2])               # the last day's attendance is missing
    with db.connection():
        training.end_batch(Batch.get_by_id(batch.id))
    assert current_no(plan_id) == 9                          # the batch closed early: step 9 waits
    refused = panitia.post(f"/delivery/plans/{plan_id}/training/done", status=303).follow()
    assert "Daftar hadir belum diisi untuk 1 hari pelatihan" in refused.text
    record_attendance(batch.id, TRAINING[2:])
    with db.connection():
        training.change_status(enrolments[0], "graduated")
    panitia.post(f"/delivery/plans/{plan_id}/training/done", {"note": "Selesai 3 hari"}, status=303)
    assert current_no(plan_id) == 10

    # Step 10: the report assembled from the records, edited and submitted.
    page = staff.get(f"/delivery/plans/{plan_id}/report")
    for expected in ("DPA/2.07.01/2026", final[("cover", None)].number, "Kabupaten Lahat", "Nur Aisyah",
                     "Pembagian tugas instruktur", "Lulus: 1 orang dari 3 peserta"):
        assert expected in page.text
    report = {"report_text": "Kegiatan berjalan lancar.", "report_instructors": "Ahmad Fauzi: pengolah kata",
              "budget_realised": "124.500.000", "report_obstacles": "Listrik padam setengah hari.",
              "report_closing": "Demikian laporan ini.", "submit": "1"}
    bad = staff.post(f"/delivery/plans/{plan_id}/report", {**report, "report_obstacles": "x" * 5001}, status=422)
    assert "Maksimal 5000 karakter." in bad.text
    staff.post(f"/delivery/plans/{plan_id}/report", report, status=303)
    assert current_no(plan_id) == 10                      # joint: the committee signs too
    panitia.post(f"/delivery/plans/{plan_id}/report", report, status=303)
    assert current_no(plan_id) == 11
    printed = head.get(f"/delivery/plans/{plan_id}/report/print")
    assert "Kegiatan berjalan lancar." in printed.text and 'class="letterhead"' in printed.text
    for expected in ("PENDAHULUAN", "Dasar hukum", "PESERTA DAN KEHADIRAN", "3/3 hari", "INSTRUKTUR DAN MATERI",
                     "REALISASI ANGGARAN", "Rp 124.500.000", "KENDALA DAN SARAN", "PENUTUP"):
        assert expected in printed.text, expected
    assert_papers_verify(staff, plan_id)

    # Step 11: the head of office receives the report; the run is completed.
    staff.post(f"/delivery/plans/{plan_id}/report/receive", status=403)
    head.post(f"/delivery/plans/{plan_id}/report/receive", status=303)
    with db.connection():
        run = service.run_of(WorkPlan.get_by_id(plan_id))
        assert run.status == "completed"
        assert WorkPlan.get_by_id(plan_id).report_received_at is not None
    assert "Semua langkah SOP selesai." in head.get(f"/delivery/plans/{plan_id}").text
    head.post(f"/delivery/plans/{plan_id}/report/receive", status=303)   # nothing left: refused, no error page


def assert_papers_verify(client, plan_id):
    """Every paper of the plan is a PDF (A4) whose verification page says it is valid."""
    import io
    from pypdf import PdfReader
    from core.documents.models import Document
    with db.connection():
        letter_ids = [str(l.id) for l in Letter.select().where(Letter.work_plan == plan_id)]
        docs = list(Document.select().where(((Document.record_type == "delivery_work_plan")
                                             & (Document.record_id == str(plan_id)))
                                            | ((Document.record_type == "delivery_letter")
                                               & Document.record_id.in_(letter_ids))))
    kinds = {d.type_code for d in docs}
    assert {"training_delivery.plan", "training_delivery.meeting", "training_delivery.report",
            "training_delivery.invitation", "training_delivery.cover", "training_delivery.decree"} <= kinds
    for d in docs:
        pdf = client.get(f"/documents/{d.id}/pdf")
        reader = PdfReader(io.BytesIO(pdf.body))
        assert round(float(reader.pages[0].mediabox.width)) == 595          # A4
        assert d.number in "".join(p.extract_text() for p in reader.pages).replace("\n", "")
        assert "berlaku" in client.get(f"/verify/{d.token}").text.lower()
    return {d.type_code: d for d in docs}


def test_step_9_by_hand_and_list(setup):
    app, prog, users = setup
    plan_id = create_plan(users, prog)
    to_step_6(users, plan_id)
    today = local_day().isoformat()
    with db.connection():
        ids = [a.id for a in Addressee.select().where(Addressee.work_plan == plan_id)]
    for aid in ids:
        users["staff"].post(f"/delivery/addressees/{aid}/send", {"sent_on": today, "proof_ref": f"R-{aid}"}, status=303)
    users["staff"].post(f"/delivery/plans/{plan_id}/replies/close", status=303)
    users["panitia"].post(f"/delivery/plans/{plan_id}/meeting", {"meeting_date": today, "meeting_attendees": "A",
                                                                 "meeting_minutes": "B"}, status=303)
    users["staff"].post(f"/delivery/plans/{plan_id}/training/done", status=403)
    refused = users["panitia"].post(f"/delivery/plans/{plan_id}/training/done", {"note": "Selesai"}, status=303).follow()
    assert "Daftar hadir belum diisi untuk 3 hari pelatihan" in refused.text
    assert current_no(plan_id) == 9
    with db.connection():
        plan = WorkPlan.get_by_id(plan_id)
        person = training.find_or_create_person("1604015703990002", name="Nur Aisyah", sex="P")
        e = training.register(person, plan.batch, source="nomination", nominated_by="Kabupaten Lahat",
                              check_window=False)
        for status in ("selection", "accepted", "reregistered", "training"):
            training.change_status(e, status)
    record_attendance(plan.batch_id)
    users["panitia"].post(f"/delivery/plans/{plan_id}/training/done", {"note": "Selesai 3 hari"}, status=303)
    assert current_no(plan_id) == 10
    listing = users["head"].get("/delivery")
    assert "Pelatihan Operator Komputer Angkatan I" in listing.text


def test_letter_numbers_unique_under_concurrency(setup):
    app, prog, users = setup
    results, errors = [], []

    def worker():
        try:
            with db.connection():
                for _i in range(10):
                    with db.write():
                        results.append(service.take_number(app))
        except Exception as exc:   # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(results) == 80 and len(set(results)) == 80
    assert sorted(int(PATTERN.match(n).group(2)) for n in results) == list(range(1, 81))


def test_two_photo_uploads_at_once_never_make_nine(setup, monkeypatch):
    """The report takes at most 8 photos. With 7 there, upload A has added the 8th and not yet committed when
    upload B starts: B waits for A's lock on the plan, then counts 8 and is refused. (PostgreSQL: on SQLite a
    write transaction holds the database's write lock from BEGIN, so two uploads never overlap there.)"""
    import time
    import types
    from plugins.training_delivery import conduct
    from plugins.training_delivery.models import ReportPhoto
    app, prog, users = setup
    if db.is_sqlite():
        pytest.skip("SQLite: a write transaction holds the database's write lock from BEGIN")
    plan_id = create_plan(users, prog)
    with db.connection(), db.write():
        plan = WorkPlan.get_by_id(plan_id)
        for i in range(service.MAX_PHOTOS - 1):
            audit.create(ReportPhoto, work_plan=plan, caption=f"Foto {i}", filename="f.jpg", sha256="0" * 64,
                         content_type="image/jpeg")
    # the report's step and the file store are not what is tested here
    monkeypatch.setattr(conduct, "at_step", lambda plan, *numbers: None)
    monkeypatch.setattr(conduct, "tracker", types.SimpleNamespace(store_upload=lambda app, upload: {
        "filename": upload.raw_filename, "sha256": "1" * 64, "content_type": "image/jpeg"}))
    upload = types.SimpleNamespace(raw_filename="kelas.jpg")
    inserted, release, out = threading.Event(), threading.Event(), {}

    def upload_a():
        with db.connection():
            try:
                with db.write():
                    out["a"] = conduct.add_photo(plan, "A", upload, app)
                    inserted.set()
                    release.wait(120)
            except Exception as exc:     # pragma: no cover - reported below
                out["a"] = exc
                inserted.set()

    def upload_b():
        with db.connection():
            try:
                out["b"] = conduct.add_photo(plan, "B", upload, app)
            except Exception as exc:
                out["b"] = exc

    a, b = threading.Thread(target=upload_a), threading.Thread(target=upload_b)
    a.start()
    assert inserted.wait(120)
    b.start()
    deadline = time.monotonic() + 120
    with db.connection():           # let A commit once B waits for a lock (or has finished)
        while b.is_alive() and time.monotonic() < deadline and not db.database.obj.execute_sql(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock'").fetchone()[0]:
            time.sleep(0.01)
    release.set()
    a.join(120)
    b.join(120)
    assert isinstance(out["a"], ReportPhoto), out
    assert isinstance(out["b"], service.DeliveryError) and str(out["b"]) == "Paling banyak 8 foto.", out
    with db.connection():
        assert ReportPhoto.select().where(ReportPhoto.work_plan == plan_id).count() == service.MAX_PHOTOS


def test_number_pattern_is_configurable(balai_app):
    app = balai_app("training_delivery", options={"training_delivery": {"letter_number": "800/{n}/BLK/{year}"}})
    with db.connection():
        first, second = service.take_number(app), service.take_number(app)
    year = local_day().year
    assert (first, second) == (f"800/1/BLK/{year}", f"800/2/BLK/{year}")


def tracker_open_step(plan_id):
    from core.tracker.service import open_step
    return open_step(service.run_of(WorkPlan.get_by_id(plan_id)))


def aware_local(app, naive_utc):
    from core.tracker.service import aware
    return aware(naive_utc).astimezone(app.calendar.tz).date()


def backdate_step_7(app, plan_id, day):
    """As if step 7 had begun on ``day``: its clock restarted there by the tracker's own rule."""
    from core.tracker.models import RunStep
    from core.tracker.service import aware, naive, standard_for
    with db.connection():
        run = service.run_of(WorkPlan.get_by_id(plan_id))
        rs = RunStep.get((RunStep.run == run) & (RunStep.no == 7) & (RunStep.status == "ready"))
        ready = datetime.datetime.combine(day, datetime.time(2, 0))
        due = app.calendar.due(aware(ready), standard_for(rs.step, {}))
        RunStep.update(ready_at=ready, due_at=naive(due)).where(RunStep.id == rs.id).execute()
        return app.calendar.add_working_days(day, 5)


def test_overdue_reply_reminder_once(setup):
    app, prog, users = setup
    other_staff = make_user(app, "staf2", ["staf_blk"])
    plan_id = create_plan(users, prog)
    to_step_6(users, plan_id)
    with db.connection():
        ids = {a.name: a.id for a in Addressee.select().where(Addressee.work_plan == plan_id)}
    long_ago = (local_day() - datetime.timedelta(days=21)).isoformat()
    today = local_day().isoformat()
    with db.connection(), db.write():          # the letters were signed three weeks ago
        for l in Letter.select().where(Letter.work_plan == plan_id):
            audit.update(l, dated=datetime.date.fromisoformat(long_ago))
    users["staff"].post(f"/delivery/addressees/{ids['Kabupaten Lahat']}/send", {"sent_on": long_ago, "proof_ref": "A"}, status=303)
    users["staff"].post(f"/delivery/addressees/{ids['Kota Prabumulih']}/send", {"sent_on": long_ago, "proof_ref": "B"}, status=303)
    users["staff"].post(f"/delivery/addressees/{ids['Kabupaten Empat Lawang']}/send", {"sent_on": long_ago, "proof_ref": "C"}, status=303)
    users["staff"].post(f"/delivery/addressees/{ids['Kota Prabumulih']}/reply", {"replied_on": today}, status=303)
    assert current_no(plan_id) == 7
    page = users["staff"].get("/delivery/overdue").text.split("<h1>")[1]
    assert "Kabupaten Lahat" not in page            # the deadline is a week after step 7 began, not yet passed
    backdate_step_7(app, plan_id, datetime.date.fromisoformat(long_ago))
    page = users["staff"].get("/delivery/overdue").text.split("<h1>")[1]   # (after the flash message)
    assert "Kabupaten Lahat" in page and "Kota Prabumulih" not in page and "Empat Lawang" in page
    # one deadline: the overdue list, the reply page and the tracker's step 7 show the same date
    with db.connection():
        due = service.reply_deadlines([plan_id], app.calendar)[plan_id]
        rs = tracker_open_step(plan_id)
        assert aware_local(app, rs.due_at) == due
    from core.toolkit import format_date
    with app.activated():
        shown = format_date(due)
    assert shown in page and shown in users["staff"].get(f"/delivery/plans/{plan_id}/replies").text
    job = next(j for j in app.jobs if j.name == "training_delivery.reply_reminders")
    with db.connection():
        assert job.run(app, db.utcnow()) == 4            # two staf_blk users, two overdue addressees
        assert job.run(app, db.utcnow()) == 0            # idempotent
        rows = list(Notification.select().where(Notification.key == f"delivery-reply:{ids['Kabupaten Lahat']}"))
        assert sorted(n.user_id for n in rows) == sorted([users["staff"].user.id, other_staff.id])
        assert "Kabupaten Lahat" in rows[0].message and rows[0].link == f"/delivery/plans/{plan_id}/replies"
        assert Notification.select().where(Notification.user == users["head"].user.id).count() == 0
    assert "Kabupaten Lahat" in users["staff"].get("/notifications").text


def overdue_plan(app, users, prog, activity, **over):
    """A plan at step 7 whose three invitations were sent three weeks ago and none answered: all overdue."""
    plan_id = create_plan(users, prog, activity=activity, **over)
    to_step_6(users, plan_id)
    long_ago = local_day() - datetime.timedelta(days=21)
    with db.connection(), db.write():
        for l in Letter.select().where(Letter.work_plan == plan_id):
            audit.update(l, dated=long_ago)
    with db.connection():
        ids = [a.id for a in Addressee.select().where(Addressee.work_plan == plan_id)]
    for i, aid in enumerate(ids):
        users["staff"].post(f"/delivery/addressees/{aid}/send", {"sent_on": long_ago.isoformat(), "proof_ref": f"R{i}"},
                            status=303)
    assert current_no(plan_id) == 7
    backdate_step_7(app, plan_id, long_ago)
    return plan_id


def test_reply_reminders_read_the_same_whatever_the_number_of_overdue_addressees(setup):
    """The hourly reminder job: once everyone overdue was told, a run reads a constant number of times
    (3 overdue addressees or 6); the new ones of another plan are told once, then cost nothing more."""
    from core.testing import count_queries
    app, prog, users = setup
    make_user(app, "staf2", ["staf_blk"])
    job = next(j for j in app.jobs if j.name == "training_delivery.reply_reminders")
    overdue_plan(app, users, prog, "Pelatihan Operator Komputer Angkatan I")

    def run():
        with db.connection():
            return job.run(app, db.utcnow())
    assert run() == 6                                   # 3 overdue addressees × 2 staff
    steady = count_queries(run)
    overdue_plan(app, users, prog, "Pelatihan Operator Komputer Angkatan II")
    assert run() == 6 and run() == 0                    # the new ones once
    assert count_queries(run) == steady
    with db.connection():
        assert len(service.overdue_addressees(app.calendar, local_day())) == 6
        assert Notification.select().where(Notification.key.startswith("delivery-reply:")).count() == 12


def statements(fn):
    """The SQL statements ``fn()`` runs, as texts, and what it returned."""
    import logging

    class Recorder(logging.Handler):
        def emit(self, record):
            sql = record.msg[0] if isinstance(record.msg, tuple) else str(record.msg)
            seen.append(" ".join(str(sql).split()))
    logger, seen, recorder = logging.getLogger("peewee"), [], Recorder(logging.DEBUG)
    level = logger.level
    logger.addHandler(recorder)
    logger.setLevel(logging.DEBUG)
    try:
        result = fn()
    finally:
        logger.removeHandler(recorder)
        logger.setLevel(level)
    return seen, result


def test_first_reply_reminder_costs_the_same_for_3_or_6_staff_and_for_3_or_6_addressees(setup):
    """The reminders' first run too: every notice in one INSERT (tasks.notify_many), the staff and their
    notices read once, the addressees marked in one audited UPDATE and one INSERT of their audit rows
    (audit.update_many). 3 staff or 6, 3 overdue addressees or 6: the same statements."""
    app, prog, users = setup
    for name in ("staf2", "staf3"):
        make_user(app, name, ["staf_blk"])
    job = next(j for j in app.jobs if j.name == "training_delivery.reply_reminders")

    def run():
        with db.connection():
            return job.run(app, db.utcnow())

    def kinds(sql):
        """Reads, notice INSERTs, addressee marks and audit rows, and the rest (savepoints apart)."""
        notices = [q for q in sql if q.startswith("INSERT") and 'INTO "notification"' in q]
        marks = [q for q in sql if q.startswith('UPDATE "delivery_addressee"')]
        audit_rows = [q for q in sql if q.startswith('INSERT INTO "audit_log"')]
        reads = [q for q in sql if q.startswith("SELECT")]
        rest = [q for q in sql if q not in notices + marks + audit_rows + reads
                and not q.startswith(("SAVEPOINT", "RELEASE"))]
        return {"reads": len(reads), "notices": len(notices), "marks": len(marks), "audit": len(audit_rows),
                "rest": len(rest)}
    overdue_plan(app, users, prog, "Pelatihan Operator Komputer Angkatan I")
    three_staff, created = statements(run)
    assert created == 9                                 # 3 addressees × 3 staff
    first = kinds(three_staff)
    assert first["notices"] == 1 and first["marks"] == first["audit"] == 1
    for name in ("staf4", "staf5", "staf6"):
        make_user(app, name, ["staf_blk"])
    overdue_plan(app, users, prog, "Pelatihan Operator Komputer Angkatan II")
    six_staff, created = statements(run)
    assert created == 18                                # the new plan's 3 addressees × 6 staff
    assert len(six_staff) == len(three_staff) and kinds(six_staff) == first
    six = "\n".join(f"Kota Enam {i}" for i in range(1, 7))
    overdue_plan(app, users, prog, "Pelatihan Operator Komputer Angkatan III", addressees=six)
    six_addressees, created = statements(run)
    assert created == 36                                # 6 addressees × 6 staff
    assert kinds(six_addressees) == first
    assert run() == 0
    with db.connection():
        assert Notification.select().where(Notification.key.startswith("delivery-reply:")).count() == 9 + 18 + 36
        assert Addressee.select().where(Addressee.reminded_on.is_null()).count() == 0
        marked = {int(h.object_id) for h in audit.history(Addressee.audit_type(), [a.id for a in Addressee.select()],
                                                          limit=1000) if "reminded_on" in h.diff}
        assert marked == {a.id for a in Addressee.select()}           # each mark audited


def test_refusals_and_templates_admin(setup, balai_client):
    """Roles without the permission are refused; a budget that is not an amount of money is shown
    next to its field with an example of the right form; letter templates are admin-only."""
    app, prog, users = setup
    users["panitia"].post("/delivery/plans/new", plan_form(prog), status=403)
    users["head"].get("/delivery/plans/new", status=403)
    bad = users["staff"].post("/delivery/plans/new", plan_form(prog, budget_lines="Konsumsi | banyak | OH | 50.000",
                                                                addressees=""), status=422)
    assert "Baris 1: volume harus angka lebih dari 0." in bad.text
    with db.connection():
        assert WorkPlan.select().count() == 0 and Batch.select().count() == 0
    plan_id = create_plan(users, prog)
    users["kabid"].post(f"/delivery/plans/{plan_id}/instruct", status=303)     # not at step 3: refused
    assert current_no(plan_id) == 1
    # Templates: seeded at startup, admin only, edited with a syntax check.
    users["staff"].get("/delivery/templates", status=403)
    admin = balai_client(app, "admin")
    with db.connection():
        tpl = LetterTemplate.get(LetterTemplate.kind == "invitation")
        assert LetterTemplate.select().count() == 3
    assert "Undangan" in admin.get("/delivery/templates").text
    bad = admin.post(f"/delivery/templates/{tpl.id}/edit", {"kind": "invitation", "title": "Undangan",
                                                            "body": "{% for x in %}"}, status=422)
    assert "Templat tidak valid" in bad.text
    admin.post(f"/delivery/templates/{tpl.id}/edit", {"kind": "invitation", "title": "Undangan Pelatihan",
                                                      "body": "Kepada {{ addressee.name }} — {{ plan.activity }}"},
               status=303)
    to_step_4(users, plan_id)
    users["staff"].post(f"/delivery/plans/{plan_id}/letters/generate", status=303)
    inv = letters(plan_id)[("invitation", "Kota Prabumulih")]
    assert "Kepada Kota Prabumulih — Pelatihan Operator Komputer Angkatan I" in users["staff"].get(f"/delivery/letters/{inv.id}").text


def test_sandbox_blocks_unsafe_templates():
    from plugins.training_delivery import letters as lt
    with pytest.raises(lt.TemplateProblem, match="__class__"):         # unsafe attribute: refused, named
        lt.render("{{ ''.__class__.__mro__ }}", {})
    with pytest.raises(lt.TemplateProblem, match="baris 2: .*terlalu besar"):    # unbounded work: refused with its line
        lt.render("a\n{% for i in range(10**9) %}{{ i }}{% endfor %}", {})
    with pytest.raises(lt.TemplateProblem):
        lt.render("{{ ().__class__.__base__.__subclasses__() }}", {})
    with pytest.raises(lt.TemplateProblem):
        lt.render("{% set x = [] %}{{ x.append(1) }}", {})             # immutable sandbox
    assert lt.render("{{ plan.activity|upper }}", {"plan": {"activity": "las"}}) == "LAS\n"


def test_demo_data_states(balai_app):
    from plugins.training_delivery import demo
    app = balai_app("training_delivery")
    with db.connection():
        lines = demo.load(app)
        assert len(lines) == 1 and demo.load(app) == []          # idempotent
        runs = {p.activity: service.run_of(p) for p in WorkPlan.select()}
        states = sorted((r.status, r.current_no) for r in runs.values())
        assert states == [("active", 1), ("active", 7), ("completed", None)]
        returned = WorkPlan.get(WorkPlan.status == "returned")
        assert "Rincian belanja" in returned.return_reason
        overdue = service.overdue_addressees(app.calendar, local_day())
        assert sorted(a.name for a in overdue) == ["Kabupaten Empat Lawang", "Kota Pagar Alam"]
        # consistent records: letters signed before they were sent, replies after; the SK Panitia signed by
        # the Kepala Dinas; staff, committee and trainees with different names; the office's own programmes
        for a in Addressee.select().where(Addressee.sent_on.is_null(False)):
            inv = Letter.get((Letter.addressee == a.id) & (Letter.kind == "invitation"))
            assert inv.dated <= a.sent_on and (a.replied_on is None or a.sent_on <= a.replied_on)
        for decree in Letter.select().where(Letter.kind == "decree"):
            assert decree.signer_name == "Drs. H. Zulkarnain, M.Si."
        from core.identity import User
        from plugins.training_delivery.models import CommitteeMember
        staff_names = {u.full_name for u in User.select()} | {m.name for m in CommitteeMember.select()}
        assert not staff_names & {p.name for p in Person.select()}
        assert Programme.select().count() == 3
        done = WorkPlan.get(WorkPlan.report_received_at.is_null(False))
        assert "hadir 3/3 hari" in service.assemble_report(done, app) and "hadir 0/0" not in service.assemble_report(done, app)


def test_import_candidates_from_xlsx(setup):
    import io
    import openpyxl
    app, prog, users = setup
    plan_id = create_plan(users, prog)
    to_step_6(users, plan_id)
    with db.connection():
        aid = Addressee.get((Addressee.work_plan == plan_id) & (Addressee.name == "Kabupaten Lahat")).id
    users["staff"].post(f"/delivery/addressees/{aid}/send", {"sent_on": local_day().isoformat(),
                                                              "proof_ref": "TT-9"}, status=303)
    wb = openpyxl.Workbook()
    wb.active.append(["NIK", "Nama", "Jenis Kelamin", "Telepon", "Tanggal Lahir"])
    wb.active.append(["1604015703990002", "Nur Aisyah", "P", "081377889900", datetime.date(1999, 3, 17)])
    buf = io.BytesIO()
    wb.save(buf)
    users["staff"].post(f"/delivery/addressees/{aid}/import", upload_files=[("file", "calon.xlsx", buf.getvalue())],
                        status=303)
    with db.connection():
        e = Enrolment.select(Enrolment, Person).join(Person).get()
        assert (e.person.name, e.person.birth_date, e.nominated_by) == ("Nur Aisyah", datetime.date(1999, 3, 17),
                                                                       "Kabupaten Lahat")
    bad = users["staff"].post(f"/delivery/addressees/{aid}/import", upload_files=[("file", "calon.txt", b"x")], status=422)
    assert "Gunakan berkas CSV atau XLSX." in bad.text


def test_import_with_form_labels_template_and_indonesian_errors(setup):
    import io
    import openpyxl
    app, prog, users = setup
    plan_id = create_plan(users, prog)
    to_step_6(users, plan_id)
    with db.connection():
        aid = Addressee.get((Addressee.work_plan == plan_id) & (Addressee.name == "Kabupaten Lahat")).id
    staff = users["staff"]
    staff.post(f"/delivery/addressees/{aid}/send", {"sent_on": local_day().isoformat(), "proof_ref": "T"},
               status=303)
    # The template: the form's labels as headers; filled in as the form shows the values, it imports.
    template = staff.get("/delivery/candidates-template.xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(template.body))
    heads = [c.value for c in wb.active[1]]
    assert heads[:4] == ["NIK", "Nama lengkap", "Jenis kelamin", "Nomor telepon"] and "Pendidikan terakhir" in heads
    assert "SMA (SMA/SMK)" in staff.get(f"/delivery/addressees/{aid}").text          # the allowed values, beside it
    wb.active.append(["1604015306010004", "Sari Wulandari", "Perempuan", "081377000001", "2001-06-13", "SMA/SMK",
                      "Lahat"])
    bad = openpyxl.Workbook()
    bad.active.append(heads)
    bad.active.append(["1604015306010004", "Sari Wulandari", "Wanita", "081377000001", "2001-06-13", "SMK", ""])
    bad.active.append(["9904015306010004", "Tono", "L", "", (local_day() + datetime.timedelta(days=2)), "", ""])
    for book in (bad, wb):
        buf = io.BytesIO()
        book.save(buf)
        book.bytes = buf.getvalue()
    res = staff.post(f"/delivery/addressees/{aid}/import", upload_files=[("file", "calon.xlsx", bad.bytes)], status=422)
    assert "Baris 2: Jenis kelamin: Pilihan tidak valid. Pilihan: L (Laki-laki), P (Perempuan)." in res.text
    assert "Pendidikan terakhir: Pilihan tidak valid." in res.text and "SMA (SMA/SMK)" in res.text
    assert "Baris 3: NIK: NIK tidak valid: dua digit pertama (99) bukan kode provinsi." in res.text
    assert "Tanggal lahir: Tanggal tidak boleh di masa depan" in res.text
    with db.connection():
        assert Enrolment.select().count() == 0                     # all or nothing
    done = staff.post(f"/delivery/addressees/{aid}/import", upload_files=[("file", "calon.xlsx", wb.bytes)], status=303)
    with db.connection():
        e = Enrolment.select(Enrolment, Person).join(Person).where(Person.name == "Sari Wulandari").get()
        assert (e.person.sex, e.person.education) == ("P", "SMA")
    # The NIK's date digits disagree with the birth date: a warning, the candidate is still registered.
    res = staff.post(f"/delivery/addressees/{aid}/candidates", {"nik": "1604015703990003", "name": "Nur Aini",
                                                                 "sex": "P", "birth_date": "1999-03-18"}, status=303)
    page = res.follow()
    assert "Periksa NIK: digit tanggal lahirnya (570399) tidak sama dengan tanggal lahir 18-03-1999." in page.text
    assert "Nur Aini" in page.text
    assert done.status_code == 303


def test_dates_of_done_things_and_long_text_refused_next_to_the_field(setup):
    app, prog, users = setup
    plan_id = create_plan(users, prog)
    to_step_6(users, plan_id)
    staff = users["staff"]
    tomorrow = (local_day() + datetime.timedelta(days=1)).isoformat()
    with db.connection():
        aid = Addressee.get((Addressee.work_plan == plan_id) & (Addressee.name == "Kabupaten Lahat")).id
    res = staff.post(f"/delivery/addressees/{aid}/send", {"sent_on": tomorrow, "proof_ref": "T"}, status=422)
    assert f'id="s-{aid}-err">Tanggal tidak boleh di masa depan' in res.text
    with db.connection():
        assert Addressee.get_by_id(aid).sent_on is None
    long = staff.post("/delivery/plans/new", plan_form(prog, schedule="x" * 3001), status=422)
    assert "Maksimal 3000 karakter." in long.text and 'id="f-schedule-err"' in long.text
    with db.connection():
        other = Addressee.get((Addressee.work_plan == plan_id) & (Addressee.name == "Kota Prabumulih")).id
    staff.post(f"/delivery/addressees/{other}/send", {"sent_on": local_day().isoformat(), "proof_ref": "T"},
               status=303)
    bad = users["staff"].post(f"/delivery/addressees/{other}/candidates",
                              {"nik": "1604015703990002", "name": "A", "sex": "P", "birth_date": tomorrow}, status=422)
    assert 'id="f-birth_date-err"' in bad.text and "Tanggal tidak boleh di masa depan" in bad.text
