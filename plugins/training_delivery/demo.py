"""Demo data of ``training_delivery``: three work plans of BLK Kota Pagar Alam in
different states — one returned by the head of office with a reason, one
waiting for the regencies' replies and overdue, one completed with its report.

Consistent as a real office's records would be: letters are signed before they
are sent and replies come after; the training ran on days with attendance; the
programmes are the office's own (the training module's, when its demo ran);
staff, committee and trainees have different names."""
import datetime
from decimal import Decimal

from core.toolkit import User, audit, db, set_roles, tracker, users_with_role, values
from plugins.training import service as training
from plugins.training.models import Programme
from plugins.training_delivery import service
from plugins.training_delivery.models import Addressee, WorkPlan


DEMO_NAMES = {
    "staf_blk": ("Yuliana Safitri", "199107142019032008", "Penata Muda / III.a"),
    "kepala_dinas": ("Drs. H. Zulkarnain, M.Si.", "196910161995031001", "Pembina Utama Muda / IV.c"),
    "kepala_bidang": ("Hendra Saputra, S.T.", "197805122006041003", "Penata Tk. I / III.d"),
    "panitia": ("Rosita Anggraini, S.E.", "198203152009012004", "Penata / III.c"),
}


def actor(role):
    """A user holding the role, with the office's name, NIP and rank (the core's demo user gets them:
    a paper prints "Hendra Saputra, S.T." and his NIP, never "Yusuf Maulana (Kepala Bidang)"), or
    one made for the demo."""
    name, nip, rank = DEMO_NAMES[role]
    user = users_with_role(role).first()
    with db.write():
        if user is None:
            user = audit.create(User, username=f"demo.{role}", full_name=name, nip=nip, rank=rank)
            set_roles(user, {role})
        elif (user.full_name, user.nip, user.rank) != (name, nip, rank):
            audit.update(user, full_name=name, nip=nip, rank=rank)
    return User.get_by_id(user.id)


def programme(code, title, field, jp):
    """The office's programme: the training module's own when its demo made it, else made here."""
    return Programme.get_or_none(Programme.code == code) or audit.create(
        Programme, code=code, title=title, field=field, total_jp=jp)


RAB = {   # lines of the itemised budget (uraian, volume, satuan, harga satuan)
    "sew": [("Honor instruktur", "24", "JP", "300000"), ("Konsumsi peserta dan panitia", "60", "OH", "50000"),
            ("Kain dan benang praktik", "16", "paket", "750000"), ("Transport peserta", "48", "OH", "100000")],
    "weld": [("Honor instruktur", "24", "JP", "300000"), ("Konsumsi peserta dan panitia", "60", "OH", "50000"),
             ("Elektroda dan pelat baja", "16", "paket", "1250000"), ("Alat pelindung diri", "16", "set", "450000")],
    "comp": [("Honor instruktur", "24", "JP", "300000"), ("Konsumsi peserta dan panitia", "60", "OH", "50000"),
             ("Modul dan ATK", "16", "paket", "150000"), ("Sewa jaringan internet", "3", "hari", "500000")],
}


def plan(staff, prog, activity, start, venue, dpa, rab, addressees, schedule):
    lines = [{"description": d, "volume": Decimal(v), "unit": u, "price": Decimal(p)} for d, v, u, p in RAB[rab]]
    data = dict(activity=activity, programme=prog.id, start_date=start, end_date=start + datetime.timedelta(days=2),
                venue=venue, quota=16, dpa_number=dpa, schedule=schedule)
    return service.save_plan(data, addressees, staff, lines=lines)


COMMITTEE = [("Hendra Saputra, S.T.", "197805122006041003", "Kepala Bidang BLK", "Penanggung Jawab"),
             ("Rosita Anggraini, S.E.", "198203152009012004", "Pengantar Kerja Ahli Muda", "Ketua"),
             ("Yuliana Safitri", "199107142019032008", "Staf BLK", "Sekretaris"),
             ("Ir. Bambang Wijanarko", "", "Instruktur", "Anggota")]


def to_signed(p, users, app, day):
    """Steps 2–5, the letters signed and dated ``day``."""
    staff, head, kabid = users["staf_blk"], users["kepala_dinas"], users["kepala_bidang"]
    service.submit_plan(p, staff)
    service.approve_plan(p, head, "Disetujui, laksanakan sesuai DPA.")
    service.instruct(p, kabid, "Susun undangan untuk Kabupaten/Kota se-wilayah Besemah.")
    for name, nip, position, role in COMMITTEE:
        service.add_member(p, {"name": name, "nip": nip, "position": position, "role": role})
    service.generate_letters(p)
    service.submit_drafts(p, staff)
    for letter in service.letters_of(p):
        if letter.kind == "cover":
            service.sign(letter, kabid, app, day)
        else:
            service.paraf(letter, kabid, app, day)
    decree = next(l for l in service.letters_of(p) if l.kind == "decree")
    if service.decree_signed_by_head(p):
        service.sign_decree(decree, head, app, day)


def restart_step_7(app, p, day):
    """As if step 7 had begun on ``day`` (the invitations went out then): its clock by the tracker's own rule."""
    run = service.run_of(p)
    rs = tracker.open_step(run)
    tracker.demo_restart_step(app, rs, datetime.datetime.combine(day, datetime.time(3, 0)))


CANDIDATES = {
    "Kabupaten Lahat": [("1604015703990002", "Nur Aisyah", "P", "081377889900"),
                        ("1604012108980005", "Riko Firmansyah", "L", "082176543210")],
    "Kabupaten Empat Lawang": [("1611030509000001", "Alfian Syahputra", "L", "085267001122")],
    "Kota Pagar Alam": [("1672014202010003", "Desi Ratnasari", "P", "081200000002"),
                        ("1672010101000001", "Anggi Saputra", "L", "081200000001")],
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
        sew = programme("FAS-MJH", "Menjahit Pakaian Wanita", "FAS", 280)
        weld = programme("LAS-SMAW", "Pengelasan SMAW 3G", "LAS", 320)
        comp = programme("TIK-TKOM", "Teknisi Komputer", "TIK", 240)

        # 1. Returned by the head of office with a reason.
        a = plan(staff, sew, "Pelatihan Menjahit Pakaian Angkatan I", today + datetime.timedelta(days=45),
                 "Workshop Garmen BLK Kota Pagar Alam", "DPA/2.07.03/2026", "sew", regions,
                 "Hari 1: pembukaan dan pengenalan mesin\nHari 2: praktik pola dan potong\nHari 3: praktik jahit, penutupan")
        service.submit_plan(a, staff)
        service.return_plan(a, users["kepala_dinas"],
                            "Rincian belanja bahan praktik belum sesuai DPA; lengkapi jadwal instruktur.")

        # 2. Invitations sent 12 days ago; one reply in, the others overdue.
        b = plan(staff, weld, "Pelatihan Juru Las SMAW Angkatan I", today + datetime.timedelta(days=20),
                 "Workshop Las BLK Kota Pagar Alam", "DPA/2.07.01/2026", "weld", regions,
                 "Hari 1: K3 pengelasan\nHari 2: posisi 1G–2G\nHari 3: posisi 3G, uji praktik")
        sent = today - datetime.timedelta(days=12)
        to_signed(b, users, app, sent - datetime.timedelta(days=1))
        for i, addressee in enumerate(b.addressees.order_by(Addressee.name)):
            service.record_sending(addressee, sent, f"TT/{sent:%m}/{101 + i}", None, staff, app)
        lahat = b.addressees.where(Addressee.name == "Kabupaten Lahat").get()
        service.record_reply(lahat, sent + datetime.timedelta(days=4), "560/214/DTKT/2026")
        for nik, name, sex, phone in CANDIDATES["Kabupaten Lahat"]:
            service.add_candidate(lahat, {"nik": nik, "name": name, "sex": sex, "phone": values.phone(phone)})
        restart_step_7(app, b, sent)

        # 3. Completed: letters, replies, meeting, training, report received.
        c = plan(staff, comp, "Pelatihan Operator Komputer Perkantoran Angkatan I", today - datetime.timedelta(days=30),
                 "Laboratorium Komputer BLK Kota Pagar Alam", "DPA/2.07.02/2026", "comp", regions,
                 "Hari 1: pengolah kata\nHari 2: lembar kerja\nHari 3: presentasi dan surel")
        sent = today - datetime.timedelta(days=60)
        to_signed(c, users, app, sent - datetime.timedelta(days=2))
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
                                 "meeting_attendees": "\n".join(m[0] for m in COMMITTEE),
                                 "meeting_minutes": "1. Pembagian tugas panitia.\n2. Kesiapan laboratorium dan konsumsi."},
                             users["panitia"])
        for i, e in enumerate(enrolments):
            for status in ("selection", "accepted", "reregistered", "training"):
                training.change_status(e, status)
        batch = c.batch
        for day in service.training_days(c, app.calendar):     # the daily attendance (one absent day, excused)
            training.save_attendance(batch, day, {e.id: ("I" if (i, day) == (4, c.start_date) else "H")
                                                  for i, e in enumerate(enrolments)})
        for i, e in enumerate(enrolments):
            training.change_status(e, "graduated" if i else "not_graduated")
        service.finish_training(c, users["panitia"], "Pelatihan selesai 3 hari; 4 dari 5 peserta lulus.")
        service.save_report(c, {"report_text": service.assemble_report(c, app),
                                "report_instructors": "Ir. Bambang Wijanarko: pengolah kata, lembar kerja, presentasi.",
                                "budget_realised": Decimal("13850000"),
                                "report_obstacles": "Satu peserta izin pada hari pertama. Saran: tambah satu hari praktik.",
                                "report_closing": "Demikian laporan ini disampaikan untuk dipergunakan sebagaimana mestinya."})
        service.submit_report(c, staff)
        if service.FLOW.at_step(c, 10) is not None:          # revision 1: the committee signs too
            service.submit_report(c, users["panitia"])
        service.receive_report(c, users["kepala_dinas"])
    return [f"3 rencana kerja (dikembalikan #{a.id}, menunggu jawaban terlambat #{b.id}, "
            f"selesai #{c.id})"]
