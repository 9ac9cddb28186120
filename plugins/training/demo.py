"""Demo data of the ``training`` plugin: four programmes with their competency
units, batches in several states (registration open, running, ended) with
10–20 people each, enrolments in various statuses, attendance and a few
certificates. Idempotent: nothing happens when the demo programmes exist.

NIKs are 16 digits: 4-digit region code (province + regency) + 2-digit
district + birth date DDMMYY (day + 40 for women) + 4-digit sequence. The
region comes from ``load(app, region=...)`` or, by default, from the
institution's name (Kendari 7471, Pagar Alam 1672, Tangerang 3671).
"""
import datetime
import random

from core.toolkit import _, audit, db, documents, forms, values
from plugins.training import service
from plugins.training.models import (Attendance, Batch, CompetencyUnit, Enrolment, Instructor, Person, Programme)

# region code → (province, regency); looked up from the institution's name
REGIONS = {
    "kendari": ("7471", "Sulawesi Tenggara", "Kota Kendari"),
    "konawe": ("7402", "Sulawesi Tenggara", "Kabupaten Konawe"),
    "pagar alam": ("1672", "Sumatera Selatan", "Kota Pagar Alam"),
    "pagaralam": ("1672", "Sumatera Selatan", "Kota Pagar Alam"),
    "palembang": ("1671", "Sumatera Selatan", "Kota Palembang"),
    "tangerang": ("3671", "Banten", "Kota Tangerang"),
    "makassar": ("7371", "Sulawesi Selatan", "Kota Makassar"),
}
DEFAULT_REGION = "kendari"

PROGRAMMES = [
    ("TIK-TKOM", "Teknisi Komputer", "TIK", 240, [
        ("J.611000.001.02", "Merakit komputer", 60), ("J.611000.002.02", "Menginstal sistem operasi", 50),
        ("J.611000.014.02", "Merawat perangkat keras komputer", 70), ("J.611000.020.01", "Memasang jaringan lokal", 60)]),
    ("FAS-MJH", "Menjahit Pakaian Wanita", "FAS", 280, [
        ("C.141100.001.01", "Mengukur badan", 30), ("C.141100.005.01", "Membuat pola dasar", 80),
        ("C.141100.010.01", "Menjahit dengan mesin", 120), ("C.141100.016.01", "Menyelesaikan busana", 50)]),
    ("LAS-SMAW", "Pengelasan SMAW 3G", "LAS", 320, [
        ("C.25LAS00.001.01", "Menerapkan K3 pengelasan", 30), ("C.25LAS00.010.01", "Mengelas posisi 1G", 90),
        ("C.25LAS00.011.01", "Mengelas posisi 2G", 100), ("C.25LAS00.012.01", "Mengelas posisi 3G", 100)]),
    ("PAR-BRS", "Barista", "PAR", 160, [
        ("I.56BAR00.001.1", "Menyiapkan peralatan kopi", 30), ("I.56BAR00.004.1", "Menyeduh espresso", 60),
        ("I.56BAR00.008.1", "Membuat minuman berbasis espresso", 50), ("I.56BAR00.012.1", "Melayani pelanggan", 20)]),
]

MEN = ["Andi Pratama", "Muhammad Rizky", "Agus Salim", "Budi Santoso", "Hendra Gunawan", "La Ode Hamid",
       "Fajar Nugroho", "Rahmat Hidayat", "Yusuf Maulana", "Arief Setiawan", "Dedi Kurniawan", "Irfan Hakim",
       "Samsul Bahri", "Ahmad Fauzi", "Rudi Hartono", "Wahyu Saputra", "La Ode Ruslan", "Taufik Hidayat",
       "Eko Prasetyo", "Joko Susilo"]
WOMEN = ["Siti Rahmawati", "Dewi Lestari", "Nur Aini", "Rina Marlina", "Yuliana Sari", "Wa Ode Nurul",
         "Intan Permata", "Sri Wahyuni", "Ayu Kartika", "Fitri Handayani", "Nurul Hikmah", "Wa Ode Sitti",
         "Ratna Dewi", "Putri Amalia", "Rosmawati", "Hasnawati", "Indah Purnamasari", "Mega Utami",
         "Lilis Suryani", "Sartika"]
DISTRICTS = ["Kecamatan Mandonga", "Kecamatan Poasia", "Kecamatan Kadia", "Kecamatan Baruga", "Kecamatan Puuwatu"]
EDUCATION = ["SMA", "SMA", "SMA", "SMP", "D3", "S1"]


def region_for(institution):
    """(region code, province, regency) for the institution's name; Kendari when unknown."""
    name = (institution or "").lower()
    for key, value in REGIONS.items():
        if key in name:
            return value
    return REGIONS[DEFAULT_REGION]


def make_nik(region, district, birth, female, seq):
    """16 digits: region(4) district(2) DDMMYY (women: day + 40) sequence(4)."""
    day = birth.day + (40 if female else 0)
    return f"{region}{district:02d}{day:02d}{birth.month:02d}{birth.year % 100:02d}{seq:04d}"


def load(app, region=None, today=None):
    """Load the demo; ``region`` = a 4-digit region code (default: from the institution's name)."""
    if Programme.select().where(Programme.code == PROGRAMMES[0][0]).exists():
        return []
    today = today or datetime.date.today()
    code, province, regency = region_for(app.config["institution"])
    if region and region != code:
        match = next((v for v in REGIONS.values() if v[0] == region), None)
        code, province, regency = match or (region, "", "")
    rng = random.Random(7471)
    seq = iter(range(1, 10000))
    lines = []
    with db.write():
        programmes = []
        for pcode, title, field, jp, units in PROGRAMMES:
            prog = audit.create(Programme, code=pcode, title=title, field=field, total_jp=jp, version="2024",
                                delivery="institutional")
            for ucode, utitle, ujp in units:
                audit.create(CompetencyUnit, programme=prog, code=ucode, title=utitle, jp=ujp)
            programmes.append(prog)
        lines.append(_("{n} program pelatihan", n=len(programmes)))

        D = datetime.timedelta(days=1)
        plans = [
            # programme, name, status, start offset, length, size, statuses
            (0, "Angkatan I", "ended", -90, 30, 16, ["graduated"] * 13 + ["not_graduated"] * 2 + ["rejected"]),
            (1, "Angkatan I", "running", -12, 35, 16, ["training"] * 14 + ["rejected", "reserve"]),
            (2, "Angkatan I", "running", -5, 40, 12, ["training"] * 12),
            (3, "Angkatan II", "registration", 20, 20, 18,
             ["registered"] * 7 + ["selection"] * 5 + ["accepted"] * 3 + ["reserve", "rejected", "reregistered"]),
            (0, "Angkatan II", "registration", 30, 30, 10, ["registered"] * 10),
        ]
        for index, (pi, name, status, start_off, length, size, statuses) in enumerate(plans):
            prog = programmes[pi]
            start = today + start_off * D
            batch = audit.create(Batch, programme=prog, name=name, wave=f"Gelombang {1 + index // 3}",
                                 start_date=start, end_date=start + (length - 1) * D, quota=16,
                                 reg_opens=start - 30 * D, reg_closes=start - 7 * D if status != "registration"
                                 else start - 2 * D, venue="Workshop " + prog.field, funding="DIPA",
                                 status=status)
            audit.create(Instructor, batch=batch, name=rng.choice(["Drs. Laode Muh. Ali", "Hasmawati, S.Kom.",
                                                                   "Ir. Syamsul Rijal", "Andi Nurhayati, S.Pd."]),
                         kind="internal", nip=f"1978{index:02d}0520050110{index % 10}"[:18].ljust(18, "1"))
            audit.create(Instructor, batch=batch, name="Praktisi Industri " + prog.field, kind="external")
            enrolments = []
            for i, st in enumerate(statuses[:size]):
                female = (i + index) % 2 == 1
                birth = datetime.date(1990 + rng.randrange(15), rng.randrange(1, 13), rng.randrange(1, 29))
                district = 1 + rng.randrange(len(DISTRICTS))
                person = audit.create(
                    Person, nik=make_nik(code, district, birth, female, next(seq)),
                    name=(WOMEN if female else MEN)[(i * 3 + index * 5) % 20], sex="P" if female else "L",
                    birth_date=birth, province=province, regency=regency, district=DISTRICTS[district - 1],
                    phone=values.phone(f"08{rng.randrange(11, 13)}{rng.randrange(10**7, 10**8)}"),
                    education=rng.choice(EDUCATION), disability=(i == 5 and index == 1))
                e = audit.create(Enrolment, person=person, batch=batch, status=st,
                                 source=rng.choice(["siapkerja", "siapkerja", "walk_in"]),
                                 registered_at=db.utcnow() - datetime.timedelta(days=40 - start_off))
                enrolments.append(e)
            # attendance for the days already held (weekdays)
            held = [start + k * D for k in range(length) if start + k * D <= today
                    and (start + k * D).weekday() < 5]
            marks = 0
            for e in enrolments:
                if e.status not in service.IN_CLASS:
                    continue
                for day in held[-10:]:
                    roll = rng.random()
                    mark = "H" if roll < 0.88 else "I" if roll < 0.93 else "S" if roll < 0.97 else "A"
                    if e.status == "not_graduated" and roll < 0.5:
                        mark = "A"
                    audit.create(Attendance, enrolment=e, day=day, status=mark)
                    marks += 1
            lines.append(_("{code} {name}: {n} peserta, {marks} tanda hadir ({status})", code=prog.code, name=name,
                             n=len(enrolments), marks=marks, status=forms.label(status, Batch.field_choices["status"])))

        # certificates for most graduates of the ended batch
        from plugins.training import papers
        signer = documents.holder_of("staf_pelatihan")
        ended = Batch.get((Batch.status == "ended"))
        grads = service.graduates(ended)
        for e in grads[:10]:
            service.issue_certificate(e, app, day=ended.end_date + 7 * D, issued_by=signer)
        lines.append(_("{n} sertifikat; wilayah NIK {code} ({regency})", n=min(10, len(grads)), code=code, regency=regency))
        running = Batch.select().where(Batch.status == "running").order_by(Batch.id).first()
        sheet = papers.issue_attendance_sheet(app, running, today, signer)
        roster = papers.issue_participant_list(app, running, signer)
        lines.append(_("dokumen: daftar hadir {a}, daftar peserta {b}", a=sheet.number, b=roster.number))
    return lines
