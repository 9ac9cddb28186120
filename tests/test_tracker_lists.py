"""The toolkit's tracker services that replace plugins' raw queries on Run / RunStep (issue 25):
the runs of a page of records, a step's deadline beside each record, overdue runs, the demo
clock — and the raw models kept one version with a DeprecationWarning."""
import datetime
import warnings

from balai_toys import TOYS

from core import db
from core.context import SYSTEM, set_actor
from core.testing import count_queries
from core.toolkit import tracker
from core.tracker.models import Run, RunStep


def start(app, subject_id, code="TOY-2"):
    with db.write():
        return tracker.start_run(code, "toy_event", subject_id, f"Kegiatan {subject_id}", app=app)


def test_runs_of_a_page_of_records_latest_run_any_or_one_sop_one_query(balai_app):
    """runs_of: each record's latest run (of any SOP, or of one), in one query; Workflow.runs agrees."""
    app = balai_app("toy_base", "toy_flow", plugin_dirs=TOYS)
    with db.connection():
        set_actor(SYSTEM)
        first, other = start(app, 1), start(app, 2)
        second = start(app, 1)                    # a later run of record 1: the one shown
        gadget = start(app, 1, code="TOY-1")      # another SOP on the same subject type
        found = {}
        assert count_queries(lambda: found.update(tracker.runs_of("toy_event", [1, 2, 3]))) == 1
        assert {k: v.id for k, v in found.items()} == {1: gadget.id, 2: other.id}
        assert {k: v.id for k, v in tracker.runs_of("toy_event", ["1", 2], code="TOY-2").items()} == \
            {1: second.id, 2: other.id}
        assert first.id != second.id
        assert tracker.runs_of("toy_event", []) == {}
        # The Workflow helper answers through the same function.
        assert {k: v.id for k, v in tracker.Workflow("TOY-2", "toy_event").runs([1, 2]).items()} == \
            {1: second.id, 2: other.id}


def test_open_step_due_and_overdue_runs(balai_app):
    """open_step_due: the tracker's due time of an open step per record; overdue_runs: only runs past due."""
    app = balai_app("toy_flow", plugin_dirs=TOYS)
    with db.connection():
        set_actor(SYSTEM)
        late, fresh = start(app, 1), start(app, 2)
        due = {rs.run_id: rs.due_at for rs in RunStep.select().where(RunStep.run.in_([late.id, fresh.id]))}
        assert all(due.values()), "step 1 of TOY-2 has a time standard (1 hari)"
        answer = {}
        assert count_queries(lambda: answer.update(tracker.open_step_due("toy_event", [1, 2], 1, code="TOY-2"))) == 1
        assert answer == {1: tracker.aware(due[late.id]), 2: tracker.aware(due[fresh.id])}
        assert tracker.open_step_due("toy_event", [1, 2], 2) == {}, "step 2 is not open"
        now = due[late.id] + datetime.timedelta(minutes=1)
        RunStep.update(due_at=due[late.id] + datetime.timedelta(days=30)).where(RunStep.run == fresh.id).execute()
        assert tracker.overdue_runs([late.id, fresh.id], now=now) == {late.id}
        assert tracker.overdue_runs([]) == set()


def test_demo_clock_moves_a_run_and_restarts_a_step_by_the_tracker_rule(balai_app):
    """demo_shift_run moves every time of a run by the delta; demo_restart_step recomputes the due time."""
    app = balai_app("toy_flow", plugin_dirs=TOYS)
    with db.connection():
        set_actor(SYSTEM)
        run = start(app, 1)
        rs = tracker.open_step(run)
        before = (run.started_at, rs.ready_at, rs.due_at)
        week = datetime.timedelta(days=-7)
        tracker.demo_shift_run(run, week)
        run, rs = Run.get_by_id(run.id), RunStep.get_by_id(rs.id)
        assert (run.started_at, rs.ready_at, rs.due_at) == tuple(t + week for t in before)
        ready = datetime.datetime(2026, 3, 2, 3, 0)            # a Monday, 10:00 WIB
        tracker.demo_restart_step(app, tracker.open_step(run), ready)
        rs = RunStep.get_by_id(rs.id)
        expected = app.calendar.due(tracker.aware(ready), tracker.standard_for(rs.step, {}))
        assert (rs.ready_at, rs.due_at) == (ready, tracker.naive(expected))
        assert rs.due_at > ready


def test_raw_models_still_work_but_warn_naming_the_replacement():
    """tracker.Run / RunStep / Notification: the models, with a DeprecationWarning naming what to use."""
    for name, hint in (("Run", "tracker.runs_of"), ("RunStep", "tracker.open_step_due"),
                       ("Notification", "tasks.notify")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = getattr(tracker, name)
        assert model.__name__ == name
        assert [w.category for w in caught] == [DeprecationWarning] and hint in str(caught[0].message)
        assert name not in tracker.__all__
