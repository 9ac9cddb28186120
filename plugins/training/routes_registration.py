"""Registration of one person, and the import of registrants from a spreadsheet."""
import os
import re

import bottle

from core.toolkit import Refusal, _, audit, current_app, format_number, submit_form, web
from plugins.training import import_files, importer, service
from plugins.training.models import Person
from plugins.training.routes_common import XLSX, download, get_batch, show_nik
from plugins.training.schemas import RegisterForm, person_fields

columns = service.registrant_columns


def register_page(batch, values, errors, found=None):
    return web.render("training/register.html", batch=batch, schema=RegisterForm(), values=values,
                      errors=errors, found=found, problem=service.registration_problem(batch),
                      page_title=_("Pendaftaran: {b}", b=str(batch)))


def register_form(batch_id):
    batch = get_batch(batch_id)
    nik = re.sub(r"\D", "", web.query("nik"))[:16]
    values, found = {"source": "walk_in"}, None
    if nik:
        values["nik"] = nik
        found = Person.get_or_none(Person.nik == nik)
        if found is not None:
            for name in ("name", "sex", "birth_date", "phone", "email", "education", "province", "regency",
                         "district", "address", "disability"):
                values[name] = getattr(found, name)
    return register_page(batch, values, {}, found)


def register_save(batch_id):
    batch = get_batch(batch_id)

    def register(data):
        problem = service.registration_problem(batch)
        if problem:
            raise Refusal(problem)
        person = service.find_or_create_person(data["nik"], **person_fields(data))
        return service.register(person, batch, source=data["source"], siapkerja_ref=data.get("siapkerja_ref") or "",
                                nominated_by=data.get("nominated_by") or "")
    return submit_form(RegisterForm(), register, lambda values, errors: register_page(batch, values, errors),
                       message=lambda e: _("{p} terdaftar pada {b}.", p=e.person.name, b=batch.name),
                       to=lambda e: f"/training/batches/{batch.id}#e{e.id}", refusals=(service.TrainingError,))


def template_xlsx():
    return download(importer.template_xlsx(columns(), service.REGISTRANT_EXAMPLE, title="Pendaftar"),
                    "templat-pendaftar.xlsx", XLSX)


def template_csv():
    return download(importer.template_csv(columns(), service.REGISTRANT_EXAMPLE), "templat-pendaftar.csv",
                    "text/csv; charset=utf-8")


def import_form(batch, error=None):
    if error:
        web.response.status = 422
    return web.render("training/import.html", batch=batch, error=error, columns=columns(),
                      problem=service.import_problem(batch), page_title=_("Impor pendaftar: {b}", b=str(batch)))


def preview(batch, key, results, error=None):
    good, bad = importer.summary(results)
    if error:
        web.response.status = 422
    return web.render("training/import_preview.html", batch=batch, key=key, results=results, good=good, bad=bad,
                      bad_rows=[r for r in results if not r.ok], good_rows=[r for r in results if r.ok][:200],
                      error=error, show_nik=show_nik, page_title=_("Periksa impor: {b}", b=str(batch)))


def import_page(batch_id):
    return import_form(get_batch(batch_id))


def import_upload(batch_id):
    batch = get_batch(batch_id)
    problem = service.import_problem(batch)
    if problem:
        return import_form(batch, problem)
    upload = bottle.request.files.get("file")
    if upload is None or not (upload.raw_filename or "").strip():
        return import_form(batch, _("Pilih berkas .xlsx atau .csv."))
    name = os.path.basename(upload.raw_filename)
    ext = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if ext not in ("csv", "xlsx"):
        return import_form(batch, _("Jenis berkas tidak didukung. Gunakan .xlsx atau .csv."))
    limit = current_app().config["upload_max_mb"] * 1024 * 1024
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        return import_form(batch, _("Berkas lebih besar dari {n} MB.", n=format_number(current_app().config["upload_max_mb"], 0)))
    try:
        rows = importer.read_table(name, data)
    except importer.ImportFormatError as exc:
        return import_form(batch, str(exc))
    missing = importer.missing_columns(rows, columns())
    if missing:
        return import_form(batch, _("Kolom wajib tidak ada: {c}. Gunakan templat.", c=", ".join(missing)))
    if not rows:
        return import_form(batch, _("Berkas tidak berisi baris data."))
    return preview(batch, import_files.store(data, ext), service.check_registrants(batch, rows))


def import_confirm(batch_id):
    batch = get_batch(batch_id)
    raw = web.form()
    key, mode = raw.get("key", ""), raw.get("mode", "all")
    data = import_files.load(key)
    if data is None:
        return import_form(batch, _("Berkas impor tidak ditemukan lagi. Unggah ulang berkasnya."))
    results = service.check_registrants(batch, importer.read_table(key, data))   # re-check: data may have changed
    good, bad = importer.summary(results)
    if bad and mode != "valid":
        return preview(batch, key, results, _("Tidak ada yang diimpor: {n} baris bermasalah. Perbaiki berkasnya, "
                                               "atau pilih impor hanya baris yang valid.", n=format_number(bad, 0)))
    if not good:
        return preview(batch, key, results, _("Tidak ada baris yang valid untuk diimpor."))
    expected = raw.get("expected", "")
    if mode == "valid" and expected.isdigit() and int(expected) != good:
        return preview(batch, key, results, _("Jumlah baris valid berubah menjadi {n}; periksa lagi lalu konfirmasi.",
                                               n=format_number(good, 0)))
    try:
        count = service.import_registrants(batch, results)
    except service.TrainingError as exc:
        return preview(batch, key, results, str(exc))
    import_files.remove(key)
    audit.event("training_import", "training_batch", batch.id, {"rows": count, "skipped": bad, "mode": mode})
    web.flash(_("{n} pendaftar diimpor.", n=format_number(count, 0))
              + (" " + _("{m} baris dilewati.", m=format_number(bad, 0)) if bad else ""))
    web.redirect(f"/training/batches/{batch.id}")


def register(router):
    router.get("/training/batches/<batch_id:int>/register", permission="training.register")(register_form)
    router.post("/training/batches/<batch_id:int>/register", permission="training.register")(register_save)
    router.get("/training/import-template.xlsx", permission="training.register")(template_xlsx)
    router.get("/training/import-template.csv", permission="training.register")(template_csv)
    router.get("/training/batches/<batch_id:int>/import", permission="training.register")(import_page)
    router.post("/training/batches/<batch_id:int>/import", permission="training.register")(import_upload)
    router.post("/training/batches/<batch_id:int>/import/confirm", permission="training.register")(import_confirm)
