"""People: search, profile, form."""
import re

import peewee

from core.toolkit import _, audit, get_or_404, paginate, search, submit_form, web
from plugins.training import actions
from plugins.training.models import SEX, Batch, Certificate, Enrolment, Person, Programme
from plugins.training.routes_common import can, show_nik
from plugins.training.schemas import PersonForm


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
                      show_nik=show_nik, can_edit=can("training.register"), sex=SEX,
                      page_title=_("Peserta"))


def person_form(obj, values, errors):
    return web.render("training/person_form.html", obj=obj, schema=PersonForm(), values=values, errors=errors,
                      page_title=obj.name if obj else _("Tambah peserta"))


def person_save(obj=None):
    return submit_form(PersonForm(), lambda data: actions.save_person(data, obj),
                       lambda values, errors: person_form(obj, values, errors),
                       message=_("Data tersimpan."), to=lambda saved: f"/training/people/{saved.id}")


def person_new():
    return person_form(None, {}, {})


def person_create():
    return person_save()


def person_edit(person_id):
    obj = get_or_404(Person, person_id)
    if not can("training.nik"):
        raise web.Forbidden(_("Mengubah data peserta memerlukan izin melihat NIK lengkap."))
    values = {name: getattr(obj, name) for name in PersonForm().fields}
    return person_form(obj, values, {})


def person_update(person_id):
    obj = get_or_404(Person, person_id)
    if not can("training.nik"):
        raise web.Forbidden(_("Mengubah data peserta memerlukan izin melihat NIK lengkap."))
    return person_save(obj)


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
                      nik=show_nik(obj.nik), can_edit=can("training.register") and can("training.nik"),
                      page_title=obj.name)


def register(router):
    router.get("/training/people", permission="training.view")(people)
    router.get("/training/people/new", permission="training.register")(person_new)
    router.post("/training/people/new", permission="training.register")(person_create)
    router.get("/training/people/<person_id:int>/edit", permission="training.register")(person_edit)
    router.post("/training/people/<person_id:int>/edit", permission="training.register")(person_update)
    router.get("/training/people/<person_id:int>", permission="training.view")(person_page)
