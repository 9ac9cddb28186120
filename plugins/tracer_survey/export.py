"""The SMILe export of answers (CSV/XLSX, through core.tabular)."""
from core.toolkit import tabular
from plugins.tracer_survey import schemas
from plugins.tracer_survey.contacts import normalize_phone
from plugins.tracer_survey.models import Alumnus, Response, Wave
from plugins.tracer_survey.recap import waiting_months
from plugins.training.models import Batch, Programme


# ---------------------------------------------------------------- export

def export_rows(wave_ids):
    """Answers of the given waves as dicts of EXPORT_FIELDS (one query).

    Labels stay in Indonesian whatever the user's language: the file goes to SMILe."""
    status, sectors, income, found = schemas.STATUS_ID, schemas.SECTORS_ID, schemas.INCOME_ID, schemas.FOUND_VIA_ID
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
