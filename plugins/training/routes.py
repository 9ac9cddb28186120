"""Screens of the ``training`` plugin (programmes, batches, people, enrolments,
attendance, certificates, import/export, public verification)."""
import datetime
import hashlib
import os
import re

import bottle
import peewee
from markupsafe import Markup

from core.toolkit import (Column, Filter, Refusal, Screen, _, audit, current_app, db, documents, format_date,
                          forms, get_or_404, lazy, paginate, privacy, search, submit_form, tabular, web)
from plugins.training import importer, papers, service
from plugins.training.models import (ATTENDANCE, BATCH_STATUS, DELIVERY, EDUCATION, ENROLMENT_STATUS, KEJURUAN, SEX,
                                     TRANSITIONS, Batch, Certificate, CompetencyUnit, Enrolment, Instructor, Person,
                                     Programme)
from plugins.training.schemas import (SOURCE, BatchForm, InstructorForm, PersonForm, ProgrammeForm,
                                      RegisterForm, UnitForm, person_fields, programme_options)

STATUS_LABEL = dict(ENROLMENT_STATUS)
BATCH_LABEL = dict(BATCH_STATUS)
IMPORT_DIR = "training-import"
IMPORT_KEY = re.compile(r"^[0-9a-f]{64}\.(csv|xlsx)$")


# ---------------------------------------------------------------- helpers

def can(permission):
    u = web.user()
    return bool(u and u.can(permission))


def show_nik(nik):
    return privacy.shown(Person, "nik", nik)


def get_batch(batch_id):
    return get_or_404(Batch, batch_id, Batch.select(Batch, Programme).join(Programme))


def site_base():
    base = current_app().config["base_url"]
    if base:
        return base.rstrip("/")
    parts = web.request.urlparts
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def download(body, filename, content_type):
    web.response.content_type = content_type
    web.response.set_header("Content-Disposition", f'attachment; filename="{filename}"')
    return body


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def fmt_date(value):
    return format_date(value)


# ---------------------------------------------------------------- screens

def programme_extra(obj):
    units = list(CompetencyUnit.select().where(CompetencyUnit.programme == obj).order_by(CompetencyUnit.code))
    return {"units": units, "units_jp": sum(u.jp for u in units), "unit_schema": UnitForm(),
            "kejuruan": dict(KEJURUAN), "delivery": dict(DELIVERY),
            "batches": list(Batch.select().where(Batch.programme == obj).order_by(Batch.start_date.desc()).limit(50))}


def batch_extra(obj):
    status = web.query("status")
    status = status if status in STATUS_LABEL else ""
    rows = service.roster(obj, status or None)
    counts = service.status_counts(obj)
    return {
        "rows": rows, "counts": counts, "total": sum(counts.values()), "status_filter": status,
        "instructors": list(Instructor.select().where(Instructor.batch == obj).order_by(Instructor.name)),
        "instructor_schema": InstructorForm(), "statuses": ENROLMENT_STATUS, "status_label": STATUS_LABEL,
        "transitions": {st: [s for s, _l in ENROLMENT_STATUS if s in nxt] for st, nxt in TRANSITIONS.items()},
        "batch_label": BATCH_LABEL, "batch_next": [s for s, _l in BATCH_STATUS if s in service.BATCH_TRANSITIONS.get(obj.status, ())],
        "registration_problem": service.registration_problem(obj),
        "can_manage": can("training.manage"), "can_register": can("training.register"),
        "can_certify": can("training.certificates"), "can_nik": can("training.nik"),
        "can_papers": can("training.attendance"),
    }


def register(router):
    # ------------------------------------------------ programmes
    programmes = Screen(
        Programme, ProgrammeForm, base="/training/programmes", view="training.view", edit="training.manage",
        title=lazy("Program pelatihan"), template="training/programme",
        columns=[Column("code", lazy("Kode"), link=True), Column("title", lazy("Judul program")),
                 Column("field", lazy("Kejuruan")), Column("total_jp", lazy("Total JP")),
                 Column("delivery", lazy("Penyelenggaraan"), format=lambda v: _(dict(DELIVERY).get(v, v))),
                 Column("active", lazy("Aktif"), format=lambda v: _("Ya") if v else _("Tidak"))],
        search=[Programme.code, Programme.title],
        filters=[Filter("field", lazy("Kejuruan"), Programme.field, KEJURUAN)],
        order=[Programme.code], label=str, detail_extra=programme_extra)
    programmes.register(router)

    def unit_save(programme_id, unit=None):
        programme = get_or_404(Programme, programme_id)
        data, errors = forms.validate(UnitForm(), web.form())
        if errors:
            web.flash(_("Unit kompetensi tidak disimpan: {e}",
                        e="; ".join(f"{_(UnitForm().fields[k].metadata['label']) if k in UnitForm().fields else ''} {v}"
                                    for k, v in errors.items())), "error")
            web.redirect(f"/training/programmes/{programme.id}#units")
        clash = CompetencyUnit.select().where((CompetencyUnit.programme == programme)
                                              & (CompetencyUnit.code == data["code"]))
        if unit is not None:
            clash = clash.where(CompetencyUnit.id != unit.id)
        if clash.exists():
            web.flash(_("Kode unit {c} sudah ada pada program ini.", c=data["code"]), "error")
            web.redirect(f"/training/programmes/{programme.id}#units")
        if unit is None:
            audit.create(CompetencyUnit, programme=programme, **data)
        else:
            audit.update(unit, **data)
        web.flash(_("Unit kompetensi tersimpan."))
        web.redirect(f"/training/programmes/{programme.id}#units")

    @router.post("/training/programmes/<programme_id:int>/units", permission="training.manage")
    def unit_add(programme_id):
        return unit_save(programme_id)

    @router.post("/training/programmes/<programme_id:int>/units/<unit_id:int>", permission="training.manage")
    def unit_update(programme_id, unit_id):
        unit = get_or_404(CompetencyUnit, unit_id, CompetencyUnit.select().where(
            CompetencyUnit.programme == programme_id))
        return unit_save(programme_id, unit)

    @router.post("/training/programmes/<programme_id:int>/units/<unit_id:int>/delete", permission="training.manage")
    def unit_delete(programme_id, unit_id):
        unit = get_or_404(CompetencyUnit, unit_id, CompetencyUnit.select().where(
            CompetencyUnit.programme == programme_id))
        audit.delete(unit)
        web.flash(_("Unit kompetensi dihapus."))
        web.redirect(f"/training/programmes/{programme_id}#units")

    # ------------------------------------------------ batches
    batches = Screen(
        Batch, BatchForm, base="/training/batches", view="training.view", edit="training.manage",
        title=lazy("Angkatan pelatihan"), template="training/batch",
        query=lambda: Batch.select(Batch, Programme).join(Programme),
        columns=[Column("name", lazy("Angkatan"), link=True), Column("programme.title", lazy("Program")),
                 Column("wave", lazy("Gelombang")),
                 Column("start_date", lazy("Tanggal mulai"), format=fmt_date),
                 Column("end_date", lazy("Tanggal selesai"), format=fmt_date),
                 Column("quota", lazy("Kuota")),
                 Column("status", lazy("Status"), format=lambda v: _(BATCH_LABEL.get(v, v)))],
        search=[Batch.name, Batch.wave, Programme.title],
        filters=[Filter("status", lazy("Status"), Batch.status, BATCH_STATUS),
                 Filter("programme", lazy("Program"), Batch.programme, programme_options)],
        order=[Batch.start_date.desc(), Batch.id.desc()], label=str, detail_extra=batch_extra)
    batches.register(router)

    @router.post("/training/batches/<batch_id:int>/status", permission="training.manage")
    def batch_status(batch_id):
        batch = get_batch(batch_id)
        try:
            service.set_batch_status(batch, web.form().get("status", ""))
            web.flash(_("Status angkatan: {s}.", s=_(BATCH_LABEL.get(batch.status, batch.status))))
        except service.TrainingError as exc:
            web.flash(str(exc), "error")
        web.redirect(f"/training/batches/{batch.id}")

    @router.post("/training/batches/<batch_id:int>/end", permission="training.manage")
    def batch_end(batch_id):
        batch = get_batch(batch_id)
        if batch.status != "running":
            web.flash(_("Hanya angkatan yang sedang berjalan yang dapat diselesaikan (status: {s}).",
                        s=_(BATCH_LABEL.get(batch.status, batch.status))), "error")
            web.redirect(f"/training/batches/{batch.id}")
        still = Enrolment.select().where((Enrolment.batch == batch) & (Enrolment.status == "training")).count()
        if still:
            web.flash(_("Masih ada {n} peserta berstatus Mengikuti pelatihan: tetapkan Lulus/Tidak lulus lebih dulu.",
                        n=still), "error")
            web.redirect(f"/training/batches/{batch.id}")
        service.end_batch(batch)
        web.flash(_("Angkatan {b} selesai.", b=batch.name))
        web.redirect(f"/training/batches/{batch.id}")

    @router.post("/training/batches/<batch_id:int>/enrolments", permission="training.manage")
    def enrolments_move(batch_id):
        batch = get_batch(batch_id)
        target = web.form().get("status", "")
        ids = [int(i) for i in web.form_list("ids") if str(i).isdigit()]
        if target not in STATUS_LABEL or not ids:
            web.flash(_("Pilih peserta dan status tujuan."), "error")
            web.redirect(f"/training/batches/{batch.id}")
        pass_percent = current_app().config.plugin("training").get("attendance_pass_percent", 80)
        rows = list(Enrolment.select(Enrolment, Person).join(Person)
                    .where((Enrolment.batch == batch) & Enrolment.id.in_(ids)))
        moved, refused = 0, []
        for e in rows:
            try:
                if target == "graduated":
                    percent = service.attendance_percent(e)
                    if percent is not None and percent < pass_percent:
                        raise service.TrainingError(_("kehadiran {p}% di bawah batas {m}%.", p=percent, m=pass_percent))
                before = e.status
                service.change_status(e, target)
                moved += e.status != before
            except service.TrainingError as exc:
                refused.append(f"{e.person.name}: {exc}")
        if moved:
            web.flash(_("{n} peserta diubah menjadi {s}.", n=moved, s=_(STATUS_LABEL[target])))
        if refused:
            web.flash(_("Ditolak ({n}): {r}", n=len(refused), r="; ".join(refused[:10])
                        + (" …" if len(refused) > 10 else "")), "error")
        web.redirect(f"/training/batches/{batch.id}")

    @router.post("/training/batches/<batch_id:int>/instructors", permission="training.manage")
    def instructor_add(batch_id):
        batch = get_batch(batch_id)
        data, errors = forms.validate(InstructorForm(), web.form())
        if errors:
            web.flash(_("Instruktur tidak disimpan: {e}", e="; ".join(errors.values())), "error")
        else:
            audit.create(Instructor, batch=batch, **data)
            web.flash(_("Instruktur ditambahkan."))
        web.redirect(f"/training/batches/{batch.id}#instructors")

    @router.post("/training/batches/<batch_id:int>/instructors/<instructor_id:int>/delete", permission="training.manage")
    def instructor_delete(batch_id, instructor_id):
        inst = get_or_404(Instructor, instructor_id, Instructor.select().where(Instructor.batch == batch_id))
        audit.delete(inst)
        web.flash(_("Instruktur dihapus."))
        web.redirect(f"/training/batches/{batch_id}#instructors")

    # ------------------------------------------------ roster export
    def roster_table(batch):
        header = [_("No"), "NIK", _("Nama"), _("Jenis kelamin"), _("Tanggal lahir"), _("Telepon"), _("Pendidikan"),
                  _("Kabupaten/kota"), _("Status"), _("Sumber"), _("Nomor bukti SIAPkerja"), _("Nomor sertifikat")]
        out = []
        for i, e in enumerate(service.roster(batch), start=1):
            p = e.person
            out.append([i, show_nik(p.nik), p.name, p.sex, p.birth_date.isoformat() if p.birth_date else "", p.phone,
                        p.education, p.regency, _(STATUS_LABEL.get(e.status, e.status)),
                        _(dict(SOURCE).get(e.source, e.source)), e.siapkerja_ref, e.cert.number if e.cert else ""])
        return header, out

    def roster_name(batch, ext):
        slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{batch.programme.code}-{batch.name}").strip("-").lower()
        return f"peserta-{slug}.{ext}"

    @router.get("/training/batches/<batch_id:int>/roster.<fmt:re:csv|xlsx>", permission="training.view")
    def roster_export(batch_id, fmt):
        batch = get_batch(batch_id)
        header, rows = roster_table(batch)
        return tabular.download(fmt, roster_name(batch, fmt).rsplit(".", 1)[0], header, rows, title=_("Peserta"))

    # ------------------------------------------------ registration
    def register_page(batch, values, errors, found=None):
        return web.render("training/register.html", batch=batch, schema=RegisterForm(), values=values,
                          errors=errors, found=found, problem=service.registration_problem(batch),
                          page_title=_("Pendaftaran: {b}", b=str(batch)))

    @router.get("/training/batches/<batch_id:int>/register", permission="training.register")
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

    @router.post("/training/batches/<batch_id:int>/register", permission="training.register")
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

    # ------------------------------------------------ attendance
    @router.get("/training/batches/<batch_id:int>/attendance", permission="training.view")
    def attendance_page(batch_id):
        batch = get_batch(batch_id)
        today = datetime.date.today()
        default = min(max(today, batch.start_date), batch.end_date)
        day = web.query_date("day", default)
        members = service.class_list(batch)
        recorded = service.attendance_of_day(batch, day)
        recap, days = service.attendance_recap(batch)
        return web.render("training/attendance.html", batch=batch, day=day, members=members, recorded=recorded,
                          recap=recap, days=days, choices=ATTENDANCE, problem=service.attendance_day_problem(batch, day),
                          can_edit=can("training.attendance"),
                          pass_percent=current_app().config.plugin("training").get("attendance_pass_percent", 80),
                          page_title=_("Daftar hadir: {b}", b=str(batch)))

    @router.post("/training/batches/<batch_id:int>/attendance", permission="training.attendance")
    def attendance_save(batch_id):
        batch = get_batch(batch_id)
        raw = web.form()
        day = web.parse_date(raw.get("day", ""))
        if day is None:
            web.flash(_("Tanggal tidak valid."), "error")
            web.redirect(f"/training/batches/{batch.id}/attendance")
        statuses = {}
        for key, value in raw.items():
            if key.startswith("st-") and key[3:].isdigit():
                statuses[int(key[3:])] = value if isinstance(value, str) else value[-1]
        try:
            changed = service.save_attendance(batch, day, statuses)
        except service.TrainingError as exc:
            web.flash(str(exc), "error")
            web.redirect(f"/training/batches/{batch.id}/attendance?day={day.isoformat()}")
        web.flash(_("Daftar hadir {d} tersimpan ({n} perubahan).", d=format_date(day), n=changed))
        web.redirect(f"/training/batches/{batch.id}/attendance?day={day.isoformat()}")

    # ------------------------------------------------ import
    columns = service.registrant_columns

    @router.get("/training/import-template.xlsx", permission="training.register")
    def template_xlsx():
        return download(importer.template_xlsx(columns(), service.REGISTRANT_EXAMPLE, title="Pendaftar"),
                        "templat-pendaftar.xlsx", XLSX)

    @router.get("/training/import-template.csv", permission="training.register")
    def template_csv():
        return download(importer.template_csv(columns(), service.REGISTRANT_EXAMPLE), "templat-pendaftar.csv",
                        "text/csv; charset=utf-8")

    def import_folder():
        return os.path.join(current_app().config["upload_dir"], IMPORT_DIR)

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

    def forget_stale_imports(hours=24):
        """Files uploaded but never confirmed are removed after a day."""
        import time
        limit = time.time() - hours * 3600
        for name in os.listdir(import_folder()):
            path = os.path.join(import_folder(), name)
            try:
                if os.path.getmtime(path) < limit:
                    os.remove(path)
            except OSError:
                pass

    def load_stored(key):
        if not IMPORT_KEY.match(key or ""):
            return None
        path = os.path.join(import_folder(), key)
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as fh:
            return fh.read()

    @router.get("/training/batches/<batch_id:int>/import", permission="training.register")
    def import_page(batch_id):
        return import_form(get_batch(batch_id))

    @router.post("/training/batches/<batch_id:int>/import", permission="training.register")
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
            return import_form(batch, _("Berkas lebih besar dari {n} MB.", n=current_app().config["upload_max_mb"]))
        try:
            rows = importer.read_table(name, data)
        except importer.ImportFormatError as exc:
            return import_form(batch, str(exc))
        missing = importer.missing_columns(rows, columns())
        if missing:
            return import_form(batch, _("Kolom wajib tidak ada: {c}. Gunakan templat.", c=", ".join(missing)))
        if not rows:
            return import_form(batch, _("Berkas tidak berisi baris data."))
        # Keep the file server-side (by content hash) until the user confirms.
        key = f"{hashlib.sha256(data).hexdigest()}.{ext}"
        os.makedirs(import_folder(), exist_ok=True)
        forget_stale_imports()
        path = os.path.join(import_folder(), key)
        if not os.path.exists(path):
            with open(path + ".tmp", "wb") as fh:
                fh.write(data)
            os.replace(path + ".tmp", path)
        return preview(batch, key, service.check_registrants(batch, rows))

    @router.post("/training/batches/<batch_id:int>/import/confirm", permission="training.register")
    def import_confirm(batch_id):
        batch = get_batch(batch_id)
        raw = web.form()
        key, mode = raw.get("key", ""), raw.get("mode", "all")
        data = load_stored(key)
        if data is None:
            return import_form(batch, _("Berkas impor tidak ditemukan lagi. Unggah ulang berkasnya."))
        results = service.check_registrants(batch, importer.read_table(key, data))   # re-check: data may have changed
        good, bad = importer.summary(results)
        if bad and mode != "valid":
            return preview(batch, key, results, _("Tidak ada yang diimpor: {n} baris bermasalah. Perbaiki berkasnya, "
                                                   "atau pilih impor hanya baris yang valid.", n=bad))
        if not good:
            return preview(batch, key, results, _("Tidak ada baris yang valid untuk diimpor."))
        expected = raw.get("expected", "")
        if mode == "valid" and expected.isdigit() and int(expected) != good:
            return preview(batch, key, results, _("Jumlah baris valid berubah menjadi {n}; periksa lagi lalu konfirmasi.",
                                                   n=good))
        try:
            count = service.import_registrants(batch, results)
        except service.TrainingError as exc:
            return preview(batch, key, results, str(exc))
        try:
            os.remove(os.path.join(import_folder(), key))
        except OSError:
            pass
        audit.event("training_import", "training_batch", batch.id, {"rows": count, "skipped": bad, "mode": mode})
        web.flash(_("{n} pendaftar diimpor.", n=count) + (" " + _("{m} baris dilewati.", m=bad) if bad else ""))
        web.redirect(f"/training/batches/{batch.id}")

    # ------------------------------------------------ certificates and papers (core document service)
    @router.post("/training/enrolments/<enrolment_id:int>/certificate", permission="training.certificates")
    def certificate_issue(enrolment_id):
        enrolment = get_or_404(Enrolment, enrolment_id)
        try:
            cert = service.issue_certificate(enrolment, current_app(), issued_by=web.user())
        except (service.TrainingError, documents.DocumentError) as exc:
            web.flash(str(exc), "error")
            web.redirect(f"/training/batches/{enrolment.batch_id}")
        web.flash(_("Sertifikat {n} diterbitkan.", n=cert.number))
        web.redirect(f"/training/certificates/{cert.id}")

    @router.post("/training/batches/<batch_id:int>/certificates", permission="training.certificates")
    def certificates_issue_all(batch_id):
        batch = get_batch(batch_id)
        have = {c for (c,) in Certificate.select(Certificate.enrolment).join(Enrolment)
                .where(Enrolment.batch == batch).tuples()}
        issued = 0
        try:
            with db.write():
                for e in service.graduates(batch):
                    if e.id not in have:
                        service.issue_certificate(e, current_app(), issued_by=web.user())
                        issued += 1
        except documents.DocumentError as exc:
            web.flash(str(exc), "error")
            web.redirect(f"/training/batches/{batch.id}")
        web.flash(_("{n} sertifikat diterbitkan.", n=issued) if issued else _("Semua lulusan sudah bersertifikat."),
                  "success" if issued else "info")
        web.redirect(f"/training/batches/{batch.id}")

    def certificate_query():
        return (Certificate.select(Certificate, Enrolment, Person, Batch, Programme)
                .join(Enrolment).join(Person).switch(Enrolment).join(Batch).join(Programme))

    @router.post("/training/batches/<batch_id:int>/papers/<kind>", permission="training.attendance")
    def paper_issue(batch_id, kind):
        batch = get_batch(batch_id)
        made = {}

        def act():
            if kind == "attendance":
                try:
                    day = datetime.date.fromisoformat(web.form().get("day", ""))
                except ValueError:
                    raise documents.DocumentError(_("Isi tanggal daftar hadir."))
                made["doc"] = papers.issue_attendance_sheet(current_app(), batch, day, web.user())
            elif kind == "participants":
                made["doc"] = papers.issue_participant_list(current_app(), batch, web.user())
            else:
                raise web.NotFound()
        try:
            with db.write():
                act()
        except documents.DocumentError as exc:
            web.flash(str(exc), "error")
            web.redirect(f"/training/batches/{batch.id}")
        web.flash(_("{t} {n} diterbitkan.", t=made["doc"].subject, n=made["doc"].number))
        web.redirect(f"/documents/{made['doc'].id}")

    @router.get("/training/certificates/<cert_id:int>", permission="training.view")
    def certificate_page(cert_id):
        import segno
        cert = get_or_404(Certificate, cert_id, certificate_query())
        paper = documents.current_for("training_enrolment", cert.enrolment_id, papers.CERTIFICATE)
        link = service.verification_url(cert, site_base())
        qr = Markup(segno.make(link, error="m").svg_inline(scale=3, svgclass="qr", title=_("Kode QR verifikasi")))
        batch = cert.enrolment.batch
        units = list(CompetencyUnit.select().where(CompetencyUnit.programme == batch.programme_id)
                     .order_by(CompetencyUnit.code))
        return web.render("training/certificate.html", cert=cert, person=cert.enrolment.person, batch=batch,
                          programme=batch.programme, units=units, link=link, qr=qr,
                          can_certify=can("training.certificates"), paper=paper,
                          paper_html=Markup(documents.html_of(paper)) if paper else None,
                          page_title=_("Sertifikat {n}", n=cert.number))

    @router.post("/training/certificates/<cert_id:int>/revoke", permission="training.certificates")
    def certificate_revoke(cert_id):
        cert = get_or_404(Certificate, cert_id)
        service.revoke_certificate(cert, web.user())
        web.flash(_("Sertifikat {n} dicabut.", n=cert.number))
        web.redirect(f"/training/certificates/{cert.id}")

    # ------------------------------------------------ people
    @router.get("/training/people", permission="training.view")
    def people():
        q = Person.select(Person.id, Person.name, Person.nik, Person.sex, Person.birth_date, Person.regency)
        text = web.query("q").strip()[:100]
        digits = re.sub(r"[\s.]", "", text)
        if re.fullmatch(r"\d{16}", digits):
            q = q.where(Person.nik == digits)          # exact NIK only: no partial NIK search
        elif text:
            q = search.matching(q, Person, ["name"], text)     # trigram index: newest first
        else:
            q = q.order_by(Person.name, Person.id)
        page = web.query_page()
        rows, has_next = paginate(q.namedtuples(), page, 50)      # rows, not model objects
        return web.render("training/people.html", rows=rows, page=page, has_next=has_next, q=text,
                          show_nik=show_nik, can_edit=can("training.register"), sex=dict(SEX),
                          page_title=_("Peserta"))

    def person_form(obj, values, errors):
        return web.render("training/person_form.html", obj=obj, schema=PersonForm(), values=values, errors=errors,
                          page_title=obj.name if obj else _("Tambah peserta"))

    def person_save(obj=None):
        def save(data):
            clash = Person.select().where(Person.nik == data["nik"])
            if obj is not None:
                clash = clash.where(Person.id != obj.id)
            if clash.exists():
                raise Refusal(_("NIK ini sudah dipakai oleh peserta lain."), field="nik")
            fields = person_fields(data)
            if obj is None:
                return audit.create(Person, nik=data["nik"], **fields)
            return audit.update(obj, nik=data["nik"], **fields)
        return submit_form(PersonForm(), save, lambda values, errors: person_form(obj, values, errors),
                           message=_("Data tersimpan."), to=lambda saved: f"/training/people/{saved.id}")

    @router.get("/training/people/new", permission="training.register")
    def person_new():
        return person_form(None, {}, {})

    @router.post("/training/people/new", permission="training.register")
    def person_create():
        return person_save()

    @router.get("/training/people/<person_id:int>/edit", permission="training.register")
    def person_edit(person_id):
        obj = get_or_404(Person, person_id)
        if not can("training.nik"):
            raise web.Forbidden(_("Mengubah data peserta memerlukan izin melihat NIK lengkap."))
        values = {name: getattr(obj, name) for name in PersonForm().fields}
        return person_form(obj, values, {})

    @router.post("/training/people/<person_id:int>/edit", permission="training.register")
    def person_update(person_id):
        obj = get_or_404(Person, person_id)
        if not can("training.nik"):
            raise web.Forbidden(_("Mengubah data peserta memerlukan izin melihat NIK lengkap."))
        return person_save(obj)

    @router.get("/training/people/<person_id:int>", permission="training.view")
    def person_page(person_id):
        obj = get_or_404(Person, person_id)
        enrolments = list(Enrolment.select(Enrolment, Batch, Programme, Certificate).join(Batch).join(Programme)
                          .switch(Enrolment).join(Certificate, peewee.JOIN.LEFT_OUTER,
                                                  on=(Certificate.enrolment == Enrolment.id), attr="cert")
                          .where(Enrolment.person == obj).order_by(Batch.start_date.desc()))
        for e in enrolments:
            if getattr(e, "cert", None) is not None and e.cert.id is None:
                e.cert = None
        ids = [str(e.id) for e in enrolments]
        history = audit.history(Person.audit_type(), obj.id)
        if ids:
            history += audit.history(Enrolment.audit_type(), ids)
            history.sort(key=lambda r: r.seq, reverse=True)
        return web.render("training/person.html", obj=obj, enrolments=enrolments, history=history,
                          nik=show_nik(obj.nik), status_label=STATUS_LABEL, sex=dict(SEX),
                          education=dict(EDUCATION), can_edit=can("training.register") and can("training.nik"),
                          page_title=obj.name)
