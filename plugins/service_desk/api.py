"""The guest book through the JSON API (``balai_api_routes``): visits, filtered
by day, category and purpose, searched by name or organisation, with keyset
pagination, each with its KDI-PM-06 run (id, status, open step)."""
import datetime

from marshmallow import Schema, fields as mf, validate as mv

from core.toolkit import _, api, lazy
from plugins.service_desk import service
from plugins.service_desk.models import CATEGORIES, PURPOSES, GuestVisit

MAX_LIMIT = 200
MAX_ID = 2 ** 63 - 1


class VisitSchema(Schema):
    id = mf.Integer(required=True)
    visited_at = mf.DateTime(required=True)
    day = mf.Date(required=True)
    name = mf.String(required=True)
    category = mf.String(required=True, validate=mv.OneOf([c for c, _l in CATEGORIES]))
    organisation = mf.String(required=True)
    phone = mf.String(required=True)
    purpose = mf.String(required=True, validate=mv.OneOf([p for p, _l in PURPOSES]))
    notes = mf.String(required=True)
    run_id = mf.Integer(required=True, allow_none=True, metadata={"description": "Run SOP KDI-PM-06 kunjungan ini"})
    run_status = mf.String(required=True, allow_none=True)
    current_no = mf.Integer(required=True, allow_none=True, metadata={"description": "Langkah yang terbuka"})


class VisitPageSchema(Schema):
    items = mf.List(mf.Nested(VisitSchema), required=True)
    next_after = mf.Integer(required=True, allow_none=True)


def visit_json(visit, run):
    return {"id": visit.id, "visited_at": visit.visited_at, "day": visit.day, "name": visit.name,
            "category": visit.category, "organisation": visit.organisation, "phone": visit.phone,
            "purpose": visit.purpose, "notes": visit.notes, "run_id": run.id if run else None,
            "run_status": run.status if run else None, "current_no": run.current_no if run else None}


def register(router, app):
    router.schema("GuestVisit", VisitSchema)
    router.schema("GuestVisitPage", VisitPageSchema)

    @router.get("/service-desk/visits", permission="service_desk.view", scope="read", tags=(lazy("Buku tamu"),),
                summary=lazy("Buku tamu: kunjungan, terlama dulu"), response="GuestVisitPage",
                query=[api.Param("day", "string", lazy("Tanggal kunjungan TTTT-BB-HH")),
                       api.Param("category", "string", lazy("Kategori tamu"), enum=[c for c, _l in CATEGORIES]),
                       api.Param("purpose", "string", lazy("Keperluan"), enum=[p for p, _l in PURPOSES]),
                       api.Param("q", "string", lazy("Cari nama atau instansi")),
                       api.Param("after", "integer", lazy("Id terakhir halaman sebelumnya"), minimum=0, maximum=MAX_ID),
                       api.Param("limit", "integer", lazy("Jumlah per halaman (bawaan 50)"), minimum=1, maximum=MAX_LIMIT)])
    def visits():
        q = GuestVisit.select()
        errors = {}
        if api.query("day"):
            try:
                q = q.where(GuestVisit.day == datetime.date.fromisoformat(api.query("day")))
            except ValueError:
                errors["day"] = _("Tanggal tidak valid (format TTTT-BB-HH).")
        for name, choices in (("category", CATEGORIES), ("purpose", PURPOSES)):
            value = api.query(name)
            if value and value not in dict(choices):
                errors[name] = _("Pilihan tidak valid.")
            elif value:
                q = q.where(getattr(GuestVisit, name) == value)
        if errors:
            raise api.ApiError(400, _("Parameter tidak valid."), errors=errors)
        text = api.query("q").strip()[:100]
        if text:
            q = q.where(GuestVisit.name.contains(text) | GuestVisit.organisation.contains(text))
        after, limit = api.int_query("after", 0), api.int_query("limit", 50, 1, MAX_LIMIT)
        rows = list(q.where(GuestVisit.id > after).order_by(GuestVisit.id).limit(limit + 1))
        page = rows[:limit]
        runs = service.current_steps(page)
        return {"items": [visit_json(v, runs.get(v.id)) for v in page],
                "next_after": page[-1].id if len(rows) > limit else None}

    @router.get("/service-desk/visits/{id}", permission="service_desk.view", scope="read", tags=(lazy("Buku tamu"),),
                summary=lazy("Satu kunjungan"), response="GuestVisit")
    def visit(id):
        v = GuestVisit.get_or_none(GuestVisit.id == id)
        if v is None:
            raise api.ApiError(404, _("Kunjungan tidak ditemukan."))
        return visit_json(v, service.current_steps([v]).get(v.id))
