"""What the tracer survey does: waves after a batch ends, the roster and its
tokens, answers, WhatsApp links, contact and vacancy logs, recap, SMILe export,
and the SOP steps these actions complete.

Every change goes through ``core.audit``; a wave is the subject of one run of
KDI-PM-09 (``subject_type`` ``tracer_wave``).
"""
import calendar
import datetime
import re
import secrets
import statistics

import peewee

from core.toolkit import _, audit, current_app, db, local_today, tabular, tracker, whatsapp
from plugins.tracer_survey import schemas
from plugins.tracer_survey.models import Alumnus, Contact, Response, Vacancy, VacancyShare, Wave
from plugins.training.models import Batch, Person, Programme

Run = tracker.Run  # raw tracker models (toolkit.tracker), for queries no toolkit function covers yet

CODE = "KDI-PM-09"
SUBJECT = Wave.audit_type()        # "tracer_wave"
FLOW = tracker.Workflow(CODE, SUBJECT)
PLUGIN = "tracer_survey"
DEFAULT_SMILE = ("NIK=nik,Nama=name,Status Kebekerjaan=status_label,Nama Perusahaan=employer,"
                 "Tanggal Mulai Kerja=start_date")
DAYS_PER_MONTH = 30.4375


class TracerError(Exception):
    """A refusal the user can read."""


# ---------------------------------------------------------------- configuration

def parse_months(value):
    """``wave_months`` (a list, or the text "1 3 6") → sorted distinct ints."""
    parts = value.replace(",", " ").split() if isinstance(value, str) else list(value or [])
    return sorted({int(p) for p in parts})


def check_months(value):
    try:
        months = parse_months(value)
    except (TypeError, ValueError):
        return "expected whole numbers of months, e.g. 1 3 6"
    if not months:
        return "give at least one number of months, e.g. 1 3 6"
    if any(m < 1 or m > 60 for m in months):
        return "each number of months must be between 1 and 60"
    return None


def check_open_days(value):
    return None if 1 <= int(value) <= 365 else "must be between 1 and 365 days"


# Fields the SMILe export can use: name → description (for the config check and docs).
EXPORT_FIELDS = {
    "nik": "NIK", "name": "Nama", "phone": "Telepon (62…)", "programme_code": "Kode program",
    "programme": "Program pelatihan", "batch": "Angkatan", "batch_end_date": "Tanggal selesai pelatihan",
    "wave_months": "Gelombang (bulan setelah pelatihan)", "status": "Kode status", "status_label": "Status",
    "employer": "Nama perusahaan/usaha", "position": "Jabatan", "sector": "Kode bidang usaha",
    "sector_label": "Bidang usaha", "start_date": "Tanggal mulai kerja", "waiting_months": "Masa tunggu (bulan)",
    "income_band": "Kode penghasilan", "income_label": "Penghasilan", "relevance": "Kesesuaian (1–5)",
    "found_via": "Kode cara mendapat kerja", "found_via_label": "Cara mendapat kerja",
    "answered_at": "Tanggal menjawab", "source": "Sumber jawaban (form/import)",
}


def parse_smile_columns(text):
    """"Header=field,…" → [(header, field)]; raises ValueError listing every problem."""
    pairs, problems, headers = [], [], set()
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        header, sep, name = part.rpartition("=")
        header, name = header.strip(), name.strip()
        if not sep or not header or not name:
            problems.append(f"{part!r} is not Header=field")
            continue
        if name not in EXPORT_FIELDS:
            problems.append(f"unknown field {name!r} in {part!r}")
            continue
        if header in headers:
            problems.append(f"header {header!r} repeats")
            continue
        headers.add(header)
        pairs.append((header, name))
    if not pairs and not problems:
        problems.append("no columns given")
    if problems:
        raise ValueError("; ".join(problems) + f" (known fields: {', '.join(EXPORT_FIELDS)})")
    return pairs


def check_smile_columns(text):
    try:
        parse_smile_columns(text)
    except ValueError as exc:
        return str(exc)
    return None


def settings(app):
    opts = app.config.plugin(PLUGIN)
    return {"months": parse_months(opts.get("wave_months") or "1 3 6"),
            "open_days": int(opts.get("wave_open_days") or 30),
            "smile": parse_smile_columns(opts.get("smile_columns") or DEFAULT_SMILE)}


# ---------------------------------------------------------------- dates and states

def add_months(day, months):
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def wave_state(wave, today):
    """upcoming | open | closed (closed by date, or early by the officer)."""
    if wave.closed_at is not None or today > wave.closes_on:
        return "closed"
    if today < wave.opens_on:
        return "upcoming"
    return "open"


STATE_LABELS = {"upcoming": "Belum dibuka", "open": "Dibuka", "closed": "Ditutup"}


def wave_title(wave, batch=None):
    batch = batch or wave.batch
    return _("Survei kebekerjaan +{n} bulan — {p} {b}", n=wave.months, p=batch.programme.title, b=batch.name)


# ---------------------------------------------------------------- waves

def new_token():
    return secrets.token_urlsafe(24)


def create_waves(batch, app=None, end_date=None):
    """Create the missing waves of an ended batch (idempotent); returns the new ones.

    Each wave gets the batch's graduates as roster; its run of KDI-PM-09 starts
    when the wave opens (at once if it is already open, else by the job
    ``tracer_survey.waves``), so the SOP's time standards count from then.
    """
    app = app or current_app()
    conf = settings(app)
    end = end_date or batch.end_date
    created = []
    with db.write():
        existing = {w.months for w in Wave.select(Wave.months).where(Wave.batch == batch)}
        for months in conf["months"]:
            if months in existing:
                continue
            opens = add_months(end, months)
            wave = audit.create(Wave, batch=batch, months=months, opens_on=opens,
                                closes_on=opens + datetime.timedelta(days=conf["open_days"] - 1))
            fill_roster(wave)
            if opens <= local_today(app):
                FLOW.start(wave, wave_title(wave, batch), app=app)
            created.append(wave)
    return created


def tend_waves(app, now=None):
    """The scheduled job: start the run of each wave that has opened; when a wave's
    answering period is over, close it and complete step 6 (the alumni's step) by rule."""
    today = local_today(app)
    started = closed = 0
    with db.write():
        opened = (Wave.select(Wave, Batch, Programme).join(Batch).join(Programme)
                  .where((Wave.opens_on <= today) & Wave.closed_at.is_null()))
        have_run = {int(sid) for (sid,) in Run.select(Run.subject_id)
                    .where((Run.subject_type == SUBJECT) & (Run.code == CODE)).tuples()}
        for wave in opened:
            if wave.id not in have_run:
                FLOW.start(wave, wave_title(wave, wave.batch), app=app)
                started += 1
            elif wave.closes_on < today:
                if FLOW.at_step(wave, 6):
                    FLOW.complete(wave, 6, rule=_("masa pengisian survei berakhir {d}", d=wave.closes_on.isoformat()),
                                  app=app)
                    audit.update(wave, closed_at=db.utcnow())
                    closed += 1
    return {"started": started, "closed": closed}


def on_batch_ended(data):
    batch = Batch.select(Batch, Programme).join(Programme).where(Batch.id == data.get("batch_id")).first()
    if batch is None:
        return []
    end = batch.end_date
    if data.get("end_date"):
        try:
            end = datetime.date.fromisoformat(str(data["end_date"])[:10])
        except ValueError:
            pass
    return create_waves(batch, end_date=end)


def fill_roster(wave):
    """Add the batch's graduates missing from the roster; returns how many were added."""
    from plugins.training.service import graduates
    have = {nik for (nik,) in Alumnus.select(Alumnus.nik).where(Alumnus.wave == wave).tuples()}
    added = 0
    with db.write():
        for enrolment in graduates(wave.batch_id):
            person = enrolment.person
            if person.nik in have:
                continue
            audit.create(Alumnus, wave=wave, person=person, nik=person.nik, name=person.name,
                         phone=person.phone or "", token=new_token(), source="graduates")
            have.add(person.nik)
            added += 1
    return added


def import_roster(wave, results):
    """Add checked roster rows (all good, checked by the caller); returns how many."""
    have = {nik for (nik,) in Alumnus.select(Alumnus.nik).where(Alumnus.wave == wave).tuples()}
    people = {p.nik: p for p in Person.select().where(Person.nik.in_([r.data["nik"] for r in results] or [""]))}
    added = 0
    with db.write():
        for r in results:
            if r.data["nik"] in have:
                continue
            audit.create(Alumnus, wave=wave, person=people.get(r.data["nik"]), nik=r.data["nik"],
                         name=r.data["nama"], phone=r.data.get("telepon") or "", token=new_token(), source="import")
            added += 1
    return added


def get_wave(wave_id):
    wave = (Wave.select(Wave, Batch, Programme).join(Batch).join(Programme)
            .where(Wave.id == wave_id).first())
    return wave


def roster(wave):
    """The wave's alumni with their response (or None), contact count and last contact: 3 queries."""
    alumni = list(Alumnus.select(Alumnus, Response)
                  .join(Response, peewee.JOIN.LEFT_OUTER, on=(Response.alumnus == Alumnus.id), attr="answer")
                  .where(Alumnus.wave == wave).order_by(Alumnus.name))
    for a in alumni:
        if getattr(a, "answer", None) is not None and a.answer.id is None:
            a.answer = None
        elif not hasattr(a, "answer"):
            a.answer = None
    contacts = {}
    for aid, kind, n, last in (Contact.select(Contact.alumnus, Contact.kind, peewee.fn.COUNT(Contact.id),
                                              peewee.fn.MAX(Contact.at))
                               .join(Alumnus).where(Alumnus.wave == wave)
                               .group_by(Contact.alumnus, Contact.kind).tuples()):
        contacts.setdefault(aid, {})[kind] = (n, last)
    shares = dict(VacancyShare.select(VacancyShare.alumnus, peewee.fn.COUNT(VacancyShare.id))
                  .join(Alumnus).where(Alumnus.wave == wave).group_by(VacancyShare.alumnus).tuples())
    for a in alumni:
        a.contacts = contacts.get(a.id, {})
        a.shared = shares.get(a.id, 0)
    return alumni


# ---------------------------------------------------------------- phones and links

def normalize_phone(raw):
    """An Indonesian mobile number as WhatsApp wants it (62…); returns (number, problem). See core.whatsapp."""
    return whatsapp.check_phone(raw)


def base_url(app, request=None):
    configured = (app.config["base_url"] or "").rstrip("/")
    if configured:
        return configured
    if request is not None:
        parts = request.urlparts
        return f"{parts.scheme}://{parts.netloc}"
    return ""


def survey_link(base, token):
    return f"{base}/survey/{token}"


def wa_message(alumnus, wave, link, kind, institution):
    batch = wave.batch
    if kind == "reminder":
        text = _("Halo {name}, ini pengingat dari {inst}: mohon isi survei kebekerjaan alumni pelatihan {prog} "
                 "({batch}) paling lambat {close}. Tautan pribadi Anda: {link} Terima kasih.",
                 name=alumnus.name, inst=institution, prog=batch.programme.title, batch=batch.name,
                 close=wave.closes_on.strftime("%d-%m-%Y"), link=link)
    else:
        text = _("Halo {name}, salam dari {inst}. Sebagai alumni pelatihan {prog} ({batch}), mohon bantu "
                 "mengisi survei kebekerjaan {n} bulan setelah pelatihan (2 menit, tanpa akun). Tautan pribadi "
                 "Anda: {link} Survei dibuka sampai {close}. Terima kasih.",
                 name=alumnus.name, inst=institution, prog=batch.programme.title, batch=batch.name,
                 n=wave.months, close=wave.closes_on.strftime("%d-%m-%Y"), link=link)
    return text


def contact_rows(wave, alumni, base, kind, institution):
    """Per alumnus: normalised phone (or problem), personal link, message, wa.me link."""
    out = []
    for a in alumni:
        phone, problem = normalize_phone(a.phone)
        link = survey_link(base, a.token)
        message = wa_message(a, wave, link, kind, institution)
        out.append({"alumnus": a, "phone": phone, "problem": problem, "link": link, "message": message,
                    "wa": whatsapp.wa_link(phone, message) if phone else None})
    return out


# ---------------------------------------------------------------- answers

def find_by_token(token):
    if not token or len(token) > 64 or not re.fullmatch(r"[A-Za-z0-9_\-]+", token):
        return None
    return (Alumnus.select(Alumnus, Wave, Batch, Programme).join(Wave).join(Batch).join(Programme)
            .where(Alumnus.token == token).first())


def answer_of(alumnus):
    return Response.get_or_none(Response.alumnus == alumnus)


def save_answer(alumnus, data, source="form"):
    """Create the alumnus's answer, or correct it; returns (response, created)."""
    values = schemas.clean_answer(data)
    with db.write():
        db.lock(Alumnus, alumnus.id)     # two answers sent at once: one creates, the other corrects it
        existing = Response.get_or_none(Response.alumnus == alumnus)
        if existing is None:
            return audit.create(Response, alumnus=alumnus, source=source, **values), True
        audit.update(existing, source=source, updated_at=db.utcnow(), corrections=existing.corrections + 1, **values)
        return existing, False


def answer_values(response):
    """A saved answer as form values (to show it prefilled)."""
    if response is None:
        return {}
    values = {name: getattr(response, name) for name in schemas.SurveyForm().fields}
    return {k: ("" if v is None else (v.isoformat() if isinstance(v, datetime.date) else str(v)))
            for k, v in values.items()}


# ---------------------------------------------------------------- import of answers

def _mapping(choices):
    out = {}
    for code, label in choices:
        out[code] = code
        out[label] = code
        out[_(label)] = code
    return out


def answer_columns():
    from plugins.training import importer as imp
    return [
        imp.Column("nik", required=True, parse=imp.nik, label="NIK"),
        imp.Column("status", required=True, parse=imp.choice(_mapping(schemas.STATUS)), label="status"),
        imp.Column("nama_perusahaan", parse=imp.text(150)),
        imp.Column("jabatan", parse=imp.text(150)),
        imp.Column("bidang_usaha", parse=imp.choice(_mapping(schemas.SECTORS))),
        imp.Column("tanggal_mulai", parse=imp.date(past_only=True)),
        imp.Column("penghasilan", parse=imp.choice(_mapping(schemas.INCOME))),
        imp.Column("kesesuaian", parse=imp.integer(1, 5)),
        imp.Column("cara_mendapat_kerja", parse=imp.choice(_mapping(schemas.FOUND_VIA))),
    ]


def check_answer_file(wave, filename, data):
    """Read and check a file of answers; returns (results, problem). Nothing is written."""
    from plugins.training import importer as imp
    try:
        rows = imp.read_table(filename, data)
    except imp.ImportFormatError as exc:
        return [], str(exc)
    columns = answer_columns()
    missing = imp.missing_columns(rows, columns)
    if missing:
        return [], _("Kolom wajib tidak ada: {c}. Unduh templatnya untuk melihat susunan kolom.",
                     c=", ".join(missing))
    on_roster = {nik: aid for aid, nik in Alumnus.select(Alumnus.id, Alumnus.nik).where(Alumnus.wave == wave).tuples()}

    def row_check(d):
        errors = []
        if d["nik"] not in on_roster:
            errors.append(_("NIK {n} tidak ada dalam daftar alumni gelombang ini.", n=d["nik"]))
        if d["status"] in schemas.WORKING and not d.get("nama_perusahaan"):
            errors.append(_("nama_perusahaan wajib diisi jika bekerja atau berwirausaha."))
        d["alumnus_id"] = on_roster.get(d["nik"])
        return errors
    return imp.check_rows(rows, columns, unique=("nik",), row_check=row_check), None


def import_answers(results):
    """Write checked answers (every row good); returns (created, corrected)."""
    alumni = {a.id: a for a in Alumnus.select().where(Alumnus.id.in_([r.data["alumnus_id"] for r in results] or [0]))}
    created = corrected = 0
    with db.write():
        for r in results:
            d = r.data
            values = {"status": d["status"], "employer": d.get("nama_perusahaan"), "position": d.get("jabatan"),
                      "sector": d.get("bidang_usaha"), "start_date": d.get("tanggal_mulai"),
                      "income_band": d.get("penghasilan"), "relevance": d.get("kesesuaian"),
                      "found_via": d.get("cara_mendapat_kerja")}
            _resp, new = save_answer(alumni[d["alumnus_id"]], values, source="import")
            created, corrected = created + new, corrected + (not new)
    return created, corrected


def roster_columns():
    from plugins.training import importer as imp
    return [imp.Column("nik", required=True, parse=imp.nik, label="NIK"),
            imp.Column("nama", required=True, parse=imp.text(150)),
            imp.Column("telepon", parse=imp.phone)]


# ---------------------------------------------------------------- logs

def log_contacts(alumni, kind, channel, note, user):
    with db.write():
        for a in alumni:
            audit.create(Contact, alumnus=a, kind=kind, channel=channel, note=note or "",
                         by_user=getattr(user, "id", None), by_name=getattr(user, "full_name", "") or "")
    return len(alumni)


def share_vacancies(vacancies, alumni, channel, user):
    with db.write():
        for v in vacancies:
            for a in alumni:
                audit.create(VacancyShare, vacancy=v, alumnus=a, channel=channel, shared_by=getattr(user, "id", None),
                             shared_by_name=getattr(user, "full_name", "") or "")
    return len(vacancies) * len(alumni)


def open_vacancies(today):
    return list(Vacancy.select().where(Vacancy.closes_on.is_null() | (Vacancy.closes_on >= today))
                .order_by(Vacancy.closes_on.asc(nulls="last"), Vacancy.id.desc()))


# ---------------------------------------------------------------- steps

def complete_step(wave, user, no, notes="", links=()):
    """Complete step ``no`` of the wave's run when it is the open step.

    Returns None when done, or a message why not (not at that step); raises StepError
    when the user may not perform it.
    """
    run = FLOW.run_of(wave)
    if run is None:
        return _("Gelombang ini belum memiliki run SOP.")
    if run.status != "active":
        return _("Run SOP gelombang ini sudah selesai.")
    if run.current_no != no:
        return _("Langkah {no} tidak sedang terbuka (run berada di langkah {cur}).", no=no, cur=run.current_no)
    tracker.complete(run, user, notes=notes, links=links, expect_no=no)
    return None


# ---------------------------------------------------------------- recap

def waiting_months(end_date, start_date, places=1):
    """Months from the end of training to the job start (0 when already working before)."""
    if start_date is None or end_date is None:
        return None
    months = max(0, (start_date - end_date).days) / DAYS_PER_MONTH
    return round(months, places) if places is not None else months


def _pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _finish(row, values):
    n = row["responded"]
    row["response_rate"] = _pct(n, row["alumni"])
    for key in ("bekerja", "wirausaha", "studi", "belum"):
        row[f"pct_{key}"] = _pct(row[key], n)
    row["median_wait"] = round(statistics.median(values), 1) if values else None
    row["waits"] = len(values)
    return row


def recap(programme_id=None, batch_id=None, months=None):
    """Per wave and per programme × months: counts, rates and median waiting time.

    Two queries whatever the number of waves: counts by GROUP BY, then the
    waiting times of working/self-employed answers (medians in Python).
    """
    cond = peewee.SQL("1 = 1")
    if programme_id:
        cond &= Batch.programme == programme_id
    if batch_id:
        cond &= Wave.batch == batch_id
    if months:
        cond &= Wave.months == months

    def count(status):
        return peewee.fn.SUM(peewee.Case(None, [(Response.status == status, 1)], 0))
    q = (Wave.select(Wave.id, Wave.months, Wave.opens_on, Wave.closes_on, Wave.closed_at,
                     Batch.id.alias("batch_id"), Batch.name.alias("batch_name"), Batch.end_date,
                     Programme.id.alias("programme_id"), Programme.code.alias("programme_code"),
                     Programme.title.alias("programme_title"),
                     peewee.fn.COUNT(Alumnus.id).alias("alumni"), peewee.fn.COUNT(Response.id).alias("responded"),
                     count("bekerja").alias("bekerja"), count("wirausaha").alias("wirausaha"),
                     count("studi").alias("studi"), count("belum").alias("belum"))
         .join(Batch).join(Programme)
         .switch(Wave).join(Alumnus, peewee.JOIN.LEFT_OUTER)
         .join(Response, peewee.JOIN.LEFT_OUTER)
         .where(cond)
         .group_by(Wave.id, Wave.months, Wave.opens_on, Wave.closes_on, Wave.closed_at, Batch.id, Batch.name,
                   Batch.end_date, Programme.id, Programme.code, Programme.title)
         .order_by(Programme.code, Batch.end_date.desc(), Batch.id, Wave.months)
         .dicts())
    waves = []
    for r in q:
        for key in ("alumni", "responded", "bekerja", "wirausaha", "studi", "belum"):
            r[key] = int(r[key] or 0)
        waves.append(r)
    waits = {}
    wq = (Response.select(Alumnus.wave, Response.start_date, Batch.end_date, Batch.programme, Wave.months)
          .join(Alumnus).join(Wave).join(Batch)
          .where(cond & Response.status.in_(schemas.WORKING) & Response.start_date.is_null(False)).tuples())
    by_programme = {}
    for wave_id, start, end, programme_id_, months_ in wq:
        value = waiting_months(end, start, places=None)
        waits.setdefault(wave_id, []).append(value)
        by_programme.setdefault((programme_id_, months_), []).append(value)
    for r in waves:
        _finish(r, waits.get(r["id"], []))
    programmes = {}
    for r in waves:
        key = (r["programme_id"], r["months"])
        p = programmes.setdefault(key, {"programme_id": r["programme_id"], "programme_code": r["programme_code"],
                                        "programme_title": r["programme_title"], "months": r["months"],
                                        "batches": 0, "alumni": 0, "responded": 0, "bekerja": 0,
                                        "wirausaha": 0, "studi": 0, "belum": 0})
        p["batches"] += 1
        for key_ in ("alumni", "responded", "bekerja", "wirausaha", "studi", "belum"):
            p[key_] += r[key_]
    per_programme = [_finish(p, by_programme.get(k, [])) for k, p in sorted(
        programmes.items(), key=lambda kv: (kv[1]["programme_code"], kv[1]["months"]))]
    return waves, per_programme


def nonresponders(wave):
    return list(Alumnus.select().join(Response, peewee.JOIN.LEFT_OUTER)
                .where((Alumnus.wave == wave) & Response.id.is_null()).order_by(Alumnus.name))


# ---------------------------------------------------------------- export

def export_rows(wave_ids):
    """Answers of the given waves as dicts of EXPORT_FIELDS (one query).

    Labels stay in Indonesian whatever the user's language: the file goes to SMILe."""
    status = dict(schemas.STATUS)
    sectors, income, found = dict(schemas.SECTORS), dict(schemas.INCOME), dict(schemas.FOUND_VIA)
    q = (Response.select(Response, Alumnus, Wave, Batch, Programme)
         .join(Alumnus).join(Wave).join(Batch).join(Programme)
         .where(Wave.id.in_(list(wave_ids) or [0]))
         .order_by(Programme.code, Batch.id, Wave.months, Alumnus.name))
    out = []
    for r in q:
        a = r.alumnus
        w = a.wave
        b = w.batch
        phone, _problem = normalize_phone(a.phone)
        out.append({
            "nik": a.nik, "name": a.name, "phone": phone or a.phone, "programme_code": b.programme.code,
            "programme": b.programme.title, "batch": b.name, "batch_end_date": b.end_date, "wave_months": w.months,
            "status": r.status, "status_label": status.get(r.status, r.status), "employer": r.employer,
            "position": r.position, "sector": r.sector, "sector_label": sectors.get(r.sector, r.sector),
            "start_date": r.start_date, "waiting_months": waiting_months(b.end_date, r.start_date)
            if r.status in schemas.WORKING else None,
            "income_band": r.income_band, "income_label": income.get(r.income_band, r.income_band),
            "relevance": r.relevance, "found_via": r.found_via,
            "found_via_label": found.get(r.found_via, r.found_via),
            "answered_at": r.updated_at.date(), "source": r.source,
        })
    return out


def _export_table(mapping, rows):
    return [h for h, _f in mapping], [[row.get(f) for _h, f in mapping] for row in rows]


def export_csv(mapping, rows):
    """SMILe export as CSV bytes (core.tabular escapes formulas typed by alumni)."""
    return tabular.csv_bytes(*_export_table(mapping, rows))


def export_xlsx(mapping, rows, title="SMILe"):
    header, values = _export_table(mapping, rows)
    text = {i for i, (_h, f) in enumerate(mapping) if f in ("nik", "phone")}
    return tabular.xlsx_bytes(header, values, title=title, text_columns=text)
