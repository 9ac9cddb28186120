"""Screens of the reference data: schemes with their units and readiness checklist, TUK, assessors."""
import datetime

import peewee

from core.toolkit import Column, Filter, Screen, _, audit, db, forms, lazy, web
from plugins.certification import schemas
from plugins.certification.models import (
    SCHEME_KINDS,
    TUK_KINDS,
    Assessor,
    AssessorScheme,
    ChecklistItem,
    ChecklistTick,
    Scheme,
    SchemeUnit,
    Tuk,
)
from plugins.certification.routes import BASE, int_list


def register(router):

    def scheme_extra(scheme):
        return {"units": list(SchemeUnit.select().where(SchemeUnit.scheme == scheme).order_by(SchemeUnit.code)),
                "items": list(ChecklistItem.select().where(ChecklistItem.scheme == scheme)
                              .order_by(ChecklistItem.category, ChecklistItem.id)),
                "unit_form": schemas.UnitForm(), "item_form": schemas.ChecklistItemForm()}

    Screen(Scheme, schemas.SchemeForm, base=f"{BASE}/schemes", view="certification.view", edit="certification.manage",
           title=lazy("Skema sertifikasi"), template="certification/scheme",
           columns=[Column("code", lazy("Kode"), link=True), Column("number", lazy("Nomor skema")),
                    Column("title", lazy("Judul")), Column("kind", lazy("Jenis"), format=SCHEME_KINDS.label),
                    Column("validity_years", lazy("Masa berlaku (tahun)"))],
           search=[Scheme.code, Scheme.title, Scheme.number],
           filters=[Filter("kind", lazy("Jenis"), Scheme.kind, SCHEME_KINDS)],
           order=[Scheme.title], label=str, detail_extra=scheme_extra).register(router)

    def scheme_child(scheme_id, schema, model, what):
        scheme = Scheme.get_or_none(Scheme.id == scheme_id)
        if scheme is None:
            raise web.NotFound()
        data, errors = forms.validate(schema(), web.form())
        if errors:
            web.flash(_("{w} belum disimpan: {e}", w=what, e="; ".join(f"{k}: {v}" for k, v in errors.items())), "error")
            web.redirect(f"{BASE}/schemes/{scheme.id}")
        try:
            with db.write():
                audit.create(model, scheme=scheme, **data)
        except peewee.IntegrityError:
            web.flash(_("Kode unit sudah ada pada skema ini."), "error")
            web.redirect(f"{BASE}/schemes/{scheme.id}")
        web.flash(_("{w} ditambahkan.", w=what))
        web.redirect(f"{BASE}/schemes/{scheme.id}")

    @router.post(BASE + "/schemes/<scheme_id:int>/units", permission="certification.manage")
    def scheme_unit_add(scheme_id):
        scheme_child(scheme_id, schemas.UnitForm, SchemeUnit, _("Unit kompetensi"))

    @router.post(BASE + "/schemes/<scheme_id:int>/checklist", permission="certification.manage")
    def scheme_item_add(scheme_id):
        scheme_child(scheme_id, schemas.ChecklistItemForm, ChecklistItem, _("Butir kesiapan"))

    @router.post(BASE + "/schemes/<scheme_id:int>/units/<unit_id:int>/delete", permission="certification.manage")
    def scheme_unit_delete(scheme_id, unit_id):
        unit = SchemeUnit.get_or_none((SchemeUnit.id == unit_id) & (SchemeUnit.scheme == scheme_id))
        if unit is None:
            raise web.NotFound()
        try:
            with db.write():
                audit.delete(unit)
        except peewee.IntegrityError:
            web.flash(_("Unit ini sudah dipakai dalam hasil uji; tidak dapat dihapus."), "error")
        web.redirect(f"{BASE}/schemes/{scheme_id}")

    @router.post(BASE + "/schemes/<scheme_id:int>/checklist/<item_id:int>/delete", permission="certification.manage")
    def scheme_item_delete(scheme_id, item_id):
        item = ChecklistItem.get_or_none((ChecklistItem.id == item_id) & (ChecklistItem.scheme == scheme_id))
        if item is None:
            raise web.NotFound()
        with db.write():
            for tick in ChecklistTick.select().where(ChecklistTick.item == item):
                audit.delete(tick)
            audit.delete(item)
        web.redirect(f"{BASE}/schemes/{scheme_id}")

    Screen(Tuk, schemas.TukForm, base=f"{BASE}/tuks", view="certification.view", edit="certification.manage",
           title=lazy("Tempat Uji Kompetensi (TUK)"),
           columns=[Column("name", lazy("Nama TUK"), link=True),
                    Column("kind", lazy("Jenis"), format=TUK_KINDS.label),
                    Column("capacity", lazy("Kapasitas")), Column("head_name", lazy("Kepala TUK")),
                    Column("address", lazy("Alamat"), sortable=False)],
           search=[Tuk.name, Tuk.address], order=[Tuk.name], label=str).register(router)

    def assessor_extra(assessor):
        licensed = {s for (s,) in AssessorScheme.select(AssessorScheme.scheme)
                    .where(AssessorScheme.assessor == assessor).tuples()}
        return {"schemes": list(Scheme.select().order_by(Scheme.title)), "licensed": licensed,
                "expired": assessor.met_expiry < datetime.date.today()}

    Screen(Assessor, schemas.AssessorForm, base=f"{BASE}/assessors", view="certification.view",
           edit="certification.manage", title=lazy("Asesor kompetensi"), template="certification/assessor",
           columns=[Column("name", lazy("Nama"), link=True), Column("met_number", lazy("No. registrasi MET")),
                    Column("met_expiry", lazy("MET berlaku sampai"))],
           search=[Assessor.name, Assessor.met_number], order=[Assessor.name], label=str,
           detail_extra=assessor_extra).register(router)

    @router.post(BASE + "/assessors/<assessor_id:int>/schemes", permission="certification.manage")
    def assessor_schemes(assessor_id):
        assessor = Assessor.get_or_none(Assessor.id == assessor_id)
        if assessor is None:
            raise web.NotFound()
        chosen = set(int_list("scheme")) & {s.id for s in Scheme.select(Scheme.id)}
        with db.write():
            for row in AssessorScheme.select().where(AssessorScheme.assessor == assessor):
                if row.scheme_id not in chosen:
                    audit.delete(row)
                else:
                    chosen.discard(row.scheme_id)
            for sid in sorted(chosen):
                audit.create(AssessorScheme, assessor=assessor, scheme=sid)
        web.flash(_("Skema yang boleh diases tersimpan."))
        web.redirect(f"{BASE}/assessors/{assessor.id}")
