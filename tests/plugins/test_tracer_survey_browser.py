"""The alumni survey form in headless Chromium at phone width (375 px), served by
the real server (waitress) on a free port: filled in and submitted like a person would."""
import datetime
import os

import pytest

from core import db

@pytest.fixture
def live(balai_app, balai_live):
    """A started app with one open wave, served by waitress in a thread."""
    from core import audit
    from plugins.tracer_survey import links, service
    from plugins.tracer_survey.models import Alumnus, Wave
    from plugins.training import service as training
    from plugins.training.models import Batch, Enrolment, Person, Programme
    app = balai_app("tracer_survey", institution="BPVP Kendari")
    end = service.add_months(service.local_today(app), -1) - datetime.timedelta(days=3)
    with db.connection():
        with db.write():
            programme = audit.create(Programme, code="TIK.OKM", title="Operator Komputer Muda", field="TIK", total_jp=240)
            batch = audit.create(Batch, programme=programme, name="Angkatan I", start_date=end - datetime.timedelta(days=40),
                                 end_date=end, quota=16, reg_opens=end - datetime.timedelta(days=80),
                                 reg_closes=end - datetime.timedelta(days=50), status="running")
            person = audit.create(Person, nik="7471014101960001", name="Wa Ode Sitti Nurhaliza", sex="P",
                                  phone="081341235502")
            audit.create(Enrolment, person=person, batch=batch, status="graduated")
        training.end_batch(batch)          # the waves are created by the tracer plugin on this event
        alumnus = (Alumnus.select().join(Wave).where((Wave.batch == batch) & (Wave.months == 1)).get())
        alumnus.token = links.token_of(alumnus)          # their survey link: a core public link
    yield balai_live(app).url, alumnus, end


def test_survey_form_on_a_phone(live, balai_phone):
    base, alumnus, end = live
    start = end + datetime.timedelta(days=12)
    page = balai_phone
    page.goto(f"{base}/survey/{alumnus.token}")
    assert "Wa Ode Sitti Nurhaliza" in page.content()
    # Fits the phone: no sideways scrolling, every input labelled.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length)).map(e => e.name)""")
    assert unlabelled == []

    # Working without naming the employer: told next to the field.
    page.get_by_label("Bekerja", exact=True).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim jawaban").click()
    assert page.locator("#f-employer-err").inner_text().startswith("Wajib diisi")

    page.get_by_label("Nama perusahaan / usaha").fill("PT Virtue Dragon Nickel Industry")
    page.get_by_label("Jenis tempat kerja").select_option("swasta")
    page.get_by_label("Tingkat tempat kerja").select_option("multinasional")
    page.get_by_label("Provinsi tempat kerja").fill("Sulawesi Tenggara")
    page.get_by_label("Kabupaten/kota tempat kerja").fill("Konawe")
    page.get_by_label("Jabatan / pekerjaan").fill("Admin gudang")
    page.get_by_label("Bidang usaha").select_option("industri")
    page.get_by_label("Mulai bekerja / berusaha sejak").fill(start.isoformat())
    page.get_by_label("Penghasilan per bulan").select_option("3-5")
    page.get_by_label("4", exact=True).check()
    page.get_by_label("Cara mendapatkan pekerjaan").select_option("siapkerja")
    # Without the consent box: told next to it, nothing saved.
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim jawaban").click()
    assert page.locator("#f-consent-err").inner_text().startswith("Persetujuan penggunaan data wajib")
    page.get_by_label("Saya setuju data jawaban ini").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim jawaban").click()
    assert "Terima kasih, jawaban Anda tersimpan." in page.content()
    assert page.get_by_role("button", name="Simpan perbaikan").is_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
    os.makedirs("test-artifacts/screenshots", exist_ok=True)
    page.screenshot(path="test-artifacts/screenshots/tracer-survey-phone.png", full_page=True)

    from plugins.tracer_survey.models import Response
    with db.connection():
        [answer] = list(Response.select())
    assert (answer.status, answer.employer, answer.sector, answer.start_date, answer.income_band,
            answer.relevance, answer.found_via, answer.source) == (
        "bekerja", "PT Virtue Dragon Nickel Industry", "industri", start, "3-5", 4, "siapkerja", "form")
    assert (answer.employer_type, answer.job_level, answer.province, answer.city) == (
        "swasta", "multinasional", "Sulawesi Tenggara", "Konawe") and answer.consent_at is not None
