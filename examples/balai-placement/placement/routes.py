"""Screens of the ``placement`` plugin: vacancies (each runs SOP PTK-01) with their candidates, step 3's
"send" button (a letter carrying a link) and the company's answer through that link (step 4)."""
from core.toolkit import Action, Screen, _, audit, current_app, documents, forms, lazy, public_links, tracker, web
from plugins.training.models import Enrolment, Person

from placement.models import Placement, Vacancy
from placement.sop import CODE

FLOW = tracker.Workflow(CODE, Vacancy)
FLOW.guard(2, lambda v: candidates(v, "matched").exists(), lazy("Belum ada lulusan yang dicocokkan."))
FLOW.guard(5, lambda v: not candidates(v, "invited").exists(), lazy("Hasil wawancara belum dicatat."))
FLOW.guard(6, lambda v: not candidates(v, "placed").where(Placement.start_date.is_null() | Placement.salary.is_null())
           .exists(), lazy("Tanggal mulai dan gaji belum diisi."))
PURPOSE = "placement.answer"
PLACEMENTS = Screen(Placement, base="/placement/placements", view="placement.view", edit="placement.manage",
                    title=lazy("Penempatan"), filters=["status"],
                    columns=["enrolment.person.name", "vacancy", "status", "start_date", "salary"])


def candidates(vacancy, status):
    """The vacancy's placements in ``status`` with their people, in one query."""
    return (Placement.select(Placement, Enrolment, Person).join(Enrolment).join(Person)
            .where((Placement.vacancy == vacancy) & (Placement.status == status)))


def set_status(vacancy, old, new):
    for placement in candidates(vacancy, old):
        audit.update(placement, status=new)


def send(vacancy):
    """Step 3: the matched candidates go to the company in a numbered letter carrying the link it answers."""
    link = public_links.create(PURPOSE, vacancy, recipient_name=vacancy.company, days=14)
    names = [p.enrolment.person.name for p in candidates(vacancy, "matched")]
    documents.issue(current_app(), "placement.letter", {"company": vacancy.company, "position": vacancy.position,
                    "candidates": names, "url": public_links.url(link)}, record=vacancy, signer=web.user())
    set_status(vacancy, "matched", "sent")
    FLOW.complete(vacancy, 3, web.user())


def answer(vacancy, form):
    """Step 4, by the company: invited → step 5; rejected → back to step 2 (the candidates are kept, marked)."""
    invited = form.get("answer") == "invite"
    FLOW.complete(vacancy, 4, rule=_("jawaban perusahaan"), branch="Diundang wawancara" if invited else "Ditolak")
    set_status(vacancy, "sent", "invited" if invited else "rejected")
    return {"invited": invited}


VACANCIES = Screen(
    Vacancy, forms.of(Vacancy, quota=forms.Integer(required=True, validate=forms.Range(min=1), label="Kuota")),
    base="/placement/vacancies", view="placement.view", edit="placement.manage", title=lazy("Lowongan"),
    columns=["position", "company", "quota", "closes_on"], search=[Vacancy.company, Vacancy.position],
    children=[(lazy("Kandidat"), PLACEMENTS, "vacancy")], order=[Vacancy.id.desc()], workflow=FLOW,
    actions=[Action("send", lazy("Kirim kandidat ke perusahaan"), send, when=lambda v: FLOW.at_step(v, 3),
                    message=lazy("Kandidat dikirim ke perusahaan."), refusals=(documents.DocumentError,))])


def register(router):
    VACANCIES.register(router)
    PLACEMENTS.register(router)
    public_links.page(router, "/placement/answer/<token>", PURPOSE, subject=Vacancy, on_answer=answer,
                      load=lambda v: {"lines": [p.enrolment.person.name for p in candidates(v, "sent")]},
                      answers=[("invite", lazy("Undang wawancara")), ("reject", lazy("Tolak"))])
