"""Screens of the ``placement`` plugin: vacancies (each runs SOP PTK-01) with their candidates, step 3's
"send" button (a letter carrying a link) and the company's answer through that link (step 4)."""
import datetime

from core.toolkit import (Action, Column, Filter, Screen, _, audit, current_app, db, documents, forms, format_date,
                          format_rupiah, lazy, public_links, tracker, utcnow, web)
from plugins.training.models import Enrolment, Person

from placement.models import STATUS, Placement, Vacancy
from placement.schemas import PlacementForm, VacancyForm
from placement.sop import ANSWER, CODE, SEND

FLOW = tracker.Workflow(CODE, Vacancy)
PURPOSE = "placement.answer"
PLACEMENTS = Screen(
    Placement, PlacementForm, base="/placement/placements", view="placement.view", edit="placement.manage",
    title=lazy("Penempatan"), template="placement/placement", label=lambda p: p.enrolment.person.name,
    filters=[Filter("status", lazy("Status"), Placement.status, STATUS)],
    columns=[Column("enrolment.person.name", lazy("Lulusan"), link=True), Column("vacancy.company", lazy("Perusahaan")),
             Column("status", lazy("Status"), format=lambda s: forms.label(s, STATUS)),
             Column("start_date", lazy("Tanggal mulai"), format=format_date),
             Column("salary", lazy("Gaji"), format=format_rupiah)])


def candidates(vacancy, status):
    """The vacancy's placements in ``status`` with their people, in one query."""
    return (Placement.select(Placement, Enrolment, Person).join(Enrolment).join(Person)
            .where((Placement.vacancy == vacancy) & (Placement.status == status)))


def set_status(vacancy, old, new):
    for placement in candidates(vacancy, old):
        audit.update(placement, status=new)


def send(vacancy):
    """Step 3: the matched candidates go to the company in a numbered letter carrying the link it answers."""
    vacancy = db.lock(Vacancy, vacancy.id)  # two clicks on "send" make one letter
    FLOW.require_step(vacancy, SEND, error=tracker.StepError)
    link = public_links.create(PURPOSE, vacancy, recipient_name=vacancy.company,
                               expires_at=utcnow() + datetime.timedelta(days=14))
    url = f"{documents.base_url(current_app())}/placement/answer/{link.token}"
    names = [p.enrolment.person.name for p in candidates(vacancy, "matched")]
    documents.issue(current_app(), "placement.letter", {"company": vacancy.company, "position": vacancy.position,
                                                        "candidates": names, "url": url},
                    subject=str(vacancy), record=(Vacancy.audit_type(), vacancy.id), signer=web.user())
    set_status(vacancy, "matched", "sent")
    FLOW.complete(vacancy, SEND, web.user(), links=[(_("Tautan jawaban perusahaan"), url)])


VACANCIES = Screen(
    Vacancy, VacancyForm, base="/placement/vacancies", view="placement.view", edit="placement.manage",
    title=lazy("Lowongan"), template="placement/vacancy", search=[Vacancy.company, Vacancy.position],
    columns=[Column("position", lazy("Posisi"), link=True), Column("company", lazy("Perusahaan")),
             Column("quota", lazy("Kuota")), Column("closes_on", lazy("Tanggal tutup"), format=format_date)],
    children=[(lazy("Kandidat"), PLACEMENTS, "vacancy")], order=[Vacancy.id.desc()], workflow=FLOW,
    detail_extra=lambda v: {"link": public_links.for_subject(PURPOSE, v),
                            "letter": documents.current_for(Vacancy.audit_type(), v.id, "placement.letter")},
    actions=[Action("send", lazy("Kirim kandidat ke perusahaan"), send, when=lambda v: FLOW.at_step(v, SEND),
                    message=lazy("Kandidat dikirim ke perusahaan."), refusals=(tracker.StepError, documents.DocumentError))])


def answer(vacancy, form):
    """Step 4, by the company: invited → step 5; rejected → back to step 2 (the candidates are kept, marked)."""
    invited = form.get("answer") == "invite"
    FLOW.complete(vacancy, ANSWER, rule=_("jawaban perusahaan"), branch="Diundang wawancara" if invited else "Ditolak")
    set_status(vacancy, "sent", "invited" if invited else "rejected")
    return {"invited": invited}


def register(router):
    VACANCIES.register(router)
    PLACEMENTS.register(router)
    public_links.page(router, "/placement/answer/<token>", PURPOSE, subject=Vacancy, on_answer=answer,
                      load=lambda v: {"lines": [p.enrolment.person.name for p in candidates(v, "sent")]},
                      answers=[("invite", lazy("Undang wawancara")), ("reject", lazy("Tolak"))])
