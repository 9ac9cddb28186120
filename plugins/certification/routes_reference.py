"""Screens of the reference data: schemes with their units and readiness checklist, TUK, assessors."""
import dataclasses

import peewee

from core.toolkit import (Column, Filter, Refusal, Screen, _, audit, db, format_date, get_or_404, lazy, local_today,
                          run_action, submit_form)
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

    def scheme_extra(scheme, refused=None):
        """The scheme page's units and readiness items with the forms adding them; ``refused``: the form sent
        and refused, {"unit" or "item": (values, errors)}, shown again with its messages."""
        return {"units": list(SchemeUnit.select().where(SchemeUnit.scheme == scheme).order_by(SchemeUnit.code)),
                "items": list(ChecklistItem.select().where(ChecklistItem.scheme == scheme)
                              .order_by(ChecklistItem.category, ChecklistItem.id)),
                "unit_form": schemas.UnitForm(), "item_form": schemas.ChecklistItemForm(), "refused": refused or {}}

    schemes = Screen(Scheme, schemas.SchemeForm, base=f"{BASE}/schemes", view="certification.view",
                     edit="certification.manage", title=lazy("Skema sertifikasi"), template="certification/scheme",
                     columns=[Column("code", lazy("Kode"), link=True), Column("number", lazy("Nomor skema")),
                              Column("title", lazy("Judul")), Column("kind", lazy("Jenis"), format=SCHEME_KINDS.label),
                              Column("validity_years", lazy("Masa berlaku (tahun)"))],
                     search=[Scheme.code, Scheme.title, Scheme.number],
                     filters=[Filter("kind", lazy("Jenis"), Scheme.kind, SCHEME_KINDS)],
                     order=[Scheme.title], label=str, detail_extra=scheme_extra)
    schemes.register(router)

    def scheme_child(scheme_id, schema, model, what, form):
        scheme = get_or_404(Scheme, scheme_id)

        def add(data):
            try:
                with db.write():
                    audit.create(model, scheme=scheme, **data)
            except peewee.IntegrityError:       # the unique (scheme, code) of a unit
                raise Refusal(_("Kode unit sudah ada pada skema ini."), "code")

        def rerender(values, errors):
            # the scheme's own page (a copy of its screen for this request), the refused form filled in again
            page = dataclasses.replace(schemes, detail_extra=lambda obj: scheme_extra(obj, {form: (values, errors)}))
            return page.detail_page(scheme.id)
        return submit_form(schema(), add, rerender, message=_("{w} ditambahkan.", w=what),
                           to=f"{BASE}/schemes/{scheme.id}")

    @router.post(BASE + "/schemes/<scheme_id:int>/units", permission="certification.manage")
    def scheme_unit_add(scheme_id):
        return scheme_child(scheme_id, schemas.UnitForm, SchemeUnit, _("Unit kompetensi"), "unit")

    @router.post(BASE + "/schemes/<scheme_id:int>/checklist", permission="certification.manage")
    def scheme_item_add(scheme_id):
        return scheme_child(scheme_id, schemas.ChecklistItemForm, ChecklistItem, _("Butir kesiapan"), "item")

    @router.post(BASE + "/schemes/<scheme_id:int>/units/<unit_id:int>/delete", permission="certification.manage")
    def scheme_unit_delete(scheme_id, unit_id):
        unit = get_or_404(SchemeUnit, unit_id, SchemeUnit.select().where(SchemeUnit.scheme == scheme_id))

        def delete():
            try:
                with db.write():
                    audit.delete(unit)
            except peewee.IntegrityError:       # results refer to it
                raise Refusal(_("Unit ini sudah dipakai dalam hasil uji; tidak dapat dihapus."))
        run_action(delete, f"{BASE}/schemes/{scheme_id}")

    @router.post(BASE + "/schemes/<scheme_id:int>/checklist/<item_id:int>/delete", permission="certification.manage")
    def scheme_item_delete(scheme_id, item_id):
        item = get_or_404(ChecklistItem, item_id, ChecklistItem.select().where(ChecklistItem.scheme == scheme_id))

        def delete():
            for tick in ChecklistTick.select().where(ChecklistTick.item == item):
                audit.delete(tick)
            audit.delete(item)
        run_action(delete, f"{BASE}/schemes/{scheme_id}")

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
                "expired": assessor.met_expiry < local_today()}

    Screen(Assessor, schemas.AssessorForm, base=f"{BASE}/assessors", view="certification.view",
           edit="certification.manage", title=lazy("Asesor kompetensi"), template="certification/assessor",
           columns=[Column("name", lazy("Nama"), link=True), Column("met_number", lazy("No. registrasi MET")),
                    Column("met_expiry", lazy("MET berlaku sampai"), format=format_date)],
           search=[Assessor.name, Assessor.met_number], order=[Assessor.name], label=str,
           detail_extra=assessor_extra).register(router)

    @router.post(BASE + "/assessors/<assessor_id:int>/schemes", permission="certification.manage")
    def assessor_schemes(assessor_id):
        assessor = get_or_404(Assessor, assessor_id)
        chosen = set(int_list("scheme")) & {s.id for s in Scheme.select(Scheme.id)}

        def save():
            for row in AssessorScheme.select().where(AssessorScheme.assessor == assessor):
                if row.scheme_id not in chosen:
                    audit.delete(row)
                else:
                    chosen.discard(row.scheme_id)
            for sid in sorted(chosen):
                audit.create(AssessorScheme, assessor=assessor, scheme=sid)
        run_action(save, f"{BASE}/assessors/{assessor.id}", _("Skema yang boleh diases tersimpan."))
