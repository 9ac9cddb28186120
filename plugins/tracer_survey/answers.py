"""Answers: the public form's save (one per alumnus and wave, corrected in place)
and the import of answers and rosters from a spreadsheet."""
import datetime

from core.toolkit import _, audit, db
from plugins.tracer_survey import schemas
from plugins.tracer_survey.models import Alumnus, Response


# ---------------------------------------------------------------- answers

def clean_for_link(data):
    """The answer as the survey link records it (what the alumnus sent, job details dropped when not working)."""
    return dict(schemas.clean_answer(data), consent=bool(data.get("consent")))


def answer_of(alumnus):
    return Response.get_or_none(Response.alumnus == alumnus)


def save_answer(alumnus, data, source="form"):
    """Create the alumnus's answer, or correct it; returns (response, created).

    An answer from the form carries the alumnus's consent (``consent_at``); an imported one does not."""
    values = schemas.clean_answer(data)
    if data.get("consent"):
        values["consent_at"] = db.utcnow()
    with db.write():
        db.lock(Alumnus, alumnus.id)     # two answers sent at once: one creates, the other corrects it
        return _write_answer(alumnus, Response.get_or_none(Response.alumnus == alumnus), values, source)


def _write_answer(alumnus, existing, values, source):
    """Create the answer, or correct ``existing`` (the caller holds the alumnus's lock)."""
    if existing is None:
        return audit.create(Response, alumnus=alumnus, source=source, **values), True
    audit.update(existing, source=source, updated_at=db.utcnow(), corrections=existing.corrections + 1, **values)
    return existing, False


def answer_values(response):
    """A saved answer as form values (to show it prefilled)."""
    if response is None:
        return {}
    values = {name: getattr(response, name) for name in ("status",) + schemas.JOB_FIELDS}
    values["consent"] = response.consent_at is not None
    return {k: ("" if v is None else (v.isoformat() if isinstance(v, datetime.date) else str(v)))
            for k, v in values.items()}


# ---------------------------------------------------------------- import of answers

def _mapping(indonesian, choices):
    """Codes, Indonesian labels and the labels in the user's language, all to the code."""
    out = {}
    for code, label in indonesian.items():
        out[code] = out[label] = out[choices.label(code)] = code
    return out


def answer_columns():
    from plugins.training import importer as imp
    return [
        imp.Column("nik", required=True, parse=imp.nik, label="NIK"),
        imp.Column("status", required=True, parse=imp.choice(_mapping(schemas.STATUS_ID, schemas.STATUS)), label="status"),
        imp.Column("nama_perusahaan", parse=imp.text(150)),
        imp.Column("jabatan", parse=imp.text(150)),
        imp.Column("bidang_usaha", parse=imp.choice(_mapping(schemas.SECTORS_ID, schemas.SECTORS))),
        imp.Column("tanggal_mulai", parse=imp.date(past_only=True)),
        imp.Column("penghasilan", parse=imp.choice(_mapping(schemas.INCOME_ID, schemas.INCOME))),
        imp.Column("kesesuaian", parse=imp.integer(1, 5)),
        imp.Column("cara_mendapat_kerja", parse=imp.choice(_mapping(schemas.FOUND_VIA_ID, schemas.FOUND_VIA))),
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
    """Write checked answers (every row good); returns (created, corrected). Two reads whatever the
    number of rows (the alumni, locked as the form's save locks one, and their answers); each row then
    writes only its answer and the answer's audit row."""
    ids = sorted({r.data["alumnus_id"] for r in results})
    created = corrected = 0
    with db.write():
        alumni = Alumnus.select().where(Alumnus.id.in_(ids or [0])).order_by(Alumnus.id)
        alumni = {a.id: a for a in (alumni if db.is_sqlite() else alumni.for_update())}
        answers = {r.alumnus_id: r for r in Response.select().where(Response.alumnus.in_(ids or [0]))}
        for r in results:
            d = r.data
            values = {"status": d["status"], "employer": d.get("nama_perusahaan"), "position": d.get("jabatan"),
                      "sector": d.get("bidang_usaha"), "start_date": d.get("tanggal_mulai"),
                      "income_band": d.get("penghasilan"), "relevance": d.get("kesesuaian"),
                      "found_via": d.get("cara_mendapat_kerja")}
            alumnus = alumni[d["alumnus_id"]]
            answers[alumnus.id], new = _write_answer(alumnus, answers.get(alumnus.id), schemas.clean_answer(values),
                                                     "import")
            created, corrected = created + new, corrected + (not new)
    return created, corrected


def roster_columns():
    from plugins.training import importer as imp
    return [imp.Column("nik", required=True, parse=imp.nik, label="NIK"),
            imp.Column("nama", required=True, parse=imp.text(150)),
            imp.Column("telepon", parse=imp.phone)]


def check_roster_file(filename, data):
    """Read and check a roster file; returns (results, problem). Nothing is written."""
    from plugins.training import importer as imp
    try:
        rows = imp.read_table(filename, data)
    except imp.ImportFormatError as exc:
        return [], str(exc)
    columns = roster_columns()
    missing = imp.missing_columns(rows, columns)
    if missing:
        return [], _("Kolom wajib tidak ada: {c}. Unduh templatnya untuk melihat susunan kolom.",
                     c=", ".join(missing))
    return imp.check_rows(rows, columns, unique=("nik",)), None
