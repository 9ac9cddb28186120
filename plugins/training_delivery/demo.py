"""Demo data of ``training_delivery``: three work plans of BLK Kota Pagar Alam in
different states — one returned by the head of office with a reason, one
waiting for the regencies' replies and overdue, one completed with its report."""
import datetime
from decimal import Decimal

from core.toolkit import User, audit, db, set_roles, tracker, users_with_role, values
from plugins.training import service as training
from plugins.training.models import Programme
from plugins.training_delivery import service
from plugins.training_delivery.models import Addressee, WorkPlan

RunStep = tracker.RunStep  # raw tracker models (toolkit.tracker), for queries no toolkit function covers yet

DEMO_NAMES = {
    "staf_blk": ("Yuliana Safitri", "199107142019032008", "Penata Muda / III.a"),
    "kepala_dinas": ("Drs. H. Zulkarnain, M.Si.", "196910161995031001", "Pembina Utama Muda / IV.c"),
    "kepala_bidang": ("Hendra Saputra, S.T.", "197805122006041003", "Penata Tk. I / III.d"),
    "panitia": ("Rina Marlina, S.E.", "198203152009012004", "Penata / III.c"),
}


def actor(role):
    """A user holding the role (the core's demo user), or one made for the demo."""
    user = users_with_role(role).first()
    if user is None:
        name, nip, rank = DEMO_NAMES[role]
        with db.write():
            user = audit.create(User, username=f"demo.{role}", full_name=name, nip=nip, rank=rank)
            set_roles(user, {role})
    return User.get_by_id(user.id)


def programme(code, title, field, jp):
    return Programme.get_or_none(Programme.code == code) or audit.create(
        Programme, code=code, title=title, field=field, total_jp=jp)


def plan(staff, prog, activity, start, venue, dpa, amount, addressees, schedule):
    data = dict(activity=activity, programme=prog.id, start_date=start, end_date=start + datetime.timedelta(days=2),
                venue=venue, quota=16, dpa_number=dpa, budget_amount=Decimal(amount), schedule=schedule)
    return service.save_plan(data, addressees, staff)


def to_signed(p, users, app):
    staff, head, kabid = users["staf_blk"], users["kepala_dinas"], users["kepala_bidang"]
    service.submit_plan(p, staff)
    service.approve_plan(p, head, "Disetujui, laksanakan sesuai DPA.")
    service.instruct(p, kabid, "Susun undangan untuk Kabupaten/Kota se-wilayah Besemah.")
    for name, nip, position, role in [
            ("Hendra Saputra, S.T.", "197805122006041003", "Kepala Bidang BLK", "Penanggung Jawab"),
            ("Rina Marlina, S.E.", "198203152009012004", "Pengantar Kerja Ahli Muda", "Ketua"),
            ("Yuliana Safitri", "199107142019032008", "Staf BLK", "Sekretaris"),
            ("Ahmad Fauzi", "", "Instruktur", "Anggota")]:
        service.add_member(p, {"name": name, "nip": nip, "position": position, "role": role})
    service.generate_letters(p)
    service.submit_drafts(p, staff)
    for letter in service.letters_of(p):
        if letter.kind == "cover":
            service.sign(letter, kabid, app)
        else:
            service.paraf(letter, kabid, app)


CANDIDATES = {
    "Kabupaten Lahat": [("1604015703990002", "Nur Aisyah", "P", "081377889900"),
                        ("1604012108980005", "Rudi Hartono", "L", "082176543210")],
    "Kabupaten Empat Lawang": [("1611030509000001", "Agus Salim", "L", "085267001122")],
    "Kota Pagar Alam": [("1672014202010003", "Dewi Lestari", "P", "081200000002"),
                        ("1672010101000001", "Andi Wijaya", "L", "081200000001")],
}


def load(app):
    if WorkPlan.select().exists():
        return []
    users = {role: actor(role) for role in DEMO_NAMES}
    staff = users["staf_blk"]
    today = datetime.date.today()
    regions = [("Kabupaten Lahat", "Kepala Dinas Tenaga Kerja dan Transmigrasi Kabupaten Lahat"),
               ("Kabupaten Empat Lawang", "Kepala Dinas Tenaga Kerja Kabupaten Empat Lawang"),
               ("Kota Pagar Alam", "")]
    with db.write():
        sew = programme("BLK-PA-JHT", "Menjahit Pakaian dengan Mesin", "FAS", 120)
        weld = programme("BLK-PA-LAS", "Juru Las SMAW 3G", "LAS", 160)
        comp = programme("BLK-PA-TIK", "Operator Komputer Perkantoran", "TIK", 120)

        # 1. Returned by the head of office with a reason.
        a = plan(staff, sew, "Pelatihan Menjahit Pakaian Angkatan I", today + datetime.timedelta(days=45),
                 "Workshop Garmen BLK Kota Pagar Alam", "DPA/2.07.03/2026", "98500000", regions,
                 "Hari 1: pembukaan dan pengenalan mesin\nHari 2: praktik pola dan potong\nHari 3: praktik jahit, penutupan")
        service.submit_plan(a, staff)
        service.return_plan(a, users["kepala_dinas"],
                            "Rincian belanja bahan praktik belum sesuai DPA; lengkapi jadwal instruktur.")

        # 2. Invitations sent 12 days ago; one reply in, the others overdue.
        b = plan(staff, weld, "Pelatihan Juru Las SMAW Angkatan I", today + datetime.timedelta(days=20),
                 "Workshop Las BLK Kota Pagar Alam", "DPA/2.07.01/2026", "146250000", regions,
                 "Hari 1: K3 pengelasan\nHari 2: posisi 1G–2G\nHari 3: posisi 3G, uji praktik")
        to_signed(b, users, app)
        sent = today - datetime.timedelta(days=12)
        for i, addressee in enumerate(b.addressees.order_by(Addressee.name)):
            service.record_sending(addressee, sent, f"TT/{sent:%m}/{101 + i}", None, staff, app)
        lahat = b.addressees.where(Addressee.name == "Kabupaten Lahat").get()
        service.record_reply(lahat, sent + datetime.timedelta(days=4), "560/214/DTKT/2026")
        for nik, name, sex, phone in CANDIDATES["Kabupaten Lahat"]:
            service.add_candidate(lahat, {"nik": nik, "name": name, "sex": sex, "phone": values.phone(phone)})
        run = service.run_of(b)
        ready = datetime.datetime.combine(sent, datetime.time(3, 0))
        RunStep.update(ready_at=ready, due_at=ready + datetime.timedelta(days=7)).where(
            (RunStep.run == run) & (RunStep.no == 7) & (RunStep.status == "ready")).execute()

        # 3. Completed: letters, replies, meeting, training, report received.
        c = plan(staff, comp, "Pelatihan Operator Komputer Perkantoran Angkatan I", today - datetime.timedelta(days=30),
                 "Laboratorium Komputer BLK Kota Pagar Alam", "DPA/2.07.02/2026", "87300000", regions,
                 "Hari 1: pengolah kata\nHari 2: lembar kerja\nHari 3: presentasi dan surel")
        to_signed(c, users, app)
        sent = today - datetime.timedelta(days=60)
        for i, addressee in enumerate(c.addressees.order_by(Addressee.name)):
            service.record_sending(addressee, sent, f"TT/{sent:%m}/{201 + i}", None, staff, app)
        enrolments = []
        for addressee in c.addressees.order_by(Addressee.name):
            service.record_reply(addressee, sent + datetime.timedelta(days=5), f"560/{300 + addressee.id}/2026")
            for nik, name, sex, phone in CANDIDATES[addressee.name]:
                enrolments.append(service.add_candidate(addressee, {"nik": nik, "name": name, "sex": sex,
                                                                    "phone": values.phone(phone)}))
        service.close_replies(c, staff)
        service.save_meeting(c, {"meeting_date": today - datetime.timedelta(days=33), "meeting_place": "Aula BLK",
                                 "meeting_attendees": "Hendra Saputra, S.T.\nRina Marlina, S.E.\nYuliana Safitri\nAhmad Fauzi",
                                 "meeting_minutes": "1. Pembagian tugas panitia.\n2. Kesiapan laboratorium dan konsumsi."},
                             users["panitia"])
        for i, e in enumerate(enrolments):
            for status in ("selection", "accepted", "reregistered", "training"):
                training.change_status(e, status)
            training.change_status(e, "graduated" if i else "not_graduated")
        service.finish_training(c, users["panitia"], "Pelatihan selesai 3 hari; 4 dari 5 peserta lulus.")
        service.save_report(c, service.assemble_report(c, app))
        service.submit_report(c, staff)
        service.receive_report(c, users["kepala_dinas"])
    return [f"3 rencana kerja (dikembalikan #{a.id}, menunggu jawaban terlambat #{b.id}, "
            f"selesai #{c.id})"]
