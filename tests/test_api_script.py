"""Issue 24 "done when": the example script of docs/api.md (examples/api/kendari.py), with
only a token, against a live server: lists the Kendari guest book, completes a step and
downloads an issued PDF (verified by its QR token and sha256)."""
import datetime
import decimal
import hashlib
import importlib.util
import os

import pytest

from core import audit, db
from core.api import tokens
from core.testing import make_user

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
D = decimal.Decimal


def load_script():
    spec = importlib.util.spec_from_file_location("kendari", os.path.join(ROOT, "examples", "api", "kendari.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def kendari_day(app, balai_client):
    """Two guests at the front desk; the first registered, selected and re-registered, so its run waits at step 6."""
    from plugins.service_desk import selection, service
    from plugins.training.models import Batch, Programme
    kiosk = make_user(app, "kios", ["petugas_kios"])
    delivery = make_user(app, "penyelenggaraan", ["sub_koordinator_penyelenggaraan"], full_name="Wa Ode Penyelenggara")
    today = datetime.date.today()
    with db.connection():
        with db.write():
            programme = audit.create(Programme, code="KDI-OKM", title="Operator Komputer Muda", field="TIK", total_jp=160)
            batch = audit.create(Batch, programme=programme, name="Angkatan III", start_date=today + datetime.timedelta(days=20),
                                 end_date=today + datetime.timedelta(days=45), quota=16, status="registration",
                                 reg_opens=today - datetime.timedelta(days=5), reg_closes=today + datetime.timedelta(days=10))
        visit = service.create_visit(app, kiosk, {"name": "La Ode Budi", "category": "umum", "purpose": "registration",
                                                  "phone": "081234567890"})
        service.create_visit(app, kiosk, {"name": "Ir. Muh. Yusuf", "category": "instansi", "purpose": "cooperation",
                                          "organisation": "Bappeda Kota Kendari"})
        enrolment = selection.register_guest(app, visit, kiosk, batch, {"nik": "7471010101900001", "sex": "L",
                                                                      "siapkerja_ref": "SIAPK-2026-001"})
        selection.save_setting(batch, {"cbt_weight": D(60), "interview_weight": D(40), "pass_mark": D(70),
                                     "reserve_mark": D(60)})
        selection.save_scores(batch, {enrolment.id: {"cbt_score": D(82), "interview_score": D(75)}})
        selection.finalise_selection(app, batch, delivery)
        from core.context import set_actor
        set_actor(delivery)                                              # the clerk of step 3 records daftar ulang
        selection.move_enrolment(batch, enrolment.id, "reregistered")     # step 3 closes at daftar ulang, not before
        set_actor(None)
        with db.write():          # a month later: the training was held (the last thirty days), step 6 may close
            audit.update(Batch.get_by_id(batch.id), start_date=today - datetime.timedelta(days=30),
                         end_date=today - datetime.timedelta(days=1), status="ended")
        from core.tracker import service as tracker
        tracker.reanchor(service.run_of(visit))                      # the step's clock follows the new dates
        run = service.run_of(visit)
        assert run.current_no == 6
        from plugins.training import papers
        paper = papers.issue_participant_list(app, Batch.get_by_id(batch.id), delivery)
    return delivery, run, paper


@pytest.fixture
def app(balai_app):
    return balai_app("training", "service_desk", institution="BPVP Kendari")


def test_the_example_script_lists_the_guest_book_completes_a_step_downloads_a_pdf(app, balai_client, balai_live,
                                                                                   monkeypatch, capsys, tmp_path):
    delivery, run, paper = kendari_day(app, balai_client)
    with db.connection():
        _t, token = tokens.create(delivery, "skrip kendari", ["read", "tracker", "documents"])
    server = balai_live(app)
    kendari = load_script()

    visits = kendari.guest_book(server.url, token)
    assert [(v["name"], v["purpose"], v["current_no"]) for v in visits] == [
        ("La Ode Budi", "registration", 6), ("Ir. Muh. Yusuf", "cooperation", 4)]
    assert kendari.guest_book(server.url, token, day="2001-01-01") == []
    with pytest.raises(kendari.ApiProblem) as refused:
        kendari.guest_book(server.url, token, day="kemarin")
    assert refused.value.problem["status"] == 400 and "day" in refused.value.problem["errors"]
    with pytest.raises(kendari.ApiProblem) as refused:
        kendari.guest_book(server.url, "balai_bukan-token")
    assert refused.value.problem["status"] == 401

    # The script's main: the guest book, then the first task it may complete (step 6, training held).
    monkeypatch.setenv("BALAI_URL", server.url)
    monkeypatch.setenv("BALAI_TOKEN", token)
    monkeypatch.chdir(tmp_path)
    kendari.main([])
    out = capsys.readouterr().out
    assert "La Ode Budi" in out and "Ir. Muh. Yusuf" in out
    assert f"run {run.id}: langkah 6 selesai; sekarang langkah 7" in out
    with db.connection():
        from core.tracker.models import RunStep
        step6 = RunStep.get((RunStep.run == run.id) & (RunStep.no == 6))
        assert step6.status == "done" and step6.completed_by_id == delivery.id
        assert step6.notes == "Selesai (dicatat lewat API)."
    # The newest issued paper: the batch's participant list, saved and verified.
    name = "".join(c if c.isalnum() else "-" for c in paper.number) + ".pdf"
    assert f"Daftar Peserta Operator Komputer Muda Angkatan III ({paper.number}) disimpan sebagai {name}; " \
           f"berlaku: True" in out
    saved = (tmp_path / name).read_bytes()
    assert saved.startswith(b"%PDF") and hashlib.sha256(saved).hexdigest() == paper.pdf_sha256
    # A PDF that is not this document's does not verify.
    check = kendari.call(server.url, token, "GET", f"/documents/verify/{paper.token}?sha256={'0' * 64}")
    assert check["valid"] is False and check["pdf_matches"] is False and check["status"] == "valid"
    # Step 7 is recorded on the visit's own page: the API refuses it, saying where.
    with pytest.raises(kendari.ApiProblem) as refused:
        kendari.complete_step(server.url, token, run.id, 7, "")
    assert refused.value.problem["status"] == 409 and "halaman kunjungan" in refused.value.problem["detail"]
