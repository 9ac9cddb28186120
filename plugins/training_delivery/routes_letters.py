"""Letters and the committee (steps 4–5), and the letter templates (admin)."""
from markupsafe import Markup

from core.toolkit import Column, Screen, _, current_app, documents, get_or_404, lazy, submit_form, web
from plugins.training_delivery import schemas, service
from plugins.training_delivery.models import LETTER_KINDS, CommitteeMember, Letter, LetterTemplate
from plugins.training_delivery.routes_common import ERRORS, P, act, get_plan, plan_context


def letters_page(plan_id, member_values=None, member_errors=None):
    plan = get_plan(plan_id)
    return web.render("training_delivery/letters.html", page_title=_("Surat: {a}", a=plan.activity),
                      head_signs=service.decree_signed_by_head(plan),
                      letters=service.letters_of(plan), members=service.members_of(plan),
                      member_schema=schemas.MemberForm(), member_values=member_values or {},
                      member_errors=member_errors or {}, **plan_context(plan))


def letters_generate(plan_id):
    plan = get_plan(plan_id)
    refresh = web.form().get("refresh") == "1"
    act(f"/delivery/plans/{plan.id}/letters", lambda: service.generate_letters(plan, refresh),
        _("Konsep surat dibuat dari templat."))


def letters_submit(plan_id):
    plan = get_plan(plan_id)
    act(f"/delivery/plans/{plan.id}/letters", lambda: service.submit_drafts(plan, web.user()),
        _("Konsep surat diajukan untuk paraf Kepala Bidang."))


def member_add(plan_id):
    plan = get_plan(plan_id)
    return submit_form(schemas.MemberForm(), lambda data: service.add_member(plan, data),
                       lambda values, errors: letters_page(plan_id, values, errors),
                       message=_("Anggota panitia ditambahkan."), to=f"/delivery/plans/{plan.id}/letters#panitia",
                       refusals=ERRORS)


def member_delete(member_id):
    member = get_or_404(CommitteeMember, member_id)
    act(f"/delivery/plans/{member.work_plan_id}/letters#panitia", lambda: service.remove_member(member),
        _("Anggota panitia dihapus."))


def letter_print(letter_id):
    letter = get_or_404(Letter, letter_id)
    plan = get_plan(letter.work_plan_id)
    paper = documents.current_for("delivery_letter", letter.id)
    return web.render("training_delivery/letter_print.html", page_title=letter.title, letter=letter, plan=plan,
                      text=service.text_of(letter), signer=service.signer_of(plan),
                      step=plan_context(plan)["step"], paper=paper,
                      paper_html=Markup(documents.html_of(paper)) if paper else None)


def letter_issue(letter_id):
    letter = get_or_404(Letter, letter_id)
    act(f"/delivery/letters/{letter.id}", lambda: service.issue_document(letter, current_app(), web.user()),
        _("Surat diterbitkan sebagai dokumen dengan nomor yang sama."))


def letter_form(letter, values=None, errors=None):
    return web.render("training_delivery/letter_form.html", letter=letter, schema=schemas.LetterForm(),
                      values=values or {"title": letter.title, "source": letter.source}, errors=errors or {},
                      page_title=_("Ubah konsep: {t}", t=letter.title))


def letter_edit(letter_id):
    return letter_form(get_or_404(Letter, letter_id))


def letter_update(letter_id):
    letter = get_or_404(Letter, letter_id)
    return submit_form(schemas.LetterForm(), lambda data: service.edit_letter(letter, data["title"], data["source"]),
                       lambda values, errors: letter_form(letter, values, errors),
                       message=_("Konsep surat tersimpan."), to=f"/delivery/letters/{letter.id}", refusals=ERRORS)


def letter_paraf(letter_id):
    letter = get_or_404(Letter, letter_id)
    act(f"/delivery/plans/{letter.work_plan_id}/letters", lambda: service.paraf(letter, web.user()),
        _("Konsep diparaf."))


def letter_sign(letter_id):
    letter = get_or_404(Letter, letter_id)
    act(f"/delivery/plans/{letter.work_plan_id}/letters", lambda: service.sign(letter, web.user()),
        _("Surat pengantar ditandatangani."))


def letter_sign_decree(letter_id):
    letter = get_or_404(Letter, letter_id)
    act(f"/delivery/plans/{letter.work_plan_id}/letters", lambda: service.sign_decree(letter, web.user()),
        _("Keputusan Panitia ditandatangani."))


def letter_return(letter_id):
    letter = get_or_404(Letter, letter_id)
    act(f"/delivery/plans/{letter.work_plan_id}/letters",
        lambda: service.return_letter(letter, web.user(), web.form().get("reason", "")),
        _("Konsep dikembalikan kepada staf untuk diperbaiki."))


def register(router):
    router.get("/delivery/plans/<plan_id:int>/letters", permission=P + "view")(letters_page)
    router.post("/delivery/plans/<plan_id:int>/letters/generate", permission=P + "letters")(letters_generate)
    router.post("/delivery/plans/<plan_id:int>/letters/submit", permission=P + "letters")(letters_submit)
    router.post("/delivery/plans/<plan_id:int>/members", permission=P + "letters")(member_add)
    router.post("/delivery/members/<member_id:int>/delete", permission=P + "letters")(member_delete)
    router.get("/delivery/letters/<letter_id:int>", permission=P + "view")(letter_print)
    router.post("/delivery/letters/<letter_id:int>/issue", permission=P + "letters")(letter_issue)
    router.get("/delivery/letters/<letter_id:int>/edit", permission=P + "letters")(letter_edit)
    router.post("/delivery/letters/<letter_id:int>/edit", permission=P + "letters")(letter_update)
    router.post("/delivery/letters/<letter_id:int>/paraf", permission=P + "sign")(letter_paraf)
    router.post("/delivery/letters/<letter_id:int>/sign", permission=P + "sign")(letter_sign)
    router.post("/delivery/letters/<letter_id:int>/sign-decree", permission=P + "sign_decree")(letter_sign_decree)
    router.post("/delivery/letters/<letter_id:int>/return", permission=P + "sign")(letter_return)
    Screen(LetterTemplate, schemas.TemplateForm, base="/delivery/templates", view=P + "templates",
           edit=P + "templates", title=lazy("Templat surat"), template="training_delivery/templates",
           columns=[Column("kind", lazy("Jenis surat"), link=True, format=LETTER_KINDS.label),
                    Column("title", lazy("Perihal"))],
           order=LetterTemplate.kind, label=lambda t: t.title).register(router)
