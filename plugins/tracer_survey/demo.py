"""Demo data of ``tracer_survey``: an ended batch of BPVP Kendari with its three
waves (+1 closed with 60% answers, +3 open, +6 upcoming; the batch's one run at step 6),
vacancies, shares and contact logs. Idempotent: nothing when waves exist."""
import datetime

from core.toolkit import _, audit, db, format_date, tracker, users_with_role, values
from plugins.tracer_survey import service
from plugins.tracer_survey.models import Alumnus, Vacancy, Wave
from plugins.training.models import Batch, Enrolment, Person, Programme

PEOPLE = [  # name, sex, phone (some deliberately not WhatsApp-able)
    ("La Ode Muhammad Rizal", "L", "0812-4567-1201"), ("Wa Ode Sitti Nurhaliza", "P", "+62 813 4123 5502"),
    ("Andi Saputra Lamba", "L", "085241113303"), ("Nurul Hikmah Tamburaka", "P", "0852 9876 4404"),
    ("Muhammad Aswar", "L", "6281355505505"), ("Sitti Rahmawati", "P", "081341236606"),
    ("Rahmat Hidayat Lakidende", "L", "0821-8899-7707"), ("Fitriani Wulandari", "P", "082188008808"),
    ("Ahmad Fauzan Mokodompit", "L", "0401 3121 909"), ("Irma Suryani", "P", "085398761010"),
    ("Laode Abdul Gafur", "L", ""), ("Dewi Kartika Sari", "P", "081245671212"),
    ("Yusran Baso", "L", "082344451313"), ("Nirwana Halim", "P", "081355561414"),
    ("Arman Tosepu", "L", "085256781515"), ("Hasnawati Ruslan", "P", "081299991616"),
]
ANSWERS_1 = [  # wave +1: 9 of 15 graduates answer (60%)
    ("bekerja", "PT Virtue Dragon Nickel Industry", "Operator administrasi gudang", "industri", 20, "3-5", 4, "siapkerja"),
    ("bekerja", "Hotel Claro Kendari", "Staf front office", "akomodasi", 35, "2-3", 3, "bpvp"),
    ("wirausaha", "Rental & Servis Komputer Rizal", "Pemilik", "jasa_lain", 25, "1-2", 5, "usaha_sendiri"),
    ("bekerja", "CV Mandiri Data Sultra", "Operator entri data", "tik", 10, "2-3", 5, "medsos"),
    ("belum", "", "", "", None, "", None, ""),
    ("studi", "", "", "", None, "", None, ""),
    ("bekerja", "Koperasi Konsumen Sejahtera Kendari", "Admin keuangan", "keuangan", 0, "2-3", 4, "keluarga"),
    ("wirausaha", "Percetakan Tosepu", "Pemilik", "industri", 30, "lt1", 4, "usaha_sendiri"),
    ("belum", "", "", "", None, "", None, ""),
]
VACANCIES = [
    ("PT Virtue Dragon Nickel Industry", "Operator Komputer / Admin Produksi", "Morosi, Konawe", 25, "Karirhub Kemnaker",
     "https://karirhub.kemnaker.go.id/"),
    ("Hotel Claro Kendari", "Staf Front Office", "Kota Kendari", 12, "Instagram @claro.kendari", ""),
    ("PT Bank Pembangunan Daerah Sultra", "Customer Service (kontrak)", "Kota Kendari", 40, "Disnaker Provinsi Sultra", ""),
    ("CV Mandiri Data Sultra", "Operator Entri Data", "Kota Kendari", -5, "Grup WA alumni", ""),
]


def _user_with(role):
    row = users_with_role(role).first()
    return row


def load(app):
    if Wave.select().exists():
        return []
    today = service.local_today(app)
    end = service.add_months(today, -3) - datetime.timedelta(days=10)
    lines = []
    with db.write():
        programme = Programme.get_or_none(Programme.code == "TIK.OKM")
        if programme is None:
            programme = audit.create(Programme, code="TIK.OKM", title="Operator Komputer Muda", field="TIK",
                                     total_jp=240, delivery="institutional")
        batch = audit.create(Batch, programme=programme, name="Angkatan III (survei alumni)", wave="Tahap 1",
                             start_date=end - datetime.timedelta(days=42), end_date=end, quota=16,
                             reg_opens=end - datetime.timedelta(days=80), reg_closes=end - datetime.timedelta(days=50),
                             venue="Workshop TIK BPVP Kendari", funding="DIPA", status="ended")
        for i, (name, sex, phone) in enumerate(PEOPLE, start=1):
            nik = f"747101{(i % 28) + 1 + (40 if sex == 'P' else 0):02d}0{(i % 9) + 1}9{(i + 5) % 10}{i:04d}"
            person = Person.get_or_none(Person.nik == nik) or audit.create(
                Person, nik=nik, name=name, sex=sex, birth_date=datetime.date(1996 + i % 8, 1 + i % 12, 1 + i),
                province="Sulawesi Tenggara", regency="Kota Kendari", phone=values.phone(phone) if phone else "", education="SMA")
            audit.create(Enrolment, person=person, batch=batch, source="siapkerja",
                         status="graduated" if i <= 15 else "not_graduated")
        vacancies = [audit.create(Vacancy, employer=e, position=p, location=loc,
                                  closes_on=today + datetime.timedelta(days=d), source=src, link=link)
                     for e, p, loc, d, src, link in VACANCIES]
    waves = service.create_waves(batch, app)
    lines.append(_("{b} (berakhir {d}) dengan {n} gelombang survei", b=batch.name, d=format_date(end),
                   n=len(waves)))
    first, second, _third = sorted(waves, key=lambda w: w.months)
    officer = _user_with("pengantar_kerja")
    with db.write():
        alumni1 = list(Alumnus.select().where(Alumnus.wave == first).order_by(Alumnus.id))
        alumni2 = list(Alumnus.select().where(Alumnus.wave == second).order_by(Alumnus.id))
        for a, (status, employer, position, sector, days, income, rel, via) in zip(alumni1, ANSWERS_1):
            service.save_answer(a, {"status": status, "employer": employer, "position": position, "sector": sector,
                                    "start_date": end + datetime.timedelta(days=days) if days is not None else None,
                                    "income_band": income, "relevance": rel, "found_via": via},
                                source="form" if days != 0 else "import")
        for a, (status, employer, position, sector, days, income, rel, via) in zip(alumni2[:4], ANSWERS_1[:4]):
            service.save_answer(a, {"status": status, "employer": employer, "position": position, "sector": sector,
                                    "start_date": end + datetime.timedelta(days=days), "income_band": income,
                                    "relevance": rel, "found_via": via})
        who = officer or type("U", (), {"id": None, "full_name": "Pengantar Kerja"})()
        service.share_vacancies(vacancies[:2], alumni1, "group", who)
        service.share_vacancies(vacancies[2:3], alumni2, "wa_blast", who)
        service.log_contacts(alumni1, "invite", "wa_blast", "Blast undangan survei +1 bulan", who)
        service.log_contacts(alumni1[9:], "reminder", "wa", "Pengingat pribadi", who)
        service.log_contacts(alumni2, "invite", "wa_blast", "Blast undangan survei +3 bulan", who)
        audit.update(first, closed_at=db.utcnow() - datetime.timedelta(days=40), roster_confirmed_at=db.utcnow())
        service.sync_links(first, app)
        audit.update(second, roster_confirmed_at=db.utcnow())
    run = service.run_of(first)                  # the batch's one run of KDI-PM-09
    if officer is not None and run is not None:
        for no in range(1, 6):
            tracker.complete(run, officer, notes="Data demo", expect_no=no)
        lines.append(_("run angkatan menunggu di langkah 6 (alumni menjawab) sampai gelombang +6 ditutup"))
    else:
        lines.append(_("belum ada pengguna Pengantar Kerja; run tetap di langkah 1"))
    return lines
