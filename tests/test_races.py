"""Issue 20 §1: check-then-write under several processes, on SQLite and PostgreSQL.
Exactly one of many simultaneous answers wins; the others get a clear message."""
import datetime
import re

from balai_race import race, session_for
from balai_toys import TOYS

from core import audit, db
from core.testing import make_user, start_app, write_config


def audit_rows(object_type, object_id, action="update"):
    with db.connection():
        return (audit.AuditLog.select().where((audit.AuditLog.object_type == object_type)
                                              & (audit.AuditLog.object_id == str(object_id))
                                              & (audit.AuditLog.action == action)).count())


def test_forty_concurrent_edits_of_one_record_no_stale_write(tmp_path, balai_db):
    config = write_config(str(tmp_path), ["toy_base"], balai_db, plugin_dirs=TOYS)
    app = start_app(config)
    clerk = make_user(app, "petugas", ["toy_clerk"])
    from toy_base.models import Gadget
    with db.connection(), db.write():
        gadget = audit.create(Gadget, name="Meteran", size=3)
    cookies, token = session_for(clerk)
    from core.testing import Client
    reader = Client(app, clerk)
    reader.web.set_cookie("balai_session", cookies["balai_session"])
    form = reader.get(f"/toy/gadgets/{gadget.id}/edit").text
    version = re.search(r'name="_version" value="([^"]+)"', form).group(1)
    requests = [{"url": f"/toy/gadgets/{gadget.id}/edit", "cookies": cookies,
                 "data": {"csrf_token": token, "_version": version, "name": f"Meteran {i}", "size": str(i)}}
                for i in range(40)]
    answers = race(config, requests, tmp_path, processes=4)
    saved = [i for i, a in enumerate(answers) if a["status"] == 303]
    refused = [a for a in answers if a["status"] == 409]
    assert len(saved) == 1, [a["status"] for a in answers]
    assert len(refused) == 39 and all("diubah oleh pengguna lain" in a["text"] for a in refused)
    with db.connection():
        assert Gadget.get_by_id(gadget.id).name == f"Meteran {saved[0]}"
    assert audit_rows("toy_gadget", gadget.id) == 1


def make_candidate(app):
    from plugins.certification.models import Scheme, TestEvent, Tuk
    from plugins.training.models import Person
    day = datetime.date.today() + datetime.timedelta(days=14)
    with db.connection(), db.write():
        scheme = audit.create(Scheme, code="OKM", number="SKM/1", title="Operator Komputer Madya")
        tuk = audit.create(Tuk, name="TUK Sewaktu", capacity=20)
        event = audit.create(TestEvent, scheme=scheme, tuk=tuk, date=day, start_time=datetime.time(8),
                             end_time=datetime.time(15), status="confirming")
        person = audit.create(Person, nik="7471011234567890", name="Ahmad Fauzi", sex="L")
        from plugins.certification import service
        cand = service.add_candidate(event, person)
        cand.token = service.links_of([cand])[cand.id].token
        return cand


def test_eight_answers_on_one_confirmation_link_one_accepted(tmp_path, balai_db):
    config = write_config(str(tmp_path), ["certification"], balai_db)
    app = start_app(config)
    cand = make_candidate(app)
    from core.testing import Client
    anonymous = Client(app)
    token = anonymous.csrf()
    cookies = {"balai_csrf": anonymous.web.cookies["balai_csrf"]}
    requests = [{"url": f"/confirm/{cand.token}", "cookies": cookies,
                 "data": {"csrf_token": token, "answer": "yes" if i % 2 else "no"}} for i in range(8)]
    answers = race(config, requests, tmp_path, processes=4)
    statuses = sorted(a["status"] for a in answers)
    assert statuses == [200] + [409] * 7, statuses
    assert all("sudah tercatat sebelumnya" in a["text"] for a in answers if a["status"] == 409)
    assert audit_rows("certification_candidate", cand.id) == 1
    with db.connection():
        from core import public_links
        link = public_links.PublicLink.get(public_links.PublicLink.token == cand.token)
    assert audit_rows("public_link", link.id) == 1 and link.answer_count == 1


def test_eight_answers_on_one_survey_link_one_answer_row(tmp_path, balai_db):
    config = write_config(str(tmp_path), ["tracer_survey"], balai_db)
    app = start_app(config)
    from plugins.tracer_survey.models import Alumnus, Response, Wave
    from plugins.training.models import Batch, Programme
    today = datetime.date.today()
    with db.connection(), db.write():
        prog = audit.create(Programme, code="TIK-1", title="Operator Komputer", field="TIK", total_jp=240)
        batch = audit.create(Batch, programme=prog, name="Angkatan I", start_date=today - datetime.timedelta(days=150),
                             end_date=today - datetime.timedelta(days=90), quota=16, status="ended",
                             reg_opens=today - datetime.timedelta(days=200), reg_closes=today - datetime.timedelta(days=160))
        wave = audit.create(Wave, batch=batch, months=3, opens_on=today - datetime.timedelta(days=1),
                            closes_on=today + datetime.timedelta(days=20))
        alumnus = audit.create(Alumnus, wave=wave, nik="7471011234567890", name="Ahmad Fauzi")
        from plugins.tracer_survey import links
        survey_token = links.create(alumnus, wave, app).token       # the survey link: a core public link
    from core.testing import Client
    anonymous = Client(app)
    token = anonymous.csrf()
    cookies = {"balai_csrf": anonymous.web.cookies["balai_csrf"]}
    requests = [{"url": f"/survey/{survey_token}", "cookies": cookies,
                 "data": {"csrf_token": token, "status": "studi" if i % 2 else "belum", "consent": "1"}}
                for i in range(8)]
    answers = race(config, requests, tmp_path, processes=4)
    assert [a["status"] for a in answers] == [303] * 8        # one creates, the others correct it
    with db.connection():
        rows = list(Response.select().where(Response.alumnus == alumnus.id))
    assert len(rows) == 1 and rows[0].corrections == 7
    with db.connection():
        from core import public_links
        link = public_links.PublicLink.get(public_links.PublicLink.token == survey_token)
    assert link.answer_count == 8 and link.answered_at is not None


def test_eight_decisions_on_one_rab_make_one(tmp_path, balai_db):
    config = write_config(str(tmp_path), ["service_desk"], balai_db)
    app = start_app(config)
    from plugins.service_desk.hooks import HEAD
    from plugins.service_desk.models import Approval, Cooperation, GuestVisit
    head = make_user(app, "kepala", [HEAD])
    with db.connection(), db.write():
        visit = audit.create(GuestVisit, day=datetime.date.today(), name="PT Nikel Sultra Jaya", category="perusahaan",
                             purpose="cooperation")
        coop = audit.create(Cooperation, visit=visit, rab_status="submitted")
    cookies, token = session_for(head)
    requests = [{"url": f"/service-desk/cooperations/{coop.id}/decide/rab", "cookies": cookies,
                 "data": {"csrf_token": token, "decision": "approve" if i % 2 else "return",
                          "reason": "Honor melebihi SBM."}} for i in range(8)]
    race(config, requests, tmp_path, processes=4)
    with db.connection():
        decisions = list(Approval.select().where(Approval.cooperation == coop.id))
        status = Cooperation.get_by_id(coop.id).rab_status
    assert len(decisions) == 1 and status == {"approved": "approved", "returned": "returned"}[decisions[0].decision]


def test_a_sqlite_writer_waits_past_its_busy_timeout_for_another_process(tmp_path):
    """Issue 21 §8: ``db.write()`` retries BEGIN IMMEDIATE while another process holds the
    write lock longer than the busy timeout, instead of failing with "database is locked"."""
    import sqlite3
    import threading
    config = write_config(str(tmp_path), [], f"sqlite:///{tmp_path}/w.db")
    start_app(config)
    other = sqlite3.connect(f"{tmp_path}/w.db", check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")             # another process's writer, holding the lock
    released = threading.Event()

    def release_later():
        released.wait(30)
        other.commit()
    holder = threading.Thread(target=release_later)
    holder.start()
    try:
        with db.connection() as conn:
            conn.execute_sql("PRAGMA busy_timeout = 20")      # each attempt gives up after 20 ms
            attempts = []
            original = conn.begin

            def counting_begin(*args, **kwargs):
                attempts.append(1)
                if len(attempts) == 3:
                    released.set()                # the other writer commits while we retry
                return original(*args, **kwargs)
            conn.begin = counting_begin
            with db.write():
                seq = audit.event("waited", "test", 1)
            del conn.begin
        assert len(attempts) >= 3 and seq >= 1
    finally:
        released.set()
        holder.join()
        other.close()
    with db.connection():
        assert audit.AuditLog.select().where(audit.AuditLog.action == "waited").count() == 1
