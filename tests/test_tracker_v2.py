"""Issue 15: runs that tell the truth — endings, guards, anchored clocks, joint and parallel steps,
assignees and acting officials, tasks, reminders and escalation — driven through HTTP with the toy SOP TOY-2."""
import datetime
import re

from balai_toys import TOYS

from core import db, identity
from core.testing import count_queries, make_user
from core.tracker import jobs, people, service, tasks
from core.tracker.models import Run, RunStep, StepSignoff, Task


def run_id_of(res):
    return int(re.search(r"/runs/(\d+)", res.headers["Location"]).group(1))


def open_nos(run_id):
    with db.connection():
        return sorted(rs.no for rs in RunStep.select().where((RunStep.run == run_id) & RunStep.status.in_(service.OPEN)))


class Flow:
    """The toy plugin's hooks module (importable once an app loaded it from tests/toys)."""
    def __getattr__(self, name):
        import toy_flow.hooks
        return getattr(toy_flow.hooks, name)


flow = Flow()


def make(balai_app):
    app = balai_app("toy_flow", plugin_dirs=TOYS)
    flow.EVENT_DAY.clear()
    flow.BLOCKED.clear()
    return app


def test_cancel_needs_a_reason_and_the_permission_and_the_run_leaves_every_list(balai_app, balai_client):
    app = make(balai_app)
    officer = balai_client(app, "toy_officer")
    outsider = balai_client(app, "toy_chief")
    run_id = run_id_of(officer.post("/toy2/start/1"))
    assert f"/runs/{run_id}" in officer.get("/tasks").text
    # The SOP's owner roles hold tracker.cancel_run by default; a role the admin took it from does not.
    with db.connection(), db.write():
        identity.RolePermission.delete().where((identity.RolePermission.role == "toy_chief")
                                               & (identity.RolePermission.permission == "tracker.cancel_run")).execute()
    outsider.post(f"/runs/{run_id}/cancel", {"reason": "iseng"}, status=403)
    page = officer.follow(officer.post(f"/runs/{run_id}/cancel", {"reason": "  "}))
    assert "Alasan pembatalan wajib diisi." in page.text
    page = officer.follow(officer.post(f"/runs/{run_id}/cancel", {"reason": "Kegiatan dibatalkan mitra"}))
    assert "Run dibatalkan." in page.text and "Kegiatan dibatalkan mitra" in page.text
    with db.connection():
        run = Run.get_by_id(run_id)
        assert (run.status, run.end_reason, run.current_no) == ("cancelled", "Kegiatan dibatalkan mitra", None)
        assert [rs.status for rs in RunStep.select().where(RunStep.run == run_id)] == ["stopped"]
    assert f"/runs/{run_id}" not in officer.get("/tasks").text
    res = officer.follow(officer.post(f"/runs/{run_id}/complete", {"no": "1", "branch": "Lolos"}))
    assert "Run ini sudah dibatalkan: Kegiatan dibatalkan mitra" in res.text
    # Reported apart: neither finished on time nor late, not overdue.
    report = officer.get("/compliance?code=TOY-2").text
    assert "Dibatalkan" in report
    with db.connection():
        row = next(r for r in service.compliance("TOY-2") if r["no"] == 1)
        assert (row["finished"], row["on_time"], row["late"], row["overdue"], row["stopped"]) == (0, 0, 0, 0, 1)
        assert service.run_outcomes("TOY-2")["TOY-2"]["cancelled"] == 1


def test_a_decision_can_end_the_run(balai_app, balai_client):
    app = make(balai_app)
    officer = balai_client(app, "toy_officer")
    run_id = run_id_of(officer.post("/toy2/start/2"))
    page = officer.get(f"/runs/{run_id}").text
    assert "Tidak lolos → run selesai" in page
    officer.post(f"/runs/{run_id}/complete", {"no": "1", "branch": "Tidak lolos"})
    with db.connection():
        run = Run.get_by_id(run_id)
        assert run.status == "ended" and "Tidak lolos" in run.end_reason
    assert f"/runs/{run_id}" not in officer.get("/tasks").text
    assert "berakhir" in officer.get(f"/runs/{run_id}").text
    with db.connection():
        assert service.run_outcomes("TOY-2")["TOY-2"]["ended"] == 1


def walk_to_step5(officer, finance, run_id):
    officer.post(f"/runs/{run_id}/complete", {"no": "1", "branch": "Lolos"})
    officer.post(f"/runs/{run_id}/complete", {"no": "2"})
    assert open_nos(run_id) == [3, 4]                          # the fork opened both
    assert f"/runs/{run_id}" in finance.get("/tasks").text      # each in its own role's inbox
    officer.post(f"/runs/{run_id}/complete", {"no": "4"})
    assert open_nos(run_id) == [3]                             # the join waits for the other branch
    finance.post(f"/runs/{run_id}/complete", {"no": "3"})
    assert open_nos(run_id) == [5]


def test_fork_join_anchor_guard_and_joint_sign_off(balai_app, balai_client):
    app = make(balai_app)
    officer, finance = balai_client(app, "toy_officer"), balai_client(app, "toy_finance")
    chief, director = balai_client(app, "toy_chief"), balai_client(app, "toy_director")
    event_day = datetime.date.today() + datetime.timedelta(days=10)
    flow.EVENT_DAY["3"] = event_day
    run_id = run_id_of(officer.post("/toy2/start/3"))
    walk_to_step5(officer, finance, run_id)

    # Anchored: the clock counts from the event day (1 hari after it), scheduled until then, not late.
    with db.connection():
        rs = RunStep.get((RunStep.run == run_id) & (RunStep.no == 5))
        cal = service.calendar_for(app)
        from core.tracker.base import moment_utc
        start = moment_utc(app, event_day)
        assert rs.starts_at == start
        assert rs.due_at == service.naive(cal.due(service.aware(start), "1 hari"))
    page = officer.get(f"/runs/{run_id}").text
    assert "terjadwal" in page and "mulai " + event_day.strftime("%-d ") in page
    # The run page says why the step cannot be completed, before anyone clicks; the service refuses it too.
    assert "Belum dapat diselesaikan" in page and "belum dapat diselesaikan sebelum itu" in page
    res = officer.follow(officer.post(f"/runs/{run_id}/complete", {"no": "5"}))
    assert "belum dapat diselesaikan sebelum itu" in res.text
    assert open_nos(run_id) == [5]
    # The event has happened, but a plugin condition still fails.
    flow.EVENT_DAY["3"] = datetime.date.today() - datetime.timedelta(days=1)
    flow.BLOCKED[("3", 5)] = [(False, "Presensi hari ke-2 belum dicatat."), (True, "tidak tampil")]
    page = officer.get(f"/runs/{run_id}").text
    assert "Presensi hari ke-2 belum dicatat." in page and "tidak tampil" not in page
    assert "sebelum itu" not in page
    res = officer.follow(officer.post(f"/runs/{run_id}/complete", {"no": "5"}))
    assert "Presensi hari ke-2 belum dicatat." in res.text
    flow.BLOCKED.clear()
    officer.post(f"/runs/{run_id}/complete", {"no": "5"})
    assert open_nos(run_id) == [6]

    # Joint step: both roles sign; the page and the inbox show who signed and who is pending.
    assert f"/runs/{run_id}" in chief.get("/tasks").text and f"/runs/{run_id}" in director.get("/tasks").text
    res = chief.follow(chief.post(f"/runs/{run_id}/complete", {"no": "6"}))
    assert "menunggu peran lain" in res.text
    assert open_nos(run_id) == [6]
    assert f"/runs/{run_id}" not in chief.get("/tasks").text        # signed: no longer waiting for the chief
    inbox = director.get("/tasks").text
    assert f"/runs/{run_id}" in inbox and "Sudah tanda tangan: Kepala Seksi" in inbox
    page = director.get(f"/runs/{run_id}").text
    assert re.search(r"Kepala Seksi: <span class=\"tag ok\">sudah</span>", page)
    assert re.search(r"Kepala Balai: <span class=\"tag\">menunggu</span>", page)
    assert "Anda sudah menandatangani langkah ini; menunggu peran lain." in chief.get(f"/runs/{run_id}").text
    res = chief.follow(chief.post(f"/runs/{run_id}/complete", {"no": "6"}))
    assert "Anda sudah menandatangani langkah ini; menunggu: Kepala Balai." in res.text
    director.post(f"/runs/{run_id}/complete", {"no": "6"})
    with db.connection():
        assert Run.get_by_id(run_id).status == "completed"
        assert sorted(s.role for s in StepSignoff.select()) == ["toy_chief", "toy_director"]


def test_acting_official_signs_as_plt_and_sees_the_inbox(balai_app, balai_client):
    app = make(balai_app)
    admin = balai_client(app, "admin")
    officer, finance, chief = balai_client(app, "toy_officer"), balai_client(app, "toy_finance"), balai_client(app, "toy_chief")
    deputy = make_user(app, "wakil", ["toy_chief"], full_name="Wakil Kepala")
    flow.EVENT_DAY["4"] = datetime.date.today() - datetime.timedelta(days=1)
    run_id = run_id_of(officer.post("/toy2/start/4"))
    walk_to_step5(officer, finance, run_id)
    officer.post(f"/runs/{run_id}/complete", {"no": "5"})
    chief.post(f"/runs/{run_id}/complete", {"no": "6"})
    deputy_client = balai_client(app, user=deputy)
    assert f"/runs/{run_id}" not in deputy_client.get("/tasks").text     # signed already as the chief

    today = datetime.date.today()
    bad = admin.post("/admin/tracker/acting", {"user": str(deputy.id), "role": "toy_director", "kind": "Plt.",
                                               "date_from": today.isoformat(), "date_to": "kemarin"}, status=422)
    assert "Tanggal tidak valid" in bad.text
    admin.post("/admin/tracker/acting", {"user": str(deputy.id), "role": "toy_director", "kind": "Plt.",
                                         "date_from": today.isoformat(),
                                         "date_to": (today + datetime.timedelta(days=7)).isoformat(),
                                         "note": "ST-12/2026"})
    listing = admin.get("/admin/tracker/acting").text
    assert "Plt. Kepala Balai" in listing and "Wakil Kepala" in listing
    # Acting, the deputy sees the director's pending signature and signs it.
    assert f"/runs/{run_id}" in deputy_client.get("/tasks").text
    deputy_client.post(f"/runs/{run_id}/complete", {"no": "6"})
    with db.connection():
        assert Run.get_by_id(run_id).status == "completed"
        so = StepSignoff.get(StepSignoff.role == "toy_director")
        assert (so.user_id, so.acting) == (deputy.id, "Plt.")
        assert people.signer_title(deputy, "toy_director", today, app=app) == "Plt. Kepala Balai"
        assert people.signer_title(deputy, "toy_director", today + datetime.timedelta(days=30), app=app) == "Kepala Balai"
        assert people.signer_title(deputy, "toy_chief", today, app=app) == "Kepala Seksi"
        assert "toy_director" in people.roles_on(identity.User.get_by_id(deputy.id), today)
        from core.documents.signer import signer_block         # what documents print under a signature
        assert signer_block(identity.User.get_by_id(deputy.id), "toy_director", today, app=app)["title"] == \
            "Plt. Kepala Balai"
    assert "Plt. Kepala Balai: Wakil Kepala" in officer.get(f"/runs/{run_id}").text
    from core.audit import AuditLog
    with db.connection():
        assert AuditLog.select().where(AuditLog.object_type == "acting").exists()


def test_assign_claim_and_reassign(balai_app, balai_client):
    app = make(balai_app)
    ana = make_user(app, "ana", ["toy_officer"], full_name="Ana")
    budi = make_user(app, "budi", ["toy_officer"], full_name="Budi")
    cici = make_user(app, "cici", ["toy_finance"], full_name="Cici")
    a, b = balai_client(app, user=ana), balai_client(app, user=budi)
    run_id = run_id_of(a.post("/toy2/start/5"))
    res = b.follow(b.post(f"/runs/{run_id}/assign", {"no": "1", "user": "me"}))
    assert "Langkah ditugaskan kepada Budi." in res.text
    assert f"/runs/{run_id}" not in a.get("/tasks").text and f"/runs/{run_id}" in b.get("/tasks").text
    res = a.follow(a.post(f"/runs/{run_id}/complete", {"no": "1", "branch": "Lolos"}))
    assert "Langkah 1 ditugaskan kepada Budi." in res.text
    # Giving a step to someone else needs tracker.assign (the SOP's owners have it) and a holder of its role.
    res = b.follow(b.post(f"/runs/{run_id}/assign", {"no": "1", "user": str(cici.id)}))
    assert "Cici tidak memegang peran pelaksana langkah 1." in res.text
    b.post(f"/runs/{run_id}/assign", {"no": "1", "user": str(ana.id)})
    assert f"/runs/{run_id}" in a.get("/tasks").text
    assert "Tugas baru: langkah 1" in a.get("/notifications").text
    a.post(f"/runs/{run_id}/complete", {"no": "1", "branch": "Lolos"})
    assert open_nos(run_id) == [2]


def test_tasks_reach_tugas_saya_with_a_count_notice_reminder_and_escalation(balai_app, balai_client):
    app = make(balai_app)
    director = make_user(app, "kepala", ["toy_director"], full_name="Kepala Balai", language="en")
    head = balai_client(app, user=director)
    officer, finance = balai_client(app, "toy_officer"), balai_client(app, "toy_finance")
    due = db.utcnow() + datetime.timedelta(hours=1)
    with db.connection():
        tasks.open("rab:7", "Setujui RAB Angkatan 7", "/toy2/rab/7", role="toy_director", source=("toy_rab", 7),
                   due=due, app=app)
        tasks.open("rab:7", "Setujui RAB Angkatan 7", "/toy2/rab/7", role="toy_director", app=app)   # idempotent
        assert Task.select().count() == 1
    page = head.get("/tasks").text
    assert "Setujui RAB Angkatan 7" in page and 'href="/toy2/rab/7"' in page
    assert re.search(r'href="/tasks"[^>]*>[^<]*<span class="badge"[^>]*>1</span>', page)
    notes = head.get("/notifications").text
    assert "New task: Setujui RAB Angkatan 7" in notes or "Tugas baru: Setujui RAB Angkatan 7" in notes
    # A reminder before the due time, in the recipient's language and the institution's time zone (WIB).
    with db.connection():
        jobs.remind(app, db.utcnow())
    local = (due + datetime.timedelta(hours=7)).strftime("%H.%M")
    assert local in head.get("/notifications").text
    with db.connection():
        assert tasks.close(source=("toy_rab", 7)) == 1
    assert "Setujui RAB Angkatan 7" not in head.get("/tasks").text

    # Escalation: step 5 overdue by more than its SOP's 1 working day reaches the director.
    flow.EVENT_DAY["6"] = datetime.date.today() - datetime.timedelta(days=30)
    run_id = run_id_of(officer.post("/toy2/start/6"))
    walk_to_step5(officer, finance, run_id)
    with db.connection():
        # Pretend it fell due ten days ago.
        RunStep.update(due_at=db.utcnow() - datetime.timedelta(days=10)).where(
            (RunStep.run == run_id) & (RunStep.no == 5)).execute()
        jobs.remind(app, db.utcnow())
        jobs.remind(app, db.utcnow())
    text = head.get("/notifications").text
    assert text.count("Escalation: step 5") + text.count("Eskalasi: langkah 5") == 1


def test_inbox_and_compliance_stay_constant_with_forks_and_signatures(balai_app, balai_client):
    app = make(balai_app)
    officer = balai_client(app, "toy_officer", "toy_finance", "toy_chief", "toy_director")

    def grow(n, start):
        for i in range(start, start + n):
            flow.EVENT_DAY[str(i)] = datetime.date.today() - datetime.timedelta(days=2)
            run_id = run_id_of(officer.post(f"/toy2/start/{i}"))
            for no in ("1", "2", "3", "4", "5"):
                officer.post(f"/runs/{run_id}/complete", {"no": no, "branch": "Lolos"})
            with db.connection():
                tasks.open(f"t:{i}", f"Paraf {i}", "/", role="toy_chief", app=app)
    grow(2, 100)
    pages = ("/tasks", "/compliance", "/runs", "/runs/1")
    small = {p: count_queries(lambda: officer.get(p)) for p in pages}   # noqa: B023 (called at once)
    grow(6, 200)
    large = {p: count_queries(lambda: officer.get(p)) for p in pages}   # noqa: B023 (called at once)
    assert small == large


def test_whatsapp_links_are_one_helper():
    from core.whatsapp import wa_link
    assert wa_link("0812-3456-7890", "Halo & salam") == "https://wa.me/6281234567890?text=Halo%20%26%20salam"
    assert wa_link("+62 812 3456 7890") == "https://wa.me/6281234567890"
    assert wa_link("12345") == ""
    import plugins.tracer_survey.service as tracer
    assert not hasattr(tracer, "wa_link")


def test_done_dates_cannot_be_in_the_future():
    from core import forms

    class Done(forms.Schema):
        day = forms.PastDate(label="Tanggal selesai")
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    assert forms.validate(Done(), {"day": tomorrow.isoformat()})[1] == {
        "day": "Tanggal tidak boleh di masa depan: yang dicatat sudah terjadi."}
    assert forms.validate(Done(), {"day": datetime.date.today().isoformat()})[1] == {}


def test_subject_workflow_helper(balai_app, balai_client):
    from core.tracker.subject import Workflow
    app = make(balai_app)
    officer = make_user(app, "petugas", ["toy_officer"])
    flow_ = Workflow("TOY-2", "toy_event")
    with db.connection():
        a = flow_.start(10, "Kegiatan 10", app=app)
        b = flow_.start(11, "Kegiatan 11", app=app)
        assert flow_.run_of(10).id == a.id and flow_.at_step(10, 1) and flow_.at_step(10, 2) is None
        try:
            flow_.require_step(10, 3)
            raise AssertionError("refusal expected")
        except service.StepError as exc:
            assert "langkah yang terbuka adalah 1" in str(exc)
        flow_.complete(10, 1, officer, branch="Lolos", app=app)
        flow_.complete(10, 2, rule="rapat sudah dijadwalkan", app=app)      # by rule, no actor
        assert sorted(flow_.open_nos(10)) == [3, 4]
        assert [(s, r.id) for s, r in flow_.runs_at([10, 11], 1)] == [(11, b.id)]
        assert [(s, r.id) for s, r in flow_.runs_at([10, 11], 4)] == [(10, a.id)]
        assert set(flow_.runs([10, 11])) == {10, 11}
        assert flow_.stop(11, "Kegiatan dibatalkan") == 1
        assert flow_.run_of(11).status == "cancelled"
        step2 = RunStep.get((RunStep.run == a.id) & (RunStep.no == 2))
        assert step2.completed_by_id is None and "rapat sudah dijadwalkan" in step2.notes


def test_a_step_due_at_its_anchor(balai_app):
    """``due_at_anchor``: the activity happens before the moment the step records (a training before
    its last day): due at the end of the anchor's local day, whatever the time standard; without it
    the standard counts from the anchor. The SOP check refuses the key without an anchor."""
    import types

    from core.tracker import runs, sop
    from core.tracker.base import moment_utc
    app = make(balai_app)
    cal = service.calendar_for(app)
    last_day = datetime.date(2026, 12, 18)                                   # a Friday
    anchor = moment_utc(app, last_day)
    standard = service.standard_for(types.SimpleNamespace(time="160 jam"), {})
    at_anchor = types.SimpleNamespace(anchor="akhir", due_at_anchor=True)
    counted = types.SimpleNamespace(anchor="akhir", due_at_anchor=False)
    opened = anchor - datetime.timedelta(days=20)
    due = runs._due(cal, at_anchor, standard, opened, anchor)
    assert service.aware(due).astimezone(cal.tz) == datetime.datetime(2026, 12, 19, tzinfo=cal.tz)
    assert runs._due(cal, counted, standard, opened, anchor) > due + datetime.timedelta(days=14)
    assert runs._due(cal, at_anchor, standard, opened, None) is None            # the moment is not known yet
    late_turn = anchor + datetime.timedelta(days=3, hours=2)                    # opened after that day: its own day
    assert service.aware(runs._due(cal, at_anchor, standard, late_turn, anchor)).astimezone(cal.tz) == \
        datetime.datetime(2026, 12, 22, tzinfo=cal.tz)
    problems = sop.run_side_problems("X", {"no": 1, "due_at_anchor": True}, {1}, set())
    assert problems == ["SOP X step 1: due_at_anchor needs an anchor (the moment the step records)"]
