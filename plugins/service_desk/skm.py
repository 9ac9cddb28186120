"""Survei Kepuasan Masyarakat (PermenPANRB 14/2017) and the complaints log.

The regulation's nine elements (unsur) are answered on a 4-point scale. The
index is computed as it prescribes: the mean of each element (NRR), weighted
by 1/9 (the nine elements weigh the same), summed (IKM, 1–4) and converted ×25
(25–100). The quality category uses the regulation's interval table on the
converted value: 88,31–100 A (Sangat baik), 76,61–88,30 B (Baik), 65,00–76,60 C
(Kurang baik), 25,00–64,99 D (Tidak baik).

A visit's questionnaire is offered through a core public link (``public_links``,
purpose ``service_desk.skm``): it expires, takes one answer (locked, audited)
and unknown or used tokens are rate limited per address by the core. Answers
typed at the kiosk tablet itself carry no link; they are limited here per address.

Complaints have a time standard (``complaint_days`` working days, default 5):
each is a task for the head of the balai until it is answered.
"""
import datetime
import decimal
import hashlib

from peewee import fn

from core.toolkit import _, audit, db, format_number, local_today, public_links, tasks
from plugins.service_desk.models import Complaint, SkmResponse

ELEMENTS = [
    ("u1", "Persyaratan", "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
    ("u2", "Sistem, mekanisme, dan prosedur", "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
    ("u3", "Waktu penyelesaian", "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
    ("u4", "Biaya/tarif", "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
    ("u5", "Produk spesifikasi jenis pelayanan", "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?"),
    ("u6", "Kompetensi pelaksana", "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
    ("u7", "Perilaku pelaksana", "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"),
    ("u8", "Penanganan pengaduan, saran dan masukan", "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
    ("u9", "Sarana dan prasarana", "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
]
CODES = [code for code, _l, _q in ELEMENTS]
SCALE = [(1, "Tidak baik"), (2, "Kurang baik"), (3, "Baik"), (4, "Sangat baik")]
WEIGHT = decimal.Decimal(1) / decimal.Decimal(len(ELEMENTS))       # 1/9 = 0,111 per element
# (lower bound of the converted value, category, quality of service)
CATEGORIES = [(decimal.Decimal("88.31"), "A", "Sangat baik"), (decimal.Decimal("76.61"), "B", "Baik"),
              (decimal.Decimal("65.00"), "C", "Kurang baik"), (decimal.Decimal("25.00"), "D", "Tidak baik")]
RATE_WINDOW_SECONDS, RATE_MAX = 60, 10        # answers per minute from one address (a kiosk tablet is one)
CENT = decimal.Decimal("0.01")
LINK_PURPOSE = "service_desk.skm"
LINK_DAYS = 30                                # a visitor may answer within a month of the visit


class SkmError(Exception):
    """A refusal the respondent can read."""


class SkmRateLimited(SkmError):
    """Too many answers from one address in a short time."""


def category_of(converted):
    for bound, letter, label in CATEGORIES:
        if converted >= bound:
            return letter, label
    return "D", "Tidak baik"


def index(since, until):
    """The IKM of the answers in [since, until]: element means, the index and its category (one query)."""
    row = (SkmResponse.select(fn.COUNT(SkmResponse.id), *[fn.SUM(getattr(SkmResponse, c)) for c in CODES])
           .where((SkmResponse.day >= since) & (SkmResponse.day <= until)).tuples().get())
    n = row[0] or 0
    if not n:
        return {"n": 0, "means": {}, "ikm": None, "converted": None, "category": None, "quality": None}
    means = {c: decimal.Decimal(total) / n for c, total in zip(CODES, row[1:])}
    ikm = sum((m * WEIGHT for m in means.values()), decimal.Decimal(0))
    converted = (ikm * 25).quantize(CENT, rounding=decimal.ROUND_HALF_UP)
    letter, quality = category_of(converted)
    return {"n": n, "means": {c: m.quantize(CENT, rounding=decimal.ROUND_HALF_UP) for c, m in means.items()},
            "ikm": ikm.quantize(decimal.Decimal("0.0001"), rounding=decimal.ROUND_HALF_UP),
            "converted": converted, "category": letter, "quality": quality}


def periods(year):
    """The semesters of a year (the regulation asks for a survey at least once a year; offices report per semester)."""
    return [(_("Semester I {y}", y=year), datetime.date(year, 1, 1), datetime.date(year, 6, 30)),
            (_("Semester II {y}", y=year), datetime.date(year, 7, 1), datetime.date(year, 12, 31))]


def monthly_index(year):
    """month → (converted IKM, answers) of ``year`` (one query grouped by day, months summed here)."""
    q = (SkmResponse.select(SkmResponse.day, fn.COUNT(SkmResponse.id), *[fn.SUM(getattr(SkmResponse, c)) for c in CODES])
         .where((SkmResponse.day >= datetime.date(year, 1, 1)) & (SkmResponse.day <= datetime.date(year, 12, 31)))
         .group_by(SkmResponse.day).tuples())
    months = {}
    for day, n, *sums in q:
        month = (day if isinstance(day, datetime.date) else datetime.date.fromisoformat(str(day))).month
        acc = months.setdefault(month, [0] + [0] * len(CODES))
        acc[0] += n
        for i, s in enumerate(sums):
            acc[i + 1] += s or 0
    out = {}
    for month, (n, *sums) in months.items():
        ikm = sum((decimal.Decimal(s) / n * WEIGHT for s in sums), decimal.Decimal(0))
        out[month] = ((ikm * 25).quantize(CENT, rounding=decimal.ROUND_HALF_UP), n)
    return out


def client_key(address):
    """The address kept only as a hash: enough to limit the rate, not to know who answered."""
    return hashlib.sha256((address or "").encode()).hexdigest()[:32]


def fmt_ikm(value):
    """The IKM (1–4) with four decimals, as the regulation's worked example: ``3,2719``."""
    return "—" if value is None else format_number(decimal.Decimal(value), 4)


def open_link(visit, user=None):
    """The visit's questionnaire link (for the QR on the visit page)."""
    return public_links.create(LINK_PURPOSE, visit, recipient_name=visit.name, recipient_phone=visit.phone,
                               expires_at=db.utcnow() + datetime.timedelta(days=LINK_DAYS), created_by=user)


def link_of(visit):
    return public_links.for_subject(LINK_PURPOSE, visit)


def link_refusal(state):
    """Words for a visitor whose link cannot be answered (the core's rate-limit words as they are)."""
    return {"unknown": _("Tautan survei tidak dikenal."),
            "expired": _("Tautan survei ini sudah tidak berlaku."),
            "revoked": _("Tautan survei ini sudah tidak berlaku."),
            "closed": _("Survei kunjungan ini sudah diisi. Terima kasih."),
            "answered": _("Survei kunjungan ini sudah diisi. Terima kasih.")}.get(state)


def link_state(token, address):
    """The state of a visit's link before the form is shown (``open``, ``unknown``, ``closed``…);
    raises ``public_links.LinkError`` (state ``limited``) when the address must wait."""
    link = public_links.find(token, LINK_PURPOSE, client_key(address))
    return public_links.state(link) if link is not None else "unknown"


def answer(app, data, address, visit_token=None):
    """Save one questionnaire. A visit's link answers once through the core's public links
    (``public_links.LinkError`` when unknown, used, expired or rate limited); answers at the
    kiosk tablet are refused when one address floods them (``SkmRateLimited``)."""
    key = client_key(address)
    fields = {c: int(data[c]) for c in CODES}
    extra = dict(sex=data.get("sex") or "", education=data.get("education") or "",
                 suggestion=data.get("suggestion") or "")
    if visit_token:
        saved = []
        # Saved inside the link's lock: the link's answer and the response are one write.
        public_links.answer(visit_token, fields, purpose=LINK_PURPOSE, client=key,
                            check=lambda link: saved.append(audit.create(
                                SkmResponse, day=local_today(app), visit=int(link.subject_id), client=key,
                                **fields, **extra)))
        return saved[0]
    since = db.utcnow() - datetime.timedelta(seconds=RATE_WINDOW_SECONDS)
    with db.write():
        recent = SkmResponse.select().where((SkmResponse.client == key) & (SkmResponse.answered_at >= since)).count()
        if recent >= RATE_MAX:
            raise SkmRateLimited(_("Terlalu banyak jawaban dari perangkat ini; coba lagi sebentar lagi."))
        return audit.create(SkmResponse, day=local_today(app), visit=None, client=key, **fields, **extra)


def export_table(year):
    """(header, rows) of the IKM of ``year``: each semester, the year, then each month with answers;
    element means, IKM, converted value and category — for ``tabular.download`` (CSV or XLSX)."""
    header = [_("Periode"), _("Responden")] + [c.upper() for c in CODES] + [_("IKM"), _("Nilai konversi"),
                                                                            _("Mutu pelayanan")]
    spans = periods(year) + [(_("Tahun {y}", y=year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))]
    for month in range(1, 13):
        since = datetime.date(year, month, 1)
        until = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
        spans.append((since.strftime("%m/%Y"), since, until))
    rows = []
    for label, since, until in spans:
        r = index(since, until)
        if label[0].isdigit() and not r["n"]:
            continue                                   # months without answers are left out
        rows.append([label, r["n"]] + [r["means"].get(c) for c in CODES]
                    + [r["ikm"], r["converted"], f"{r['category']} ({_(r['quality'])})" if r["n"] else ""])
    return header, rows


# ---------------------------------------------------------------- complaints

def complaint_days(app):
    return app.config.plugin("service_desk")["complaint_days"]


def open_complaint(app, user, data, visit=None):
    """Log a complaint; its answer is due in the time standard, as a task for the head."""
    from core.toolkit import tracker
    cal = tracker.calendar_for(app)
    due = cal.due(tracker.aware(db.utcnow()), tracker.parse_time_standard(f"{complaint_days(app)} hari"))
    with db.write():
        complaint = audit.create(Complaint, day=local_today(app), name=data["name"], contact=data.get("contact") or "",
                                 channel=data["channel"], subject=data["subject"], text=data["text"],
                                 visit=visit.id if visit else None, received_by=user.id, due_at=tracker.naive(due))
        tasks.open(f"service_desk.complaint:{complaint.id}", lambda: _("Jawab pengaduan: {s}", s=complaint.subject),
                   f"/service-desk/complaints/{complaint.id}", role="kepala_bpvp", source=complaint,
                   due=tracker.naive(due), app=app)
    return complaint


def answer_complaint(complaint, user, text):
    with db.write():
        complaint = db.lock(Complaint, complaint.id)
        if complaint.answered_at:
            raise SkmError(_("Pengaduan ini sudah dijawab."))
        audit.update(complaint, answer=text, answered_at=db.utcnow(), answered_by=user.id)
        tasks.close(f"service_desk.complaint:{complaint.id}", by=user)
    return complaint
