"""Programmes and their competency units."""
import dataclasses

from core.toolkit import Column, Filter, Screen, _, audit, get_or_404, lazy, run_action, submit_form
from plugins.training import actions
from plugins.training.models import DELIVERY, KEJURUAN, Batch, CompetencyUnit, Programme
from plugins.training.schemas import ProgrammeForm, UnitForm


def programme_extra(obj, unit_id=None, unit_values=None, unit_errors=None):
    units = list(CompetencyUnit.select().where(CompetencyUnit.programme == obj).order_by(CompetencyUnit.code))
    return {"units": units, "units_jp": sum(u.jp for u in units), "unit_schema": UnitForm(),
            "unit_id": unit_id, "unit_values": unit_values or {}, "unit_errors": unit_errors or {},
            "batches": list(Batch.select().where(Batch.programme == obj).order_by(Batch.start_date.desc()).limit(50))}


PROGRAMMES = Screen(
    Programme, ProgrammeForm, base="/training/programmes", view="training.view", edit="training.manage",
    title=lazy("Program pelatihan"), template="training/programme",
    columns=[Column("code", lazy("Kode"), link=True), Column("title", lazy("Judul program")),
             Column("field", lazy("Kejuruan"), format=KEJURUAN.label), Column("total_jp", lazy("Total JP")),
             Column("delivery", lazy("Penyelenggaraan"), format=DELIVERY.label),
             Column("active", lazy("Aktif"), format=lambda v: _("Ya") if v else _("Tidak"))],
    search=[Programme.code, Programme.title],
    filters=[Filter("field", lazy("Kejuruan"), Programme.field, KEJURUAN)],
    order=[Programme.code], label=str, detail_extra=programme_extra)


def unit_save(programme_id, unit=None):
    programme = get_or_404(Programme, programme_id)

    def rerender(values, errors):
        extra = lambda obj: programme_extra(obj, unit.id if unit else None, values, errors)
        return dataclasses.replace(PROGRAMMES, detail_extra=extra).detail_page(programme.id)
    return submit_form(UnitForm(), lambda data: actions.save_unit(programme, data, unit), rerender,
                       message=_("Unit kompetensi tersimpan."), to=f"/training/programmes/{programme.id}#units")


def unit_add(programme_id):
    return unit_save(programme_id)


def unit_update(programme_id, unit_id):
    unit = get_or_404(CompetencyUnit, unit_id, CompetencyUnit.select().where(
        CompetencyUnit.programme == programme_id))
    return unit_save(programme_id, unit)


def unit_delete(programme_id, unit_id):
    unit = get_or_404(CompetencyUnit, unit_id, CompetencyUnit.select().where(
        CompetencyUnit.programme == programme_id))
    run_action(lambda: audit.delete(unit), f"/training/programmes/{programme_id}#units", _("Unit kompetensi dihapus."))


def register(router):
    PROGRAMMES.register(router)
    router.post("/training/programmes/<programme_id:int>/units", permission="training.manage")(unit_add)
    router.post("/training/programmes/<programme_id:int>/units/<unit_id:int>",
                permission="training.manage")(unit_update)
    router.post("/training/programmes/<programme_id:int>/units/<unit_id:int>/delete",
                permission="training.manage")(unit_delete)
