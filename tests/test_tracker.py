"""Issue 4: the step tracker driven through HTTP with the toy SOP (branch, return, pause, evidence)."""
import datetime
import re

from balai_toys import TOYS

from core import db
from core.tracker import service
from core.tracker.models import Evidence, Run, RunStep, SopRevision

PDF = b"%PDF-1.4\n% bukti\n"


def run_id_of(res):
    return int(re.search(r"/runs/(\d+)", res.headers["Location"]).group(1))


def test_a_run_from_start_to_end(balai_app, balai_client):
    app = balai_app("toy_base", plugin_dirs=TOYS)
    clerk = balai_client(app, "toy_clerk")
    head = balai_client(app, "toy_head")
    run_id = run_id_of(clerk.post("/toy/start/7"))

    # Inbox: the clerk sees step 1, the head does not.
    assert f"/runs/{run_id}" in clerk.get("/tasks").text
    assert f"/runs/{run_id}" not in head.get("/tasks").text

    # Step 1 is a decision: a branch must be chosen.
    res = clerk.follow(clerk.post(f"/runs/{run_id}/complete", {"no": "1"}))
    assert "Pilih salah satu keputusan: Daftar / Kerja sama." in res.text
    clerk.post(f"/runs/{run_id}/complete", {"no": "1", "branch": "Daftar", "notes": "mau daftar"})
    # Step 2 with evidence: a file (stored by sha256) and a link to a record.
    res = clerk.post(f"/runs/{run_id}/complete", {"no": "2", "link_url": "/toy/gadgets/7", "link_label": "Gadget 7"},
                     upload_files=[("evidence", "bukti.pdf", PDF)])
    assert res.status_int == 303
    # The head may not do a clerk's step, and a clerk may not approve.
    page = clerk.follow(clerk.post(f"/runs/{run_id}/complete", {"no": "4"}))
    assert "Langkah 4 hanya dapat dikerjakan oleh: Kepala Mainan." in page.text
    # Step 4 is an approval: returned to step 2 with a reason.
    res = head.follow(head.post(f"/runs/{run_id}/return", {"to": "2", "reason": ""}))
    assert "Alasan pengembalian wajib diisi." in res.text
    head.post(f"/runs/{run_id}/return", {"to": "2", "reason": "Data pendaftaran belum lengkap"})
    # Step 2 again: paused while waiting for the guest, resumed, completed.
    clerk.post(f"/runs/{run_id}/pause", {"reason": "menunggu fotokopi KTP"})
    res = clerk.follow(clerk.post(f"/runs/{run_id}/complete", {"no": "2"}))
    assert "sedang ditunda" in res.text
    clerk.post(f"/runs/{run_id}/resume", {})
    clerk.post(f"/runs/{run_id}/complete", {"no": "2", "notes": "lengkap"})
    head.post(f"/runs/{run_id}/complete", {"no": "4"})
    clerk.post(f"/runs/{run_id}/skip", {"reason": "arsip digital sudah ada"})

    with db.connection():
        run = Run.get_by_id(run_id)
        assert run.status == "completed" and run.completed_at is not None
        steps = [(rs.no, rs.status, rs.branch) for rs in RunStep.select().where(RunStep.run == run_id).order_by(RunStep.id)]
        assert steps == [(1, "done", "Daftar"), (2, "done", ""), (4, "returned", ""), (2, "done", ""),
                         (4, "done", ""), (5, "skipped", "")]
        ev = list(Evidence.select().order_by(Evidence.id))
        assert [(e.kind, e.filename or e.label) for e in ev] == [("file", "bukti.pdf"), ("link", "Gadget 7")]
        assert ev[0].size == len(PDF) and len(ev[0].sha256) == 64
        second = RunStep.select().where((RunStep.run == run_id) & (RunStep.no == 2)).order_by(RunStep.id.desc()).first()
        assert second.reason == "menunggu fotokopi KTP" and second.on_time is True

    page = clerk.get(f"/runs/{run_id}").text
    for text in ["Data pendaftaran belum lengkap", "bukti.pdf", "Gadget 7", "dikembalikan", "dilewati", "tepat waktu"]:
        assert text in page, text
    assert clerk.get("/evidence/1").body == PDF

    report = clerk.get("/compliance?code=TOY-1").text
    rows = {int(m[0]): m[1:] for m in re.findall(
        r"<tr><td><a href=\"/sop/TOY-1\">TOY-1</a></td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>", report)}
    # step: (activations, finished, on time, late)
    assert rows[2] == ("2", "2", "2", "0")
    assert rows[4] == ("2", "2", "2", "0")
    csv = clerk.get("/compliance?code=TOY-1&format=csv").text
    assert "TOY-1,2,2,2,2,0,0,100.0" in csv


def test_due_times_use_working_days_and_overdue_shows(balai_app, balai_client):
    app = balai_app("toy_base", plugin_dirs=TOYS)
    clerk = balai_client(app, "toy_clerk")
    run_id = run_id_of(clerk.post("/toy/start/1"))
    clerk.post(f"/runs/{run_id}/complete", {"no": "1", "branch": "Daftar"})
    with db.connection():
        rs = RunStep.select().where((RunStep.run == run_id) & (RunStep.no == 2)).get()
        # Pretend step 2 ("1 hari") became ready on Tue 17 March 2026 10:00 WIB.
        ready = datetime.datetime(2026, 3, 17, 3, 0)
        cal = service.calendar_for(app)
        due = service.naive(cal.due(service.aware(ready), service.standard_for(rs.step, {})))
        assert due == datetime.datetime(2026, 3, 25, 9, 0)     # 25 March 16:00 WIB: holidays 18–24 skipped
        RunStep.update(ready_at=ready, due_at=due).where(RunStep.id == rs.id).execute()
    tasks = clerk.get("/tasks").text
    assert "terlambat" in tasks
    from core.tracker import jobs
    with db.connection():
        assert jobs.remind(app, db.utcnow()) == 1
        assert jobs.remind(app, db.utcnow()) == 0           # once only
    assert "Terlambat: langkah 2" in clerk.get("/notifications").text


def test_revision_published_runs_keep_their_own(balai_app, balai_client):
    app = balai_app("toy_base", plugin_dirs=TOYS)
    admin = balai_client(app, "admin")
    clerk = balai_client(app, "toy_clerk")
    old_run = run_id_of(clerk.post("/toy/start/1"))
    res = admin.post("/admin/sop/TOY-1/draft", {"revision": "2-BPVP"})
    draft_url = res.headers["Location"]
    with db.connection():
        draft = SopRevision.get(SopRevision.revision == "2-BPVP")
    # The revision editor (core/tracker/routes_revisions.py): an unreadable time standard blocks publishing.
    form = admin.get(draft_url).forms["revision-form"]
    form["step-0-time"], form["effective_from"] = "lima menit", datetime.date.today().isoformat()
    bad = form.submit("publish", value="1", status=422)
    assert "Langkah 1: standar waktu &#39;lima menit&#39; tidak terbaca" in bad.text
    form = admin.get(draft_url).forms["revision-form"]
    form["step-0-time"], form["step-1-time"] = "10 menit", "2 hari"
    form.set("step-1-roles", False, index=0)       # step 2: the head instead of the clerk
    form.set("step-1-roles", True, index=1)
    form["approver-name"], form["approver-nip"] = "Dra. Hj. Kepala", "196801011990032001"
    form["effective_from"] = datetime.date.today().isoformat()
    form.submit("publish", value="1", status=303)
    new_run = run_id_of(clerk.post("/toy/start/2"))
    with db.connection():
        assert Run.get_by_id(old_run).revision_id != Run.get_by_id(new_run).revision_id
        assert Run.get_by_id(new_run).revision_id == draft.id
        rs = RunStep.select().where(RunStep.run == new_run).get()
        assert rs.step.time == "10 menit"
    # A published revision never changes.
    res = admin.follow(admin.post(draft_url, {"step_count": "1", "step-0-no": "1", "step-0-time": "99 menit"}))
    assert "tidak dapat diubah" in res.text
    assert "Dra. Hj. Kepala" in clerk.get("/sop/TOY-1").text


def test_sop_page_in_sop_ap_format(balai_app, balai_client):
    app = balai_app("toy_base", plugin_dirs=TOYS)
    clerk = balai_client(app, "toy_clerk")
    run_id = run_id_of(clerk.post("/toy/start/1"))
    page = clerk.get(f"/sop/TOY-1?run={run_id}").text
    for text in ["Nomor SOP", "TOY/1", "Dasar Hukum", "Pelaksana", "Mutu Baku", "Kelengkapan", "Petugas Mainan",
                 "<svg", "<polygon", 'rx="15"', "fc-current", "marker-end"]:
        assert text in page, text


def test_inbox_and_compliance_queries_do_not_grow_with_runs(balai_app, balai_client):
    from core.testing import count_queries
    app = balai_app("toy_base", plugin_dirs=TOYS)
    clerk = balai_client(app, "toy_clerk")

    def make_runs(n):
        with db.connection():
            for i in range(n):
                service.start_run("TOY-1", "toy_gadget", i, f"Gadget {i}")

    make_runs(3)
    small = {url: count_queries(lambda: clerk.get(url)) for url in ("/tasks", "/compliance", "/runs")}  # noqa: B023
    make_runs(60)
    large = {url: count_queries(lambda: clerk.get(url)) for url in ("/tasks", "/compliance", "/runs")}  # noqa: B023
    assert small == large


def test_a_step_claimed_by_a_plugin_is_done_on_its_screen(balai_app, balai_client):
    """A plugin's balai_step_action sends the user to its screen; the generic actions refuse."""
    from core.hookspecs import hookimpl

    class Claim:
        @hookimpl
        def balai_step_action(run, no):
            return ("Kerjakan di halaman gadget", f"/toy/gadgets/{run.subject_id}") if no == 2 else None

    app = balai_app("toy_base", plugin_dirs=TOYS)
    app.plugins.pm.register(Claim, name="claim")
    try:
        clerk = balai_client(app, "toy_clerk")
        run_id = run_id_of(clerk.post("/toy/start/5"))
        clerk.post(f"/runs/{run_id}/complete", {"no": "1", "branch": "Daftar"})        # step 1: generic
        page = clerk.get(f"/runs/{run_id}").text
        assert 'href="/toy/gadgets/5">Kerjakan di halaman gadget</a>' in page
        assert f'action="/runs/{run_id}/complete"' not in page
        res = clerk.follow(clerk.post(f"/runs/{run_id}/complete", {"no": "2"}))
        assert "Langkah ini dikerjakan di layar: Kerjakan di halaman gadget." in res.text
        with db.connection():
            assert Run.get_by_id(run_id).current_no == 2
    finally:
        app.plugins.pm.unregister(name="claim")


def test_the_reminder_job_costs_the_same_for_two_or_six_overdue_steps(balai_app, balai_client):
    """``jobs.remind`` sends every notice of a pass with one ``notify_many``: its statements do not grow with
    the number of overdue steps (each step's reminder is still one notice per holder)."""
    from core.testing import count_queries
    from core.tracker import jobs
    from core.tracker.models import Notification
    app = balai_app("toy_base", plugin_dirs=TOYS)
    clerk = balai_client(app, "toy_clerk")

    def overdue_runs(n):
        for _i in range(n):
            run_id = run_id_of(clerk.post("/toy/start/1"))
            clerk.post(f"/runs/{run_id}/complete", {"no": "1", "branch": "Daftar"})
        with db.connection(), db.write():
            RunStep.update(due_at=db.utcnow() - datetime.timedelta(days=1)).where(
                (RunStep.no == 2) & RunStep.due_at.is_null(False)).execute()

    def remind():
        with db.connection():
            return jobs.remind(app, db.utcnow())
    overdue_runs(2)
    two = count_queries(remind)
    overdue_runs(4)
    with db.connection():
        sent = Notification.select().where(Notification.key.startswith("overdue:")).count()
        assert sent == 2                            # the first pass told of the first two
    six = count_queries(remind)
    with db.connection():
        assert Notification.select().where(Notification.key.startswith("overdue:")).count() == 6
    assert six == two, (two, six)
