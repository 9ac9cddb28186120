"""training_delivery: the 11 steps of SOP BLK-PA-503-47 through HTTP, returns,
letter numbers (pattern, uniqueness under concurrency), reply reminders, refusals."""
import datetime
import re
import threading

import pytest

from core import audit, db
from core.testing import make_user
from core.tracker.models import Notification
from plugins.training import service as training
from plugins.training.models import Batch, Enrolment, Person, Programme
from plugins.training_delivery import service
from plugins.training_delivery.models import Addressee, Letter, LetterTemplate, WorkPlan

PATTERN = re.compile(r"^(\d{3})/BLK-PA/([IVX]+)/(\d{4})$")
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@pytest.fixture
def setup(balai_app, balai_client):
    app = balai_app("training_delivery", institution="UPTD BLK Kota Pagar Alam")
    with db.connection():
        prog = audit.create(Programme, code="TIK-OFF", title="Operator Komputer Perkantoran", field="TIK", total_jp=160)
    kabid = make_user(app, "kabid", ["kepala_bidang"], full_name="Hendra Saputra, S.T.", nip="197805122006041003",
                      rank="Penata Tk. I / III.d")
    users = {
        "staff": balai_client(app, "staf_blk"),
        "head": balai_client(app, "kepala_dinas"),
        "kabid": balai_client(app, user=kabid),
        "panitia": balai_client(app, "panitia"),
    }
    return app, prog, users


def plan_form(prog, **over):
    data = {"activity": "Pelatihan Operator Komputer Angkatan I", "programme": str(prog.id),
            "start_date": "2026-03-02", "end_date": "2026-03-20", "venue": "Workshop BLK Kota Pagar Alam",
            "quota": "16", "dpa_number": "DPA/2.07.01/2026", "budget_amount": "125.000.000",
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
    staff.post(f"/delivery/plans/{plan_id}/edit", plan_form(prog, budget_amount="130.500.000",
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
    assert current_no(plan_id) == 6
    final = letters(plan_id)
    numbers = [l.number for l in final.values()]
    assert len(set(numbers)) == 5
    today = datetime.date.today()
    for n in numbers:
        m = PATTERN.match(n)
        assert m and m.group(2) == ROMAN[today.month - 1] and m.group(3) == str(today.year)
    assert sorted(int(PATTERN.match(n).group(1)) for n in numbers) == [1, 2, 3, 4, 5]
    cover = final[("cover", None)]
    assert (cover.signer_name, cover.signer_nip, cover.signer_rank) == ("Hendra Saputra, S.T.", "197805122006041003",
                                                                        "Penata Tk. I / III.d")
    # The printable invitation: letterhead, number, addressee, signer's NIP.
    inv = final[("invitation", "Kabupaten Lahat")]
    printed = staff.get(f"/delivery/letters/{inv.id}")
    assert 'class="letterhead"' in printed.text and "UPTD BLK KOTA PAGAR ALAM" in printed.text
    assert inv.number in printed.text and "Kepala Dinas Tenaga Kerja Kabupaten Lahat" in printed.text
    assert "NIP 197805122006041003" in printed.text and "Hendra Saputra, S.T." in printed.text
    assert "KONSEP" not in printed.text
    other = staff.get(f"/delivery/letters/{final[('invitation', 'Kota Prabumulih')].id}")
    assert "Kota Prabumulih" in other.text and final[("invitation", "Kota Prabumulih")].number in other.text

    # Step 6: distribution register, with a receipt number or an uploaded proof.
    with db.connection():
        addressees = {a.name: a.id for a in Addressee.select().where(Addressee.work_plan == plan_id)}
    panitia.post(f"/delivery/addressees/{addressees['Kabupaten Lahat']}/send", {"sent_on": "2026-02-02"}, status=403)
    staff.post(f"/delivery/addressees/{addressees['Kabupaten Lahat']}/send", {"sent_on": "2026-02-02"}, status=303)
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
        training.change_status(enrolments[0], "graduated")
        training.end_batch(Batch.get_by_id(batch.id))
    assert current_no(plan_id) == 10

    # Step 10: the report assembled from the records, edited and submitted.
    page = staff.get(f"/delivery/plans/{plan_id}/report")
    for expected in ("DPA/2.07.01/2026", final[("cover", None)].number, "Kabupaten Lahat", "Nur Aisyah",
                     "Pembagian tugas instruktur", "Lulus: 1 orang dari 3 peserta"):
        assert expected in page.text
    staff.post(f"/delivery/plans/{plan_id}/report", {"report_text": "LAPORAN\nKegiatan berjalan lancar.", "submit": "1"},
               status=303)
    assert current_no(plan_id) == 11
    printed = head.get(f"/delivery/plans/{plan_id}/report/print")
    assert "Kegiatan berjalan lancar." in printed.text and 'class="letterhead"' in printed.text

    # Step 11: the head of office receives the report; the run is completed.
    staff.post(f"/delivery/plans/{plan_id}/report/receive", status=403)
    head.post(f"/delivery/plans/{plan_id}/report/receive", status=303)
    with db.connection():
        run = service.run_of(WorkPlan.get_by_id(plan_id))
        assert run.status == "completed"
        assert WorkPlan.get_by_id(plan_id).report_received_at is not None
    assert "Semua langkah SOP selesai." in head.get(f"/delivery/plans/{plan_id}").text
    head.post(f"/delivery/plans/{plan_id}/report/receive", status=303)   # nothing left: refused, no error page


def test_step_9_by_hand_and_list(setup):
    app, prog, users = setup
    plan_id = create_plan(users, prog)
    to_step_6(users, plan_id)
    today = datetime.date.today().isoformat()
    with db.connection():
        ids = [a.id for a in Addressee.select().where(Addressee.work_plan == plan_id)]
    for aid in ids:
        users["staff"].post(f"/delivery/addressees/{aid}/send", {"sent_on": today, "proof_ref": f"R-{aid}"}, status=303)
    users["staff"].post(f"/delivery/plans/{plan_id}/replies/close", status=303)
    users["panitia"].post(f"/delivery/plans/{plan_id}/meeting", {"meeting_date": today, "meeting_attendees": "A",
                                                                 "meeting_minutes": "B"}, status=303)
    users["staff"].post(f"/delivery/plans/{plan_id}/training/done", status=403)
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
    assert sorted(int(PATTERN.match(n).group(1)) for n in results) == list(range(1, 81))


def test_number_pattern_is_configurable(balai_app):
    app = balai_app("training_delivery", options={"training_delivery": {"letter_number": "800/{n}/BLK/{year}"}})
    with db.connection():
        first, second = service.take_number(app), service.take_number(app)
    year = datetime.date.today().year
    assert (first, second) == (f"800/1/BLK/{year}", f"800/2/BLK/{year}")


def test_overdue_reply_reminder_once(setup):
    app, prog, users = setup
    other_staff = make_user(app, "staf2", ["staf_blk"])
    plan_id = create_plan(users, prog)
    to_step_6(users, plan_id)
    with db.connection():
        ids = {a.name: a.id for a in Addressee.select().where(Addressee.work_plan == plan_id)}
    long_ago = (datetime.date.today() - datetime.timedelta(days=21)).isoformat()
    today = datetime.date.today().isoformat()
    users["staff"].post(f"/delivery/addressees/{ids['Kabupaten Lahat']}/send", {"sent_on": long_ago, "proof_ref": "A"}, status=303)
    users["staff"].post(f"/delivery/addressees/{ids['Kota Prabumulih']}/send", {"sent_on": long_ago, "proof_ref": "B"}, status=303)
    users["staff"].post(f"/delivery/addressees/{ids['Kabupaten Empat Lawang']}/send", {"sent_on": today, "proof_ref": "C"}, status=303)
    users["staff"].post(f"/delivery/addressees/{ids['Kota Prabumulih']}/reply", {"replied_on": today}, status=303)
    assert current_no(plan_id) == 7
    page = users["staff"].get("/delivery/overdue").text.split("<h1>")[1]   # (after the flash message)
    assert "Kabupaten Lahat" in page and "Kota Prabumulih" not in page and "Empat Lawang" not in page
    job = next(j for j in app.jobs if j.name == "training_delivery.reply_reminders")
    with db.connection():
        assert job.run(app, db.utcnow()) == 2            # two staf_blk users, one overdue addressee
        assert job.run(app, db.utcnow()) == 0            # idempotent
        rows = list(Notification.select().where(Notification.key == f"delivery-reply:{ids['Kabupaten Lahat']}"))
        assert sorted(n.user_id for n in rows) == sorted([users["staff"].user.id, other_staff.id])
        assert "Kabupaten Lahat" in rows[0].message and rows[0].link == f"/delivery/plans/{plan_id}/replies"
        assert Notification.select().where(Notification.user == users["head"].user.id).count() == 0
    assert "Kabupaten Lahat" in users["staff"].get("/notifications").text


def test_refusals_and_templates_admin(setup, balai_client):
    """Roles without the permission are refused; a budget that is not an amount of money is shown
    next to its field with an example of the right form; letter templates are admin-only."""
    app, prog, users = setup
    users["panitia"].post("/delivery/plans/new", plan_form(prog), status=403)
    users["head"].get("/delivery/plans/new", status=403)
    bad = users["staff"].post("/delivery/plans/new", plan_form(prog, budget_amount="banyak", addressees=""), status=422)
    assert "Jumlah uang tidak valid (contoh 1.250.000" in bad.text
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
        overdue = service.overdue_addressees(app.calendar, datetime.date.today())
        assert sorted(a.name for a in overdue) == ["Kabupaten Empat Lawang", "Kota Pagar Alam"]


def test_import_candidates_from_xlsx(setup):
    import io
    import openpyxl
    app, prog, users = setup
    plan_id = create_plan(users, prog)
    to_step_6(users, plan_id)
    with db.connection():
        aid = Addressee.get((Addressee.work_plan == plan_id) & (Addressee.name == "Kabupaten Lahat")).id
    users["staff"].post(f"/delivery/addressees/{aid}/send", {"sent_on": datetime.date.today().isoformat(),
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
