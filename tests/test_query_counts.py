"""Issue 12: the benchmarked pages run the same number of queries whatever the data size."""
import datetime

from core import audit, db
from core.testing import count_queries, make_user
from core.tracker import service


def grow(app, n, offset):
    """n more people, enrolments, runs and history rows."""
    from plugins.training.models import Batch, Enrolment, Person, Programme
    with db.connection(), db.write():
        prog = Programme.get_or_none(Programme.code == "TIK-01") or audit.create(
            Programme, code="TIK-01", title="Teknisi Komputer", field="TIK", total_jp=160)
        today = datetime.date.today()
        batch = Batch.get_or_none(Batch.name == "Angkatan Uji") or audit.create(
            Batch, programme=prog, name="Angkatan Uji", start_date=today, end_date=today + datetime.timedelta(days=30),
            quota=10000, reg_opens=today, reg_closes=today, status="ended")
        code = app.sops[-1][1]["code"]
        for i in range(offset, offset + n):
            person = audit.create(Person, nik=f"7471{i:012d}", name=f"Budi Santoso {i}", sex="L")
            audit.update(person, phone="081234567890")          # history rows for the record page
            audit.create(Enrolment, person=person, batch=batch, status="graduated")
            service.start_run(code, "bench", i, f"Uji {i}")


def test_benchmarked_pages_do_not_grow(balai_app, balai_client):
    app = balai_app("training", "tracer_survey")
    roles = sorted({r for _p, sop in app.sops for s in sop["steps"] for r in s["roles"]})
    user = make_user(app, "bench", roles + ["admin"])
    client = balai_client(app, user=user)
    pages = ["/tasks", "/training/people?q=Budi", "/training/people/1", "/compliance", "/tracer/recap", "/runs"]
    grow(app, 3, 0)
    small = {p: count_queries(lambda: client.get(p)) for p in pages}   # noqa: B023 (called at once)
    grow(app, 40, 3)
    large = {p: count_queries(lambda: client.get(p)) for p in pages}   # noqa: B023 (called at once)
    assert small == large


def test_navigation_count_matches_the_inbox_and_stops_at_its_cap(balai_app, balai_client):
    """The task badge on every page counts what the inbox lists (own and acting roles, signed
    roles left out), counting at most ``cap`` so a page never walks every open step."""
    from core.tracker import reports, tasks
    app = balai_app("training", "tracer_survey")
    roles = sorted({r for _p, sop in app.sops for s in sop["steps"] for r in s["roles"]})
    user = make_user(app, "bench", roles + ["admin"])
    other = make_user(app, "tamu", [])
    grow(app, 5, 0)
    with db.connection():
        listed = len(reports.inbox(user))
        assert listed == 5
        assert tasks.pending_count(user) == listed
        assert tasks.pending_count(user, cap=3) == 3
        assert tasks.pending_count(other) == 0
    page = balai_client(app, user=user).get("/training/people").text
    assert 'title="tugas menunggu">5</span>' in page
