"""Batches: list and detail, status, closing, enrolment moves, instructors, roster export."""
import dataclasses
import re

from core.toolkit import (Column, Filter, Screen, _, audit, format_date, format_number, get_or_404, lazy, run_action,
                          submit_form, tabular, web)
from plugins.training import actions, service
from plugins.training.models import (BATCH_STATUS, EDUCATION, ENROLMENT_STATUS, SEX, SOURCE, TRANSITIONS, Batch,
                                     Instructor, Programme)
from plugins.training.routes_common import can, fmt_date, get_batch, show_nik
from plugins.training.schemas import BatchForm, InstructorForm, programme_options


def batch_extra(obj, instructor_values=None, instructor_errors=None):
    status = web.query("status")
    status = status if status in ENROLMENT_STATUS else ""
    rows = service.roster(obj, status or None)
    counts = service.status_counts(obj)
    return {
        "rows": rows, "counts": counts, "total": sum(counts.values()), "status_filter": status,
        "instructors": list(Instructor.select().where(Instructor.batch == obj).order_by(Instructor.name)),
        "instructor_schema": InstructorForm(), "instructor_values": instructor_values or {},
        "instructor_errors": instructor_errors or {}, "statuses": ENROLMENT_STATUS,
        "transitions": {st: [s for s in ENROLMENT_STATUS.codes if s in nxt] for st, nxt in TRANSITIONS.items()},
        "batch_status": BATCH_STATUS,
        "batch_next": [s for s in BATCH_STATUS.codes if s in service.BATCH_TRANSITIONS.get(obj.status, ())],
        "registration_problem": service.registration_problem(obj),
        "can_manage": can("training.manage"), "can_register": can("training.register"),
        "can_certify": can("training.certificates"), "can_nik": can("training.nik"),
        "can_papers": can("training.attendance"),
    }


BATCHES = Screen(
    Batch, BatchForm, base="/training/batches", view="training.view", edit="training.manage",
    title=lazy("Angkatan pelatihan"), template="training/batch",
    query=lambda: Batch.select(Batch, Programme).join(Programme),
    columns=[Column("name", lazy("Angkatan"), link=True), Column("programme.title", lazy("Program")),
             Column("wave", lazy("Gelombang")),
             Column("start_date", lazy("Tanggal mulai"), format=fmt_date),
             Column("end_date", lazy("Tanggal selesai"), format=fmt_date),
             Column("quota", lazy("Kuota")),
             Column("status", lazy("Status"), format=BATCH_STATUS.label)],
    search=[Batch.name, Batch.wave, Programme.title],
    filters=[Filter("status", lazy("Status"), Batch.status, BATCH_STATUS),
             Filter("programme", lazy("Program"), Batch.programme, programme_options)],
    order=[Batch.start_date.desc(), Batch.id.desc()], label=str, detail_extra=batch_extra)


def batch_status(batch_id):
    batch = get_batch(batch_id)
    target = web.form().get("status", "")
    run_action(lambda: service.set_batch_status(batch, target), f"/training/batches/{batch.id}",
               _("Status angkatan: {s}.", s=BATCH_STATUS.label(target)), refusals=(service.TrainingError,))


def batch_end(batch_id):
    batch = get_batch(batch_id)
    run_action(lambda: actions.close_batch(batch), f"/training/batches/{batch.id}",
               _("Angkatan {b} selesai.", b=batch.name), refusals=(service.TrainingError,))


def enrolments_move(batch_id):
    # Each chosen trainee moves or is refused on its own: a summary of both, not a form to correct.
    batch = get_batch(batch_id)
    target = web.form().get("status", "")
    ids = [int(i) for i in web.form_list("ids") if str(i).isdigit()]
    if target not in ENROLMENT_STATUS or not ids:
        web.flash(_("Pilih peserta dan status tujuan."), "error")
        web.redirect(f"/training/batches/{batch.id}")
    moved, refused = actions.move_enrolments(batch, ids, target)
    if moved:
        web.flash(_("{n} peserta diubah menjadi {s}.", n=format_number(moved, 0), s=ENROLMENT_STATUS.label(target)))
    if refused:
        web.flash(_("Ditolak ({n}): {r}", n=format_number(len(refused), 0), r="; ".join(refused[:10])
                    + (" …" if len(refused) > 10 else "")), "error")
    web.redirect(f"/training/batches/{batch.id}")


def instructor_add(batch_id):
    batch = get_batch(batch_id)

    def rerender(values, errors):
        extra = lambda obj: batch_extra(obj, values, errors)
        return dataclasses.replace(BATCHES, detail_extra=extra).detail_page(batch.id)
    return submit_form(InstructorForm(), lambda data: actions.add_instructor(batch, data), rerender,
                       message=_("Instruktur ditambahkan."), to=f"/training/batches/{batch.id}#instructors")


def instructor_delete(batch_id, instructor_id):
    inst = get_or_404(Instructor, instructor_id, Instructor.select().where(Instructor.batch == batch_id))
    run_action(lambda: audit.delete(inst), f"/training/batches/{batch_id}#instructors", _("Instruktur dihapus."))


def roster_table(batch):
    header = [_("No"), "NIK", _("Nama"), _("Jenis kelamin"), _("Tanggal lahir"), _("Telepon"), _("Pendidikan"),
              _("Kabupaten/kota"), _("Status"), _("Sumber"), _("Nomor bukti SIAPkerja"), _("Nomor sertifikat")]
    out = []
    for i, e in enumerate(service.roster(batch), start=1):
        p = e.person
        out.append([i, show_nik(p.nik), p.name, SEX.label(p.sex), format_date(p.birth_date) if p.birth_date else "",
                    p.phone, EDUCATION.label(p.education) if p.education else "", p.regency,
                    ENROLMENT_STATUS.label(e.status), SOURCE.label(e.source), e.siapkerja_ref,
                    e.cert.number if e.cert else ""])
    return header, out


def roster_name(batch, ext):
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{batch.programme.code}-{batch.name}").strip("-").lower()
    return f"peserta-{slug}.{ext}"


def roster_export(batch_id, fmt):
    batch = get_batch(batch_id)
    header, rows = roster_table(batch)
    return tabular.download(fmt, roster_name(batch, fmt).rsplit(".", 1)[0], header, rows, title=_("Peserta"))


def register(router):
    BATCHES.register(router)
    router.post("/training/batches/<batch_id:int>/status", permission="training.manage")(batch_status)
    router.post("/training/batches/<batch_id:int>/end", permission="training.manage")(batch_end)
    router.post("/training/batches/<batch_id:int>/enrolments", permission="training.manage")(enrolments_move)
    router.post("/training/batches/<batch_id:int>/instructors", permission="training.manage")(instructor_add)
    router.post("/training/batches/<batch_id:int>/instructors/<instructor_id:int>/delete",
                permission="training.manage")(instructor_delete)
    router.get("/training/batches/<batch_id:int>/roster.<fmt:re:csv|xlsx>", permission="training.view")(roster_export)
