"""Plugin tracer_survey (KDI/PM/09): waves on batch end, the token survey form,
WhatsApp links, import of answers, recap numbers, SMILe export, SOP steps."""
import csv
import datetime
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from core import audit, db
from core.config import ConfigError
from core.testing import start_app, write_config
from core.tracker import service as tracker

PLUGIN = "tracer_survey"


# ---------------------------------------------------------------- helpers

def make_batch(end, people, code="TIK.OKM", status="running"):
    """A batch ending on ``end``; people = [(name, phone, graduated)]. Returns the batch."""
    from plugins.training.models import Batch, Enrolment, Person, Programme
    with db.connection(), db.write():
        programme = Programme.get_or_none(Programme.code == code) or audit.create(
            Programme, code=code, title="Operator Komputer Muda", field="TIK", total_jp=240)
        batch = audit.create(Batch, programme=programme, name=f"Angkatan {Batch.select().count() + 1}",
                             start_date=end - datetime.timedelta(days=40), end_date=end, quota=30,
                             reg_opens=end - datetime.timedelta(days=80), reg_closes=end - datetime.timedelta(days=50),
                             status=status)
        base = Person.select().count()
        for i, (name, phone, graduated) in enumerate(people, start=1):
            person = audit.create(Person, nik=f"74710141019{base + i:05d}", name=name, sex="L", phone=phone)
            audit.create(Enrolment, person=person, batch=batch, status="graduated" if graduated else "not_graduated")
    return batch


def end_batch(batch):
    from plugins.training import service as training
    with db.connection():
        training.end_batch(batch)


def waves_of(batch):
    from plugins.tracer_survey.models import Wave
    with db.connection():
        return list(Wave.select().where(Wave.batch == batch).order_by(Wave.months))


def alumni_of(wave):
    """The wave's roster, each alumnus with ``.token``: the token of their survey link (a core public link)."""
    from plugins.tracer_survey import links
    from plugins.tracer_survey.models import Alumnus
    with db.connection():
        return links.with_tokens(list(Alumnus.select().where(Alumnus.wave == wave).order_by(Alumnus.name)))


def responses():
    from plugins.tracer_survey.models import Response
    with db.connection():
        return list(Response.select().order_by(Response.id))


def run_of(wave):
    """The run of the wave's batch: ONE run of KDI-PM-09 per batch."""
    from plugins.tracer_survey.models import Survey
    with db.connection():
        survey = Survey.get_or_none(Survey.batch == wave.batch_id)
        return tracker.run_for("tracer_survey", survey.id, "KDI-PM-09") if survey else None


def today(app):
    from plugins.tracer_survey import service
    return service.local_today(app)


def open_wave(app, balai_client, people=None, months=1):
    """An ended batch whose first wave (+``months``) is open today; returns (batch, waves)."""
    from plugins.tracer_survey import service
    end = service.add_months(today(app), -months) - datetime.timedelta(days=3)
    batch = make_batch(end, people or [("Budi Santoso", "081234567890", True), ("Wa Ode Sari", "+62 813-4123-5502", True),
                                       ("La Ode Rizal", "0401 312190", True), ("Gagal Lulus", "0811111111", False)])
    end_batch(batch)
    return batch, waves_of(batch)


GOOD_ANSWER = {"status": "bekerja", "employer": "PT Virtue Dragon Nickel Industry", "position": "Operator",
               "sector": "industri", "start_date": "2025-01-15", "income_band": "3-5", "relevance": "4",
               "found_via": "siapkerja", "consent": "1",
               "start_confirmed": "1"}     # the job started before the training ended: confirmed


# ---------------------------------------------------------------- waves

def test_waves_created_on_batch_end_with_dates_roster_runs_and_idempotent(balai_app, balai_client):
    app = balai_app(PLUGIN)
    batch = make_batch(datetime.date(2025, 1, 31), [("Andi", "081234567890", True), ("Beni", "081234567891", True),
                                                    ("Caca", "081234567892", False)])
    assert waves_of(batch) == []
    end_batch(batch)
    waves = waves_of(batch)
    # +1, +3, +6 months from 31 Jan 2025 (clamped to month ends); open 30 days (last day inclusive).
    assert [(w.months, w.opens_on, w.closes_on) for w in waves] == [
        (1, datetime.date(2025, 2, 28), datetime.date(2025, 3, 29)),
        (3, datetime.date(2025, 4, 30), datetime.date(2025, 5, 29)),
        (6, datetime.date(2025, 7, 31), datetime.date(2025, 8, 29)),
    ]
    tokens = set()
    for w in waves:
        alumni = alumni_of(w)
        assert [a.name for a in alumni] == ["Andi", "Beni"]          # graduates only
        tokens |= {a.token for a in alumni}
    # ONE run for the batch (the first wave opened long ago), shared by its waves.
    run = run_of(waves[0])
    assert run is not None and run.status == "active" and run.current_no == 1
    assert {run_of(w).id for w in waves} == {run.id}
    assert len(tokens) == 6 and all(len(t) >= 32 for t in tokens)

    # Ending again (event delivered twice) and the manual action create nothing new.
    end_batch(batch)
    officer = balai_client(app, "pengantar_kerja")
    res = officer.follow(officer.post(f"/tracer/batches/{batch.id}/waves", status=303))
    assert "sudah ada" in res.text
    assert len(waves_of(batch)) == 3
    assert sum(len(alumni_of(w)) for w in waves_of(batch)) == 6
    from core.tracker.models import Run
    with db.connection():
        assert Run.select().where(Run.code == "KDI-PM-09").count() == 1
    # Wave list shows them; only managers may create waves.
    assert officer.get("/tracer/waves").text.count("/tracer/waves/") >= 3
    balai_client(app, "sub_koordinator_pemberdayaan").post(f"/tracer/batches/{batch.id}/waves", status=403)
    balai_client(app, "staf_pelatihan").get("/tracer/waves", status=403)


def test_wave_months_and_open_days_follow_config(balai_app, balai_client):
    app = balai_app(PLUGIN, options={PLUGIN: {"wave_months": "2 4", "wave_open_days": "10"}})
    batch = make_batch(datetime.date(2025, 3, 10), [("Andi", "081234567890", True)], status="ended")
    officer = balai_client(app, "pengantar_kerja")
    officer.post(f"/tracer/batches/{batch.id}/waves", status=303)     # the manual action
    assert [(w.months, w.opens_on, w.closes_on) for w in waves_of(batch)] == [
        (2, datetime.date(2025, 5, 10), datetime.date(2025, 5, 19)),
        (4, datetime.date(2025, 7, 10), datetime.date(2025, 7, 19)),
    ]


def test_manual_create_refused_for_running_batch(balai_app, balai_client):
    app = balai_app(PLUGIN)
    batch = make_batch(datetime.date(2025, 3, 10), [("Andi", "081234567890", True)], status="running")
    officer = balai_client(app, "pengantar_kerja")
    res = officer.follow(officer.post(f"/tracer/batches/{batch.id}/waves", status=303))
    assert "sudah selesai" in res.text
    assert waves_of(batch) == []


# ---------------------------------------------------------------- the survey form

def test_questionnaire_consent_glossary_fields_and_start_before_training(balai_app, balai_client):
    app = balai_app(PLUGIN)
    batch, waves = open_wave(app, balai_client)
    budi = [a for a in alumni_of(waves[0]) if a.name == "Budi Santoso"][0]
    alumnus = balai_client(app)
    page = alumnus.get(f"/survey/{budi.token}").text
    # Employer type, job level and location as the glossary lists them; the consent text.
    for needle in ('name="employer_type"', "Instansi pemerintah", "BUMN / BUMD", "Usaha sendiri",
                   'name="job_level"', "Multinasional", 'name="province"', 'name="city"', "UU 27/2022"):
        assert needle in page, needle
    after = (batch.end_date + datetime.timedelta(days=5)).isoformat()
    answer = {**GOOD_ANSWER, "start_date": after, "employer_type": "bumn", "job_level": "nasional",
              "province": "Sulawesi Tenggara", "city": "Kendari"}
    del answer["start_confirmed"]
    # Without consent: refused next to the consent box, nothing saved.
    res = alumnus.post(f"/survey/{budi.token}", {k: v for k, v in answer.items() if k != "consent"}, status=422)
    assert re.search(r'id="f-consent-err">Persetujuan penggunaan data wajib', res.text) and responses() == []
    # A job that started before the training ended is questioned (not refused): confirm, then it is kept.
    before = (batch.end_date - datetime.timedelta(days=20)).isoformat()
    res = alumnus.post(f"/survey/{budi.token}", {**answer, "start_date": before}, status=422)
    err = re.search(r'id="f-start_date-err">([^<]+)<', res.text).group(1)
    assert "sebelum pelatihan Anda selesai" in err and 'name="start_confirmed"' in res.text and responses() == []
    # A future date is refused (PastDate).
    res = alumnus.post(f"/survey/{budi.token}", {**answer, "start_date": "2999-01-01"}, status=422)
    assert "Tanggal tidak boleh di masa depan" in res.text and responses() == []
    alumnus.post(f"/survey/{budi.token}", {**answer, "start_date": before, "start_confirmed": "1"}, status=303)
    [saved] = responses()
    assert (saved.employer_type, saved.job_level, saved.province, saved.city, saved.start_date.isoformat()) == (
        "bumn", "nasional", "Sulawesi Tenggara", "Kendari", before)
    assert saved.consent_at is not None
    # A bad choice is refused next to its field.
    res = alumnus.post(f"/survey/{budi.token}", {**answer, "employer_type": "asing"}, status=422)
    assert 'id="f-employer_type-err"' in res.text


def test_survey_form_token_correction_and_closed_wave(balai_app, balai_client):
    app = balai_app(PLUGIN)
    batch, waves = open_wave(app, balai_client)
    first, third = waves[0], waves[1]
    budi = [a for a in alumni_of(first) if a.name == "Budi Santoso"][0]
    alumnus = balai_client(app)                     # anonymous: no account needed

    page = alumnus.get(f"/survey/{budi.token}")
    assert page.status_int == 200 and "Budi Santoso" in page.text and 'name="status"' in page.text
    assert 'for="f-employer"' in page.text

    # Employer is required when working: the message sits next to the field; nothing saved.
    res = alumnus.post(f"/survey/{budi.token}", {**GOOD_ANSWER, "employer": ""}, status=422)
    err = re.search(r'<p class="error" id="f-employer-err">([^<]+)</p>', res.text)
    assert err and "Wajib diisi jika Anda bekerja" in err.group(1)
    assert responses() == []
    # A future start date is refused too.
    res = alumnus.post(f"/survey/{budi.token}", {**GOOD_ANSWER, "start_date": "2999-01-01"}, status=422)
    assert 'id="f-start_date-err"' in res.text

    res = alumnus.follow(alumnus.post(f"/survey/{budi.token}", GOOD_ANSWER, status=303))
    assert "jawaban Anda tersimpan" in res.text
    [saved] = responses()
    assert (saved.status, saved.employer, saved.relevance, saved.start_date) == (
        "bekerja", "PT Virtue Dragon Nickel Industry", 4, datetime.date(2025, 1, 15))
    # Shown prefilled when the link is opened again.
    page = alumnus.get(f"/survey/{budi.token}")
    assert 'value="bekerja" checked' in page.text and 'value="PT Virtue Dragon Nickel Industry"' in page.text

    # Second submit = a correction of the same answer, not a second response.
    alumnus.post(f"/survey/{budi.token}", {"status": "wirausaha", "employer": "Bengkel Budi", "start_date": "2025-02-01",
                                           "consent": "1", "start_confirmed": "1"}, status=303)
    [corrected] = responses()
    assert corrected.id == saved.id
    assert (corrected.status, corrected.employer, corrected.corrections, corrected.income_band) == (
        "wirausaha", "Bengkel Budi", 1, "")
    # Not working: job details are cleared.
    alumnus.post(f"/survey/{budi.token}", {**GOOD_ANSWER, "status": "belum"}, status=303)
    [again] = responses()
    assert (again.status, again.employer, again.start_date, again.corrections) == ("belum", "", None, 2)

    # The audit log names the alumnus, not a staff account.
    from core.audit import AuditLog
    with db.connection():
        actors = {r.actor for r in AuditLog.select().where(AuditLog.object_type == "tracer_response")}
    assert actors == {f"alumni:{budi.id}"}

    # Wrong token: a kind 404 page, not an error.
    res = alumnus.get("/survey/tidak-ada-token-seperti-ini", status=404)
    assert "tidak kami kenali" in res.text
    alumnus.post("/survey/tidak-ada-token-seperti-ini", GOOD_ANSWER, status=404)

    # A wave not yet open (+3 months) tells when it opens; POST saves nothing.
    later = alumni_of(third)[0]
    res = alumnus.get(f"/survey/{later.token}")
    assert res.status_int == 200 and "belum dibuka" in res.text

    # Closing the wave (step 6 action) closes the form.
    officer = balai_client(app, "pengantar_kerja")
    officer.post(f"/tracer/waves/{first.id}/close", status=303)
    res = alumnus.get(f"/survey/{budi.token}")
    assert res.status_int == 200 and "sudah ditutup" in res.text
    res = alumnus.post(f"/survey/{budi.token}", GOOD_ANSWER)
    assert res.status_int == 200 and "sudah ditutup" in res.text
    assert responses()[0].status == "belum"


def test_survey_form_needs_csrf_and_closes_by_date(balai_app, balai_client):
    from plugins.tracer_survey import service
    app = balai_app(PLUGIN)
    end = service.add_months(today(app), -2) - datetime.timedelta(days=1)    # +1 wave ended yesterday or earlier
    batch = make_batch(end, [("Andi", "081234567890", True)])
    end_batch(batch)
    first = waves_of(batch)[0]
    assert first.closes_on < today(app)
    token = alumni_of(first)[0].token
    anon = balai_client(app)
    assert "sudah ditutup" in anon.get(f"/survey/{token}").text
    anon.post(f"/survey/{token}", GOOD_ANSWER, csrf=False, status=403)
    assert responses() == []


def link_of(alumnus):
    from core import public_links
    from plugins.tracer_survey import links
    with db.connection():
        return public_links.for_subject(links.PURPOSE, alumnus)


def test_survey_links_are_core_public_links_expiring_with_the_wave(balai_app, balai_client):
    """A survey link is a core public link: it expires when its wave closes (the end of the last
    day at the office, or when the officer closes it), records and audits each answer, is
    correctable until then, and follows the wave when it is extended or reopened."""
    from core import public_links
    from core.audit import AuditLog
    from plugins.tracer_survey import links
    app = balai_app(PLUGIN, timezone="WITA")
    batch, waves = open_wave(app, balai_client)
    first = waves[0]
    budi = [a for a in alumni_of(first) if a.name == "Budi Santoso"][0]
    link = link_of(budi)
    # The last day (closes_on) ends at midnight WITA = 16:00 UTC that day.
    end_utc = datetime.datetime.combine(first.closes_on, datetime.time(16, 0))
    assert (link.token, link.purpose, link.recipient_name) == (budi.token, "tracer_survey.answer", "Budi Santoso")
    assert link.expires_at == link.correctable_until == end_utc and link.answered_at is None

    anon = balai_client(app)
    anon.post(f"/survey/{budi.token}", GOOD_ANSWER, status=303)
    anon.post(f"/survey/{budi.token}", {**GOOD_ANSWER, "status": "belum"}, status=303)
    link = link_of(budi)
    assert link.answer_count == 2 and link.answered_at is not None and link.corrected_at is not None
    assert link.answer["status"] == "belum" and link.answer["employer"] == ""      # job details dropped
    with db.connection():
        actors = [r.actor for r in AuditLog.select().where((AuditLog.object_type == "public_link")
                                                           & (AuditLog.object_id == str(link.id)))]
    assert actors.count(f"alumni:{budi.id}") == 2                 # both answers audited, by the alumnus

    # Closed early by the officer: the link stops at once, answered or not.
    officer = balai_client(app, "pengantar_kerja")
    officer.post(f"/tracer/waves/{first.id}/close", status=303)
    closed = waves_of(batch)[0].closed_at
    others = [link_of(a) for a in alumni_of(first)]
    assert {(lk.expires_at, lk.correctable_until) for lk in others} == {(closed, closed)}
    with db.connection():
        assert public_links.state(link_of(budi)) == "closed"
        assert links.sync(waves_of(batch)[0], app) == 0               # nothing left to change
    assert "sudah ditutup" in anon.get(f"/survey/{budi.token}").text

    # Reopened with a reason: the links follow the new last day; the answer is correctable again.
    later = first.closes_on + datetime.timedelta(days=7)
    officer.post(f"/tracer/waves/{first.id}/close-date", {"closes_on": later.isoformat(), "reason": "Grup WA baru"},
                 status=303)
    link = link_of(budi)
    assert link.expires_at == link.correctable_until == datetime.datetime.combine(later, datetime.time(16, 0))
    anon.post(f"/survey/{budi.token}", GOOD_ANSWER, status=303)
    assert link_of(budi).answer_count == 3 and responses()[0].status == "bekerja"


def test_unknown_survey_tokens_are_rate_limited(balai_app, balai_client):
    """Guessing tokens: after 20 unknown ones from an address in 10 minutes it is asked to wait (429),
    even with a real token; nothing is saved."""
    app = balai_app(PLUGIN)
    batch, waves = open_wave(app, balai_client)
    real = alumni_of(waves[0])[0].token
    anon = balai_client(app)
    for i in range(20):
        anon.get(f"/survey/tebakan-token-nomor-{i:04d}", status=404)
    res = anon.get(f"/survey/{real}", status=429)
    assert "Terlalu banyak percobaan" in res.text
    anon.post(f"/survey/{real}", GOOD_ANSWER, status=429)
    assert responses() == []


def test_links_sent_before_the_move_to_public_links_keep_working(tmp_path, balai_db, balai_client):
    """A database from before migration 0003 (tokens on the alumni table): each token becomes a public
    link with the same token; an answer already given counts as the link's answer."""
    from core import app as app_mod, public_links
    from core.testing import start_app
    from plugins.tracer_survey.models import Response, Wave
    config = write_config(str(tmp_path), [PLUGIN], balai_db)
    app = app_mod.build(config, check_database=False)
    with db.connection():
        for plugin, directory in app.plugins.each("balai_migrations_dir"):
            if directory:
                db.runner_for(plugin.name, directory).up(
                    target="0002_survey_per_batch" if plugin.name == PLUGIN else None)
    from plugins.tracer_survey import service
    today = service.local_today(app)
    batch = make_batch(today - datetime.timedelta(days=40), [("Budi Santoso", "081234567890", True)])
    with db.connection(), db.write():
        wave = audit.create(Wave, batch=batch, months=1, opens_on=today - datetime.timedelta(days=5),
                            closes_on=today + datetime.timedelta(days=10))
        old = audit.create(Wave, batch=batch, months=3, opens_on=today - datetime.timedelta(days=60),
                           closes_on=today - datetime.timedelta(days=30))
        conn = db.database.obj
        marker = "?" if db.is_sqlite(conn) else "%s"
        for wave_id, token in ((wave.id, "tautan-lama-gelombang-1-budi"), (old.id, "tautan-lama-gelombang-3-budi")):
            conn.execute_sql("INSERT INTO tracer_alumnus (wave_id, nik, name, phone, token, source, created_at) "
                             f"VALUES ({', '.join([marker] * 7)})",
                             (wave_id, "7471014101900001", "Budi Santoso", "081234567890", token, "graduates",
                              db.utcnow()))
        first_id = conn.execute_sql(f"SELECT id FROM tracer_alumnus WHERE token = {marker}",
                                    ("tautan-lama-gelombang-1-budi",)).fetchone()[0]
        Response.create(alumnus=first_id, status="studi", source="form", corrections=1)
    with db.connection():
        ran = db.migrate(app.plugins)
    assert (PLUGIN, "0003_survey_links_on_public_links") in ran
    app = start_app(config)                        # models and schema agree again
    with db.connection():
        link = public_links.PublicLink.get(public_links.PublicLink.token == "tautan-lama-gelombang-1-budi")
        stale = public_links.PublicLink.get(public_links.PublicLink.token == "tautan-lama-gelombang-3-budi")
    assert (link.purpose, link.subject_id, link.answer_count) == ("tracer_survey.answer", str(first_id), 2)
    assert link.answered_at is not None and stale.answered_at is None
    anon = balai_client(app)
    page = anon.get("/survey/tautan-lama-gelombang-1-budi")
    assert "Budi Santoso" in page.text and 'value="studi" checked' in page.text
    anon.post("/survey/tautan-lama-gelombang-1-budi", GOOD_ANSWER, status=303)
    assert responses()[0].status == "bekerja" and responses()[0].corrections == 2
    assert "sudah ditutup" in anon.get("/survey/tautan-lama-gelombang-3-budi").text


# ---------------------------------------------------------------- WhatsApp

@pytest.mark.parametrize("raw, expected", [
    ("081234567890", "6281234567890"),
    ("0812-3456-7890", "6281234567890"),
    ("+62 813 4123 5502", "6281341235502"),
    ("6285241113303", "6285241113303"),
    ("(0852) 4111.3303", "6285241113303"),
    ("812 3456 7890", "6281234567890"),
    ("0401 312190", None),          # a landline: no WhatsApp
    ("", None),
    ("0812-ABC-7890", None),
    ("0812345", None),              # too short
    ("08123456789012345", None),    # too long
])
def test_phone_normalisation(raw, expected):
    from plugins.tracer_survey.service import normalize_phone
    number, problem = normalize_phone(raw)
    assert number == expected
    assert (problem is None) == (expected is not None)


@pytest.mark.parametrize("base_url, warned", [("", "base_url belum diatur"),
                                               ("http://127.0.0.1:8080", "alamat lokal"),
                                               ("http://localhost", "alamat lokal"),
                                               ("https://survei.bpvp-kendari.go.id", None)])
def test_links_warn_when_base_url_is_unset_or_loopback(balai_app, balai_client, caplog, base_url, warned):
    import logging
    caplog.set_level(logging.WARNING, logger="balai.tracer_survey")
    app = balai_app(PLUGIN, base_url=base_url)
    startup = [r.getMessage() for r in caplog.records if r.name == "balai.tracer_survey"]
    batch, waves = open_wave(app, balai_client)
    officer = balai_client(app, "pengantar_kerja")
    page = officer.get(f"/tracer/waves/{waves[0].id}/contact").text      # the app still starts: a warning only
    if warned:
        assert any(warned in m for m in startup)
        assert 'id="link-warning"' in page and warned in page
    else:
        assert startup == [] and 'id="link-warning"' not in page
    if not base_url:     # the links take the address the clerk browsed with (the test's host)
        token = alumni_of(waves[0])[0].token
        assert f"http://localhost:80/survey/{token}" in page or f"http://localhost/survey/{token}" in page


def test_whatsapp_links_csv_and_contact_log(balai_app, balai_client):
    app = balai_app(PLUGIN, base_url="https://survei.bpvp-kendari.go.id/")
    batch, waves = open_wave(app, balai_client)
    first = waves[0]
    by_name = {a.name: a for a in alumni_of(first)}
    officer = balai_client(app, "pengantar_kerja")
    page = officer.get(f"/tracer/waves/{first.id}/contact")
    links = re.findall(r'href="(https://wa\.me/[^"]+)"', page.text)
    assert len(links) == 2                                      # La Ode Rizal's landline gets no link
    link = [l for l in links if "/6281234567890?" in l][0].replace("&amp;", "&")
    parts = urlsplit(link)
    assert parts.path == "/6281234567890"
    assert " " not in parts.query and "%2Fsurvey%2F" in parts.query       # the text is URL-encoded
    text = parse_qs(parts.query)["text"][0]
    assert f"https://survei.bpvp-kendari.go.id/survey/{by_name['Budi Santoso'].token}" in text
    assert text.startswith("Halo Budi Santoso")
    assert "Bukan nomor HP Indonesia" in page.text                        # the landline is flagged

    res = officer.get(f"/tracer/waves/{first.id}/contact.csv?kind=reminder")
    rows = list(csv.reader(io.StringIO(res.text.lstrip("\ufeff"))))
    assert rows[0] == ["name", "phone", "message"]
    assert sorted((r[0], r[1]) for r in rows[1:]) == [("Budi Santoso", "6281234567890"),
                                                      ("Wa Ode Sari", "6281341235502")]
    budi_row = [r for r in rows if r[0] == "Budi Santoso"][0]
    assert "pengingat" in budi_row[2] and by_name["Budi Santoso"].token in budi_row[2]

    # Without base_url the link uses the request's host.
    from plugins.tracer_survey import service

    class Req:
        class urlparts:
            scheme, netloc = "http", "10.0.0.5:8080"
    app.config.balai["base_url"] = ""
    app2_link = service.survey_link(service.base_url(app, Req), "abc")
    assert app2_link == "http://10.0.0.5:8080/survey/abc"

    # Logging the invitations of everyone not yet answered.
    officer.post(f"/tracer/waves/{first.id}/contact", {"kind": "invite", "channel": "wa_blast", "target": "unanswered"},
                 status=303)
    officer.post(f"/tracer/waves/{first.id}/contact",
                 {"kind": "reminder", "channel": "wa", "target": "selected", "alumnus": str(by_name["Wa Ode Sari"].id)},
                 status=303)
    from plugins.tracer_survey.models import Contact
    with db.connection():
        log = sorted((c.alumnus.name, c.kind, c.channel) for c in Contact.select())
    assert log == [("Budi Santoso", "invite", "wa_blast"), ("La Ode Rizal", "invite", "wa_blast"),
                   ("Wa Ode Sari", "invite", "wa_blast"), ("Wa Ode Sari", "reminder", "wa")]
    # Tokens and phones are for the officers who contact alumni only.
    balai_client(app, "sub_koordinator_pemberdayaan").get(f"/tracer/waves/{first.id}/contact", status=403)
    balai_client(app, "sub_koordinator_pemberdayaan").get(f"/tracer/waves/{first.id}/contact.csv", status=403)


# ---------------------------------------------------------------- import

def test_import_answers_with_bad_rows_imports_nothing(balai_app, balai_client):
    app = balai_app(PLUGIN)
    batch, waves = open_wave(app, balai_client)
    first = waves[0]
    nik = {a.name: a.nik for a in alumni_of(first)}
    officer = balai_client(app, "pengantar_kerja")
    url = f"/tracer/waves/{first.id}/answers/import"
    header = "nik,status,nama_perusahaan,jabatan,bidang_usaha,tanggal_mulai,penghasilan,kesesuaian,cara_mendapat_kerja\n"
    bad = (header
           + f"{nik['Budi Santoso']},Bekerja,PT Maju,Operator,Industri pengolahan,15/01/2025,3-5,4,siapkerja\n"
           + f"{nik['Wa Ode Sari']},Bekerja,,Kasir,,,,,\n"                       # employer missing
           + "7471999999999999,Belum bekerja,,,,,,,\n"                          # not on the roster
           + f"{nik['La Ode Rizal']},Pensiun,,,,,,9,\n")                        # bad status, bad scale
    res = officer.post(url, upload_files=[("file", "jawaban.csv", bad.encode())], status=422)
    assert "tidak ada yang disimpan" in res.text
    assert re.search(r"<td>3</td><td>[^<]*nama_perusahaan wajib diisi", res.text)
    assert re.search(r"<td>4</td><td>NIK 7471999999999999 tidak ada dalam daftar", res.text)
    assert re.search(r"<td>5</td><td>status: Pilihan tidak valid", res.text)
    assert "<td>2</td>" not in res.text
    assert responses() == []

    # The same data fixed, as XLSX: everything imported; a later import corrects, never duplicates.
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header.strip().split(","))
    sheet.append([nik["Budi Santoso"], "Bekerja", "PT Maju", "Operator", "Industri pengolahan",
                  datetime.datetime(2025, 1, 15), "3-5", 4, "siapkerja"])
    sheet.append([nik["Wa Ode Sari"], "wirausaha", "Warung Sari", "", "", "", "", "", ""])
    sheet.append([nik["La Ode Rizal"], "Melanjutkan studi", "", "", "", "", "", "", ""])
    buf = io.BytesIO()
    book.save(buf)
    res = officer.follow(officer.post(url, upload_files=[("file", "jawaban.xlsx", buf.getvalue())], status=303))
    assert "3 jawaban baru dan 0 koreksi" in res.text
    got = {(r.alumnus.name, r.status, r.employer, r.source) for r in responses_with_alumni()}
    assert got == {("Budi Santoso", "bekerja", "PT Maju", "import"), ("Wa Ode Sari", "wirausaha", "Warung Sari", "import"),
                   ("La Ode Rizal", "studi", "", "import")}
    again = header + f"{nik['La Ode Rizal']},Belum bekerja,,,,,,,\n"
    res = officer.follow(officer.post(url, upload_files=[("file", "koreksi.csv", again.encode())], status=303))
    assert "0 jawaban baru dan 1 koreksi" in res.text
    assert len(responses()) == 3
    # A file of the wrong type or without the required columns is refused whole.
    res = officer.post(url, upload_files=[("file", "jawaban.txt", b"nik,status\n")], status=422)
    assert "Jenis berkas tidak didukung" in res.text
    res = officer.post(url, upload_files=[("file", "jawaban.csv", b"nama,telepon\nA,0812\n")], status=422)
    assert "Kolom wajib tidak ada: nik, status" in res.text
    balai_client(app, "sub_koordinator_pemberdayaan").get(url, status=403)


def statements(fn):
    """The SQL statements ``fn()`` runs, as their first words (``SELECT``, ``INSERT``, ``SAVEPOINT``…)."""
    database = db.database.obj
    original, calls = database.execute_sql, []

    def counting(sql, *args, **kwargs):
        calls.append(sql.split(None, 1)[0].upper())
        return original(sql, *args, **kwargs)
    database.execute_sql = counting
    try:
        fn()
    finally:
        database.execute_sql = original
    return calls


def test_answer_import_reads_the_same_whatever_the_number_of_rows(balai_app, balai_client):
    """Importing answers reads a constant number of times (the alumni and their answers, once each): 1 row
    or 4, new answers or corrections; each row only writes its answer and the answer's audit row."""
    app = balai_app(PLUGIN)
    _batch, waves = open_wave(app, balai_client, [(f"Alumni {k}", "081234567890", True) for k in range(9)])
    first = waves[0]
    niks = [a.nik for a in alumni_of(first)]
    officer = balai_client(app, "pengantar_kerja")
    url = f"/tracer/waves/{first.id}/answers/import"
    header = "nik,status,nama_perusahaan,jabatan,bidang_usaha,tanggal_mulai,penghasilan,kesesuaian,cara_mendapat_kerja\n"

    def run(rows, status="Bekerja"):
        body = header + "".join(f"{n},{status},PT Maju,Operator,,,,,\n" for n in rows)
        calls = statements(lambda: officer.post(url, upload_files=[("file", "jawaban.csv", body.encode())], status=303))
        return calls.count("SELECT"), calls

    run(niks[:1])                                       # the first import also completes step 7
    one, _c = run(niks[1:2])
    four, calls = run(niks[2:6])
    assert one == four, (one, four)
    assert calls.count("INSERT") - run(niks[6:7])[1].count("INSERT") == 3 * 2       # answer + audit row per row
    assert run(niks[:1], "Belum bekerja")[0] == run(niks[1:5], "Belum bekerja")[0] == one      # corrections
    assert len(responses()) == 7 and sum(r.corrections for r in responses()) == 5


def responses_with_alumni():
    from plugins.tracer_survey.models import Alumnus, Response
    with db.connection():
        return list(Response.select(Response, Alumnus).join(Alumnus))


def test_roster_import_adds_alumni_with_tokens(balai_app, balai_client):
    """A roster file with a bad NIK is refused whole; a good one adds the alumni with personal
    tokens, the phone whose leading zero the spreadsheet dropped stored like any other (+62…)."""
    app = balai_app(PLUGIN)
    batch, waves = open_wave(app, balai_client)
    first = waves[0]
    officer = balai_client(app, "pengantar_kerja")
    url = f"/tracer/waves/{first.id}/roster/import"
    bad = "nik,nama,telepon\n7471014101990001,Rina,081234500001\n12345,Tono,081234500002\n"
    officer.post(url, upload_files=[("file", "alumni.csv", bad.encode())], status=422)
    assert len(alumni_of(first)) == 3
    good = "nik,nama,telepon\n7471014101990001,Rina,081234500001\n7471014101990002,Tono,81234500002\n"
    officer.post(url, upload_files=[("file", "alumni.csv", good.encode())], status=303)
    added = {a.name: a for a in alumni_of(first) if a.source == "import"}
    assert sorted(added) == ["Rina", "Tono"] and added["Tono"].phone == "+6281234500002"
    assert len({a.token for a in alumni_of(first)}) == 5


# ---------------------------------------------------------------- recap

def answer(client, token, status, employer="", start=None):
    data = {"status": status, "employer": employer, "consent": "1", "start_confirmed": "1"}
    if start:
        data["start_date"] = start.isoformat()
    client.post(f"/survey/{token}", data, status=303)


def test_recap_numbers_match_a_hand_count(balai_app, balai_client):
    from plugins.tracer_survey import service
    # Waves at +7/+9/+12 months, so that job starts up to 200 days after the training are in the past.
    app = balai_app(PLUGIN, options={PLUGIN: {"wave_months": "7 9 12"}})
    names = [f"Alumni {i:02d}" for i in range(1, 11)]
    batch, waves = open_wave(app, balai_client, [(n, f"08123450{i:04d}", True) for i, n in enumerate(names)], months=7)
    first = waves[0]
    end = batch.end_date
    alumni = alumni_of(first)                    # sorted by name: Alumni 01 … Alumni 10
    anon = balai_client(app)
    # Hand count: 10 alumni, 8 answer: 4 working, 2 self-employed, 1 studying, 1 not yet working.
    waits = [0, 61, 92, 153, 15, 200]            # days from the end of training to the job start
    for a, days in zip(alumni[:4], waits[:4]):
        answer(anon, a.token, "bekerja", "PT Kerja", end + datetime.timedelta(days=days))
    for a, days in zip(alumni[4:6], waits[4:]):
        answer(anon, a.token, "wirausaha", "Usaha", end + datetime.timedelta(days=days))
    answer(anon, alumni[6].token, "studi")
    answer(anon, alumni[7].token, "belum")
    # One working alumnus started before the training ended: waiting time 0.
    # Median of 0, 15, 61, 92, 153, 200 days = 76.5 days = 2.5 months (30.4375 days a month).
    rows, per_programme = service_recap(service)
    row = [r for r in rows if r["id"] == first.id][0]
    assert (row["alumni"], row["responded"], row["bekerja"], row["wirausaha"], row["studi"], row["belum"]) == (
        10, 8, 4, 2, 1, 1)
    assert (row["response_rate"], row["pct_bekerja"], row["pct_wirausaha"], row["pct_studi"], row["pct_belum"]) == (
        80.0, 50.0, 25.0, 12.5, 12.5)
    assert row["median_wait"] == 2.5
    other = [r for r in rows if r["id"] != first.id]
    assert [(r["months"], r["alumni"], r["responded"], r["response_rate"]) for r in other] == [(9, 10, 0, 0.0),
                                                                                                 (12, 10, 0, 0.0)]
    assert [(p["months"], p["alumni"], p["responded"]) for p in per_programme] == [(7, 10, 8), (9, 10, 0), (12, 10, 0)]

    officer = balai_client(app, "pengantar_kerja")
    page = officer.get(f"/tracer/recap?wave={first.id}")
    cells = re.search(r'<tr data-wave="%d">(.*?)</tr>' % first.id, page.text, re.S).group(1)
    values = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
    assert values[3:] == ["10", "8", "80,0%", "50,0%", "25,0%", "12,5%", "12,5%", "2,5"]
    missing = re.search(r'<table id="nonresponders">(.*?)</table>', page.text, re.S).group(1)
    assert "Alumni 09" in missing and "Alumni 10" in missing and "Alumni 01" not in missing
    assert "<svg" in page.text and "<script" not in page.text
    # The chart has the table's denominator (respondents) and the Indonesian decimal comma.
    assert "<title>Bekerja: 4 (50,0%)</title>" in page.text and "<title>Melanjutkan studi: 1 (12,5%)</title>" in page.text
    assert ">80,0%</text>" in page.text                     # the response-rate chart
    assert not re.search(r"\d\.\d%", page.text)              # no decimal point anywhere
    # Breakdowns by sex, programme and funding source, also of respondents.
    for table, label in (("sex", "Laki-laki"), ("programme", "TIK.OKM"), ("funding", "DIPA")):
        cells = re.search(r'<table class="nums" id="recap-by-%s">.*?<tbody><tr>(.*?)</tr>' % table, page.text,
                          re.S).group(1)
        values = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", cells, re.S)]
        assert values == [label, "8", "50,0%", "25,0%", "12,5%", "12,5%"], table
    # The SOP's reporting period: waves that closed in a caturwulan (Jan–Apr I, May–Aug II, Sep–Dec III).
    year, n = first.closes_on.year, (first.closes_on.month - 1) // 4 + 1
    page = officer.get(f"/tracer/recap?period={year}-{n}").text
    assert f'data-wave="{first.id}"' in page and f'<option value="{year}-{n}" selected>Caturwulan ' in page
    assert "<tr data-wave=" not in officer.get("/tracer/recap?period=2001-1").text
    assert officer.get("/tracer/recap?period=bukan").text.count("<tr data-wave=") == 3     # ignored
    # The whole page: all batches/waves, still one table row per wave.
    assert officer.get("/tracer/recap").text.count("<tr data-wave=") == 3
    balai_client(app, "staf_pelatihan").get("/tracer/recap", status=403)


def service_recap(service):
    with db.connection():
        return service.recap()


def test_recap_uses_a_constant_number_of_queries(balai_app, balai_client):
    from plugins.tracer_survey import service
    app = balai_app(PLUGIN)
    open_wave(app, balai_client)

    def count_queries():
        database = db.database.obj
        original = database.execute_sql
        calls = []

        def counting(sql, *args, **kwargs):
            calls.append(sql)
            return original(sql, *args, **kwargs)
        database.execute_sql = counting
        try:
            with db.connection():
                rows, _p = service.recap()
        finally:
            database.execute_sql = original
        return len(calls), len(rows)
    small = count_queries()
    for i in range(3):
        _b, waves = open_wave(app, balai_client, [(f"Orang {i}-{k}", "081234567890", True) for k in range(4)])
        anon = balai_client(app)
        for a in alumni_of(waves[0])[:2]:
            answer(anon, a.token, "bekerja", "PT A", datetime.date(2025, 1, 1))
    big = count_queries()
    assert small[1] == 3 and big[1] == 12
    assert small[0] == big[0] == 2


# ---------------------------------------------------------------- export

MAPPING = "NIK=nik,Nama Lengkap=name,Status Kebekerjaan=status_label,Perusahaan=employer,Mulai=start_date,Tunggu=waiting_months"


def test_export_columns_follow_the_configured_mapping(balai_app, balai_client):
    app = balai_app(PLUGIN, options={PLUGIN: {"smile_columns": MAPPING}})
    batch, waves = open_wave(app, balai_client)
    first = waves[0]
    by_name = {a.name: a for a in alumni_of(first)}
    anon = balai_client(app)
    answer(anon, by_name["Budi Santoso"].token, "bekerja", "=HYPERLINK(\"http://x\")",
           batch.end_date + datetime.timedelta(days=20))
    answer(anon, by_name["Wa Ode Sari"].token, "studi")
    sub = balai_client(app, "sub_koordinator_pemberdayaan")
    res = sub.get(f"/tracer/export.csv?wave={first.id}")
    assert res.content_type == "text/csv"
    rows = list(csv.reader(io.StringIO(res.text.lstrip("\ufeff"))))
    assert rows[0] == ["NIK", "Nama Lengkap", "Status Kebekerjaan", "Perusahaan", "Mulai", "Tunggu"]
    assert rows[1:] == [
        [by_name["Budi Santoso"].nik, "Budi Santoso", "Bekerja", "'=HYPERLINK(\"http://x\")",
         (batch.end_date + datetime.timedelta(days=20)).isoformat(), "0.7"],
        [by_name["Wa Ode Sari"].nik, "Wa Ode Sari", "Melanjutkan studi", "", "", ""],
    ]
    res = sub.get(f"/tracer/export.xlsx?batch={batch.id}")
    import openpyxl
    sheet = openpyxl.load_workbook(io.BytesIO(res.body)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("NIK", "Nama Lengkap", "Status Kebekerjaan", "Perusahaan", "Mulai", "Tunggu")
    # core.tabular: the same apostrophe as in the CSV, and typed as text
    assert values[1][:4] == (by_name["Budi Santoso"].nik, "Budi Santoso", "Bekerja", "'=HYPERLINK(\"http://x\")")
    assert sheet.cell(row=2, column=4).data_type == "s"          # text, never a formula
    assert len(values) == 3
    res = sub.follow(sub.get("/tracer/export.csv", status=303))   # nothing chosen: back to the recap
    assert "Pilih gelombang atau angkatan" in res.text
    balai_client(app, "staf_pelatihan").get(f"/tracer/export.csv?wave={first.id}", status=403)


def test_default_export_mapping(balai_app, balai_client):
    app = balai_app(PLUGIN)
    batch, waves = open_wave(app, balai_client)
    res = balai_client(app, "sub_koordinator_pemberdayaan").get(f"/tracer/export.csv?wave={waves[0].id}")
    assert res.text.lstrip("\ufeff").splitlines()[0] == "NIK,Nama,Status Kebekerjaan,Nama Perusahaan,Tanggal Mulai Kerja"


@pytest.mark.parametrize("options, problem", [
    ({"smile_columns": "NIK=nik,Nama=nama_lengkap"}, "unknown field 'nama_lengkap'"),
    ({"smile_columns": "NIK nik"}, "is not Header=field"),
    ({"smile_columns": "A=nik,A=name"}, "header 'A' repeats"),
    ({"wave_months": "1 tiga"}, "expected whole numbers"),
    ({"wave_open_days": "0"}, "between 1 and 365"),
])
def test_bad_config_stops_the_app_with_the_problem(tmp_path, balai_db, options, problem):
    path = write_config(str(tmp_path), [PLUGIN], balai_db, {PLUGIN: options})
    with pytest.raises(ConfigError) as info:
        start_app(path)
    assert any(problem in p and f"[plugin:{PLUGIN}]" in p for p in info.value.problems), info.value.problems


# ---------------------------------------------------------------- the SOP steps and vacancies

def test_steps_completed_from_the_screens(balai_app, balai_client):
    app = balai_app(PLUGIN)
    batch, waves = open_wave(app, balai_client)
    first = waves[0]
    officer = balai_client(app, "pengantar_kerja")
    sub = balai_client(app, "sub_koordinator_pemberdayaan")
    w = f"/tracer/waves/{first.id}"

    sub.post(f"{w}/roster/confirm", status=403)
    officer.post(f"{w}/roster/confirm", status=303)
    assert run_of(first).current_no == 2
    # Step 2 needs vacancies on the board.
    res = officer.follow(officer.post(f"{w}/vacancies/gathered", status=303))
    assert "belum berisi lowongan" in res.text and run_of(first).current_no == 2
    officer.post("/tracer/vacancies/new", {"employer": "Hotel Claro Kendari", "position": "Staf Front Office",
                                           "location": "Kendari", "link": "bukan-tautan"}, status=422)
    officer.post("/tracer/vacancies/new", {"employer": "Hotel Claro Kendari", "position": "Staf Front Office",
                                           "location": "Kendari", "closes_on": (today(app) + datetime.timedelta(days=9)).isoformat(),
                                           "source": "Instagram", "link": "https://example.org/loker"}, status=303)
    from plugins.tracer_survey.models import Vacancy, VacancyShare
    with db.connection():
        vacancy = Vacancy.get()
    officer.post(f"{w}/vacancies/gathered", status=303)
    assert run_of(first).current_no == 3
    # Bad input on the wave's forms: the message next to the field, nothing saved, the step not done.
    res = officer.post(f"{w}/vacancies/share", {"channel": "group"}, status=422)
    assert re.search(r'id="f-vacancy-err">Pilih minimal satu lowongan', res.text)
    res = officer.post(f"{w}/vacancies/share", {"vacancy": str(vacancy.id), "channel": "merpati"}, status=422)
    assert 'id="f-channel-err"' in res.text and f'value="{vacancy.id}" checked' in res.text
    assert run_of(first).current_no == 3
    officer.post(f"{w}/vacancies/share", {"vacancy": str(vacancy.id), "channel": "group"}, status=303)
    assert run_of(first).current_no == 4
    with db.connection():
        assert VacancyShare.select().where(VacancyShare.vacancy == vacancy).count() == 3
    detail = officer.get(f"/tracer/vacancies/{vacancy.id}").text
    assert detail.count("Budi Santoso") == 1 and "Grup WA alumni" in detail and ">group<" not in detail
    res = officer.post(f"{w}/contact", {"kind": "invite", "channel": "wa_blast", "target": "selected"}, status=422)
    assert re.search(r'id="f-target-err">Tidak ada alumni yang dipilih', res.text) and run_of(first).current_no == 4
    from plugins.tracer_survey.models import Contact
    with db.connection():
        assert Contact.select().count() == 0
    officer.post(f"{w}/contact", {"kind": "invite", "channel": "wa_blast", "target": "all"}, status=303)
    assert run_of(first).current_no == 5
    officer.post(f"{w}/contact", {"kind": "reminder", "channel": "wa", "target": "unanswered"}, status=303)
    assert run_of(first).current_no == 6
    # Step 6 is the alumni's answering in EVERY wave of the batch: it ends when the last wave closes.
    officer.post(f"{w}/close", status=303)
    assert run_of(first).current_no == 6
    officer.post(f"/tracer/waves/{waves[1].id}/close", status=303)
    res = officer.follow(officer.post(f"/tracer/waves/{waves[2].id}/close", status=303))
    assert "langkah 6 SOP KDI/PM/09 dicatat selesai" in res.text and run_of(first).current_no == 7
    officer.post(f"{w}/collected", status=303)
    assert run_of(first).current_no == 8
    officer.post(f"{w}/recap/confirm", status=303)
    assert run_of(first).current_no == 9
    # Step 9 belongs to the Sub Koordinator Pemberdayaan: refused next to the field, nothing recorded.
    res = officer.post(f"{w}/reported", {"reference": "SMILe 2025/11"}, status=422)
    err = re.search(r'id="f-reference-err">([^<]+)<', res.text)
    assert err and "hanya dapat dikerjakan oleh" in err.group(1) and run_of(first).current_no == 9
    from plugins.tracer_survey.models import Survey
    with db.connection():
        assert Survey.get(Survey.batch == batch.id).smile_ref == ""
    # Step 9 needs the SMILe reference: refused next to the field; the run page lists why.
    res = sub.post(f"{w}/reported", {"reference": "  "}, status=422)
    assert re.search(r'id="f-reference-err">', res.text) and run_of(first).current_no == 9
    run_page = sub.get(f"/runs/{run_of(first).id}").text
    assert "Nomor/referensi laporan SMILe belum dicatat" in run_page
    sub.get(f"/tracer/export.csv?wave={first.id}")
    sub.post(f"{w}/reported", {"reference": "SMILe 2025/11"}, status=303)
    run = run_of(first)
    assert run.status == "completed"
    with db.connection():
        notes = [rs.notes for rs in tracker.timeline(run)]
        survey = Survey.get(Survey.batch == batch.id)
    assert "Dilaporkan ke SMILe: SMILe 2025/11" in notes[-1]
    assert survey.smile_ref == "SMILe 2025/11" and survey.reported_at is not None
    page = officer.get(w)
    assert page.status_int == 200 and "/runs/" in page.text and "Caturwulan" in page.text


def test_demo_data_is_idempotent(balai_app):
    from core.testing import make_user
    from plugins.tracer_survey import demo, service
    from plugins.tracer_survey.models import Wave
    app = balai_app(PLUGIN)
    make_user(app, "pk.demo", ["pengantar_kerja"])
    with db.connection():
        lines = demo.load(app)
        assert lines and demo.load(app) == []
        rows, _p = service.recap()
        by_months = {r["months"]: r for r in rows}
        assert by_months[1]["response_rate"] == 60.0 and by_months[1]["alumni"] == 15
        waves = {w.months: w for w in Wave.select()}
        today_ = service.local_today(app)
        assert [service.wave_state(waves[m], today_) for m in (1, 3, 6)] == ["closed", "open", "upcoming"]
        assert service.run_of(waves[1]).current_no == 6      # the batch's one run: answering until +6 closes


def test_one_run_per_batch_starts_with_the_first_wave_and_step_6_ends_with_the_last(balai_app, balai_client):
    """The batch's ONE run starts when its first wave opens (step 1: a month after training);
    the job closes each wave after its period and records step 6 by rule when the last has
    closed; step 6's time standard counts from that close (anchored)."""
    from core.tracker import jobs
    from plugins.tracer_survey import service
    from plugins.tracer_survey.models import Wave
    app = balai_app(PLUGIN)
    end = service.add_months(today(app), -1) + datetime.timedelta(days=3)       # +1 wave opens in 3 days
    batch = make_batch(end, [("Andi", "081234567890", True)])
    end_batch(batch)
    first, third, sixth = waves_of(batch)
    assert run_of(first) is None
    with db.connection(), db.write():
        Wave.update(opens_on=today(app)).where(Wave.id == first.id).execute()      # the +1 wave opens today
    with db.connection():
        assert service.tend_waves(app) == {"started": 1, "closed": 0}
        assert service.tend_waves(app) == {"started": 0, "closed": 0}             # once per batch
        assert jobs.run_due(app, force=True) and run_of(third).id == run_of(first).id
    officer = balai_client(app, "pengantar_kerja")
    run = run_of(first)
    with db.connection():
        for no in range(1, 6):
            tracker.complete(run, officer.user, expect_no=no, app=app)
    assert run_of(first).current_no == 6
    page = officer.get(f"/runs/{run.id}").text          # the run page sends the officer to the survey
    assert 'href="/tracer/surveys/' in page and "Kerjakan di halaman survei angkatan" in page
    survey_link = re.search(r'href="(/tracer/surveys/\d+)"', page).group(1)
    assert officer.get(survey_link, status=303).location.endswith(f"/tracer/waves/{first.id}")
    # Step 6 is anchored to the last wave's close: scheduled, not due before it.
    with db.connection():
        step6 = tracker.timeline(run_of(first))[5]
        assert step6.starts_at is not None and step6.starts_at.date() >= sixth.closes_on - datetime.timedelta(days=1)
    yesterday = today(app) - datetime.timedelta(days=1)
    with db.connection(), db.write():
        Wave.update(closes_on=yesterday).where(Wave.id.in_([first.id, third.id])).execute()
    with db.connection():
        assert service.tend_waves(app) == {"started": 0, "closed": 2}
        assert run_of(first).current_no == 6                                       # the +6 wave still open
        Wave.update(opens_on=yesterday - datetime.timedelta(days=2), closes_on=yesterday).where(
            Wave.id == sixth.id).execute()
        tracker.reanchor(run_of(first), app)
        assert service.tend_waves(app) == {"started": 0, "closed": 1}
        step6 = tracker.timeline(run_of(first))[5]
        assert (step6.no, step6.status, step6.completed_by_id) == (6, "done", None)
        assert step6.notes.startswith("Selesai menurut aturan: semua gelombang survei ditutup")
        assert run_of(first).current_no == 7


def test_wave_extended_or_reopened_with_a_reason(balai_app, balai_client):
    from core.audit import AuditLog
    from plugins.tracer_survey.models import Wave
    app = balai_app(PLUGIN)
    batch, waves = open_wave(app, balai_client)
    first = waves[0]
    officer = balai_client(app, "pengantar_kerja")
    url = f"/tracer/waves/{first.id}/close-date"
    later = (first.closes_on + datetime.timedelta(days=10)).isoformat()
    # No reason, or a date in the past: refused next to the field, nothing changed.
    res = officer.post(url, {"closes_on": later, "reason": ""}, status=422)
    assert re.search(r'id="f-reason-err">', res.text)
    res = officer.post(url, {"closes_on": "2020-01-01", "reason": "Banyak alumni belum menjawab"}, status=422)
    assert "harus hari ini atau sesudahnya" in res.text
    assert waves_of(batch)[0].closes_on == first.closes_on
    officer.post(url, {"closes_on": later, "reason": "Banyak alumni belum menjawab"}, status=303)
    assert waves_of(batch)[0].closes_on.isoformat() == later
    # Closed, then reopened with a reason: the form opens again; the reason is in the audit log.
    officer.post(f"/tracer/waves/{first.id}/close", status=303)
    assert waves_of(batch)[0].closed_at is not None
    officer.post(url, {"closes_on": later, "reason": "Grup WA baru dibuat"}, status=303)
    assert waves_of(batch)[0].closed_at is None
    with db.connection():
        reasons = [r.diff for r in AuditLog.select().where(AuditLog.action.in_(
            ["tracer_wave_extended", "tracer_wave_reopened"])).order_by(AuditLog.seq)]
    assert "Banyak alumni belum menjawab" in reasons[0] and "Grup WA baru dibuat" in reasons[1]
    balai_client(app, "sub_koordinator_pemberdayaan").post(url, {"closes_on": later, "reason": "x"}, status=403)
    with db.connection():
        assert Wave.get_by_id(first.id).closes_on.isoformat() == later


# ---------------------------------------------------------------- the recap report paper

def test_recap_report_paper_issued_as_a_pdf_that_verifies(balai_app, balai_client):
    from core.documents.models import Document
    from core.testing import pdf_text
    app = balai_app(PLUGIN, city="Kendari")
    batch, waves = open_wave(app, balai_client)
    first = waves[0]
    anon = balai_client(app)
    alumni = alumni_of(first)
    answer(anon, alumni[0].token, "bekerja", "PT Kerja", batch.end_date + datetime.timedelta(days=10))
    answer(anon, alumni[1].token, "belum")
    answer(anon, alumni[2].token, "studi")
    officer = balai_client(app, "pengantar_kerja")
    # The report is signed by the sub-coordinator (their own signature), not by the officer.
    assert officer.post(f"/tracer/waves/{first.id}/paper", status=403).status_int == 403
    assert "Terbitkan laporan rekap" not in officer.get(f"/tracer/recap?wave={first.id}").text
    with db.connection():
        assert Document.select().count() == 0
    sub = balai_client(app, "sub_koordinator_pemberdayaan")
    page = sub.get(f"/tracer/recap?wave={first.id}")
    assert "Terbitkan laporan rekap" in page.text
    res = sub.post(f"/tracer/waves/{first.id}/paper", status=303)
    doc_id = int(re.search(r"/documents/(\d+)", res.location).group(1))
    with db.connection():
        doc = Document.get_by_id(doc_id)
    assert doc.status == "valid" and doc.record_type == "tracer_survey" and "/PM.09/BPVP-KDI/" in doc.number
    text, sizes = pdf_text(sub.get(f"/documents/{doc_id}/pdf").body)
    assert sizes == [(595, 842)]
    for expected in ("LAPORAN HASIL SURVEI KEBEKERJAAN ALUMNI", doc.number, "Operator Komputer Muda",
                     "33,3%", "Laki-laki", "DIPA", sub.user.full_name, "Kendari,"):
        assert expected in text, expected
    assert not re.search(r"\d\.\d%", text)
    page = anon.get(f"/verify/{doc.token}")
    assert "SAH" in page.text and doc.number in page.text
    # Issued again (more answers came): a new version with the same number; the old one is superseded.
    answer(anon, alumni[0].token, "wirausaha", "Usaha", batch.end_date + datetime.timedelta(days=10))
    sub.post(f"/tracer/waves/{first.id}/paper", status=303)
    with db.connection():
        old, new = Document.get_by_id(doc_id), Document.get(Document.supersedes == doc_id)
    assert (old.status, new.number, new.version) == ("superseded", old.number, 2)
