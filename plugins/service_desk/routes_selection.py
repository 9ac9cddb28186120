"""Selection of a batch (step 3): weights and pass marks, CBT and interview scores,
finalisation, re-registration (daftar ulang) and the printable recap."""
from peewee import fn

from core.toolkit import _, current_app, forms, local_today, submit_form, web
from plugins.service_desk import schemas, selection
from plugins.service_desk.routes import G, REFUSALS, attempt
from plugins.training.models import Batch, Enrolment, Programme

SCORE_FIELDS = ("cbt_score", "interview_score", "interview_notes")


def selection_page(batch, errors=None, values=None, form=None):
    setting = selection.setting_for(batch)
    rows = selection.candidates(batch)
    return web.render("service_desk/selection.html", page_title=_("Seleksi: {b}", b=str(batch)), batch=batch,
                      setting=setting, rows=rows, errors=errors or {}, values=values or {}, form=form,
                      setting_schema=schemas.SettingForm(), open_statuses=selection.SELECTION_OPEN,
                      roster=[e for e in rows if e.status in selection.ROSTER],
                      accepted=[e for e in rows if e.status == "accepted"],
                      reserve=[e for e in rows if e.status == "reserve"], **G)


def get_batch(bid):
    batch = Batch.select(Batch, Programme).join(Programme).where(Batch.id == bid).first()
    if batch is None:
        raise web.NotFound()
    return batch


def scores_schema(open_ids, sent):
    """One form for the score sheet: the ScoreForm's fields per candidate still in selection
    (``cbt_score_12``…), only those the sheet sent (a field not sent keeps its saved value)."""
    base = schemas.ScoreForm().fields
    fields = {f"{k}_{eid}": base[k] for eid in open_ids for k in SCORE_FIELDS if f"{k}_{eid}" in sent}
    return forms.Schema.from_dict(fields)()


def score_rows(open_ids, data):
    """enrolment id → {cbt_score, interview_score, interview_notes} of the fields sent."""
    rows = {}
    for eid in open_ids:
        values = {k: data[f"{k}_{eid}"] for k in SCORE_FIELDS if f"{k}_{eid}" in data}
        if values:
            rows[eid] = values
    return rows


def register(router):
    @router.get("/service-desk/selection", permission="service_desk.selection")
    def selection_list():
        batches = list(Batch.select(Batch, Programme).join(Programme)
                       .where(Batch.status.not_in(("cancelled",))).order_by(Batch.start_date.desc()).limit(100))
        counts = dict(Enrolment.select(Enrolment.batch, fn.COUNT(Enrolment.id))
                      .where(Enrolment.batch.in_([b.id for b in batches] or [0]))
                      .group_by(Enrolment.batch).tuples())
        return web.render("service_desk/selection_list.html", page_title=_("Seleksi peserta"), batches=batches,
                          counts=counts, **G)

    @router.get("/service-desk/selection/<bid:int>", permission="service_desk.selection")
    def selection_detail(bid):
        return selection_page(get_batch(bid))

    @router.post("/service-desk/selection/<bid:int>/settings", permission="service_desk.selection")
    def selection_settings(bid):
        batch = get_batch(bid)
        return submit_form(schemas.SettingForm(), lambda data: selection.save_setting(batch, data),
                           lambda values, errors: selection_page(batch, errors, values, form="settings"),
                           message=_("Bobot dan nilai batas disimpan."), to=f"/service-desk/selection/{bid}",
                           refusals=REFUSALS)

    @router.post("/service-desk/selection/<bid:int>/scores", permission="service_desk.selection")
    def selection_scores(bid):
        batch = get_batch(bid)
        sent = web.form()
        open_ids = [e.id for e in selection.candidates(batch) if e.status in selection.SELECTION_OPEN]
        return submit_form(scores_schema(open_ids, sent),
                           lambda data: selection.save_scores(batch, score_rows(open_ids, data)),
                           lambda values, errors: selection_page(batch, errors, values, form="scores"),
                           message=_("Nilai seleksi disimpan."), to=f"/service-desk/selection/{bid}",
                           refusals=REFUSALS, form=sent)

    @router.post("/service-desk/selection/<bid:int>/finalise", permission="service_desk.selection")
    def selection_finalise(bid):
        batch = get_batch(bid)
        attempt(lambda: selection.finalise_selection(current_app(), batch, web.user()),
                f"/service-desk/selection/{bid}",
                _("Seleksi difinalkan: hasil dan status peserta diperbarui; run pelamar yang "
                  "tidak diterima berakhir, yang diterima menunggu daftar ulang."))

    @router.post("/service-desk/selection/<bid:int>/move", permission="service_desk.selection")
    def selection_move(bid):
        batch = get_batch(bid)
        f = web.form()
        eid = int(f.get("enrolment")) if str(f.get("enrolment", "")).isdigit() else 0
        attempt(lambda: selection.move_enrolment(batch, eid, f.get("to", "")), f"/service-desk/selection/{bid}",
                _("Status peserta diperbarui."))

    @router.get("/service-desk/selection/<bid:int>/print", permission="service_desk.selection")
    def selection_print(bid):
        batch = get_batch(bid)
        rows = selection.candidates(batch)
        rows.sort(key=lambda e: (-(e.score.total if e.score and e.score.total is not None else -1), e.person.name))
        return web.render("service_desk/selection_print.html", page_title=_("Rekap nilai hasil seleksi"), batch=batch,
                          setting=selection.setting_for(batch), rows=rows,
                          roster=[e for e in rows if e.status in selection.ROSTER + ("accepted",)],
                          printed=local_today(current_app()), **G)
