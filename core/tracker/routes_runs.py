"""Run-side screens: Tugas saya (steps and tasks), reminders, the run list, a
run's page and its actions (complete / sign off, return, pause, resume, skip,
assign, cancel), and the acting officials an administrator records."""
import datetime
import json

import bottle
import marshmallow

from core import audit, db, forms, i18n, identity, web, whatsapp
from core.context import current_app
from core.i18n import _, format_date, lazy
from core.tracker import flowchart, guards, people, service, tasks as tasks_mod
from core.tracker.models import RUN_STATUS, Acting, Evidence, Notification, Run, SopRevision
from core.posts import Refusal, run_action, submit_form
from core.views import paginate
from core.web import redirect, render

STATUSES = RUN_STATUS          # kept for callers: the run statuses and their labels


def statuses():
    return list(RUN_STATUS)


# Every run page and transition reads its run first: SQL built once (core/db.py Prepared).
_GET_RUN = db.Prepared(lambda: Run.select(Run, SopRevision).join(SopRevision).where(Run.id == db.param("id")))


def get_run(run_id):
    run = _GET_RUN.first(id=run_id)
    if run is None:
        raise web.NotFound()
    return run


def _choose(message):
    return {"required": message, "null": message, "invalid": message}


def acting_form(app):
    """The form recording an acting official (Plt./Plh.): who, for which staff role, from when to when."""
    class ActingForm(forms.Schema):
        user = forms.Integer(required=True, label=lazy("Pengguna"), error_messages=_choose("Pilih pengguna."))
        role = forms.String(required=True, max_length=64, label=lazy("Jabatan (peran)"),
                            error_messages=_choose("Pilih jabatan (peran)."))
        kind = forms.String(required=True, max_length=8, label=lazy("Jenis"),
                            error_messages=_choose("Pilih Plt. atau Plh."))
        date_from = forms.Date(required=True, label=lazy("Mulai"))
        date_to = forms.Date(required=True, label=lazy("Sampai"))
        note = forms.String(max_length=255, label=lazy("Dasar penunjukan (nomor surat)"))

        @marshmallow.validates_schema
        def roles_and_dates(self, data, **kwargs):
            errors = {}
            role = app.roles.get(data["role"])
            if role is None or role.external:
                errors["role"] = "Pilih jabatan (peran)."
            if data["kind"] not in people.KINDS:
                errors["kind"] = "Pilih Plt. atau Plh."
            if data["date_to"] < data["date_from"]:
                errors["date_to"] = "Tanggal akhir tidak boleh sebelum tanggal mulai."
            if errors:
                raise marshmallow.ValidationError(errors)
    return ActingForm


def add_acting(app, data, by):
    """Record that a user acts for a role over a date range (an office's Plt./Plh. letter); refused
    when the user holds the role already or the same appointment overlaps. Returns the row."""
    user = identity.User.get_or_none(identity.User.id == data["user"])
    if user is None:
        raise Refusal(_("Pilih pengguna."), "user")
    if data["role"] in user.roles:
        raise Refusal(_("{name} sudah memegang jabatan ini sendiri.", name=str(user)), "user")
    if people.overlapping(user.id, data["role"], data["date_from"], data["date_to"]):
        raise Refusal(_("Sudah ada penunjukan yang sama untuk rentang tanggal ini."), "date_from")
    return audit.create(Acting, user=user.id, role=data["role"], kind=data["kind"], date_from=data["date_from"],
                        date_to=data["date_to"], note=(data.get("note") or "")[:255], created_by=by.id)


def open_step_view(app, run, rs, user, now, signoffs):
    """What the run page shows of one open step: may the user act, what blocks it, who signed, who may do it."""
    signed = {s.role for s in signoffs}
    mine_to_sign = service.step_roles(rs.step) & people.roles_on(user) - signed
    return {
        "rs": rs,
        "signoffs": signoffs,
        "can_act": service.may_act(user, rs) and (rs.step.sign_off != "all" or bool(mine_to_sign)),
        "signed_by_me": rs.step.sign_off == "all" and not mine_to_sign and service.may_act(user, rs),
        "blockers": guards.blockers(app, run, rs, now),
        "branches": json.loads(rs.step.branches),
        "scheduled": bool(rs.starts_at and rs.starts_at > now),
        "starts": guards.show_moment(app, rs.starts_at) if rs.starts_at else "",
        "step_action": app.plugins.first("balai_step_action", run=run, no=rs.no),
    }


def reminder_links(app, run, views):
    """WhatsApp click-to-chat links to the people an open step waits for (one query for all steps)."""
    roles = {r for v in views for r in service.step_roles(v["rs"].step)}
    by_role = people.holders(roles)
    wanted = {v["rs"].assigned_to_id for v in views if v["rs"].assigned_to_id} | {u for ids in by_role.values() for u in ids}
    users = people.users_by_id(wanted)
    for v in views:
        rs = v["rs"]
        signed = {s.role for s in v["signoffs"]}
        ids = [rs.assigned_to_id] if rs.assigned_to_id else sorted(
            {u for r in service.step_roles(rs.step) - signed for u in by_role.get(r, ())})
        link = (app.config["base_url"] or "") + f"/runs/{run.id}"

        def text(rs=rs, link=link):                     # in each recipient's language
            return _("Pengingat {inst}: langkah {no} \"{act}\" — {title}. {url}", inst=app.config["institution"],
                     no=rs.no, act=rs.step.activity[:80], title=run.title, url=link)
        v["people"] = [(users[u], whatsapp.wa_link(users[u].phone, i18n.in_language_of(users[u], text)))
                       for u in ids if u in users]


def register(router):
    # ------------------------------------------------ Tugas saya
    @router.get("/tasks", permission="tracker.tasks")
    def tasks():
        user = web.user()
        rows = service.inbox(user)
        return render("tracker/tasks.html", page_title=_("Tugas saya"), rows=rows, now=db.utcnow(),
                      other_tasks=tasks_mod.for_user(user), signoffs=service.signoffs_of(rows))

    @router.get("/notifications", permission="tracker.tasks")
    def notifications():
        rows = list(Notification.select().where(Notification.user == web.user().id)
                    .order_by(Notification.id.desc()).limit(100))
        return render("tracker/notifications.html", page_title=_("Pengingat"), rows=rows)

    @router.post("/notifications/read", permission="tracker.tasks")
    def notifications_read():
        Notification.update(read_at=db.utcnow()).where((Notification.user == web.user().id)
                                                       & Notification.read_at.is_null()).execute()
        redirect("/notifications")

    # ------------------------------------------------ runs
    @router.get("/runs", permission="tracker.view")
    def runs():
        q = Run.select().order_by(Run.id.desc())
        code, status = web.query("code"), web.query("status")
        if code:
            q = q.where(Run.code == code)
        if status in RUN_STATUS:
            q = q.where(Run.status == status)
        page = web.query_page()
        rows, has_next = paginate(q, page, 50)
        codes = sorted({sop["code"] for _p, sop in current_app().sops})
        return render("tracker/runs.html", page_title=_("Semua run SOP"), rows=rows, page=page,
                      has_next=has_next, code=code, status=status, codes=codes, statuses=statuses())

    @router.get("/runs/<run_id:int>", permission="tracker.view")
    def run_page(run_id):
        app, user, now = current_app(), web.user(), db.utcnow()
        run = get_run(run_id)
        items = service.timeline(run)
        evidence = service.evidence_of(items)
        signoffs = service.signoffs_of(items)
        steps = service.steps_of(run.revision_id)
        open_views = [open_step_view(app, run, rs, user, now, signoffs.get(rs.id, []))
                      for rs in items if rs.status in service.OPEN]
        reminder_links(app, run, open_views)
        header = json.loads(run.revision.header)
        lanes = [r["code"] for r in header.get("roles", [])]
        chart = flowchart.svg(lanes, steps, run.current_no, {rs.no for rs in items if rs.status == "done"},
                              app.role_title)
        return render("tracker/run.html", page_title=run.title, run=run, items=items, evidence=evidence,
                      signoffs=signoffs, open_views=open_views, chart=chart,
                      subject=app.plugins.first("balai_record_link", object_type=run.subject_type,
                                                object_id=run.subject_id),
                      now=now, can_cancel=run.status == "active" and user.can("tracker.cancel_run"),
                      can_assign=user.can("tracker.assign"), statuses=dict(statuses()),
                      history=audit.history("run", run.id), steps={s.no: s for s in steps})

    def act(run_id, fn, generic=True):
        run = get_run(run_id)
        no = web.form().get("no")
        no = int(no) if (no or "").isdigit() else run.current_no
        claimed = generic and no and current_app().plugins.first("balai_step_action", run=run, no=no)
        if claimed:
            # The plugin's own screen does this step (its records change with it).
            web.flash(_("Langkah ini dikerjakan di layar: {label}.", label=str(claimed[0])), "error")
            redirect(f"/runs/{run_id}")
        # A refusal rolls back everything of this action and is flashed on the run page.
        run_action(lambda: fn(run), f"/runs/{run_id}", refusals=(service.StepError,))

    def step_no():
        no = web.form().get("no")
        return int(no) if (no or "").isdigit() else None

    @router.post("/runs/<run_id:int>/complete", permission="tracker.tasks")
    def run_complete(run_id):
        app, f = current_app(), web.form()

        def do(run):
            files = []
            upload = bottle.request.files.get("evidence")
            if upload is not None and (upload.raw_filename or "").strip():
                files.append(service.store_upload(app, upload))
            links = []
            if (f.get("link_url") or "").strip():
                url = f["link_url"].strip()
                if not url.startswith(("/", "https://", "http://")):
                    raise service.StepError(_("Tautan bukti harus berupa alamat web atau alamat di aplikasi ini."))
                links.append(((f.get("link_label") or url).strip(), url))
            result = service.complete(run, web.user(), notes=f.get("notes", ""), branch=f.get("branch") or None,
                                      files=files, links=links, expect_no=f.get("no"), app=app)
            if result is not None and result.status in service.OPEN and str(result.no) == str(f.get("no")):
                web.flash(_("Tanda tangan Anda dicatat; langkah menunggu peran lain."), "info")
            else:
                web.flash(_("Langkah selesai dicatat."))
        return act(run_id, do)

    @router.post("/runs/<run_id:int>/return", permission="tracker.tasks")
    def run_return(run_id):
        f = web.form()

        def do(run):
            service.return_to(run, web.user(), f.get("to") or 0, f.get("reason", ""), app=current_app(), no=step_no())
            web.flash(_("Pekerjaan dikembalikan dengan alasan."), "info")
        return act(run_id, do)

    @router.post("/runs/<run_id:int>/pause", permission="tracker.tasks")
    def run_pause(run_id):
        f = web.form()
        return act(run_id, lambda run: (service.pause(run, web.user(), f.get("reason", ""), app=current_app(), no=step_no()),
                                        web.flash(_("Langkah ditunda."), "info")), generic=False)

    @router.post("/runs/<run_id:int>/resume", permission="tracker.tasks")
    def run_resume(run_id):
        return act(run_id, lambda run: (service.resume(run, web.user(), app=current_app(), no=step_no()),
                                        web.flash(_("Langkah dilanjutkan."))), generic=False)

    @router.post("/runs/<run_id:int>/skip", permission="tracker.tasks")
    def run_skip(run_id):
        f = web.form()
        return act(run_id, lambda run: (service.skip(run, web.user(), f.get("reason", ""), app=current_app(), no=step_no()),
                                        web.flash(_("Langkah dilewati."), "info")))

    @router.post("/runs/<run_id:int>/assign", permission="tracker.tasks")
    def run_assign(run_id):
        f = web.form()

        def do(run):
            user = web.user()
            target = f.get("user") or ""
            if target == "me":
                assignee = user
            elif target.isdigit():
                assignee = identity.User.get_or_none(identity.User.id == int(target))
                if assignee is None:
                    raise service.StepError(_("Pengguna tidak ditemukan."))
            else:
                assignee = None
            service.assign(run, step_no(), assignee, user, app=current_app())
            web.flash(_("Langkah ditugaskan kepada {name}.", name=str(assignee)) if assignee
                      else _("Penugasan dilepas; langkah kembali ke semua pemegang peran."), "info")
        return act(run_id, do, generic=False)

    @router.post("/runs/<run_id:int>/cancel", permission="tracker.cancel_run")
    def run_cancel(run_id):
        f = web.form()

        def do(run):
            service.cancel_run(run, web.user(), f.get("reason", ""), app=current_app())
            web.flash(_("Run dibatalkan."), "info")
        return act(run_id, do, generic=False)

    @router.get("/evidence/<ev_id:int>", permission="tracker.view")
    def evidence_file(ev_id):
        ev = Evidence.get_or_none(Evidence.id == ev_id)
        if ev is None or ev.kind != "file":
            raise web.NotFound()
        app = current_app()
        return bottle.static_file(ev.sha256, root=app.config["upload_dir"] + "/" + ev.sha256[:2],
                                  mimetype=ev.content_type, download=ev.filename)

    # ------------------------------------------------ acting officials (admin)
    def acting_page(values=None, errors=None, status=200):
        app = current_app()
        rows = list(Acting.select(Acting, identity.User).join(identity.User, on=(Acting.user == identity.User.id))
                    .order_by(Acting.date_from.desc(), Acting.id.desc()).limit(200))
        users = list(identity.User.select().where(identity.User.active == True).order_by(identity.User.full_name))  # noqa: E712
        staff = sorted((r for r in app.roles.values() if not r.external), key=lambda r: r.title)
        web.response.status = status
        return render("tracker/acting.html", page_title=_("Pejabat pelaksana (Plt./Plh.)"), rows=rows, users=users,
                      staff=staff, kinds=people.KINDS, values=values or {}, errors=errors or {},
                      today=datetime.date.today())

    @router.get("/admin/tracker/acting", permission="tracker.admin")
    def acting_list():
        return acting_page()

    @router.post("/admin/tracker/acting", permission="tracker.admin")
    def acting_add():
        app = current_app()
        return submit_form(acting_form(app)(), lambda data: add_acting(app, data, web.user()),
                           lambda values, errors: acting_page(values, errors, 422),
                           message=lambda row: _("{kind} {title}: {name}, {start} s.d. {end}.", kind=row.kind,
                                                 title=app.role_title(row.role), name=str(row.user),
                                                 start=format_date(row.date_from), end=format_date(row.date_to)),
                           to="/admin/tracker/acting")

    @router.post("/admin/tracker/acting/<acting_id:int>/delete", permission="tracker.admin")
    def acting_delete(acting_id):
        row = Acting.get_or_none(Acting.id == acting_id)
        if row is None:
            raise web.NotFound()
        run_action(lambda: audit.delete(row), "/admin/tracker/acting", _("Penunjukan dihapus."))
