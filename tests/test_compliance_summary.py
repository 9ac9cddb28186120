"""Issue 21: the compliance report reads a summary kept at each step transition;
the summary always equals a recomputation from run_step, and the report gives
the figures a direct reading of run_step gives."""
import datetime
import re

from balai_toys import TOYS

from core import db
from core.tracker import report
from core.tracker.models import RunStep


def run_id_of(res):
    return int(re.search(r"/runs/(\d+)", res.headers["Location"]).group(1))


def assert_summary_is_fresh():
    with db.connection():
        stored, fresh = report.stored(db.database.obj), report.recompute(db.database.obj)
    for table in fresh:
        assert stored[table] == fresh[table], table


def direct_figures(code):
    """Per step, from run_step itself: (activations, finished, on time, late, open overdue, stopped)."""
    now = db.utcnow()
    out = {}
    with db.connection():
        for rs in RunStep.select().where(RunStep.code == code):
            if rs.status not in report.STATUSES:
                continue
            row = out.setdefault(rs.no, [0, 0, 0, 0, 0, 0])
            row[0] += 1
            if rs.status in report.FINISHED:
                row[1] += 1
                row[2] += rs.on_time is True
                row[3] += rs.on_time is False
            if rs.status in report.OPEN and rs.due_at is not None and rs.due_at < now:
                row[4] += 1
            row[5] += rs.status == "stopped"
    return {no: tuple(v) for no, v in out.items()}


def test_summary_follows_every_transition_and_matches_run_step(balai_app, balai_client):
    app = balai_app("toy_base", plugin_dirs=TOYS)
    clerk = balai_client(app, "toy_clerk")
    head = balai_client(app, "toy_head")
    runs = [run_id_of(clerk.post(f"/toy/start/{i}")) for i in range(1, 4)]
    assert_summary_is_fresh()
    for run_id in runs:
        clerk.post(f"/runs/{run_id}/complete", {"no": "1", "branch": "Daftar"})
    assert_summary_is_fresh()
    first = runs[0]
    clerk.post(f"/runs/{first}/complete", {"no": "2"})
    head.post(f"/runs/{first}/return", {"to": "2", "reason": "belum lengkap"})      # returned: finished, counted
    clerk.post(f"/runs/{first}/pause", {"reason": "menunggu"})
    clerk.post(f"/runs/{first}/resume", {})
    clerk.post(f"/runs/{first}/complete", {"no": "2"})
    head.post(f"/runs/{first}/complete", {"no": "4"})
    clerk.post(f"/runs/{first}/skip", {"reason": "arsip digital"})
    assert_summary_is_fresh()
    # Written outside the service too (a demo back-dates steps): an open step three days
    # late and a finished one moved to another day, with minutes in the histogram.
    with db.connection(), db.write():
        late = RunStep.select().where((RunStep.run == runs[1]) & (RunStep.status == "ready")).get()
        RunStep.update(ready_at=late.ready_at - datetime.timedelta(days=5),
                       due_at=late.ready_at - datetime.timedelta(days=3)).where(RunStep.id == late.id).execute()
        done = RunStep.select().where((RunStep.run == runs[2]) & (RunStep.status == "done")).get()
        RunStep.update(ready_at=done.ready_at - datetime.timedelta(days=2), elapsed_minutes=700,
                       on_time=False).where(RunStep.id == done.id).execute()
    assert_summary_is_fresh()
    # A run cancelled while a step was open: that step is stopped (neither on time nor late).
    with db.connection(), db.write():
        RunStep.update(status="stopped").where((RunStep.run == runs[2]) & (RunStep.status == "ready")).execute()
    assert_summary_is_fresh()

    # The report shows what run_step says, overdue and stopped included.
    with db.connection():
        rows = {r["no"]: r for r in report.compliance("TOY-1", datetime.date.today() - datetime.timedelta(days=30),
                                                     datetime.date.today())}
    expected = direct_figures("TOY-1")
    assert {no: (r["total"], r["finished"], r["on_time"], r["late"], r["overdue"], r["stopped"])
            for no, r in rows.items()} == expected
    assert sum(r["stopped"] for r in rows.values()) == 1
    assert expected[2][4] == 1                       # the back-dated open step is overdue
    assert rows[1]["late"] == 1 and rows[1]["median"] is not None

    # A run deleted (cascade): its steps leave the counts.
    with db.connection(), db.write():
        RunStep.delete().where(RunStep.run == runs[2]).execute()
    assert_summary_is_fresh()


def test_median_from_the_histogram():
    assert report.median_of([]) is None
    assert report.median_of([(5, 1)]) == 5
    assert report.median_of([(5, 1), (7, 1)]) == 6                 # even count: mean of the middle two
    assert report.median_of([(3, 2), (9, 1)]) == 3
    assert report.median_of([(1, 1), (2, 1), (40, 5)]) == 40


def test_run_outcomes_follow_every_run_change(balai_app, balai_client):
    """The run counts (active / completed / ended / cancelled) come from run_outcome_day, kept by
    triggers on run: after starts, a cancellation, a back-dated start and a deletion they equal a
    count of the run table, for the whole range and for a period that leaves the back-dated run out."""
    from core.tracker import service
    from core.tracker.models import Run
    app = balai_app("toy_base", plugin_dirs=TOYS)
    clerk = balai_client(app, "toy_clerk")
    runs = [run_id_of(clerk.post(f"/toy/start/{i}")) for i in range(1, 5)]
    with db.connection(), db.write():
        service.cancel_run(Run.get_by_id(runs[0]), None, "salah input", rule="uji")
        service.end_run(Run.get_by_id(runs[2]), None, "peserta mundur", rule="uji")
        Run.update(started_at=Run.get_by_id(runs[1]).started_at - datetime.timedelta(days=40)).where(
            Run.id == runs[1]).execute()
        Run.delete().where(Run.id == runs[3]).execute()
    assert_summary_is_fresh()
    today = datetime.date.today()
    with db.connection():
        statuses = {r.id: r.status for r in Run.select()}
        assert report.run_outcomes("TOY-1") == {"TOY-1": {"active": 1, "completed": 0, "ended": 1, "cancelled": 1}}
        assert statuses[runs[0]] == "cancelled" and runs[3] not in statuses
        recent = report.run_outcomes("TOY-1", today - datetime.timedelta(days=30), today)
    assert recent == {"TOY-1": {"active": 0, "completed": 0, "ended": 1, "cancelled": 1}}
