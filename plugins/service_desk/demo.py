"""Demo data of the ``service_desk`` plugin: six weeks of guests at BPVP Kendari
on both routes of KDI-PM-06 — registrations waiting for selection (one overdue),
graduates of an ended batch whose runs are finished, a cooperation whose RAB and
PKS wait for the head's approval, a finished cooperation (paid ID Billing, test
recorded by hand) and a guest just arrived. Idempotent: nothing happens when
any guest visit exists. Steps are performed by the demo users of each role
(``balai demo`` creates them first). A visit gets its real (back-dated) day before
anything is recorded about it: the minutes' meeting is on or after the visit."""
import datetime
import decimal

from core.toolkit import User, _, audit, db, institution_timezone, tracker, users_with_role, values
from plugins.service_desk import cooperation, selection, service
from plugins.service_desk.models import GuestVisit, Pks, RabLine, TestResult
from plugins.training import service as training
from plugins.training.models import Batch, Enrolment, Person, Programme


D = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)


def _user(role):
    """A demo user holding the role (or else any active user)."""
    u = users_with_role(role).first()
    u = u or User.select().where(User.active == True).order_by(User.id).first()  # noqa: E712
    return u


def _day(visit, when, app):
    """Give a visit its real (back-dated) moment and day (demo only: a direct update, no audit)."""
    GuestVisit.update(visited_at=when, day=(when.replace(tzinfo=datetime.timezone.utc)
                                            .astimezone(institution_timezone(app)).date())).where(
        GuestVisit.id == visit.id).execute()


def _shift(visit, when, app):
    """Move a visit and its run back in time (demo only: direct updates, no audit)."""
    run = service.run_of(visit)
    delta = when - run.started_at
    _day(visit, when, app)
    tracker.demo_shift_run(run, delta)


def _visit(app, kiosk, name, category, purpose, organisation="", phone="", notes=""):
    return service.create_visit(app, kiosk, {"name": name, "category": category, "purpose": purpose,
                                             "organisation": organisation, "phone": values.phone(phone) if phone else "", "notes": notes})


def _batches(app, today):
    """(an open batch, an ended batch) from the training demo, or made here."""
    open_batch = next((b for b in Batch.select().where(Batch.status == "registration").order_by(Batch.id)
                       if training.registration_problem(b, today) is None), None)
    ended = Batch.select().where(Batch.status == "ended").order_by(Batch.id).first()
    if open_batch and ended:
        return open_batch, ended
    prog = Programme.get_or_none(Programme.code == "KDI-OKM") or audit.create(
        Programme, code="KDI-OKM", title="Operator Komputer Muda", field="TIK", total_jp=160)
    if open_batch is None:
        open_batch = audit.create(Batch, programme=prog, name="Angkatan III", start_date=today + 20 * D,
                                  end_date=today + 45 * D, quota=16, reg_opens=today - 10 * D,
                                  reg_closes=today + 15 * D, status="registration", venue="Workshop TIK")
    if ended is None:
        ended = audit.create(Batch, programme=prog, name="Angkatan I", start_date=today - 60 * D,
                             end_date=today - 30 * D, quota=16, reg_opens=today - 100 * D,
                             reg_closes=today - 70 * D, status="ended", venue="Workshop TIK")
    return open_batch, ended


def load(app):
    if GuestVisit.select().exists():
        return []
    kiosk, empower, delivery, head = (_user(r) for r in ("petugas_kios", "sub_koordinator_pemberdayaan",
                                                         "sub_koordinator_penyelenggaraan", "kepala_bpvp"))
    if kiosk is None:
        return [_("belum ada pengguna untuk bertindak: buat pengguna dulu (balai demo membuatnya)")]
    today = service.local_today(app)
    now = db.utcnow()
    lines = []
    with db.write():
        open_batch, ended = _batches(app, today)

        # Registrations for the open batch, waiting for selection (step 3); the oldest is overdue.
        guests = [("La Ode Ruslan", "L", "7471021204990011", 16), ("Wa Ode Hasnah", "P", "7471035807010012", 12),
                  ("Muhammad Akbar", "L", "7471050302000013", 9), ("Nurhayati", "P", "7471014611980014", 5),
                  ("Sultan Hasanuddin", "L", "7471042508020015", 2)]
        for i, (name, sex, nik, days_ago) in enumerate(guests):
            v = _visit(app, kiosk, name, "umum", "registration", phone=f"0852417{i:05d}")
            selection.register_guest(app, v, kiosk, open_batch, {"nik": nik, "sex": sex,
                                                                 "siapkerja_ref": f"SIAPK-{today.year}-{40210 + i}"})
            _shift(v, now - days_ago * D - 2 * H, app)
        lines.append(_("{n} pendaftar untuk {batch} (menunggu seleksi)", n=len(guests), batch=open_batch))

        # One guest waiting at the kiosk since yesterday (step 2 overdue).
        v = _visit(app, kiosk, "Rahmawati Tamburaka", "umum", "registration", phone="081341000777",
                   notes="Belum membawa KTP; kembali besok")
        _shift(v, now - 1 * D - 3 * H, app)

        # Graduates of the ended batch: finished runs.
        finished = 0
        grads = list(Enrolment.select(Enrolment, Person).join(Person)
                     .where((Enrolment.batch == ended) & (Enrolment.status == "graduated")).limit(2))
        for e in grads:
            v = _visit(app, kiosk, e.person.name, "umum", "registration")
            audit.update(v, enrolment=e.id)
            service.set_batch(v, ended)
            run = service.run_of(v)
            tracker.complete(run, kiosk, notes="Terdaftar; bukti SIAPkerja " + (e.siapkerja_ref or "SIAPK-LAMA"),
                             links=[(e.person.name, f"/training/people/{e.person.id}")], app=app)
            tracker.complete(run, delivery, notes="Diterima dan sudah daftar ulang.", branch=service.ACCEPTED,
                             app=app)  # step 3
            tracker.complete(run, delivery, notes=f"Pelatihan {ended} selesai.", app=app)
            tracker.complete(run, delivery, notes="Berita acara LSP TIK Sultra: kompeten.", app=app)
            _shift(v, now - 20 * D, app)
            finished += 1

        # A cooperation awaiting the head's approval of RAB and PKS.
        v = _visit(app, kiosk, "Andi Baso", "industri", "cooperation", organisation="PT Virtue Dragon Nickel Industry",
                   phone="081245556677", notes="Ingin melatih dan menyertifikasi 16 juru las")
        visited = now - 3 * D - 4 * H
        _day(v, visited, app)       # its day first: the meeting three days ago is not before the visit
        coop = service.cooperation_of(v)
        cooperation.save_minutes(app, coop, empower, {
            "kind": "training_certification", "meeting_date": today - 3 * D,
            "attendees": "Andi Baso (HRD PT VDNI); Sub Koordinator Pemberdayaan; Sub Koordinator Penyelenggaraan",
            "minutes": "PT VDNI meminta pelatihan Pengelasan SMAW 3G dan uji kompetensi untuk 16 karyawan baru. "
                       "Biaya sertifikasi ditanggung perusahaan melalui ID Billing.",
            "follow_up": "Susun RAB dan draf PKS; koordinasi jadwal dengan seksi penyelenggaraan."})
        for item, vol, unit, cost in [("Biaya uji kompetensi per orang", 16, "orang", 650000),
                                      ("Honor instruktur", 40, "JP", 300000),
                                      ("Bahan praktik las (pelat dan elektroda)", 16, "paket", 450000),
                                      ("Honor asesor", 2, "orang", 1500000)]:
            audit.create(RabLine, cooperation=coop, item=item, volume=decimal.Decimal(vol), unit=unit,
                         unit_cost=decimal.Decimal(cost))
        audit.create(Pks, cooperation=coop, number=f"PKS/021/BPVP-KDI/{today.year}",
                     parties="1. Balai Pelatihan Vokasi dan Produktivitas Kendari\n2. PT Virtue Dragon Nickel Industry",
                     scope="Pelatihan Pengelasan SMAW 3G dan sertifikasi kompetensi bagi 16 karyawan",
                     period_start=today + 7 * D, period_end=today + 372 * D)
        cooperation.submit(coop, "rab")                  # the head's "Tugas saya" gets both
        cooperation.submit(coop, "pks")
        _shift(v, visited, app)
        lines.append(_("1 kerja sama dengan RAB dan PKS menunggu persetujuan"))

        # A finished cooperation: approved, paid, trained and tested.
        v = _visit(app, kiosk, "Hj. Sitti Marwah", "instansi", "cooperation", organisation="Dinas Nakertrans Kab. Konawe",
                   phone="081355501234")
        visited = now - 42 * D      # six weeks ago: the meeting two days later, then the PKS, billing, training
        _day(v, visited, app)
        coop = service.cooperation_of(v)
        cooperation.save_minutes(app, coop, empower, {
            "kind": "training_certification", "meeting_date": today - 40 * D, "attendees": "Dinas Nakertrans Konawe; BPVP",
            "minutes": "Pelatihan dan sertifikasi operator komputer untuk pencari kerja Kab. Konawe.", "follow_up": ""})
        audit.create(RabLine, cooperation=coop, item="Biaya uji kompetensi per orang", volume=decimal.Decimal(16),
                     unit="orang", unit_cost=decimal.Decimal(600000))
        audit.create(Pks, cooperation=coop, number=f"PKS/009/BPVP-KDI/{today.year}",
                     parties="1. BPVP Kendari\n2. Dinas Nakertrans Kabupaten Konawe",
                     scope="Pelatihan dan sertifikasi operator komputer", period_start=today - 35 * D,
                     period_end=today + 330 * D)
        cooperation.submit(coop, "rab")                  # the head's "Tugas saya" gets both
        cooperation.submit(coop, "pks")
        approver = head or empower
        cooperation.decide(app, coop, "rab", approver, True)
        cooperation.decide(app, coop, "pks", approver, True)
        cooperation.save_billing(coop, {"billing_id": "820240915000123", "billing_amount": decimal.Decimal(9600000),
                                    "billed_on": today - 30 * D, "paid": True, "paid_on": today - 27 * D})
        audit.update(coop, batch=ended.id)
        service.set_batch(v, ended)
        service.sync_training_step(v, delivery)
        if TestResult.get_or_none(TestResult.batch == ended) is None:
            audit.create(TestResult, batch=ended, ba_number="BA/LSP-TIK-SULTRA/2024/044", ba_date=ended.end_date + 3 * D,
                         candidates=16, passed=14, recorded_by=delivery.id)
        run = service.run_of(v)
        if service.at_step(run, 7):
            tracker.complete(run, delivery, notes="Berita acara LSP: 14 dari 16 peserta kompeten.", app=app)
        _shift(v, visited, app)
        finished += 1
        lines.append(_("{n} run selesai", n=finished))

        # Guests of today: an agency just arrived for cooperation, a partner, a member of the public.
        _visit(app, kiosk, "Ir. Muh. Yusuf", "instansi", "cooperation", organisation="Bappeda Kota Kendari")
        v = _visit(app, kiosk, "Agustina Lapadi", "mitra", "cooperation", organisation="LPK Anoa Mandiri")
        _shift(v, now - 8 * D, app)
        v = _visit(app, kiosk, "Fadli Rasyid", "umum", "registration", phone="082190001122")
        lines.append(_("3 tamu lain (satu kerja sama dari 8 hari lalu terlambat di langkah 4)"))
    return lines
