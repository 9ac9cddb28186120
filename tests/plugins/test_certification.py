"""Plugin ``certification`` (PSM/DISNAKER-10): the 8 steps through HTTP as the
right roles, the scheduling refusals, the candidate's token link, the berita
acara, the quality review's return, the archive lock, certificates."""
import csv
import datetime
import io
import re
import zoneinfo

from core import audit, db
from core.hookspecs import hookimpl
from core.testing import institution_today

# the institution's day (WIB, the default time zone), as the app counts it: not the server's, which is the day
# before between 17:00 and 24:00 UTC
TODAY = institution_today()
DAY = TODAY + datetime.timedelta(days=21)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


# ---------------------------------------------------------------- helpers

def new_id(res):
    assert res.status_int == 303, res.text[:2000]
    return int(re.search(r"/(\d+)$", res.headers["Location"]).group(1))


def make_batch(n=3):
    """A training batch with ``n`` graduates (training has no screens of its own here)."""
    from plugins.training.models import Batch, Enrolment, Person, Programme
    names = ["Ahmad Fauzi", "Budi Santoso", "Citra Lestari", "Dewi Anggraini", "Eko Prasetyo"][:n]
    with db.connection(), db.write():
        prog = audit.create(Programme, code="TIK-OK", title="Operator Komputer", field="TIK", total_jp=240)
        batch = audit.create(Batch, programme=prog, name="Angkatan I", start_date=TODAY - datetime.timedelta(days=60),
                             end_date=TODAY - datetime.timedelta(days=5), quota=16,
                             reg_opens=TODAY - datetime.timedelta(days=90), reg_closes=TODAY - datetime.timedelta(days=61),
                             status="ended")
        enrolments = []
        for i, name in enumerate(names):
            person = audit.create(Person, nik=f"36710{i + 1:02d}1234567{i:02d}"[:16], name=name, sex="L" if i % 2 else "P")
            enrolments.append(audit.create(Enrolment, person=person, batch=batch, status="graduated"))
    return batch.id, [e.id for e in enrolments]


APL_FORM = {"education": "sma", "institution": "", "purpose": "sertifikasi", "interview_notes": "Siap diuji"}
APL_FILES = [("doc_ktp", "ktp.png", PNG), ("doc_ijazah", "ijazah.pdf", b"%PDF-1.4 ijazah"), ("doc_foto", "foto.png", PNG),
             ("doc_sertifikat_pelatihan", "sertifikat.pdf", b"%PDF-1.4 sertifikat")]


def receive_applications(client, event_id, candidate_ids):
    """The office receives each candidate's APL-01 with its four documents (intake)."""
    for cid in candidate_ids:
        client.post(f"/certification/events/{event_id}/candidates/{cid}/application", APL_FORM,
                    upload_files=APL_FILES, status=303)


def make_user_(app, username, roles, **fields):
    from core.testing import make_user
    return make_user(app, username, roles, **fields)


def token_of(candidate_id):
    """The candidate's confirmation link (a core public link)."""
    from core import public_links
    with db.connection():
        return public_links.for_subject("certification.confirm", ("certification_candidate", candidate_id)).token


def reference(manager, capacity=20, assessor_user=None, assessor_users=None, tuk_head=None):
    """Scheme with two units and a checklist, a TUK (its head linked to ``tuk_head``'s account when given), and
    assessors: two licensed, one unlicensed, one expired MET."""
    scheme = new_id(manager.post("/certification/schemes/new", {
        "code": "OKM", "number": "SKM/BNSP/00010/2/2023/OKM", "title": "Operator Komputer Madya",
        "kind": "kkni", "validity_years": "3"}))
    manager.post(f"/certification/schemes/{scheme}/units", {"code": "TIK.OP01.001.01", "title": "Mengoperasikan PC"}, status=303)
    manager.post(f"/certification/schemes/{scheme}/units", {"code": "TIK.OP01.002.01", "title": "Mengolah kata"}, status=303)
    manager.post(f"/certification/schemes/{scheme}/checklist", {"category": "equipment", "label": "Komputer 20 unit"}, status=303)
    manager.post(f"/certification/schemes/{scheme}/checklist", {"category": "room", "label": "Ruang lab ber-AC"}, status=303)
    tuk = new_id(manager.post("/certification/tuks/new", {
        "name": "TUK Sewaktu UPT Latihan Kerja", "kind": "sewaktu", "address": "Jl. Perintis Kemerdekaan, Tangerang",
        "capacity": str(capacity), "head_name": "Rina Marlina", "head_nip": "197805122005012003",
        **({"head_user": str(tuk_head.id)} if tuk_head is not None else {})}))
    ids = {}
    for key, name, met, expiry in [("a1", "Hendra Wijaya", "MET.000.001234.2019", TODAY + datetime.timedelta(days=400)),
                                   ("a2", "Sri Wahyuni", "MET.000.004321.2020", TODAY + datetime.timedelta(days=400)),
                                   ("a3", "Joko Susilo", "MET.000.005555.2021", TODAY + datetime.timedelta(days=400)),
                                   ("old", "Bambang Hartono", "MET.000.000777.2015", TODAY - datetime.timedelta(days=10))]:
        data = {"name": name, "met_number": met, "met_expiry": expiry.isoformat()}
        users = dict(assessor_users or {}, **({"a1": assessor_user} if assessor_user is not None else {}))
        if users.get(key) is not None:
            data["user"] = str(users[key].id)
        ids[key] = new_id(manager.post("/certification/assessors/new", data))
        if key != "a3":          # a3 is not licensed for the scheme
            manager.post(f"/certification/assessors/{ids[key]}/schemes", {"scheme": str(scheme)}, status=303)
    return {"scheme": scheme, "tuk": tuk, **ids}


def event_form(ref, assessors, batch=None, enrolments=(), start="08:00", end="16:00", day=DAY, **extra):
    data = {"scheme": str(ref["scheme"]), "tuk": str(ref["tuk"]), "date": day.isoformat(), "start_time": start,
            "end_time": end, "assessor": [str(a) for a in assessors]}
    if batch:
        data["batch"] = str(batch)
        data["enrolment"] = [str(e) for e in enrolments]
    data.update(extra)
    return data


def get_event(event_id):
    from plugins.certification.models import TestEvent
    with db.connection():
        return TestEvent.get_by_id(event_id)


def flash_of(client, res):
    return client.follow(res).text


class Recorder:
    def __init__(self):
        self.seen = []

    @hookimpl
    def balai_event(self, name, data):
        if name == "certification.event_archived":
            from plugins.certification.models import TestEvent
            self.seen.append((dict(data), db.database.obj.in_transaction(),
                              TestEvent.get_by_id(data["event_id"]).status))


# ---------------------------------------------------------------- the whole SOP

def test_eight_steps_end_to_end(balai_app, balai_client, tmp_path):
    from core.testing import make_user
    from core.tracker.models import Run, RunStep
    from plugins.certification.models import Candidate, ChecklistItem, EventAssessor
    from plugins.certification.models import CompetencyCertificate as Certificate
    app = balai_app("certification")
    recorder = Recorder()
    app.plugins.pm.register(recorder, name="cert-test-recorder")
    admin = balai_client(app, "bagian_administrasi")
    asesor_user = make_user(app, "hendra", ["asesor"], full_name="Hendra Wijaya")
    asesor = balai_client(app, user=asesor_user)
    sri = make_user(app, "sri", ["asesor"], full_name="Sri Wahyuni")
    other_asesor = balai_client(app, user=sri)
    rina = make_user(app, "rina", ["kepala_tuk"], full_name="Rina Marlina", nip="197805122005012003")
    tuk_head = balai_client(app, user=rina)
    other_head = balai_client(app, user=make_user(app, "dedi", ["kepala_tuk"], full_name="Dedi Kurniawan"))
    mutu = balai_client(app, "manajemen_mutu")
    teknis = balai_client(app, "teknis_operasional")
    anon = balai_client(app)

    ref = reference(teknis, assessor_user=asesor_user, assessor_users={"a2": sri}, tuk_head=rina)
    batch, enrolments = make_batch(3)

    # A candidate cannot schedule; the form lists the batch's graduates.
    asesor.get("/certification/events/new", status=403)
    page = admin.get(f"/certification/events/new?batch={batch}")
    assert "Ahmad Fauzi" in page.text and "Citra Lestari" in page.text

    # The test is today: steps 1–4 happen before it on the same day.
    event_id = new_id(admin.post("/certification/events/new",
                                 event_form(ref, [ref["a1"], ref["a2"]], batch, enrolments, day=TODAY)))
    event = get_event(event_id)
    assert event.status == "scheduled" and event.batch_id == batch
    with db.connection():
        run = Run.get((Run.subject_type == "certification_test_event") & (Run.subject_id == str(event_id)))
        assert run.code == "PSM-DISNAKER-10" and run.current_no == 1
        cands = {c.person.name: c for c in Candidate.select().where(Candidate.event == event_id)}
        eas = list(EventAssessor.select().where(EventAssessor.event == event_id))
        items = [i.id for i in ChecklistItem.select().where(ChecklistItem.scheme == ref["scheme"])]
    assert sorted(cands) == ["Ahmad Fauzi", "Budi Santoso", "Citra Lestari"]
    page = admin.get(f"/certification/events/{event_id}")
    assert "Operator Komputer Madya" in page.text and "Hendra Wijaya" in page.text

    # Step 1: refused until every assessor confirmed; then done by Bagian Administrasi.
    res = admin.post(f"/certification/events/{event_id}/step1", {}, status=303)
    assert "Asesor belum mengonfirmasi" in flash_of(admin, res)
    res = admin.post(f"/runs/{run.id}/complete", {"no": "1"}, status=303)        # the same rule on the run page
    assert "Asesor belum mengonfirmasi kesediaan: Hendra Wijaya, Sri Wahyuni." in flash_of(admin, res)
    assert get_event(event_id).status == "scheduled"
    for ea in eas:
        admin.post(f"/certification/events/{event_id}/confirm", {"kind": "assessor", "row": ea.id, "state": "confirmed"},
                   status=303)
    admin.post(f"/certification/events/{event_id}/step1", {}, status=303)
    assert get_event(event_id).status == "preparing"

    # Step 2: the head of the TUK ticks the checklist (with a photo); the last tick completes the step.
    asesor.post(f"/certification/events/{event_id}/readiness", {f"done_{items[0]}": "1"}, status=403)
    # Only the head linked to the event's TUK fills in its readiness: another Kepala TUK sees it without a form,
    # and what they send is refused (the form re-shown, 422), nothing saved.
    page = other_head.get(f"/certification/events/{event_id}/readiness")
    assert "Kesiapan sarana uji ini diisi oleh Kepala TUK dari TUK Sewaktu UPT Latihan Kerja" in page.text
    assert "Simpan kesiapan" not in page.text
    page = other_head.post(f"/certification/events/{event_id}/readiness",
                           {f"done_{items[0]}": "1", f"notes_{items[0]}": "Dari TUK lain", f"done_{items[1]}": "1"},
                           status=422)
    assert "Hanya Kepala TUK dari TUK Sewaktu UPT Latihan Kerja yang dapat mengisi kesiapan sarana uji ini." in page.text
    with db.connection():
        from plugins.certification.models import ChecklistTick
        assert ChecklistTick.select().count() == 0 and Run.get_by_id(run.id).current_no == 2
    assert "Simpan kesiapan" in tuk_head.get(f"/certification/events/{event_id}/readiness").text
    tuk_head.post(f"/certification/events/{event_id}/readiness", {f"done_{items[0]}": "1", f"notes_{items[0]}": "20 unit siap"},
                  upload_files=[(f"photo_{items[0]}", "lab.png", PNG)], status=303)
    with db.connection():
        assert Run.get_by_id(run.id).current_no == 2
    tuk_head.post(f"/certification/events/{event_id}/readiness",
                  {f"done_{items[0]}": "1", f"notes_{items[0]}": "20 unit siap", f"done_{items[1]}": "1"}, status=303)
    with db.connection():       # joint step: Kepala TUK signed off, Teknis Operasional still to sign
        assert Run.get_by_id(run.id).current_no == 2
    teknis.post(f"/runs/{run.id}/complete", {"no": "2", "notes": "Rencana uji disepakati"}, status=303)
    with db.connection():
        assert Run.get_by_id(run.id).current_no == 3
    page = admin.get(f"/certification/events/{event_id}/readiness")
    assert "lab.png" in page.text and "20 unit siap" in page.text
    photo = re.search(r'href="(/certification/photos/\d+)"', page.text).group(1)
    assert admin.get(photo).body == PNG
    # A refused file: its message next to its field, what was typed kept, nothing saved.
    page = tuk_head.post(f"/certification/events/{event_id}/readiness",
                         {f"done_{items[0]}": "1", f"notes_{items[0]}": "Diganti 18 unit"},
                         upload_files=[(f"photo_{items[0]}", "virus.exe", b"MZ")], status=422)
    assert f'id="photo-{items[0]}-err">Jenis berkas .exe tidak diterima' in page.text
    assert 'value="Diganti 18 unit"' in page.text and f'id="done-{items[0]}" name="done_{items[0]}" value="1" checked' in page.text
    page = tuk_head.post(f"/certification/events/{event_id}/readiness",
                         {f"done_{items[0]}": "1", f"notes_{items[1]}": "x" * 501}, status=422)
    assert f'id="notes-{items[1]}-err">Catatan paling banyak 500 karakter.' in page.text
    with db.connection():
        assert ChecklistTick.get(ChecklistTick.item == items[0]).notes == "20 unit siap"

    # Step 3 has no data of its own: done on the generic run page; the event's status follows.
    res = tuk_head.post(f"/certification/events/{event_id}/step3", {}, status=403)
    admin.post(f"/runs/{run.id}/complete", {"no": "3", "notes": "Peserta diingatkan lewat WA"}, status=303)
    assert get_event(event_id).status == "confirming"
    res = admin.post(f"/certification/events/{event_id}/step3", {}, status=303)
    assert "bukan langkah 3" in flash_of(admin, res)

    # Step 4: candidates confirm by their link (valid, used, unknown) or through staff.
    token = token_of(cands["Ahmad Fauzi"].id)
    page = admin.get(f"/certification/events/{event_id}")
    assert token not in page.text          # no raw link on screen: WhatsApp click-to-chat instead
    assert "https://wa.me/" not in page.text or "Kirim jadwal lewat WhatsApp" in page.text
    page = anon.get(f"/confirm/{token}")
    assert "Ahmad Fauzi" in page.text and "Ya, saya akan hadir" in page.text
    # Only the page's two answers are recorded: an empty or forged one is refused, the link stays open.
    assert "Pilih salah satu jawaban." in anon.post(f"/confirm/{token}", {"answer": ""}, status=422).text
    with db.connection():
        assert Candidate.get_by_id(cands["Ahmad Fauzi"].id).confirmation == "pending"
    page = anon.post(f"/confirm/{token}", {"answer": "yes"}, status=200)
    assert "Kehadiran Anda sudah tercatat" in page.text
    page = anon.get(f"/confirm/{token}")
    assert "sudah tercatat sebelumnya" in page.text and "Ya, saya akan hadir" not in page.text
    page = anon.post(f"/confirm/{token}", {"answer": "no"}, status=409)
    assert "sudah tercatat sebelumnya" in page.text
    assert "tidak dikenal" in anon.get("/confirm/tidak-ada-token-ini", status=404).text
    anon.post("/confirm/tidak-ada-token-ini", {"answer": "yes"}, status=404)
    with db.connection():
        c = Candidate.get_by_id(cands["Ahmad Fauzi"].id)
        assert (c.confirmation, c.confirmed_via) == ("confirmed", "link")
    anon.post(f"/confirm/{token_of(cands['Budi Santoso'].id)}", {"answer": "yes"}, status=200)
    res = admin.post(f"/certification/events/{event_id}/step4", {}, status=303)
    assert "Peserta belum konfirmasi: Citra Lestari" in flash_of(admin, res)
    res = admin.post(f"/runs/{run.id}/complete", {"no": "4"}, status=303)        # the same rule on the run page
    assert "Peserta belum konfirmasi: Citra Lestari." in flash_of(admin, res)
    assert get_event(event_id).status == "confirming"
    admin.post(f"/certification/events/{event_id}/confirm",
               {"kind": "candidate", "row": cands["Citra Lestari"].id, "state": "confirmed"}, status=303)
    # Intake: without every candidate's complete APL-01 the confirmations cannot close step 4 (tracker guard).
    receive_applications(admin, event_id, [cands["Ahmad Fauzi"].id])
    res = admin.post(f"/certification/events/{event_id}/step4", {}, status=303)
    assert "Permohonan (APL-01) dengan KTP, ijazah, pas foto dan sertifikat pelatihan belum lengkap untuk: " \
           "Budi Santoso, Citra Lestari." in flash_of(admin, res)
    assert get_event(event_id).status == "confirming"
    res = admin.post(f"/runs/{run.id}/complete", {"no": "4"}, status=303)        # nor on the generic run page
    assert "belum lengkap untuk: Budi Santoso, Citra Lestari" in flash_of(admin, res)
    receive_applications(admin, event_id, [cands["Budi Santoso"].id, cands["Citra Lestari"].id])
    admin.post(f"/certification/events/{event_id}/step4", {}, status=303)
    assert get_event(event_id).status == "ready"

    # Step 5: attendance and results per unit; overall K only when every unit is K.
    with db.connection():
        from plugins.certification.models import SchemeUnit
        u1, u2 = [u.id for u in SchemeUnit.select().where(SchemeUnit.scheme == ref["scheme"]).order_by(SchemeUnit.code)]
    a, b, c = cands["Ahmad Fauzi"].id, cands["Budi Santoso"].id, cands["Citra Lestari"].id
    ea_ids = [ea.id for ea in eas]
    results = {f"asesor-{ea_ids[0]}-present": "1", f"asesor-{ea_ids[1]}-present": "1",
               f"hasil-{a}-present": "1", f"hasil-{a}-u{u1}": "K", f"hasil-{a}-u{u2}": "K", f"hasil-{a}-rec": "Direkomendasikan",
               f"hasil-{b}-present": "1", f"hasil-{b}-u{u1}": "K", f"hasil-{b}-u{u2}": "BK",
               f"hasil-{b}-rec": "Ulang unit mengolah kata", f"hasil-{c}-present": "0"}
    mutu.post(f"/certification/events/{event_id}/results", results, status=403)
    page = asesor.post(f"/certification/events/{event_id}/results", {f"hasil-{a}-present": "1", "finish": "1"}, status=422)
    assert "belum lengkap" in page.text
    # The grid: a bad cell and an absent candidate with a result are shown in their cells, every value kept,
    # nothing saved.
    page = asesor.post(f"/certification/events/{event_id}/results",
                       dict(results, **{f"hasil-{a}-u{u2}": "LULUS", f"hasil-{c}-u{u1}": "K"}), status=422)
    assert re.search(rf'id="hasil-{a}-u{u2}-err">Pilihan tidak valid', page.text)
    assert re.search(rf'id="hasil-{c}-u{u1}-err">Peserta tidak hadir tidak dapat diberi hasil', page.text)
    assert 'value="Ulang unit mengolah kata"' in page.text
    with db.connection():
        assert Candidate.get_by_id(a).present is None and Candidate.get_by_id(b).recommendation == ""
    asesor.post(f"/certification/events/{event_id}/results", dict(results, finish="1"), status=303)
    assert get_event(event_id).status == "ready"          # joint step 5: Teknis Operasional signs too
    teknis.post(f"/certification/events/{event_id}/results", dict(results, finish="1"), status=303)
    assert get_event(event_id).status == "reporting"
    with db.connection():
        assert {x.person.name: x.result for x in Candidate.select().where(Candidate.event == event_id)} == \
            {"Ahmad Fauzi": "K", "Budi Santoso": "BK", "Citra Lestari": ""}

    # Step 6: the berita acara from the recorded data, signed by the assessors and the head of the TUK.
    page = admin.get(f"/certification/events/{event_id}/report")
    text = page.text
    assert "BERITA ACARA UJI KOMPETENSI" in text and 'class="letterhead"' in text
    assert "Operator Komputer Madya" in text and "TUK Sewaktu UPT Latihan Kerja" in text
    assert "Hendra Wijaya" in text and "Sri Wahyuni" in text and "MET.000.001234.2019" in text
    for name in ("Ahmad Fauzi", "Budi Santoso", "Citra Lestari"):
        assert name in text
    assert re.search(r'id="n-total">3<', text) and re.search(r'id="n-present">2<', text)
    assert re.search(r'id="n-absent">1<', text)
    assert re.search(r'id="n-k">1<', text) and re.search(r'id="n-bk">1<', text)
    assert "Ulang unit mengolah kata" in text

    # Results may still be corrected before the first signature, but the berita acara is signed over complete
    # results only: with one cleared, signing is refused and step 6 cannot complete (its tracker guard).
    asesor.post(f"/certification/events/{event_id}/results", dict(results, **{f"hasil-{a}-u{u2}": ""}), status=303)
    with db.connection():
        assert Candidate.get_by_id(a).result == ""
    page = asesor.post(f"/certification/events/{event_id}/sign", {"role": "asesor", "assessor": ref["a1"]}, status=422)
    assert "Hasil uji belum lengkap; berita acara belum dapat ditandatangani." in page.text
    assert "Kehadiran atau hasil belum lengkap untuk: Ahmad Fauzi." in page.text
    # the run page lists the step's guard reasons before anyone clicks
    assert "Kehadiran atau hasil belum lengkap untuk: Ahmad Fauzi." in teknis.get(f"/runs/{run.id}").text
    asesor.post(f"/certification/events/{event_id}/results", results, status=303)
    with db.connection():
        assert Candidate.get_by_id(a).result == "K"

    # A refused signature: the message next to the field of the form that was sent, nothing saved.
    page = other_asesor.post(f"/certification/events/{event_id}/sign", {"role": "asesor", "assessor": ref["a1"]},
                             status=422)
    assert 'id="sig-asr-err">Hanya Hendra Wijaya sendiri yang dapat menandatangani sebagai asesor ini.' in page.text
    asesor.post(f"/certification/events/{event_id}/sign", {"role": "asesor", "assessor": ref["a1"]}, status=303)
    other_asesor.post(f"/certification/events/{event_id}/sign", {"role": "asesor", "assessor": ref["a2"]}, status=303)
    page = asesor.post(f"/certification/events/{event_id}/sign", {"role": "kepala_tuk"}, status=422)
    assert "Anda tidak memegang peran untuk menandatangani sebagai ini." in page.text     # no such form: above
    assert get_event(event_id).status == "reporting"
    # Only the head linked to the event's TUK signs as Kepala TUK: another Kepala TUK is refused (and sees no form).
    page = other_head.post(f"/certification/events/{event_id}/sign", {"role": "kepala_tuk"}, status=422)
    assert "Hanya Kepala TUK dari TUK Sewaktu UPT Latihan Kerja yang dapat menandatangani berita acara ini." in page.text
    page = other_head.get(f"/certification/events/{event_id}/report")
    assert "Tandatangani sebagai Kepala TUK" not in page.text and "yang tertaut di data TUK" in page.text
    assert "Tandatangani sebagai Kepala TUK" in tuk_head.get(f"/certification/events/{event_id}/report").text
    # A TUK whose head is not linked to an account: nobody signs as its Kepala TUK until it is linked.
    from plugins.certification.models import Signature, Tuk
    with db.connection(), db.write():
        audit.update(Tuk.get_by_id(ref["tuk"]), head_user=None)
    page = tuk_head.post(f"/certification/events/{event_id}/sign", {"role": "kepala_tuk"}, status=422)
    assert "TUK Sewaktu UPT Latihan Kerja belum ditautkan ke akun Kepala TUK; tautkan dulu di data TUK." in page.text
    with db.connection(), db.write():
        audit.update(Tuk.get_by_id(ref["tuk"]), head_user=rina.id)
    with db.connection():
        assert Signature.select().where(Signature.role == "kepala_tuk").count() == 0
    tuk_head.post(f"/certification/events/{event_id}/sign",
                  {"role": "kepala_tuk", "name": "Orang Lain", "nip": "199901012020011001"}, status=303)
    assert get_event(event_id).status == "review"
    text = admin.get(f"/certification/events/{event_id}/report").text
    assert "NIP 197805122005012003" in text and text.count("Ditandatangani secara elektronik") == 3
    assert "Orang Lain" not in text and "199901012020011001" not in text      # typed names are ignored
    assert "belum ditandatangani" not in text

    # Step 7: quality review returns to step 6 with a reason (signatures withdrawn), then approves.
    page = mutu.post(f"/certification/events/{event_id}/review", {"decision": "return", "reason": " "}, status=422)
    assert re.search(r'id="rv-reason-err">(Alasan pengembalian wajib diisi\.|Wajib diisi\.)<', page.text)
    admin.post(f"/certification/events/{event_id}/review", {"decision": "approve"}, status=403)
    mutu.post(f"/certification/events/{event_id}/review",
              {"decision": "return", "reason": "Rekomendasi untuk peserta BK belum jelas"}, status=303)
    assert get_event(event_id).status == "reporting"
    with db.connection():
        steps = [(rs.no, rs.status, rs.reason) for rs in RunStep.select().where(RunStep.run == run.id).order_by(RunStep.id)]
    assert (7, "returned", "Rekomendasi untuk peserta BK belum jelas") in steps and steps[-1][:2] == (6, "ready")
    text = admin.get(f"/certification/events/{event_id}/report").text
    assert "Ditandatangani secara elektronik" not in text
    asesor.post(f"/certification/events/{event_id}/sign", {"role": "asesor", "assessor": ref["a1"]}, status=303)
    other_asesor.post(f"/certification/events/{event_id}/sign", {"role": "asesor", "assessor": ref["a2"]}, status=303)
    tuk_head.post(f"/certification/events/{event_id}/sign", {"role": "kepala_tuk"}, status=303)
    page = mutu.post(f"/certification/events/{event_id}/review",
                     {"decision": "approve", "review_files_checked": "1", "reason": "Cek ulang"}, status=422)
    assert 'id="review-recommendation_checked-err">Centang setiap butir kaji ulang' in page.text
    assert 'id="review-files_checked" name="review_files_checked" value="1" checked' in page.text
    assert 'value="Cek ulang"' in page.text and get_event(event_id).status == "review"
    review = {"decision": "approve", "review_files_checked": "1", "review_recommendation_checked": "1",
              "review_quality_reviewed": "1", "review_handed_to_tuk": "1", "review_archive_asked": "1"}
    mutu.post(f"/certification/events/{event_id}/review", review, status=303)
    teknis.post(f"/certification/events/{event_id}/review", review, status=303)
    assert get_event(event_id).status == "review"         # joint step 7: Kepala TUK still to review
    # Only the head linked to the event's TUK reviews as Kepala TUK: another one neither signs the review off
    # nor returns the file (the form re-shown, 422, nothing recorded); the run page names the reason too.
    refused = "Hanya Kepala TUK dari TUK Sewaktu UPT Latihan Kerja yang dapat mengkaji ulang uji ini sebagai Kepala TUK."
    page = other_head.post(f"/certification/events/{event_id}/review", review, status=422)
    assert refused in page.text
    page = other_head.post(f"/certification/events/{event_id}/review",
                           {"decision": "return", "reason": "Bukan TUK saya"}, status=422)
    assert refused in page.text
    assert get_event(event_id).status == "review"
    with db.connection():
        from core.tracker.models import StepSignoff
        assert not StepSignoff.select().join(RunStep).where((RunStep.run == run.id) & (RunStep.no == 7)
                                                            & (StepSignoff.role == "kepala_tuk")).exists()
    page = other_head.get(f"/certification/events/{event_id}/report")
    assert "Kaji ulang sebagai Kepala TUK dilakukan oleh Kepala TUK dari TUK Sewaktu UPT Latihan Kerja" in page.text
    assert "Kaji ulang selesai — tandatangani" not in page.text
    assert refused in other_head.get(f"/runs/{run.id}").text
    assert refused not in tuk_head.get(f"/runs/{run.id}").text
    tuk_head.post(f"/certification/events/{event_id}/review", review, status=303)
    assert get_event(event_id).status == "filing"

    # The recommendation list to the LSP: printable, CSV and XLSX.
    page = admin.get(f"/certification/events/{event_id}/recommendation")
    assert 'class="letterhead"' in page.text and "LSP Disnaker Kota Tangerang" in page.text
    rows = list(csv.reader(io.StringIO(admin.get(f"/certification/events/{event_id}/recommendation?format=csv").text.lstrip("\ufeff"))))
    assert rows[0][2] == "Nama" and [r[2] for r in rows[1:]] == ["Ahmad Fauzi", "Budi Santoso"]
    assert rows[1][4] == "K" and rows[1][1].startswith("3671") and rows[2][4] == "BK"
    from openpyxl import load_workbook
    xlsx = admin.get(f"/certification/events/{event_id}/recommendation?format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.body)).active
    values = [[cell.value for cell in row] for row in ws.iter_rows()]
    assert ["Ahmad Fauzi", "K"] == values[6][2:5:2]

    # The LSP's decision and numbers as received (never made here), and the handover.
    lsp = f"/certification/events/{event_id}/lsp"
    assert 'id="lsp-%d-number"' % a in admin.get(lsp).text
    page = admin.post(lsp, {f"lsp-{a}-decision": "K", f"lsp-{a}-issued_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
                            f"lsp-{b}-decision": "BK", f"lsp-{b}-number": "123"}, status=422)
    assert re.search(rf'id="lsp-{a}-number-err">Wajib diisi untuk peserta yang dinyatakan Kompeten', page.text)
    assert re.search(rf'id="lsp-{b}-number-err">Hanya untuk peserta yang dinyatakan Kompeten', page.text)
    page = admin.post(lsp, {f"lsp-{a}-decision": "K", f"lsp-{a}-number": "62090 2424 3 0000001 2026",
                            f"lsp-{a}-registration_number": "OKM.001.00001.2026",
                            f"lsp-{a}-issued_on": (TODAY - datetime.timedelta(days=1)).isoformat()}, status=422)
    assert "tidak boleh sebelum tanggal uji" in page.text and 'value="62090 2424 3 0000001 2026"' in page.text
    with db.connection():
        assert Certificate.select().count() == 0
    # The LSP's spreadsheet fills the grid (matched by NIK); nothing is saved until the grid is submitted.
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    ws.append(["NIK", "Nama", "Keputusan", "No. Sertifikat", "No. Registrasi", "Tanggal terbit"])
    with db.connection():
        ahmad_nik = Candidate.get_by_id(a).person.nik
    ws.append([ahmad_nik, "Ahmad Fauzi", "k", "62090 2424 3 0000001 2026", "OKM.001.00001.2026", TODAY])
    ws.append(["9999999999999999", "Orang Lain", "K", "X", "Y", TODAY])
    sheet = io.BytesIO()
    wb.save(sheet)
    page = admin.post(lsp, {"import": "1"}, upload_files=[("lsp_file", "lsp.xlsx", sheet.getvalue())], status=200)
    assert 'value="62090 2424 3 0000001 2026"' in page.text and "Baris 3 tidak cocok" in page.text
    assert "1 baris dari berkas LSP" in page.text
    with db.connection():
        assert Certificate.select().count() == 0
    lsp_form = {f"lsp-{a}-decision": "K", f"lsp-{a}-number": "62090 2424 3 0000001 2026",
                f"lsp-{a}-registration_number": "OKM.001.00001.2026", f"lsp-{a}-issued_on": TODAY.isoformat(),
                f"lsp-{a}-handed_over_on": TODAY.isoformat(), f"lsp-{b}-decision": "BK"}
    admin.post(lsp, lsp_form, status=303)
    with db.connection():
        certs = list(Certificate.select())
        assert Candidate.get_by_id(b).lsp_decision == "BK"
    assert len(certs) == 1 and certs[0].candidate_id == a and certs[0].number == "62090 2424 3 0000001 2026"
    assert certs[0].registration_number == "OKM.001.00001.2026" and certs[0].handed_over_on == TODAY
    assert certs[0].expires_on == TODAY.replace(year=TODAY.year + 3)

    # Step 8: archive; the event is emitted after commit.
    asesor.post(f"/certification/events/{event_id}/archive", {}, status=403)
    assert recorder.seen == []
    admin.post(f"/certification/events/{event_id}/archive", {"notes": "Lemari arsip B-2"}, status=303)
    assert get_event(event_id).status == "archived"
    assert recorder.seen == [({"event_id": event_id, "batch_id": batch}, False, "archived")]
    with db.connection():
        assert Run.get_by_id(run.id).status == "completed"

    # The archive lock: a change without a reason is refused; with one it is saved as a reopening.
    form = event_form(ref, [ref["a1"], ref["a2"]], batch, enrolments, day=TODAY, notes="Catatan tambahan")
    page = admin.post(f"/certification/events/{event_id}/edit", form, status=422)
    assert "sudah diarsipkan" in page.text
    assert get_event(event_id).notes == ""
    page = asesor.post(f"/certification/events/{event_id}/results", dict(results, **{f"hasil-{b}-rec": "diubah"}),
                       status=422)
    assert "sudah diarsipkan" in page.text
    page = admin.post(lsp, dict(lsp_form, **{f"lsp-{a}-number": "99"}), status=422)
    assert "sudah diarsipkan" in page.text
    with db.connection():
        assert Candidate.get_by_id(b).recommendation == "Ulang unit mengolah kata"
    # The signed berita acara's results (and schedule, assessors, candidates) stay as signed: a reopening
    # reason does not unsign it, so the change is refused with its reason, nothing saved.
    page = asesor.post(f"/certification/events/{event_id}/results",
                       dict(results, reopen_reason="Salah isi", **{f"hasil-{b}-u{u2}": "K"}), status=422)
    assert "berita acaranya sudah ditandatangani: hasil uji tidak dapat diubah lagi" in page.text
    assert 'name="reopen_reason"' not in asesor.get(f"/certification/events/{event_id}/results").text
    page = admin.post(f"/certification/events/{event_id}/edit", dict(form, start_time="09:00", reopen_reason="Geser"),
                      status=422)
    assert "Berita acara uji ini sudah ditandatangani" in page.text
    page = admin.post(f"/certification/events/{event_id}/candidates/new",
                      {"nik": "3671015505990001", "name": "Fitri Handayani", "sex": "P", "reopen_reason": "Susulan"},
                      status=422)
    assert "Berita acara uji ini sudah ditandatangani" in page.text
    with db.connection():
        assert {x.person.name: x.result for x in Candidate.select().where(Candidate.event == event_id)} == \
            {"Ahmad Fauzi": "K", "Budi Santoso": "BK", "Citra Lestari": ""}
    assert get_event(event_id).start_time == datetime.time(8, 0)
    admin.post(f"/certification/events/{event_id}/edit", dict(form, reopen_reason="Koreksi catatan atas permintaan LSP"),
               status=303)
    assert get_event(event_id).notes == "Catatan tambahan" and get_event(event_id).status == "archived"
    page = admin.get(f"/certification/events/{event_id}")
    assert "reopened" in page.text and "Koreksi catatan atas permintaan LSP" in page.text
    assert "Diarsipkan" in page.text

    # A correction after archiving, with its reason, is audited as a reopening.
    admin.post(lsp, dict(lsp_form, reopen_reason="Salah ketik nomor registrasi",
                         **{f"lsp-{a}-registration_number": "OKM.001.00002.2026"}), status=303)
    with db.connection():
        assert Certificate.get_by_id(certs[0].id).registration_number == "OKM.001.00002.2026"
    assert "Salah ketik nomor registrasi" in admin.get(f"/certification/events/{event_id}").text
    # Certificates expiring: this one in three years.
    page = admin.get("/certification/certificates")
    assert certs[0].number in page.text and "Ahmad Fauzi" in page.text
    assert certs[0].number not in admin.get("/certification/certificates/expiring?days=90").text
    from plugins.certification import service
    with db.connection():
        assert [c.number for c in service.expiring(3 * 366)] == [certs[0].number]
        assert service.expiring(10) == []


# ---------------------------------------------------------------- nothing before the test day

def test_nothing_done_before_the_test_day(balai_app, balai_client):
    from core.tracker.models import Run
    from plugins.certification.models import Candidate, EventAssessor
    app = balai_app("certification")
    admin = balai_client(app, "bagian_administrasi")
    teknis = balai_client(app, "teknis_operasional")
    asesor_user = make_user_(app, "hendra", ["asesor"], full_name="Hendra Wijaya")
    asesor = balai_client(app, user=asesor_user)
    tuk_user = make_user_(app, "tuk", ["kepala_tuk"])
    ref = reference(teknis, assessor_user=asesor_user, tuk_head=tuk_user)
    # The picker lists only assessors licensed for the chosen scheme.
    page = admin.get(f"/certification/events/new?scheme={ref['scheme']}")
    assert "Hendra Wijaya" in page.text and "Joko Susilo" not in page.text
    batch, enrolments = make_batch(1)
    event_id = new_id(admin.post("/certification/events/new", event_form(ref, [ref["a1"]], batch, enrolments)))
    with db.connection():
        run = Run.get((Run.subject_type == "certification_test_event") & (Run.subject_id == str(event_id)))
        ea = EventAssessor.get(EventAssessor.event == event_id)
        cand = Candidate.get(Candidate.event == event_id)
    admin.post(f"/certification/events/{event_id}/confirm", {"kind": "assessor", "row": ea.id, "state": "confirmed"})
    admin.post(f"/certification/events/{event_id}/step1", {}, status=303)
    res = teknis.post(f"/runs/{run.id}/complete", {"no": "2"}, status=303)
    assert "Kesiapan sarana belum lengkap" in flash_of(teknis, res)
    with db.connection(), db.write():
        from plugins.certification import service
        service.save_readiness(get_event(event_id), tuk_user,
                               {i.id: (True, "", None) for i, _t in service.checklist(get_event(event_id))})
    teknis.post(f"/runs/{run.id}/complete", {"no": "2"}, status=303)
    admin.post(f"/runs/{run.id}/complete", {"no": "3"}, status=303)
    admin.post(f"/certification/events/{event_id}/confirm", {"kind": "candidate", "row": cand.id, "state": "confirmed"})
    receive_applications(admin, event_id, [cand.id])
    admin.post(f"/certification/events/{event_id}/step4", {}, status=303)
    assert get_event(event_id).status == "ready"
    page = asesor.post(f"/certification/events/{event_id}/results",
                       {f"asesor-{ea.id}-present": "1", f"hasil-{cand.id}-present": "1", "finish": "1"}, status=422)
    assert "baru dapat diisi pada hari uji" in page.text
    import pytest
    from core.toolkit import tracker
    with db.connection(), db.write(), pytest.raises(tracker.StepError) as refused:
        service.complete_step(get_event(event_id), 5, asesor_user)
    assert "belum dapat diselesaikan sebelum itu" in str(refused.value)
    with db.connection():
        assert Run.get_by_id(run.id).current_no == 5 and Candidate.get_by_id(cand.id).present is None


# ---------------------------------------------------------------- the Kepala TUK of the event's TUK only

def test_another_kepala_tuk_cannot_sign_readiness_on_the_run_page(balai_app, balai_client):
    """Step 2 is joint and may be signed off on the run page: a Kepala TUK who is not the head linked to the
    event's TUK is refused there too (the step's tracker guard), with its reason listed before anyone clicks."""
    from core.tracker.models import Run, RunStep, StepSignoff
    from plugins.certification.models import ChecklistTick, EventAssessor
    app = balai_app("certification")
    admin = balai_client(app, "bagian_administrasi")
    teknis = balai_client(app, "teknis_operasional")
    rina = make_user_(app, "rina", ["kepala_tuk"], full_name="Rina Marlina")
    tuk_head = balai_client(app, user=rina)
    other_head = balai_client(app, user=make_user_(app, "dedi", ["kepala_tuk"], full_name="Dedi Kurniawan"))
    ref = reference(teknis, tuk_head=rina)
    event_id = new_id(admin.post("/certification/events/new", event_form(ref, [ref["a1"]])))
    with db.connection():
        run = Run.get((Run.subject_type == "certification_test_event") & (Run.subject_id == str(event_id)))
        ea = EventAssessor.get(EventAssessor.event == event_id)
    admin.post(f"/certification/events/{event_id}/confirm", {"kind": "assessor", "row": ea.id, "state": "confirmed"},
               status=303)
    admin.post(f"/certification/events/{event_id}/step1", {}, status=303)
    # An administrator (not a Kepala TUK) fills in the checklist: the ticks are saved, nobody signed step 2.
    balai_client(app, "admin").post(f"/certification/events/{event_id}/readiness",
                                    {f"done_{i}": "1" for i in checklist_ids(ref)}, status=303)
    with db.connection():
        assert ChecklistTick.select().where(ChecklistTick.done == True).count() == 2  # noqa: E712
    refused = "Hanya Kepala TUK dari TUK Sewaktu UPT Latihan Kerja yang dapat mengisi kesiapan sarana uji ini."
    assert refused in other_head.get(f"/runs/{run.id}").text
    res = other_head.post(f"/runs/{run.id}/complete", {"no": "2"}, status=303)
    assert refused in flash_of(other_head, res)

    def signed_roles():
        with db.connection():
            return sorted(s.role for s in StepSignoff.select().join(RunStep)
                          .where((RunStep.run == run.id) & (RunStep.no == 2)))
    assert signed_roles() == []
    # Nor is Teknis Operasional held back by the rule, nor the TUK's own head.
    assert refused not in teknis.get(f"/runs/{run.id}").text and refused not in tuk_head.get(f"/runs/{run.id}").text
    teknis.post(f"/runs/{run.id}/complete", {"no": "2"}, status=303)
    assert signed_roles() == ["teknis_operasional"]
    res = other_head.post(f"/runs/{run.id}/complete", {"no": "2"}, status=303)
    assert refused in flash_of(other_head, res) and signed_roles() == ["teknis_operasional"]
    tuk_head.post(f"/runs/{run.id}/complete", {"no": "2"}, status=303)
    with db.connection():
        assert Run.get_by_id(run.id).current_no == 3


def checklist_ids(ref):
    from plugins.certification.models import ChecklistItem
    with db.connection():
        return [i.id for i in ChecklistItem.select().where(ChecklistItem.scheme == ref["scheme"]).order_by(ChecklistItem.id)]


# ---------------------------------------------------------------- refusals when scheduling

def test_schedule_refusals(balai_app, balai_client):
    from plugins.certification.models import Candidate, TestEvent
    app = balai_app("certification", options={"certification": {"candidates_per_assessor": 2}})
    admin = balai_client(app, "bagian_administrasi")
    ref = reference(balai_client(app, "teknis_operasional"), capacity=3)
    batch, enrolments = make_batch(4)

    def count():
        with db.connection():
            return TestEvent.select().count()

    # Unlicensed scheme and expired MET: named next to the assessors.
    page = admin.post("/certification/events/new", event_form(ref, [ref["a3"]]), status=422)
    assert "Joko Susilo tidak berlisensi untuk skema Operator Komputer Madya" in page.text
    assert 'id="f-assessors-err"' in page.text
    page = admin.post("/certification/events/new", event_form(ref, [ref["old"]]), status=422)
    assert "Registrasi MET Bambang Hartono" in page.text and "sudah habis berlaku" in page.text
    page = admin.post("/certification/events/new", event_form(ref, []), status=422)
    assert "Pilih minimal satu asesor" in page.text
    page = admin.post("/certification/events/new", event_form(ref, [ref["a1"]], start="12:00", end="10:00"), status=422)
    assert "Jam selesai harus setelah jam mulai" in page.text
    assert count() == 0

    # Ratio: 3 candidates for 1 assessor with at most 2 per assessor.
    page = admin.post("/certification/events/new", event_form(ref, [ref["a1"]], batch, enrolments[:3]), status=422)
    assert "Terlalu banyak peserta: 3 peserta untuk 1 asesor (maksimal 2 peserta per asesor)" in page.text
    assert 'id="f-candidates-err"' in page.text
    # Capacity: 4 candidates in a TUK for 3.
    page = admin.post("/certification/events/new", event_form(ref, [ref["a1"], ref["a2"]], batch, enrolments), status=422)
    assert "Melebihi kapasitas TUK" in page.text and "kapasitas 3" in page.text
    assert count() == 0

    # A valid event; the same assessor cannot be booked at an overlapping time that day.
    first = new_id(admin.post("/certification/events/new",
                              event_form(ref, [ref["a1"], ref["a2"]], batch, enrolments[:3], start="08:00", end="12:00")))
    page = admin.post("/certification/events/new", event_form(ref, [ref["a1"]], start="11:00", end="15:00"), status=422)
    assert "Hendra Wijaya sudah terjadwal pada waktu yang sama (Operator Komputer Madya, 08:00–12:00)" in page.text
    assert count() == 1
    new_id(admin.post("/certification/events/new", event_form(ref, [ref["a1"]], start="13:00", end="15:00")))
    new_id(admin.post("/certification/events/new", event_form(ref, [ref["a1"]], start="11:00", end="15:00",
                                                              day=DAY + datetime.timedelta(days=1))))
    # Editing the first event keeps its own booking out of the check.
    new_id(admin.post(f"/certification/events/{first}/edit",
                      event_form(ref, [ref["a1"], ref["a2"]], batch, enrolments[:3], start="08:00", end="12:30")))
    with db.connection():
        assert TestEvent.get_by_id(first).end_time == datetime.time(12, 30)

    # Adding by hand respects the capacity (3) of the TUK.
    page = admin.post(f"/certification/events/{first}/candidates/new",
                      {"nik": "3671015505990001", "name": "Fitri Handayani", "sex": "P"}, status=422)
    assert "Melebihi kapasitas TUK" in page.text
    page = admin.post(f"/certification/events/{first}/candidates/new", {"nik": "12", "name": "X", "sex": "P"}, status=422)
    assert "NIK harus 16 digit angka" in page.text
    admin.post(f"/certification/events/{first}/candidates/<0>/delete", {}, status=404)
    with db.connection():
        victim = Candidate.select().where(Candidate.event == first).first()
    admin.post(f"/certification/events/{first}/candidates/{victim.id}/delete", {}, status=303)
    admin.post(f"/certification/events/{first}/candidates/new",
               {"nik": "3671015505990001", "name": "Fitri Handayani", "sex": "P"}, status=303)
    with db.connection():
        names = sorted(c.person.name for c in Candidate.select().where(Candidate.event == first))
    assert "Fitri Handayani" in names and len(names) == 3


# ---------------------------------------------------------------- reminders and reference screens

def test_unconfirmed_reminders_once_per_person(balai_app, balai_client):
    from core.testing import make_user
    from core.tracker.models import Notification
    from plugins.certification import service
    app = balai_app("certification")
    admin = balai_client(app, "bagian_administrasi")
    admin2 = make_user(app, "admin2", ["bagian_administrasi"], language="en")
    make_user(app, "tuk", ["kepala_tuk"])
    ref = reference(balai_client(app, "teknis_operasional"))
    batch, enrolments = make_batch(2)
    with db.connection(), db.write():
        from plugins.training.models import Person
        audit.update(Person.get(Person.name == "Ahmad Fauzi"), phone="+6281234567890")
    event_id = new_id(admin.post("/certification/events/new", event_form(ref, [ref["a1"]], batch, enrolments)))
    page = admin.get("/certification/unconfirmed")
    assert "Hendra Wijaya" in page.text and "Ahmad Fauzi" in page.text and "Budi Santoso" in page.text
    with db.connection():
        assert service.remind_unconfirmed(app) == 3 * 2          # three people, two administration users
        assert service.remind_unconfirmed(app) == 0
        assert Notification.select().count() == 6
        hendra = {n.user_id: n.message for n in Notification.select() if "Hendra" in n.message}
    # each administration user reads the reminder in their own language
    assert hendra[admin2.id].startswith("Assessor not confirmed: Hendra Wijaya — test Operator Komputer Madya")
    assert [m for u, m in hendra.items() if u != admin2.id][0].startswith("Asesor belum konfirmasi: Hendra Wijaya — uji ")
    # a candidate has no account: the WhatsApp invitation is in the deployment's language, whatever the clerk's
    import urllib.parse
    page = balai_client(app, user=admin2).get(f"/certification/events/{event_id}")
    assert "Change schedule" in page.text
    assert "Halo Ahmad Fauzi, salam dari" in urllib.parse.unquote(page.text)
    admin.post("/certification/unconfirmed/remind", {}, status=303)
    with db.connection():
        assert Notification.select().count() == 6
        from plugins.certification.models import Candidate
        budi = Candidate.select().join(service.Person).where(service.Person.name == "Budi Santoso").get()
    anon = balai_client(app)
    anon.post(f"/confirm/{token_of(budi.id)}", {"answer": "no"}, status=200)
    page = admin.get("/certification/unconfirmed")
    assert "Budi Santoso" not in page.text and "Ahmad Fauzi" in page.text
    assert re.search(r'Budi Santoso.*?<span class="tag bad">Berhalangan</span>', admin.get(f"/certification/events/{event_id}").text,
                     re.S)


def test_reference_screens_and_permissions(balai_app, balai_client):
    from core.testing import make_user
    from plugins.certification.models import Tuk
    app = balai_app("certification")
    teknis_user = make_user(app, "agus", ["teknis_operasional"], full_name="Agus Salim")
    teknis = balai_client(app, user=teknis_user)
    head = make_user(app, "rina", ["kepala_tuk"], full_name="Rina Marlina")
    ref = reference(teknis, tuk_head=head)
    with db.connection():
        assert Tuk.get_by_id(ref["tuk"]).head_user_id == head.id
    # The TUK form's picker lists the holders of the Kepala TUK role only; anyone else is refused next to it.
    page = teknis.get("/certification/tuks/new")
    assert "Rina Marlina (rina)" in page.text and "Agus Salim (agus)" not in page.text
    page = teknis.post("/certification/tuks/new", {"name": "TUK Lain", "kind": "sewaktu", "capacity": "10",
                                                   "head_name": "Agus Salim", "head_user": str(teknis_user.id)},
                       status=422)
    assert 'id="f-head_user-err">Pilihan tidak valid.' in page.text and 'value="TUK Lain"' in page.text
    with db.connection():
        assert Tuk.select().count() == 1
    for role in ("bagian_administrasi", "asesor", "manajemen_mutu", "kepala_tuk"):
        client = balai_client(app, role)
        for url in ["/certification/events", "/certification/schemes", f"/certification/schemes/{ref['scheme']}",
                    "/certification/tuks", f"/certification/assessors/{ref['old']}", "/certification/certificates",
                    "/certification/certificates/expiring?days=60", "/certification/unconfirmed", "/training/batches"]:
            if url == "/training/batches" and not any(r.path == url for r in app.router.routes):
                continue
            assert client.get(url).status_int == 200, (role, url)
    asesor = balai_client(app, "asesor")
    asesor.post("/certification/schemes/new", {"code": "X"}, status=403)
    page = teknis.get(f"/certification/schemes/{ref['scheme']}")
    assert "TIK.OP01.002.01" in page.text and "Ruang lab ber-AC" in page.text
    page = teknis.get(f"/certification/assessors/{ref['old']}")
    assert "sudah habis" in page.text
    page = teknis.post("/certification/tuks/new", {"name": "", "kind": "sewaktu", "capacity": "0"}, status=422)
    assert "Wajib diisi" in page.text
    # A unit or readiness item refused on the scheme's page: the message next to its field, the values kept.
    scheme_url = f"/certification/schemes/{ref['scheme']}"
    page = teknis.post(f"{scheme_url}/units", {"code": "TIK.OP01.001.01", "title": "Unit kembar"}, status=422)
    assert 'id="f-code-err">Kode unit sudah ada pada skema ini.' in page.text and 'value="Unit kembar"' in page.text
    page = teknis.post(f"{scheme_url}/checklist", {"category": "dapur", "label": "Kompor"}, status=422)
    assert 'id="f-category-err">Pilihan tidak valid.' in page.text and 'value="Kompor"' in page.text
    with db.connection():
        from plugins.certification.models import ChecklistItem, SchemeUnit
        assert SchemeUnit.select().where(SchemeUnit.title == "Unit kembar").count() == 0
        assert ChecklistItem.select().where(ChecklistItem.label == "Kompor").count() == 0


def test_demo_data_idempotent(balai_app, balai_client):
    from core.testing import make_user
    from core.tracker.models import Run, RunStep
    from plugins.certification import demo, service
    from plugins.certification.models import Assessor, TestEvent
    from plugins.certification.models import CompetencyCertificate as Certificate
    app = balai_app("certification")
    for role in ("bagian_administrasi", "kepala_tuk", "asesor", "manajemen_mutu", "teknis_operasional"):
        make_user(app, role.replace("_", "."), [role])
    with db.connection():
        lines = demo.load(app)
        assert lines and demo.load(app) == []
        statuses = sorted(e.status for e in TestEvent.select())
        assert statuses == ["archived", "archived", "confirming", "scheduled"]
        assert Assessor.select().where(Assessor.met_expiry < TODAY).count() == 1
        assert len(service.expiring(60)) >= 3 and Certificate.select().count() > len(service.expiring(60))
        overdue = (RunStep.select().join(Run).where((Run.code == "PSM-DISNAKER-10") & RunStep.status.in_(("ready",))
                                                    & (RunStep.due_at < db.utcnow())).count())
        assert overdue >= 1
        ok_event = TestEvent.select().where(TestEvent.batch.is_null(False)).get()
        from core.toolkit import User
        from plugins.certification.models import Tuk
        # every demo TUK's head is linked to an account holding Kepala TUK; the first is the demo user
        heads = {t.name: User.get_by_id(t.head_user_id) for t in Tuk.select().order_by(Tuk.id)}
        assert list(heads.values())[0].username == "kepala.tuk"
        assert all("kepala_tuk" in u.roles for u in heads.values())
    admin = balai_client(app, "bagian_administrasi")
    assert "Sertifikat habis berlaku dalam 60 hari" in admin.get("/certification/certificates/expiring?days=60").text
    for e in ("events", f"events/{ok_event.id}", f"events/{ok_event.id}/report", f"events/{ok_event.id}/results",
              f"events/{ok_event.id}/readiness", f"events/{ok_event.id}/recommendation", "unconfirmed"):
        assert admin.get(f"/certification/{e}").status_int == 200


# ---------------------------------------------------------------- the papers

def test_papers_issue_as_pdfs_that_verify(balai_app, balai_client):
    from core.testing import make_user, pdf_text
    from plugins.certification import demo
    from plugins.certification.models import TestEvent
    app = balai_app("certification")
    for role in ("bagian_administrasi", "kepala_tuk", "asesor", "manajemen_mutu", "teknis_operasional"):
        make_user(app, role.replace("_", "."), [role], full_name=f"Pejabat {role}", nip="197805122005012003")
    make_user(app, "tuk.dedi", ["kepala_tuk"], full_name="Dedi Kurniawan")      # the demo's second TUK's head
    with db.connection():
        demo.load(app)
        event = TestEvent.select().where(TestEvent.status == "archived").order_by(TestEvent.date.desc()).first()
    clients = {role: balai_client(app, user=_user(role.replace("_", ".")))
               for role in ("bagian_administrasi", "kepala_tuk", "manajemen_mutu", "teknis_operasional")}
    other_head = balai_client(app, user=_user("tuk.dedi"))
    from plugins.certification import papers
    for code, (title, _t, _c, role) in papers.PAPERS.items():
        if role != "bagian_administrasi":          # only the holder of the signer role issues (and signs) it
            res = clients["bagian_administrasi"].post(f"/certification/events/{event.id}/papers/{code}", status=303)
            assert "ditandatangani oleh" in flash_of(clients["bagian_administrasi"], res)
        if role == "kepala_tuk":    # the head of another demo TUK is no signer of this event's papers
            res = other_head.post(f"/certification/events/{event.id}/papers/{code}", status=303)
            assert ("Hanya Kepala TUK dari TUK Sewaktu UPT Pelatihan Kerja Kota Tangerang yang dapat menerbitkan dan "
                    "menandatangani dokumen ini.") \
                in flash_of(other_head, res)
        res = clients[role].post(f"/certification/events/{event.id}/papers/{code}", status=303)
        page = flash_of(clients[role], res)
        assert "terbit dengan nomor" in page, (code, re.findall(r"flash-error[^>]*>([^<]*)", page))
        from core.documents.models import Document
        with db.connection():
            doc = Document.select().where(Document.type_code == code).order_by(Document.id.desc()).first()
        pdf = clients[role].get(f"/documents/{doc.id}/pdf")
        assert pdf.body[:4] == b"%PDF"
        text = pdf_text(pdf.body)[0]
        assert doc.number in text
        assert "berlaku" in balai_client(app).get(f"/verify/{doc.token}").text.lower()
        for snippet in EXPECTED_IN_PAPER[code]:
            assert snippet in text, (code, snippet, text)
        if code != "certification.recommendation":          # "pukul 09.00–15.00 WIB", as letters write it
            assert "WIB" in text and ":00" not in text.split("Pindai")[0], text


# What each paper must say (from the demo's Barista test, archived two months ago).
EXPECTED_IN_PAPER = {
    "certification.attendance_candidates": ["DAFTAR HADIR PESERTA UJI KOMPETENSI", "Tanda tangan", "Tidak hadir",
                                            "Barista"],
    "certification.attendance_assessors": ["DAFTAR HADIR ASESOR KOMPETENSI", "Sri Wahyuni", "MET.000.004321.2020"],
    "certification.berita_acara": ["BERITA ACARA UJI KOMPETENSI", "Pada hari ini", "tanggal", "bulan", "tahun dua ribu",
                                   "Kompeten", "Ditandatangani secara elektronik", "Kepala TUK"],
    # the minutes name the people of the review and when each signed it off
    "certification.review_minutes": ["KAJI ULANG", "Pejabat teknis_operasional", "Pejabat kepala_tuk",
                                     "Pejabat manajemen_mutu", "Catatan: Berkas lengkap."],
    "certification.recommendation": ["Kepada Yth.", "LSP Disnaker Kota Tangerang", "Perihal", "direkomendasikan",
                                     "Belum direkomendasikan"],
    "certification.handover": ["TANDA TERIMA SERTIFIKAT KOMPETENSI", "BRS.", "Tanda tangan penerima"],
    "certification.readiness": ["KESIAPAN SARANA", "Mesin espresso dan grinder", "Dapur praktik dengan air bersih"],
}


def _user(username):
    from core.toolkit import User
    with db.connection():
        return User.get(User.username == username)


# ---------------------------------------------------------------- intake (APL-01)

def test_application_before_the_test_with_its_documents(balai_app, balai_client):
    from plugins.certification.models import Application, ApplicationDocument, Candidate
    app = balai_app("certification")
    admin = balai_client(app, "bagian_administrasi")
    ref = reference(balai_client(app, "teknis_operasional"))
    batch, enrolments = make_batch(1)
    event_id = new_id(admin.post("/certification/events/new", event_form(ref, [ref["a1"]], batch, enrolments)))
    with db.connection():
        cand = Candidate.get(Candidate.event == event_id)
    url = f"/certification/events/{event_id}/candidates/{cand.id}/application"
    assert "APL-01 belum" in admin.get(f"/certification/events/{event_id}").text
    form = {"education": "sma", "institution": "SMK Negeri 1 Tangerang", "purpose": "sertifikasi",
            "interview_notes": "Siap diuji"}
    files = [("doc_ktp", "ktp.png", PNG), ("doc_ijazah", "ijazah.pdf", b"%PDF-1.4 ijazah"), ("doc_foto", "foto.png", PNG)]
    page = admin.post(url, form, upload_files=files, status=422)          # training certificate missing
    assert 'id="doc-sertifikat_pelatihan-err">Unggah berkas ini.' in page.text
    assert 'value="SMK Negeri 1 Tangerang"' in page.text
    page = admin.post(url, dict(form, education="kuliah"), upload_files=files, status=422)
    assert "Pilihan tidak valid" in page.text
    page = admin.post(url, form, upload_files=files[:2] + [("doc_foto", "foto.exe", b"MZ"),
                                                            ("doc_sertifikat_pelatihan", "s.pdf", b"%PDF-1.4 s")], status=422)
    assert "tidak diterima" in page.text
    with db.connection():
        assert Application.select().count() == 0 and ApplicationDocument.select().count() == 0
    admin.post(url, form, upload_files=files + [("doc_sertifikat_pelatihan", "sertifikat.pdf", b"%PDF-1.4 s")], status=303)
    with db.connection():
        assert Application.get().education == "sma" and ApplicationDocument.select().count() == 4
    assert "APL-01 lengkap" in admin.get(f"/certification/events/{event_id}").text
    admin.post(url, dict(form, interview_notes="Dikoreksi"), status=303)          # a correction keeps the documents
    with db.connection():
        assert Application.get().interview_notes == "Dikoreksi"


# ---------------------------------------------------------------- the institution's date

def test_dates_are_the_institutions_not_the_servers(balai_app, monkeypatch):
    """Which certificates expire soon and which tests are still ahead count from the institution's date
    (config ``timezone``), not the server's: here in a zone whose date is not the server's today."""

    from core import toolkit
    from plugins.certification import service
    from plugins.certification.models import (Assessor, Candidate, CompetencyCertificate, EventAssessor, Scheme,
                                              TestEvent, Tuk)
    from plugins.training.models import Person
    server_today = datetime.date.today()
    zone = next(z for z in ("Etc/GMT-14", "Etc/GMT+12") if datetime.datetime.now(zoneinfo.ZoneInfo(z)).date() != server_today)
    monkeypatch.setitem(toolkit._TIMEZONES, "WIT", zone)          # the institution's zone, for this test
    app = balai_app("certification", timezone="WIT")
    local = toolkit.local_today(app)
    assert local != server_today
    day = datetime.timedelta(days=1)
    with db.connection(), db.write():
        scheme = audit.create(Scheme, code="OKM", number="SKM/1", title="Operator Komputer Madya")
        tuk = audit.create(Tuk, name="TUK Sewaktu", capacity=20)
        assessor = audit.create(Assessor, name="Hendra Wijaya", met_number="MET.1", met_expiry=local + 400 * day)
        events = {}
        for name, when in (("today", local), ("yesterday", local - day)):
            events[name] = audit.create(TestEvent, scheme=scheme, tuk=tuk, date=when, start_time=datetime.time(8),
                                        end_time=datetime.time(15), status="scheduled")
            audit.create(EventAssessor, event=events[name], assessor=assessor)
        for i, expires in enumerate((local, local + 30 * day)):
            person = audit.create(Person, nik=f"36710112345678{i:02d}", name=f"Peserta {i}", sex="L")
            cand = audit.create(Candidate, event=events["yesterday"], person=person, present=True, result="K")
            audit.create(CompetencyCertificate, candidate=cand, number=f"NO-{i}", issued_on=expires - 3 * 365 * day,
                         expires_on=expires)
    with db.connection():
        # the test of the institution's today is still ahead (its assessor to remind), yesterday's is not
        assert [r.event_id for r in service.unconfirmed()[0]] == [events["today"].id]
        # expiring within 30 days: from the institution's today to 30 days after it, both ends included
        assert sorted(c.number for c in service.expiring(30)) == ["NO-0", "NO-1"]


# ---------------------------------------------------------------- certificate numbers across processes

def test_one_certificate_number_recorded_for_eight_events_at_once(tmp_path, balai_db):
    """Eight clerks record the same LSP certificate number for eight events at the same moment (four
    processes): one is saved, the others read why in the number's cell (422), never an error page.
    On PostgreSQL a ninth clerk's save of that number (another event, another connection) is still
    uncommitted while the eight check the number: they pass the check, then meet the unique index."""
    import threading

    from balai_race import race, session_for

    from core.testing import make_user, start_app, write_config
    from core.toolkit import local_today
    from plugins.certification.models import Candidate, CompetencyCertificate, Scheme, TestEvent, Tuk
    from plugins.training.models import Person
    config = write_config(str(tmp_path), ["certification"], balai_db)
    app = start_app(config)
    clerk = make_user(app, "siti", ["bagian_administrasi"])
    day = local_today(app) - datetime.timedelta(days=1)
    rows = []
    with db.connection(), db.write():
        scheme = audit.create(Scheme, code="OKM", number="SKM/1", title="Operator Komputer Madya")
        tuk = audit.create(Tuk, name="TUK Sewaktu", capacity=20)
        for i in range(8):           # tests reviewed and recommended: the LSP's numbers are being recorded
            event = audit.create(TestEvent, scheme=scheme, tuk=tuk, date=day, start_time=datetime.time(8),
                                 end_time=datetime.time(15), status="filing")
            person = audit.create(Person, nik=f"36710112345679{i:02d}", name=f"Peserta {i}", sex="L")
            rows.append((event.id, audit.create(Candidate, event=event, person=person, present=True, result="K").id))
    number = "62090 2424 3 0000001 2026"
    cookies, token = session_for(clerk)
    blocker = None
    if not db.is_sqlite(db.database.obj):
        with db.connection(), db.write():
            event = audit.create(TestEvent, scheme=scheme, tuk=tuk, date=day, start_time=datetime.time(8),
                                 end_time=datetime.time(15), status="filing")
            person = audit.create(Person, nik="3671011234567999", name="Peserta lain", sex="P")
            ninth = audit.create(Candidate, event=event, person=person, present=True, result="K")
        done = threading.Event()

        def ninth_clerk():
            # holds the audit chain's lock with the number written, commits once the eight wait behind it
            with db.connection(), db.write():
                audit.create(CompetencyCertificate, candidate=ninth, number=number, issued_on=day,
                             expires_on=day + datetime.timedelta(days=1095))
                waiting = 0
                for _ in range(6000):
                    waiting = db.database.obj.execute_sql(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").fetchone()[0]
                    if waiting >= len(rows):
                        break
                    done.wait(0.01)
                blocker.waiting = waiting
        blocker = threading.Thread(target=ninth_clerk)
        blocker.start()
    requests = [{"url": f"/certification/events/{event_id}/lsp", "cookies": cookies,
                 "data": {"csrf_token": token, f"lsp-{cid}-decision": "K", f"lsp-{cid}-number": number,
                          f"lsp-{cid}-registration_number": f"OKM.001.{i:05d}.2026", f"lsp-{cid}-issued_on": day.isoformat()}}
                for i, (event_id, cid) in enumerate(rows)]
    answers = race(config, requests, tmp_path, processes=4)
    if blocker is not None:
        blocker.join()
        assert blocker.waiting == len(rows)          # the eight did wait behind the ninth's uncommitted number
        assert [a["status"] for a in answers] == [422] * 8, [a["status"] for a in answers]
    else:
        assert sorted(a["status"] for a in answers) == [303] + [422] * 7, [a["status"] for a in answers]
    for (_event_id, cid), answer in zip(rows, answers):
        if answer["status"] == 422:
            assert re.search(rf'id="lsp-{cid}-number-err">Nomor sertifikat {number} '
                             r"(sudah tercatat|baru saja dicatat) untuk peserta lain", answer["text"]), answer["text"][-3000:]
    with db.connection():
        assert [c.number for c in CompetencyCertificate.select()] == [number]


def test_a_batchs_graduates_are_not_tested_before_its_training_ends(balai_app, balai_client):
    """A test of a running batch's graduates cannot be dated before its last day (it would record a test of
    a training not yet done); after it, or once the batch is ended (early too), it can."""
    from plugins.training.models import Batch
    app = balai_app("certification")
    admin = balai_client(app, "bagian_administrasi")
    ref = reference(balai_client(app, "teknis_operasional"))
    batch, enrolments = make_batch(2)
    with db.connection(), db.write():
        audit.update(Batch.get_by_id(batch), status="running", end_date=DAY + datetime.timedelta(days=5))
    refused = admin.post("/certification/events/new", event_form(ref, [ref["a1"]], batch, enrolments), status=422)
    assert "tidak dapat sebelum pelatihannya berakhir" in refused.html.select_one("#f-date-err").text  # by the date
    with db.connection():
        from plugins.certification.models import TestEvent
        assert TestEvent.select().count() == 0                            # nothing saved
    later = event_form(ref, [ref["a1"]], batch, enrolments, day=DAY + datetime.timedelta(days=6))
    assert admin.post("/certification/events/new", later).status_int == 303
