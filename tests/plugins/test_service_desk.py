"""The service_desk plugin (KDI-PM-06) through HTTP: both routes of the SOP as the
right roles, the refusals, the recap and chart, and the run against its time
standards."""
import datetime
import json
import re
from decimal import Decimal

import pytest

from core.testing import institution_today
from core import audit, db

# the institution's day (WITA, the Kendari deployment's time zone, as the ``app`` fixture sets it), as the app
# counts it (a visit's day): not the server's, which is the day before between 16:00 and 24:00 UTC
TODAY = institution_today("WITA")
DAY = datetime.timedelta(days=1)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

KIOSK = "petugas_kios"
EMPOWER = "sub_koordinator_pemberdayaan"
DELIVERY = "sub_koordinator_penyelenggaraan"
HEAD = "kepala_bpvp"


# ---------------------------------------------------------------- helpers

def make_batch(code="TIK-KDI", opens=-5, closes=5, quota=20, name="Angkatan I", jp=160, status="registration"):
    from plugins.training.models import Batch, Programme
    with db.connection(), db.write():
        programme = Programme.get_or_none(Programme.code == code) or audit.create(
            Programme, code=code, title="Operator Komputer Muda", field="TIK", total_jp=jp)
        return audit.create(Batch, programme=programme, name=name, start_date=TODAY + 10 * DAY,
                            end_date=TODAY + 40 * DAY, quota=quota, reg_opens=TODAY + opens * DAY,
                            reg_closes=TODAY + closes * DAY, status=status)


def fetch(model, obj_id):
    with db.connection():
        return model.get_by_id(obj_id)


def run_of(visit_id):
    from core.tracker.service import run_for
    with db.connection():
        return run_for("service_desk_visit", visit_id, "KDI-PM-06")


def steps_of(visit_id):
    from core.tracker.models import RunStep
    run = run_of(visit_id)
    with db.connection():
        return list(RunStep.select().where(RunStep.run == run).order_by(RunStep.id))


def flashes(res):
    return re.findall(r'class="flash flash-(\w+)"[^>]*>([^<]*)<', res.text)


def visit_id_of(res):
    assert res.status_int == 303, res.status
    match = re.search(r"/service-desk/visits/(\d+)$", res.headers["Location"])
    assert match, res.headers["Location"]
    return int(match.group(1))


def guest(client, name="Budi Santoso", purpose="registration", category="umum", **extra):
    data = {"name": name, "category": category, "organisation": "", "phone": "0812 3456 7890",
            "purpose": purpose, "consent": "1", "notes": ""}
    data.update(extra)
    return visit_id_of(client.post("/service-desk/visits/new", data))


def end_batch_by_http(app, balai_client, batch):
    """The training section ends the batch through its own screen (emits training.batch_ended)."""
    from plugins.training.models import Batch
    with db.connection(), db.write():
        audit.update(Batch.get_by_id(batch.id), status="running")
    staff = balai_client(app, "staf_pelatihan")
    res = staff.post(f"/training/batches/{batch.id}/end", {})
    assert res.status_int == 303
    assert fetch(Batch, batch.id).status == "ended"


@pytest.fixture
def app(balai_app):
    return balai_app("service_desk", institution="BPVP Kendari", timezone="WITA", city="Kendari")


@pytest.fixture
def kiosk(app, balai_client):
    return balai_client(app, KIOSK)


# ---------------------------------------------------------------- guest book

def test_guest_book_is_quick_and_needs_consent(app, kiosk):
    page = kiosk.get("/service-desk/visits/new")
    assert 'name="name"' in page.text and "autofocus" in page.text
    assert 'id="cat-umum" name="category" value="umum" checked' in page.text        # sensible defaults
    assert 'id="purpose-registration" name="purpose" value="registration" checked' in page.text
    assert 'for="f-consent"' in page.text

    res = kiosk.post("/service-desk/visits/new", {"name": "Sitti Aminah", "category": "umum",
                                                  "purpose": "registration"}, status=422)
    assert "Persetujuan tamu wajib dicentang" in res.text
    res = kiosk.post("/service-desk/visits/new", {"name": "Sitti Aminah", "category": "industri",
                                                  "purpose": "cooperation", "consent": "1"}, status=422)
    assert "Isi nama instansi / perusahaan." in res.text
    from plugins.service_desk.models import GuestVisit
    with db.connection():
        assert GuestVisit.select().count() == 0


def test_wrong_roles_are_refused(app, balai_client, kiosk):
    empower = balai_client(app, EMPOWER)
    empower.get("/service-desk/visits/new", status=403)
    empower.post("/service-desk/visits/new", {"name": "X", "category": "umum", "purpose": "registration",
                                              "consent": "1"}, status=403)
    kiosk.get("/service-desk/selection", status=403)
    kiosk.get("/service-desk/approvals", status=403)
    # An admin may open the guest book but does not perform the SOP's step 1: a step refusal.
    admin = balai_client(app, "admin")
    res = admin.post("/service-desk/visits/new", {"name": "Tamu Admin", "category": "umum",
                                                  "purpose": "registration", "consent": "1"}, status=422)
    assert "Langkah 1 hanya dapat dikerjakan oleh: Petugas Kios SIAP Kerja" in res.text
    from plugins.service_desk.models import GuestVisit
    with db.connection():
        assert GuestVisit.select().count() == 0          # nothing kept of the refused request


# ---------------------------------------------------------------- registration route

def test_registration_route_to_the_end(app, balai_client, kiosk):
    from core.tracker.models import Evidence, Run
    from plugins.service_desk.models import GuestVisit, SelectionScore
    from plugins.training.models import Enrolment, Person

    open_batch = make_batch()
    closed = make_batch(name="Angkatan Lalu", opens=-30, closes=-2)

    v1 = guest(kiosk, "La Ode Rahman", notes="Datang bersama orang tua")
    v2 = guest(kiosk, "Wa Ode Sitti")
    items = steps_of(v1)
    assert [(s.no, s.status, s.branch) for s in items] == [(1, "done", "Pendaftaran pelatihan"), (2, "ready", "")]
    assert run_of(v1).title == "Tamu: La Ode Rahman (Pendaftaran pelatihan)"

    page = kiosk.get(f"/service-desk/visits/{v1}")
    assert "Pendaftaran pelatihan (langkah 2)" in page.text and f'value="{open_batch.id}"' in page.text

    # Closed window: refused with the reason, nothing registered.
    res = kiosk.post(f"/service-desk/visits/{v1}/register",
                     {"batch": closed.id, "nik": "7471011203990001", "sex": "L", "siapkerja_ref": "SK-2024-0001"},
                     status=422)
    assert "Pendaftaran Angkatan Lalu sudah ditutup" in res.text
    # The SIAPkerja proof is required.
    res = kiosk.post(f"/service-desk/visits/{v1}/register",
                     {"batch": open_batch.id, "nik": "7471011203990001", "sex": "L", "siapkerja_ref": ""}, status=422)
    assert "Wajib diisi." in res.text
    with db.connection():
        assert Enrolment.select().count() == 0 and run_of(v1).current_no == 2

    kiosk.post(f"/service-desk/visits/{v1}/register", {"batch": open_batch.id, "nik": "7471011203990001",
                                                        "sex": "L", "siapkerja_ref": "SK-2024-0001"}, status=303)
    kiosk.post(f"/service-desk/visits/{v2}/register", {"batch": open_batch.id, "nik": "7471015508010002",
                                                        "sex": "P", "siapkerja_ref": "SK-2024-0002"}, status=303)
    with db.connection():
        visit = GuestVisit.get_by_id(v1)
        e1 = Enrolment.get_by_id(visit.enrolment_id)
        person = Person.get_by_id(e1.person_id)
        assert (e1.source, e1.siapkerja_ref, e1.status, person.name) == ("siapkerja", "SK-2024-0001", "registered",
                                                                          "La Ode Rahman")
        assert visit.batch_id == open_batch.id
        run = Run.get_by_id(run_of(v1).id)
        assert run.current_no == 3 and json.loads(run.params) == {"JP": 160}
        step2 = steps_of(v1)[1]
        links = [(e.label, e.url) for e in Evidence.select().where(Evidence.run_step == step2.id)]
        assert links == [("La Ode Rahman", f"/training/people/{person.id}")]
        e2 = Enrolment.get_by_id(GuestVisit.get_by_id(v2).enrolment_id)

    # Selection (step 3) by the delivery sub-coordinator; the kiosk may not.
    sel = balai_client(app, DELIVERY)
    kiosk.get(f"/service-desk/selection/{open_batch.id}", status=403)
    page = sel.get(f"/service-desk/selection/{open_batch.id}")
    assert "La Ode Rahman" in page.text and "Wa Ode Sitti" in page.text
    res = sel.post(f"/service-desk/selection/{open_batch.id}/settings",
                   {"cbt_weight": "60", "interview_weight": "40", "pass_mark": "60", "reserve_mark": "70"}, status=422)
    assert "Nilai batas cadangan tidak boleh di atas nilai batas lulus." in res.text
    sel.post(f"/service-desk/selection/{open_batch.id}/settings",
             {"cbt_weight": "60", "interview_weight": "40", "pass_mark": "70", "reserve_mark": "60"}, status=303)
    res = sel.post(f"/service-desk/selection/{open_batch.id}/scores",
                   {f"cbt_score_{e1.id}": "180", f"interview_score_{e1.id}": "75"}, status=422)
    assert "Harus antara 0 dan 100." in res.text
    sel.post(f"/service-desk/selection/{open_batch.id}/scores",
             {f"cbt_score_{e1.id}": "80", f"interview_score_{e1.id}": "75",
              f"interview_notes_{e1.id}": "Motivasi kuat, sudah bisa mengetik 10 jari",
              f"cbt_score_{e2.id}": "60"}, status=303)
    assert fetch(Enrolment, e1.id).status == "selection"
    res = sel.follow(sel.post(f"/service-desk/selection/{open_batch.id}/finalise", {}))
    assert ("error", "Nilai CBT dan wawancara belum lengkap untuk: Wa Ode Sitti.") in flashes(res)
    sel.post(f"/service-desk/selection/{open_batch.id}/scores",
             {f"cbt_score_{e1.id}": "80", f"interview_score_{e1.id}": "75",
              f"cbt_score_{e2.id}": "60", f"interview_score_{e2.id}": "65"}, status=303)
    res = sel.follow(sel.post(f"/service-desk/selection/{open_batch.id}/finalise", {}))
    assert [k for k, _m in flashes(res)] == ["success"]
    with db.connection():
        s1 = SelectionScore.get(SelectionScore.enrolment == e1.id)
        s2 = SelectionScore.get(SelectionScore.enrolment == e2.id)
        assert (s1.total, s1.result, s2.total, s2.result) == (Decimal("78"), "pass", Decimal("62"), "reserve")
        assert s1.interview_notes == "Motivasi kuat, sudah bisa mengetik 10 jari"
    assert (fetch(Enrolment, e1.id).status, fetch(Enrolment, e2.id).status) == ("accepted", "reserve")
    # Step 3 closes at re-registration (daftar ulang), not at finalisation.
    assert run_of(v1).current_no == 3 and run_of(v2).current_no == 3

    # Re-registration (daftar ulang) and the printable recap.
    sel.post(f"/service-desk/selection/{open_batch.id}/move", {"enrolment": e1.id, "to": "reregistered"}, status=303)
    assert fetch(Enrolment, e1.id).status == "reregistered"
    assert run_of(v1).current_no == 6
    step3 = steps_of(v1)[2]
    assert step3.notes == "Diterima dan sudah daftar ulang." and step3.branch == "Diterima dan daftar ulang"
    step6 = steps_of(v1)[3]
    # Step 6's clock is the batch's own last day, not when the step opened nor the first day.
    assert step6.no == 6 and step6.starts_at is not None
    assert open_batch.end_date - DAY <= step6.starts_at.date() <= open_batch.end_date
    # Due at the end of that last day (due_at_anchor): the training's JP happen before it, not after.
    assert step6.due_at is not None and step6.due_at - step6.starts_at == datetime.timedelta(days=1)
    res = sel.follow(sel.post(f"/service-desk/selection/{open_batch.id}/move", {"enrolment": e2.id, "to": "reregistered"}))
    assert ("error", "Status Cadangan tidak dapat diubah menjadi Daftar ulang.") in flashes(res)
    # The reserve is finally not taken: the run ends at step 3 (an ending branch of the SOP).
    sel.post(f"/service-desk/selection/{open_batch.id}/move", {"enrolment": e2.id, "to": "rejected"}, status=303)
    run2 = run_of(v2)
    assert run2.status == "ended" and steps_of(v2)[-1].branch == "Tidak diterima"
    sheet = sel.get(f"/service-desk/selection/{open_batch.id}/print")
    assert 'class="letterhead"' in sheet.text and "REKAP NILAI HASIL SELEKSI" in sheet.text
    assert "78,00" in sheet.text and "7471********0001" in sheet.text

    # Step 6 completes when the training section ends the batch.
    end_batch_by_http(app, balai_client, open_batch)
    assert run_of(v1).current_no == 7 and run_of(v2).status == "ended"

    # Step 7 by hand (no certification plugin): the LSP's berita acara.
    page = sel.get(f"/service-desk/visits/{v1}")
    assert 'action="/service-desk/visits/%d/test"' % v1 in page.text
    res = sel.post(f"/service-desk/visits/{v1}/test", {"ba_number": "BA-LSP/017/2024", "ba_date": TODAY.isoformat(),
                                                       "candidates": "2", "passed": "3"},
                   upload_files=[("file", "ba.pdf", PDF)], status=422)
    assert "Jumlah yang lulus tidak boleh melebihi jumlah peserta uji." in res.text
    res = sel.post(f"/service-desk/visits/{v1}/test", {"ba_number": "BA-LSP/017/2024", "ba_date": TODAY.isoformat(),
                                                       "candidates": "2", "passed": "2"},
                   upload_files=[("file", "ba.pdf", PDF)])
    assert res.status_int == 303
    run = run_of(v1)
    assert run.status == "completed" and run.current_no is None
    with db.connection():
        files = list(Evidence.select().where((Evidence.run_step == steps_of(v1)[-1].id) & (Evidence.kind == "file")))
        assert [f.filename for f in files] == ["ba.pdf"]

    # The run page shows each step against its time standard.
    run_page = sel.get(f"/runs/{run_of(v1).id}")
    assert "5 menit" in run_page.text and "15 menit" in run_page.text and "5 hari" in run_page.text
    assert "4 hari" in run_page.text and "tepat waktu" in run_page.text
    assert "Pendaftaran pelatihan" in run_page.text
    assert [s.no for s in steps_of(v1)] == [1, 2, 3, 6, 7]
    assert all(s.on_time for s in steps_of(v1) if s.no in (1, 2))


# ---------------------------------------------------------------- cooperation route

def test_cooperation_route_with_approval_billing_and_test_by_hand(app, balai_client, kiosk):
    from core.tracker.models import Evidence
    from plugins.service_desk.models import Approval, Cooperation, GuestVisit, RabLine

    vid = guest(kiosk, "Andi Pratama", purpose="cooperation", category="industri",
                organisation="PT Nikel Sultra Jaya")
    assert [(s.no, s.status, s.branch) for s in steps_of(vid)] == [(1, "done", "Kerja sama"), (4, "ready", "")]
    with db.connection():
        coop = Cooperation.get(Cooperation.visit == vid)
    base = f"/service-desk/cooperations/{coop.id}"
    kiosk.post(f"{base}/minutes", {"kind": "training_certification", "meeting_date": TODAY.isoformat(),
                                   "minutes": "x"}, status=403)

    empower = balai_client(app, EMPOWER)
    res = empower.post(f"{base}/minutes", {"kind": "training_certification", "meeting_date": TODAY.isoformat(),
                                           "minutes": ""}, status=422)
    assert "Wajib diisi." in res.text
    # Minutes of a meeting that has not happened yet are refused next to the date.
    res = empower.post(f"{base}/minutes", {"kind": "training_certification", "meeting_date": (TODAY + 2 * DAY).isoformat(),
                                           "minutes": "Rapat"}, status=422)
    assert "Tanggal tidak boleh di masa depan" in res.text and fetch(Cooperation, coop.id).meeting_date is None
    # Nor of a meeting before the guest's visit: refused next to the date, what was typed kept, nothing saved.
    visit_day = fetch(GuestVisit, vid).day
    assert visit_day == TODAY
    res = empower.post(f"{base}/minutes", {"kind": "training_certification", "meeting_date": (TODAY - DAY).isoformat(),
                                           "attendees": "Andi Pratama (HRD)", "minutes": "Rapat pendahuluan"},
                       status=422)
    assert re.search(r'id="f-meeting_date-err">Tanggal pertemuan tidak boleh sebelum kunjungan \(\d+ \w+ \d{4}\)\.<',
                     res.text), res.text
    assert ">Rapat pendahuluan</textarea>" in res.text and ">Andi Pratama (HRD)</textarea>" in res.text
    coop_now = fetch(Cooperation, coop.id)
    assert (coop_now.meeting_date, coop_now.minutes, coop_now.attendees) == (None, "", "")
    assert run_of(vid).current_no == 4
    empower.post(f"{base}/minutes", {"kind": "training_certification", "meeting_date": TODAY.isoformat(),
                                     "attendees": "Andi Pratama (HRD), Kasi Pemberdayaan",
                                     "minutes": "PT Nikel Sultra Jaya meminta pelatihan dan sertifikasi 16 "
                                                "operator las untuk smelter."}, status=303)
    assert run_of(vid).current_no == 5

    # RAB lines with computed totals.
    # Indonesian amounts: "650.000" is six hundred and fifty thousand, not Rp 650.
    empower.post(f"{base}/rab/lines", {"item": "Biaya uji kompetensi per orang", "volume": "16", "unit": "orang",
                                       "unit_cost": "650.000"}, status=303)
    with db.connection():
        assert RabLine.get(RabLine.unit == "orang").unit_cost == Decimal("650000.00")
    for absurd, message in (("100.000.000.000.000.000", "Harga satuan harus antara Rp 0 dan Rp 1.000.000.000."),
                            ("enam ratus", "Jumlah uang tidak valid")):
        res = empower.post(f"{base}/rab/lines", {"item": "Lain-lain", "volume": "1", "unit": "paket",
                                                 "unit_cost": absurd}, status=422)
        assert message in res.text and 'id="f-unit_cost-err"' in res.text.replace("'", '"') or message in res.text
    with db.connection():
        assert RabLine.select().where(RabLine.cooperation == coop.id).count() == 1
    empower.post(f"{base}/rab/lines", {"item": "Honor instruktur", "volume": "40", "unit": "JP",
                                       "unit_cost": "1.250.000,00"}, status=303)
    res = empower.post(f"{base}/rab/lines", {"item": "Bahan", "volume": "0", "unit": "paket", "unit_cost": "1"},
                       status=422)
    assert "Volume harus antara 0,01 dan 100.000." in res.text
    page = empower.get(base)
    assert "Rp 10.400.000" in page.text and "Rp 50.000.000" in page.text and "Rp 60.400.000" in page.text

    # PKS with the signed scan.
    empower.post(f"{base}/pks", {"number": "PKS/017/BPVP-KDI/2024", "parties": "BPVP Kendari; PT Nikel Sultra Jaya",
                                 "scope": "Pelatihan dan sertifikasi juru las SMAW 3G", "period_start": "2024-06-01",
                                 "period_end": "2024-05-01"}, status=422)
    empower.post(f"{base}/pks", {"number": "PKS/017/BPVP-KDI/2024", "parties": "BPVP Kendari; PT Nikel Sultra Jaya",
                                 "scope": "Pelatihan dan sertifikasi juru las SMAW 3G", "period_start": "2024-06-01",
                                 "period_end": "2025-05-31"}, upload_files=[("scan", "pks.pdf", PDF)], status=303)
    assert empower.get(f"{base}/pks/scan").body == PDF
    empower.post(f"{base}/submit/rab", {}, status=303)
    empower.post(f"{base}/submit/pks", {}, status=303)

    head = balai_client(app, HEAD)
    approvals = head.get("/service-desk/approvals").text
    assert "PT Nikel Sultra Jaya" in approvals
    # The head sees the line items, and both approvals wait in "Tugas saya".
    assert "Biaya uji kompetensi per orang" in approvals and "Rp 650.000" in approvals
    inbox = head.get("/tasks").text
    assert "Setujui RAB kerja sama PT Nikel Sultra Jaya" in inbox and "Setujui PKS kerja sama PT Nikel Sultra Jaya" in inbox
    empower.post(f"{base}/decide/rab", {"decision": "approve"}, status=403)
    res = head.follow(head.post(f"{base}/decide/rab", {"decision": "return", "reason": ""}))
    assert ("error", "Alasan pengembalian wajib diisi.") in flashes(res)
    head.post(f"{base}/decide/rab", {"decision": "return", "reason": "Honor instruktur melebihi SBM; pakai tarif SBM."},
              status=303)
    coop = fetch(Cooperation, coop.id)
    assert (coop.rab_status, coop.rab_reason) == ("returned", "Honor instruktur melebihi SBM; pakai tarif SBM.")
    assert "Honor instruktur melebihi SBM" in empower.get(base).text
    # Fix the line and resubmit.
    from plugins.service_desk.models import RabLine
    with db.connection():
        honor = RabLine.get((RabLine.cooperation == coop.id) & (RabLine.unit == "JP"))
    empower.post(f"{base}/rab/lines/{honor.id}/delete", {}, status=303)
    empower.post(f"{base}/rab/lines", {"item": "Honor instruktur", "volume": "40", "unit": "JP",
                                       "unit_cost": "300000"}, status=303)
    empower.post(f"{base}/submit/rab", {}, status=303)
    head.post(f"{base}/decide/rab", {"decision": "approve"}, status=303)
    assert run_of(vid).current_no == 5                    # PKS not yet approved
    head.post(f"{base}/decide/pks", {"decision": "approve"}, status=303)
    assert "Setujui RAB kerja sama" not in head.get("/tasks").text
    # The minutes the RAB rests on are locked: a change needs a reason, kept in the audit log.
    minutes = {"kind": "training_certification", "meeting_date": TODAY.isoformat(), "minutes": "Diubah"}
    res = empower.post(f"{base}/minutes", minutes, status=422)
    assert "Notulen sudah dikunci; koreksi memerlukan alasan." in res.text
    assert fetch(Cooperation, coop.id).minutes.startswith("PT Nikel")
    empower.post(f"{base}/minutes", dict(minutes, minutes=fetch(Cooperation, coop.id).minutes + " (16 orang)",
                                         correction_reason="Jumlah peserta tertulis di notulen"), status=303)
    with db.connection():
        rows = [r for r in audit.history("service_desk_cooperation", coop.id) if r.action == "service_desk.correction"]
        assert rows and "Jumlah peserta tertulis di notulen" in rows[0].diff
    with db.connection():
        assert [(a.document, a.decision) for a in Approval.select().order_by(Approval.id)] == [
            ("rab", "returned"), ("rab", "approved"), ("pks", "approved")]
    step5 = steps_of(vid)[2]
    assert (step5.no, step5.status, step5.completed_by_id) == (5, "done", head.user.id)
    assert step5.notes == ("Selesai menurut aturan: persetujuan Kepala BPVP — "
                           "RAB (Rp 22.400.000) dan PKS PKS/017/BPVP-KDI/2024 disetujui Kepala BPVP.")
    with db.connection():
        assert [e.filename for e in Evidence.select().where(Evidence.run_step == step5.id) if e.kind == "file"] == ["pks.pdf"]
    assert run_of(vid).current_no == 6

    # Step 6: linked to a batch, completes when the batch ends.
    batch = make_batch(code="LAS-KDI", name="Angkatan Nikel", jp=200)
    delivery = balai_client(app, DELIVERY)
    # A batch that ended before the cooperation was agreed cannot be its training.
    from plugins.training.models import Batch
    old = make_batch(code="LAS-KDI", name="Angkatan Lama")
    with db.connection(), db.write():
        audit.update(Batch.get_by_id(old.id), start_date=TODAY - 60 * DAY, end_date=TODAY - 20 * DAY)
    res = delivery.post(f"/service-desk/visits/{vid}/batch", {"batch": old.id}, status=422)
    assert "sebelum kerja sama disepakati" in res.html.select_one("#f-batch-err").text   # next to the field
    assert fetch(GuestVisit, vid).batch_id is None
    delivery.post(f"/service-desk/visits/{vid}/batch", {"batch": batch.id}, status=303)
    assert fetch(GuestVisit, vid).batch_id == batch.id
    assert json.loads(run_of(vid).params) == {"JP": 200}
    assert steps_of(vid)[-1].standard_minutes == 200 * 45
    end_batch_by_http(app, balai_client, batch)
    assert run_of(vid).current_no == 7

    # Step 7 is refused until the ID Billing is paid.
    test = {"ba_number": "BA/LSP-LOGAM/2024/031", "ba_date": TODAY.isoformat(), "candidates": "16", "passed": "15"}
    res = delivery.post(f"/service-desk/visits/{vid}/test", test, upload_files=[("file", "ba.pdf", PDF)], status=422)
    assert "ID Billing biaya sertifikasi belum diterbitkan" in res.text
    # The billing amount is the approved RAB's.
    res = empower.post(f"{base}/billing", {"billing_id": "820240612345678", "billing_amount": "22.000.000",
                                           "billed_on": TODAY.isoformat()}, status=422)
    assert "tidak sama dengan RAB yang disetujui (Rp 22.400.000)" in res.text
    assert fetch(Cooperation, coop.id).billing_id == ""
    res = empower.post(f"{base}/billing", {"billing_id": "820240612345678", "billing_amount": "22400000",
                                           "billed_on": TODAY.isoformat(), "paid": "1"}, status=422)
    assert "Tanggal pembayaran wajib diisi bila sudah dibayar." in res.text
    empower.post(f"{base}/billing", {"billing_id": "820240612345678", "billing_amount": "22400000",
                                     "billed_on": TODAY.isoformat()}, status=303)
    res = delivery.post(f"/service-desk/visits/{vid}/test", test, upload_files=[("file", "ba.pdf", PDF)], status=422)
    assert "tagihan ID Billing 820240612345678 belum dibayar" in res.text
    assert run_of(vid).current_no == 7
    empower.post(f"{base}/billing", {"billing_id": "820240612345678", "billing_amount": "22400000",
                                     "billed_on": TODAY.isoformat(), "paid": "1", "paid_on": TODAY.isoformat()},
                 status=303)
    # Paid: the billing is locked; a change needs a reason.
    res = empower.post(f"{base}/billing", {"billing_id": "820240612345679", "billing_amount": "Rp 22.400.000,00",
                                           "billed_on": TODAY.isoformat(), "paid": "1", "paid_on": TODAY.isoformat()},
                       status=422)
    assert "ID Billing sudah dikunci" in res.text and fetch(Cooperation, coop.id).billing_id == "820240612345678"
    # The empowerment section may link batches but does not perform step 7: a step refusal.
    res = empower.post(f"/service-desk/visits/{vid}/test", test, upload_files=[("file", "ba.pdf", PDF)], status=422)
    assert "Langkah 7 hanya dapat dikerjakan oleh: Sub Koordinator Penyelenggaraan" in res.text
    delivery.post(f"/service-desk/visits/{vid}/test", test, upload_files=[("file", "ba.pdf", PDF)], status=303)
    run = run_of(vid)
    assert run.status == "completed"
    assert [s.no for s in steps_of(vid)] == [1, 4, 5, 6, 7]

    run_page = delivery.get(f"/runs/{run.id}")
    assert "1 hari" in run_page.text and "5 menit" in run_page.text and "tepat waktu" in run_page.text
    assert "Kerja sama" in run_page.text and "RAB (Rp 22.400.000)" in run_page.text


# ---------------------------------------------------------------- recap and chart

def test_daily_recap_and_chart(app, balai_client, kiosk):
    from plugins.service_desk import service
    guest(kiosk, "Budi Hartono", category="umum")
    guest(kiosk, "Rina Wulandari", category="umum")
    guest(kiosk, "Hasanuddin", purpose="cooperation", category="instansi", organisation="Disnakertrans Sultra")
    balai_client(app, "staf_pelatihan").get("/service-desk/recap", status=403)
    today = service.local_today(app)
    page = kiosk.get(f"/service-desk/recap?day={today.isoformat()}")
    assert "Budi Hartono" in page.text and "Disnakertrans Sultra" in page.text
    assert "<strong>3</strong> tamu · Masyarakat umum: 2 · Instansi: 1" in page.text
    assert "<svg" in page.text and "<script" not in page.text
    assert "<title>Masyarakat umum · Pendaftaran pelatihan: 2</title>" in page.text
    assert "<title>Instansi · Kerja sama: 1</title>" in page.text
    assert "<title>Dunia industri · Kerja sama: 0</title>" in page.text
    other = kiosk.get(f"/service-desk/recap?day={(today - 3 * DAY).isoformat()}&since={(today - 9 * DAY).isoformat()}"
                      f"&until={(today - 1 * DAY).isoformat()}")
    assert "Tidak ada tamu pada tanggal ini." in other.text
    assert "<title>Masyarakat umum · Pendaftaran pelatihan: 0</title>" in other.text
    listing = kiosk.get("/service-desk/visits?purpose=cooperation")
    assert "Hasanuddin" in listing.text and "Budi Hartono" not in listing.text


# ---------------------------------------------------------------- with the certification plugin

def registration_at_step_7(app, balai_client, kiosk, batch):
    vid = guest(kiosk, "Muh. Irfan")
    kiosk.post(f"/service-desk/visits/{vid}/register", {"batch": batch.id, "nik": "7471010101000003", "sex": "L",
                                                         "siapkerja_ref": "SK-2024-0100"}, status=303)
    from plugins.service_desk.models import GuestVisit
    enrolment_id = fetch(GuestVisit, vid).enrolment_id
    sel = balai_client(app, DELIVERY)
    sel.post(f"/service-desk/selection/{batch.id}/settings",
             {"cbt_weight": "50", "interview_weight": "50", "pass_mark": "70", "reserve_mark": "60"}, status=303)
    sel.post(f"/service-desk/selection/{batch.id}/scores",
             {f"cbt_score_{enrolment_id}": "90", f"interview_score_{enrolment_id}": "80"}, status=303)
    sel.post(f"/service-desk/selection/{batch.id}/finalise", {}, status=303)
    sel.post(f"/service-desk/selection/{batch.id}/move", {"enrolment": enrolment_id, "to": "reregistered"}, status=303)
    end_batch_by_http(app, balai_client, batch)
    assert run_of(vid).current_no == 7
    return vid, sel


def test_step_7_follows_the_certification_plugin_when_enabled(balai_app, balai_client):
    from core import context, events
    from plugins.certification.models import Scheme, TestEvent, Tuk
    app = balai_app("service_desk", "certification", institution="BPVP Kendari", timezone="WITA")
    kiosk = balai_client(app, KIOSK)
    batch = make_batch()
    vid, sel = registration_at_step_7(app, balai_client, kiosk, batch)
    with db.connection(), db.write():
        scheme = audit.create(Scheme, code="OKM", number="SKM/LSP-TIK/001", title="Operator Komputer Muda")
        tuk = audit.create(Tuk, name="TUK BPVP Kendari", capacity=20)
        event = audit.create(TestEvent, scheme=scheme, tuk=tuk, date=TODAY + 45 * DAY, start_time="08:00",
                             end_time="16:00", batch=batch.id)
        other_scheme = audit.create(Scheme, code="LAS", number="SKM/LSP-LOGAM/002", title="Juru Las SMAW")
        other = audit.create(TestEvent, scheme=other_scheme, tuk=tuk, date=TODAY + 45 * DAY, start_time="08:00",
                             end_time="16:00", batch=None)
        early = audit.create(TestEvent, scheme=scheme, tuk=tuk, date=TODAY + 3 * DAY, start_time="08:00",
                             end_time="16:00", batch=batch.id)

    page = sel.get(f"/service-desk/visits/{vid}")
    assert f'action="/service-desk/visits/{vid}/test-event"' in page.text and f'action="/service-desk/visits/{vid}/test"' not in page.text
    res = sel.follow(sel.post(f"/service-desk/visits/{vid}/test", {"ba_number": "BA/1", "ba_date": TODAY.isoformat(),
                                                                    "candidates": "1", "passed": "1"}))
    assert ("error", "Modul sertifikasi aktif: tautkan jadwal uji kompetensinya.") in flashes(res)
    # Listed with the scheme's name and an Indonesian status.
    assert "Operator Komputer Muda · " in page.text and "Terjadwal (konfirmasi asesor)" in page.text
    assert "Juru Las SMAW" not in page.text
    # Another scheme's test (no batch of this one) and a test held before the training are refused.
    # The refusal is next to the field, nothing saved.
    res = sel.post(f"/service-desk/visits/{vid}/test-event", {"event": other.id}, status=422)
    assert res.html.select_one("#f-event-err").text == \
        "Jadwal uji kompetensi ini bukan untuk angkatan Operator Komputer Muda — Angkatan I."
    res = sel.post(f"/service-desk/visits/{vid}/test-event", {"event": early.id}, status=422)
    assert "sudah lewat sebelum pelatihan dimulai" in res.html.select_one("#f-event-err").text
    from plugins.service_desk.models import TestResult
    with db.connection():
        assert TestResult.select().count() == 0
    sel.post(f"/service-desk/visits/{vid}/test-event", {"event": event.id}, status=303)
    assert run_of(vid).current_no == 7                # linked, not yet done
    assert f'href="/certification/events/{event.id}"' in sel.get(f"/service-desk/visits/{vid}").text

    # The certification plugin archives the event: step 7 completes.
    staff = fetch(__import__("core.identity", fromlist=["User"]).User, sel.user.id)
    context.set_actor(staff)
    try:
        with db.connection():
            with db.write():
                audit.update(TestEvent.get_by_id(event.id), status="archived")
                events.emit("certification.event_archived", event_id=event.id, batch_id=batch.id)
    finally:
        context.set_actor(None)
    run = run_of(vid)
    assert run.status == "completed"
    last = steps_of(vid)[-1]
    assert (last.no, last.status, last.completed_by_id) == (7, "done", sel.user.id)


def test_step_7_by_hand_without_the_certification_plugin(app, balai_client, kiosk):
    batch = make_batch()
    vid, sel = registration_at_step_7(app, balai_client, kiosk, batch)
    assert "certification" not in app.plugins
    sel.post(f"/service-desk/visits/{vid}/test-event", {"event": "1"}, status=404)
    res = sel.post(f"/service-desk/visits/{vid}/test", {"ba_number": "BA/LSP-TIK/2024/009",
                                                        "ba_date": TODAY.isoformat(), "candidates": "1",
                                                        "passed": "1"}, status=422)
    assert "Unggah berkasnya." in res.text
    sel.post(f"/service-desk/visits/{vid}/test", {"ba_number": "BA/LSP-TIK/2024/009", "ba_date": TODAY.isoformat(),
                                                  "candidates": "1", "passed": "1"},
             upload_files=[("file", "ba.pdf", PDF)], status=303)
    assert run_of(vid).status == "completed"
    page = sel.get(f"/service-desk/visits/{vid}")
    assert "BA/LSP-TIK/2024/009" in page.text and "1 / 1" in page.text


# ---------------------------------------------------------------- runs end where the SOP ends

def test_information_complaint_and_placement_end_their_runs(app, balai_client, kiosk):
    from plugins.service_desk.models import Cooperation
    for purpose, label in (("information", "Informasi saja"), ("complaint", "Pengaduan")):
        vid = guest(kiosk, f"Tamu {purpose}", purpose=purpose, notes="Antrean terlalu lama.")
        run = run_of(vid)
        assert run.status == "ended" and [(s.no, s.branch) for s in steps_of(vid)] == [(1, label)]
    vid = guest(kiosk, "Hj. Nurhayati", purpose="cooperation", category="industri", organisation="PT Tambang Raya")
    with db.connection():
        coop = Cooperation.get(Cooperation.visit == vid)
    empower = balai_client(app, EMPOWER)
    empower.post(f"/service-desk/cooperations/{coop.id}/minutes",
                 {"kind": "placement", "meeting_date": TODAY.isoformat(),
                  "minutes": "Perusahaan membutuhkan 10 operator alat berat lulusan BPVP."}, status=303)
    run = run_of(vid)
    assert run.status == "ended" and steps_of(vid)[-1].branch == "Kerja sama penempatan kerja"
    assert [s.no for s in steps_of(vid)] == [1, 4]          # no RAB/PKS for certification


def test_selection_weights_and_birth_date_are_checked(app, balai_client, kiosk):
    from plugins.service_desk.models import GuestVisit, SelectionSetting
    batch = make_batch()
    sel = balai_client(app, DELIVERY)
    res = sel.post(f"/service-desk/selection/{batch.id}/settings",
                   {"cbt_weight": "60", "interview_weight": "50", "pass_mark": "70", "reserve_mark": "60"}, status=422)
    assert "Jumlah bobot CBT dan wawancara harus 100%." in res.text
    with db.connection():
        assert SelectionSetting.select().count() == 0
    vid = guest(kiosk, "Wa Ode Future")
    res = kiosk.post(f"/service-desk/visits/{vid}/register",
                     {"batch": batch.id, "nik": "7471010101000009", "sex": "P",
                      "birth_date": (TODAY + 30 * DAY).isoformat(), "siapkerja_ref": "SK-1"}, status=422)
    assert "Tanggal tidak boleh di masa depan" in res.text
    assert fetch(GuestVisit, vid).enrolment_id is None


def test_demo_records_each_meeting_on_or_after_its_visit(app):
    """The demo gives its cooperation visits their real (back-dated) days before it records their minutes: it
    loads with the meeting-date rule in force, and no meeting is before its visit."""
    from core.testing import make_user
    from plugins.service_desk import demo
    from plugins.service_desk.models import Cooperation, GuestVisit
    for role in (KIOSK, EMPOWER, DELIVERY, HEAD):
        make_user(app, role.replace("_", "."), [role])
    with db.connection():
        lines = demo.load(app)
        assert "1 kerja sama dengan RAB dan PKS menunggu persetujuan" in lines and demo.load(app) == []
        met = [(c.meeting_date, c.visit.day) for c in Cooperation.select(Cooperation, GuestVisit).join(GuestVisit)
               .where(Cooperation.meeting_date.is_null(False))]
    assert len(met) == 2 and all(meeting >= visited for meeting, visited in met), met
    assert all(visited < TODAY for _m, visited in met)         # back-dated visits


# ---------------------------------------------------------------- papers on the document service

def _pdf_text(client, doc_id):
    import io
    from pypdf import PdfReader
    res = client.get(f"/documents/{doc_id}/pdf")
    assert res.content_type == "application/pdf"
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(res.body)).pages).split())


def _issued(res):
    assert res.status_int == 303, res.text[:500]
    match = re.search(r"/documents/(\d+)$", res.headers["Location"])
    assert match, res.headers["Location"]
    return int(match.group(1))


def test_papers_are_issued_and_verify(app, balai_client, kiosk):
    from core.documents.models import Document
    from plugins.service_desk.models import Cooperation
    batch = make_batch()
    vid = guest(kiosk, "La Ode Rahman")
    kiosk.post(f"/service-desk/visits/{vid}/register", {"batch": batch.id, "nik": "7471010101000001", "sex": "L",
                                                         "siapkerja_ref": "SK-2024-0001"}, status=303)
    doc = _issued(kiosk.post(f"/service-desk/papers/receipt/{vid}", {"back": f"/service-desk/visits/{vid}"}))
    text = _pdf_text(balai_client(app, "admin"), doc)
    assert "BUKTI PENDAFTARAN PELATIHAN" in text and "SK-2024-0001" in text and "Kendari," in text
    # Rekap nilai is issued after the selection, signed by who finalised it; not before.
    sel = balai_client(app, DELIVERY)
    res = sel.follow(sel.post(f"/service-desk/papers/selection/{batch.id}", {}))
    assert ("error", "Seleksi angkatan ini belum difinalkan.") in flashes(res)
    from plugins.service_desk.models import GuestVisit
    eid = fetch(GuestVisit, vid).enrolment_id
    sel.post(f"/service-desk/selection/{batch.id}/settings",
             {"cbt_weight": "60", "interview_weight": "40", "pass_mark": "70", "reserve_mark": "60"}, status=303)
    sel.post(f"/service-desk/selection/{batch.id}/scores", {f"cbt_score_{eid}": "80", f"interview_score_{eid}": "75"},
             status=303)
    sel.post(f"/service-desk/selection/{batch.id}/finalise", {}, status=303)
    sel.post(f"/service-desk/selection/{batch.id}/move", {"enrolment": eid, "to": "reregistered"}, status=303)
    admin = balai_client(app, "admin")
    for kind, oid, words in (("selection", batch.id, ["REKAP NILAI HASIL SELEKSI", "78,00", sel.user.full_name]),
                             ("announcement", batch.id, ["PENGUMUMAN KELULUSAN", "La Ode Rahman"]),
                             ("reregistration", eid, ["FORMULIR DAFTAR ULANG", "La Ode Rahman"]),
                             ("test_request", batch.id, ["SURAT PERMINTAAN UJI KOMPETENSI", "La Ode Rahman"])):
        text = _pdf_text(admin, _issued(sel.post(f"/service-desk/papers/{kind}/{oid}", {})))
        for word in words:
            assert word in text, (kind, word)
    kiosk.post(f"/service-desk/papers/selection/{batch.id}", {}, status=403)
    # Cooperation papers: notulen, RAB with the total in words signed by the approver, PKS.
    cvid = guest(kiosk, "Andi", purpose="cooperation", category="industri", organisation="PT Nikel Sultra")
    with db.connection():
        coop = Cooperation.get(Cooperation.visit == cvid)
    base = f"/service-desk/cooperations/{coop.id}"
    empower, head = balai_client(app, EMPOWER), balai_client(app, HEAD)
    empower.post(f"{base}/minutes", {"kind": "training_certification", "meeting_date": TODAY.isoformat(),
                                     "minutes": "Sertifikasi 16 operator las."}, status=303)
    empower.post(f"{base}/rab/lines", {"item": "Biaya uji kompetensi", "volume": "16", "unit": "orang",
                                       "unit_cost": "650.000"}, status=303)
    res = empower.follow(empower.post(f"/service-desk/papers/rab/{coop.id}", {"back": base}))
    assert ("error", "RAB belum disetujui Kepala BPVP.") in flashes(res)
    empower.post(f"{base}/pks", {"number": "PKS/017/BPVP-KDI/2026", "parties": "1. BPVP Kendari\n2. PT Nikel Sultra",
                                 "scope": "Pelatihan dan sertifikasi juru las", "period_start": TODAY.isoformat(),
                                 "period_end": (TODAY + 300 * DAY).isoformat()}, status=303)
    empower.post(f"{base}/submit/rab", {}, status=303)
    head.post(f"{base}/decide/rab", {"decision": "approve"}, status=303)
    text = _pdf_text(admin, _issued(empower.post(f"/service-desk/papers/minutes/{coop.id}", {})))
    assert "NOTULEN HASIL PERTEMUAN" in text and "Sertifikasi 16 operator las." in text
    rab = _issued(empower.post(f"/service-desk/papers/rab/{coop.id}", {}))
    text = _pdf_text(admin, rab)
    assert "Rp 10.400.000" in text and "sepuluh juta empat ratus ribu rupiah" in text.lower()
    assert head.user.full_name in text                      # signed by the head who approved it
    text = _pdf_text(admin, _issued(empower.post(f"/service-desk/papers/pks/{coop.id}", {})))
    assert "PERJANJIAN KERJA SAMA" in text and "PKS/017/BPVP-KDI/2026" in text
    with db.connection():
        token = Document.get_by_id(rab).token
    page = admin.get(f"/verify/{token}")
    assert "Rencana Anggaran Biaya" in page.text
    empower.post("/service-desk/papers/nothing/1", {}, status=404)
    empower.post("/service-desk/papers/rab/99999", {}, status=404)


# ---------------------------------------------------------------- public-service duties

def test_skm_kiosk_index_per_regulation_and_export(app, balai_client, kiosk):
    import webtest
    from plugins.service_desk import skm
    from plugins.service_desk.models import SkmResponse
    public = webtest.TestApp(app.wsgi)
    page = public.get("/layanan/skm")
    assert "Maklumat Pelayanan" in page.text and "sanggup menyelenggarakan pelayanan" in page.text
    assert "U9. Sarana dan prasarana" in page.text
    form = page.forms[0]
    # Every element must be answered: the message is next to the element, nothing saved.
    res = form.submit(status=422)
    assert 'id="f-u1-err"' in res.text and "Pilih salah satu jawaban." in res.text
    with db.connection():
        assert SkmResponse.select().count() == 0
    # The regulation's arithmetic: means × 1/9, summed, × 25.
    answers = [[4, 3, 3, 4, 3, 4, 4, 3, 3], [3, 3, 2, 4, 3, 3, 4, 3, 2], [4, 4, 3, 4, 4, 4, 4, 4, 3]]
    for row in answers:
        page = public.get("/layanan/skm")
        form = page.forms[0]
        for code, value in zip(skm.CODES, row):
            form[code] = str(value)
        assert "Terima kasih" in form.submit().text
    means = [sum(r[i] for r in answers) / 3 for i in range(9)]
    expected = round(sum(means) / 9 * 25, 2)
    with db.connection():
        r = skm.index(TODAY - 400 * DAY, TODAY + DAY)
    assert r["n"] == 3 and float(r["converted"]) == pytest.approx(expected, abs=0.01)
    assert r["category"] == skm.category_of(r["converted"])[0]
    # The interval bounds of the regulation.
    from decimal import Decimal as D
    assert [skm.category_of(D(v))[0] for v in ("88.31", "88.30", "76.61", "76.60", "65.00", "64.99")] == \
        ["A", "B", "B", "C", "C", "D"]
    # A visit's own link is a core public link: answered once (audited), unknown and expired ones refused.
    from core.audit import AuditLog
    from core.public_links import PublicLink
    vid = guest(kiosk, "Pengunjung SKM", purpose="information")
    with db.connection():
        link = PublicLink.get((PublicLink.purpose == "service_desk.skm") & (PublicLink.subject_id == str(vid)))
        assert link.subject_type == "service_desk_visit" and link.expires_at > datetime.datetime.utcnow()
    token = link.token
    assert f"/layanan/skm?t={token}" in kiosk.get(f"/service-desk/visits/{vid}").text
    good = {c: "4" for c in skm.CODES}
    page = public.get(f"/layanan/skm?t={token}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    public.post(f"/layanan/skm?t={token}", dict(good, csrf_token=csrf), status=200)
    with db.connection():
        assert SkmResponse.get(SkmResponse.visit == vid).u1 == 4
        assert fetch(PublicLink, link.id).answered_at is not None
        assert AuditLog.select().where((AuditLog.object_type == "public_link")
                                       & (AuditLog.object_id == str(link.id))).count() >= 2   # made, answered
    res = public.post(f"/layanan/skm?t={token}", dict(good, csrf_token=csrf), status=409)
    assert "Survei kunjungan ini sudah diisi." in res.text
    assert "Survei kunjungan ini sudah diisi." in public.get(f"/layanan/skm?t={token}", status=409).text
    res = public.post("/layanan/skm?t=bukan-token-yang-ada", dict(good, csrf_token=csrf), status=404)
    assert "Tautan survei tidak dikenal." in res.text
    late = guest(kiosk, "Pengunjung Lama", purpose="information")
    with db.connection(), db.write():
        old = PublicLink.get((PublicLink.purpose == "service_desk.skm") & (PublicLink.subject_id == str(late)))
        audit.update(old, expires_at=datetime.datetime.utcnow() - DAY)
    res = public.post(f"/layanan/skm?t={old.token}", dict(good, csrf_token=csrf), status=410)
    assert "sudah tidak berlaku" in res.text
    with db.connection():
        assert SkmResponse.select().where(SkmResponse.visit == late).count() == 0
    # Rate limited per address.
    for _i in range(skm.RATE_MAX):
        res = public.post("/layanan/skm", dict(good, csrf_token=csrf), expect_errors=True)
        if res.status_int == 429:
            break
    assert res.status_int == 429 and "Terlalu banyak jawaban" in res.text
    # IKM per period, chart and export.
    staff = balai_client(app, KIOSK)
    recap = staff.get(f"/service-desk/skm?year={TODAY.year}")
    assert "Indeks Kepuasan Masyarakat" in recap.text and "<svg" in recap.text
    csv_text = staff.get(f"/service-desk/skm/export?year={TODAY.year}").text
    assert f"Tahun {TODAY.year}" in csv_text and "U1" in csv_text and "Mutu pelayanan" in csv_text
    xlsx = staff.get(f"/service-desk/skm/export?year={TODAY.year}&format=xlsx")
    assert xlsx.body[:2] == b"PK"


def test_complaints_log_with_time_standard_and_answer(app, balai_client, kiosk):
    from plugins.service_desk.models import Complaint
    res = kiosk.post("/service-desk/visits/new", {"name": "Pak Amir", "category": "umum", "purpose": "complaint",
                                                  "consent": "1", "notes": ""}, status=422)
    assert "Tulis isi pengaduan tamu di catatan." in res.text
    vid = guest(kiosk, "Pak Amir", purpose="complaint", notes="Sertifikat pelatihan belum diterima sejak 3 bulan.")
    with db.connection():
        c = Complaint.get(Complaint.visit == vid)
    assert c.due_at is not None and c.answered_at is None
    head = balai_client(app, HEAD)
    assert "Jawab pengaduan: Pengaduan tamu Pak Amir" in head.get("/tasks").text
    res = head.post(f"/service-desk/complaints/{c.id}/answer", {"answer": ""}, status=422)
    assert "Wajib diisi." in res.text
    head.post(f"/service-desk/complaints/{c.id}/answer",
              {"answer": "Sertifikat sudah dicetak; silakan ambil di front office."}, status=303)
    c = fetch(Complaint, c.id)
    assert c.answered_at is not None and "front office" in c.answer
    assert "Jawab pengaduan: Pengaduan tamu Pak Amir" not in head.get("/tasks").text
    # Logged by hand too (phone, LAPOR!), with a message next to a missing field.
    res = kiosk.post("/service-desk/complaints", {"name": "Ibu Sari", "channel": "telepon", "subject": "",
                                                  "text": "x"}, status=422)
    assert "Wajib diisi." in res.text
    kiosk.post("/service-desk/complaints", {"name": "Ibu Sari", "channel": "telepon", "subject": "Antrian lama",
                                            "text": "Menunggu 2 jam di kios."}, status=303)
    assert "Antrian lama" in kiosk.get("/service-desk/complaints").text


def test_skm_tokens_of_visits_before_public_links_keep_working(tmp_path, balai_db):
    """A database at service_desk 0002 (the token on the visit) migrates to the core's public links:
    the QR already shown still opens the questionnaire, and a survey answered before stays answered."""
    import os

    import webtest

    from core import app as app_mod
    from core.public_links import PublicLink
    from core.testing import write_config
    from plugins.service_desk import skm
    from plugins.service_desk.models import SkmResponse
    app = app_mod.build(write_config(str(tmp_path), ["training", "service_desk"], balai_db), check_database=False)
    here = os.path.dirname(skm.__file__)
    with db.connection():
        conn = db.database.obj
        for plugin, directory in app.plugins.each("balai_migrations_dir"):
            if directory and plugin.name != "service_desk":
                db.runner_for(plugin.name, directory).up()
        db.runner_for("service_desk", os.path.join(here, "migrations")).up(target="0002_skm_complaints")
        p = "?" if db.is_sqlite(conn) else "%s"
        now = datetime.datetime.utcnow().replace(microsecond=0)
        for vid, token in ((1, "kodeQRlamaBelumDiisi1"), (2, "kodeQRlamaSudahDiisi2")):
            conn.execute_sql("INSERT INTO service_desk_visit (id, visited_at, day, name, category, organisation, "
                             "phone, purpose, consent, notes, skm_token) "
                             f"VALUES ({', '.join([p] * 11)})",
                             (vid, now, TODAY, f"Tamu {vid}", "umum", "", "", "information", True, "", token))
        conn.execute_sql("INSERT INTO service_desk_skm_response (answered_at, day, visit_id, client, sex, education, "
                         "u1, u2, u3, u4, u5, u6, u7, u8, u9, suggestion) "
                         f"VALUES ({', '.join([p] * 16)})", (now, TODAY, 2, "x", "", "", *[3] * 9, ""))
        ran = db.migrate(app.plugins)
        assert ("service_desk", "0003_skm_public_links") in ran
        links = {row.subject_id: row for row in PublicLink.select().where(PublicLink.purpose == skm.LINK_PURPOSE)}
        assert (links["1"].token, links["1"].answered_at) == ("kodeQRlamaBelumDiisi1", None)
        assert links["2"].token == "kodeQRlamaSudahDiisi2" and links["2"].answered_at is not None
    public = webtest.TestApp(app.wsgi)
    page = public.get("/layanan/skm?t=kodeQRlamaBelumDiisi1")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    good = dict({c: "4" for c in skm.CODES}, csrf_token=csrf)
    public.post("/layanan/skm?t=kodeQRlamaBelumDiisi1", good, status=200)
    assert "sudah diisi" in public.post("/layanan/skm?t=kodeQRlamaSudahDiisi2", good, status=409).text
    with db.connection():
        assert SkmResponse.select().where(SkmResponse.visit == 1).count() == 1
        assert SkmResponse.select().where(SkmResponse.visit == 2).count() == 1
