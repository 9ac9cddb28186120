"""core/public_links.py: links answered by outside parties — expiry, one answer or
correctable until a date, audited, rate limited per address, revocation."""
import datetime
import os

import pytest

from core import audit, db, public_links
from core.db import utcnow


def soon(days=7):
    return utcnow() + datetime.timedelta(days=days)


def audit_actions(link):
    with db.connection():
        return [r.action for r in audit.AuditLog.select().where(
            (audit.AuditLog.object_type == "public_link") & (audit.AuditLog.object_id == str(link.id)))
            .order_by(audit.AuditLog.seq)]


def test_one_answer_then_refused_and_audited(balai_app):
    balai_app()
    with db.connection():
        link = public_links.create("demo.confirm", ("demo_thing", 5), expires_at=soon(), recipient_name="Siti",
                                   recipient_phone="081234567890")
        assert public_links.state(link) == "open" and len(link.token) >= 30
        done = public_links.answer(link.token, {"answer": "yes"}, purpose="demo.confirm", client="10.0.0.1")
        assert done.answer == {"answer": "yes"} and done.answered_at is not None and done.answer_count == 1
        assert public_links.state(done) == "closed"
        with pytest.raises(public_links.LinkError) as refused:
            public_links.answer(link.token, {"answer": "no"}, client="10.0.0.1")
        assert refused.value.state == "closed" and "sudah tercatat" in str(refused.value)
        assert public_links.PublicLink.get_by_id(link.id).answer == {"answer": "yes"}
        assert public_links.for_subject("demo.confirm", ("demo_thing", 5)).id == link.id
    assert audit_actions(link) == ["create", "update"]


def test_correctable_until_a_date_then_closed(balai_app):
    balai_app()
    with db.connection():
        link = public_links.create("demo.survey", ("demo_thing", 1), expires_at=soon(), correctable_until=soon(3))
        public_links.answer(link.token, {"score": 3})
        again = public_links.answer(link.token, {"score": 4})
        assert again.answer == {"score": 4} and again.answer_count == 2 and again.corrected_at is not None
        assert public_links.state(again) == "answered"
        later = utcnow() + datetime.timedelta(days=4)
        assert public_links.state(again, later) == "closed"
        with pytest.raises(public_links.LinkError):
            public_links.answer(link.token, {"score": 5}, now=later)


def test_expired_revoked_unknown_and_wrong_purpose(balai_app):
    balai_app()
    with db.connection():
        old = public_links.create("demo.confirm", ("demo_thing", 2), expires_at=utcnow() - datetime.timedelta(minutes=1))
        with pytest.raises(public_links.LinkError) as exc:
            public_links.answer(old.token, {"a": 1})
        assert exc.value.state == "expired" and "tidak berlaku" in str(exc.value)
        link = public_links.create("demo.confirm", ("demo_thing", 3), expires_at=soon())
        public_links.revoke(link, "salah nomor")
        with pytest.raises(public_links.LinkError) as exc:
            public_links.answer(link.token, {"a": 1})
        assert exc.value.state == "revoked"
        assert public_links.find("tidak-ada-token-seperti-ini") is None
        assert public_links.find("<script>") is None
        other = public_links.create("demo.other", ("demo_thing", 4), expires_at=soon())
        assert public_links.find(other.token, purpose="demo.confirm") is None


def test_plugin_check_refuses_inside_the_lock_and_nothing_is_kept(balai_app):
    balai_app()
    with db.connection():
        link = public_links.create("demo.confirm", ("demo_thing", 6), expires_at=soon())

        def too_late(lnk):
            raise public_links.LinkError("Uji sudah dilaksanakan.", "past")
        with pytest.raises(public_links.LinkError):
            public_links.answer(link.token, {"a": 1}, check=too_late)
        assert public_links.PublicLink.get_by_id(link.id).answered_at is None


def test_guessing_tokens_is_rate_limited_per_address(balai_app):
    balai_app()
    with db.connection():
        link = public_links.create("demo.confirm", ("demo_thing", 7), expires_at=soon())
        for i in range(public_links.MAX_FAILURES):
            assert public_links.find(f"tebakan-token-nomor-{i:04d}", client="10.9.9.9") is None
        with pytest.raises(public_links.LinkError) as exc:
            public_links.answer(link.token, {"a": 1}, client="10.9.9.9")
        assert exc.value.state == "limited" and "Terlalu banyak" in str(exc.value)
        # another address is not punished for it
        assert public_links.answer(link.token, {"a": 1}, client="10.1.1.1").answered_at is not None


# ---------------------------------------------------------------- public_links.page (the practice plugin's page)

PLACEMENT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "balai-placement")


def test_the_page_helper_finds_refuses_answers_and_limits(balai_app, balai_client, monkeypatch):
    """``public_links.page`` as placement uses it: 404 unknown, a refused answer (its step is not open) leaves
    nothing and says why with 409, refusal text by state on GET, 429 when limited."""
    from core.tracker.models import Run
    app = balai_app("placement", plugin_dirs=PLACEMENT)
    clerk, company = balai_client(app, "pengantar_kerja"), balai_client(app)
    vacancy = clerk.follow(clerk.post("/placement/vacancies/new", {"company": "PT Ada", "position": "Juru las",
                                                                   "quota": "1", "closes_on": "2026-12-31"}))
    vacancy_id = int(vacancy.request.path.rsplit("/", 1)[1])
    with db.connection():
        link = public_links.create("placement.answer", ("placement_vacancy", vacancy_id), expires_at=soon())
        before = Run.get().current_no
    assert company.get("/placement/answer/" + "x" * 32, status=404).status_int == 404
    page = company.get(f"/placement/answer/{link.token}")
    assert "Juru las — PT Ada" in page.text and len(page.html.select("main form button")) == 2
    assert "Pilihan tidak valid." in company.post(f"/placement/answer/{link.token}", {"answer": "x"}, status=409)
    refused = company.post(f"/placement/answer/{link.token}", {"answer": "invite"}, status=409)
    assert "langkah yang terbuka adalah 1" in refused.text and not refused.html.select("main form button")
    with db.connection():
        again = public_links.PublicLink.get_by_id(link.id)
        assert again.answered_at is None and again.answer_json == "" and Run.get().current_no == before
        assert audit_actions(link) == ["create"]
        public_links.revoke(again)
    assert "Tautan ini sudah dibatalkan." in company.get(f"/placement/answer/{link.token}").text
    monkeypatch.setattr(public_links, "MAX_FAILURES", 3)       # failures so far: the unknown token, two refusals
    limited = company.get(f"/placement/answer/{link.token}", status=429)
    assert "Terlalu banyak percobaan" in limited.text


def test_answers_refused_by_the_plugins_check_count_as_failures(balai_app):
    """A client sending refused answers to a link it holds is limited like one guessing tokens: a refusal
    of ``check`` counts as a failure (it did not before), whatever its type; another address is not punished."""
    balai_app()
    with db.connection():
        link = public_links.create("demo.confirm", ("demo_thing", 8), expires_at=soon())

        def too_early(lnk):
            raise public_links.LinkError("Belum waktunya.", "early")

        def broken_rule(lnk):
            raise ValueError("aturan plugin")
        for i in range(public_links.MAX_FAILURES):
            with pytest.raises((public_links.LinkError, ValueError)):
                public_links.answer(link.token, {"a": i}, client="10.3.3.3", check=too_early if i % 2 else broken_rule)
        with pytest.raises(public_links.LinkError) as exc:
            public_links.answer(link.token, {"a": 1}, client="10.3.3.3")
        assert exc.value.state == "limited"
        assert public_links.PublicLink.get_by_id(link.id).answered_at is None
        assert public_links.answer(link.token, {"a": 1}, client="10.4.4.4").answer == {"a": 1}


def make_candidate(app):
    import datetime as dt

    from plugins.certification import service
    from plugins.certification.models import Scheme, TestEvent, Tuk
    from plugins.training.models import Person
    with db.connection(), db.write():
        scheme = audit.create(Scheme, code="OKM", number="SKM/1", title="Operator Komputer Madya")
        tuk = audit.create(Tuk, name="TUK Sewaktu", capacity=20)
        event = audit.create(TestEvent, scheme=scheme, tuk=tuk, date=dt.date.today() + dt.timedelta(days=14),
                             start_time=dt.time(8), end_time=dt.time(15), status="confirming")
        person = audit.create(Person, nik="7471011234567890", name="Ahmad Fauzi", sex="L")
        cand = service.add_candidate(event, person)
        return cand, service.links_of([cand])[cand.id].token


def test_the_page_with_a_schema_422_counts_nothing_refusals_count(balai_app, balai_client, monkeypatch):
    """certification's confirmation page (``page(schema=...)``): bad input is shown at 422 and never limits
    the client; answers refused with 409 (the link already answered) count as failures until 429; the 404
    and 429 answers are rendered by the plugin's own template."""
    app = balai_app("certification")
    cand, token = make_candidate(app)
    anon = balai_client(app)
    page = anon.get("/confirm/tidak-ada-token-seperti-ini", status=404)          # one failure
    assert "Tautan konfirmasi ini tidak dikenal" in page.text and "cert-confirm" in page.text
    monkeypatch.setattr(public_links, "MAX_FAILURES", 4)
    for _i in range(4):
        page = anon.post(f"/confirm/{token}", {"answer": "mungkin"}, status=422)
        assert "Pilih salah satu jawaban." in page.text and "Ya, saya akan hadir" in page.text
    assert "Kehadiran Anda sudah tercatat" in anon.post(f"/confirm/{token}", {"answer": "yes"}, status=200).text
    for _i in range(3):
        assert "sudah tercatat sebelumnya" in anon.post(f"/confirm/{token}", {"answer": "no"}, status=409).text
    limited = anon.get(f"/confirm/{token}", status=429)
    assert "Terlalu banyak percobaan" in limited.text and "cert-confirm" in limited.text     # its own page
    with db.connection():
        from plugins.certification.models import Candidate
        assert Candidate.get_by_id(cand.id).confirmation == "confirmed"
