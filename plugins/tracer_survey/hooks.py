"""Hook implementations of the ``tracer_survey`` plugin (thin: logic in service.py)."""
import logging
import os

from core.toolkit import _, Job, MenuItem, Option, Permission, db, hookimpl, lazy, roles_of
from plugins.tracer_survey import models, service
from plugins.tracer_survey.sop import ROLE_TITLES_EN, SOP

log = logging.getLogger("balai.tracer_survey")
HERE = os.path.dirname(os.path.abspath(__file__))
OFFICER, SUBKOOR = "pengantar_kerja", "sub_koordinator_pemberdayaan"


@hookimpl
def balai_config_options():
    return [
        Option("wave_months", "list", ["1", "3", "6"], "Survey waves: months after a batch's end date",
               check=service.check_months),
        Option("wave_open_days", "int", 30, "How many days each wave accepts answers",
               check=service.check_open_days),
        Option("smile_columns", "str", service.DEFAULT_SMILE,
               "SMILe export columns: comma-separated Header=field pairs (fields: "
               + ", ".join(service.EXPORT_FIELDS) + ")", check=service.check_smile_columns),
    ]


@hookimpl
def balai_models():
    return models.MODELS


@hookimpl
def balai_migrations_dir():
    return os.path.join(HERE, "migrations")


@hookimpl
def balai_roles():
    return roles_of(SOP, ROLE_TITLES_EN)


@hookimpl
def balai_permissions():
    return [
        Permission("tracer_survey.view", lazy("Melihat gelombang survei kebekerjaan alumni dan papan lowongan"),
                   (OFFICER, SUBKOOR)),
        Permission("tracer_survey.manage", lazy("Mengelola gelombang survei, daftar alumni, lowongan dan impor jawaban"),
                   (OFFICER,)),
        Permission("tracer_survey.contact", lazy("Menghubungi alumni: tautan WhatsApp, CSV WA blast, log kontak"),
                   (OFFICER,)),
        Permission("tracer_survey.recap", lazy("Melihat dan mengonfirmasi rekap survei kebekerjaan"),
                   (OFFICER, SUBKOOR)),
        Permission("tracer_survey.export", lazy("Mengekspor hasil survei untuk SMILe dan mencatat pelaporannya"),
                   (OFFICER, SUBKOOR)),
        Permission("tracer_survey.paper", lazy("Menerbitkan dan menandatangani laporan rekap survei kebekerjaan"),
                   (SUBKOOR,)),
    ]


@hookimpl
def balai_permission_grants():
    return {"training.view": (OFFICER, SUBKOOR)}


@hookimpl
def balai_sops():
    return [SOP]


@hookimpl
def balai_routes(router):
    from plugins.tracer_survey import routes
    routes.register(router)


@hookimpl
def balai_menu():
    section = lazy("Survei alumni")
    return [
        MenuItem(lazy("Gelombang survei"), "/tracer/waves", "tracer_survey.view", section, 60),
        MenuItem(lazy("Lowongan kerja"), "/tracer/vacancies", "tracer_survey.view", section, 61),
        MenuItem(lazy("Rekap kebekerjaan"), "/tracer/recap", "tracer_survey.recap", section, 62),
    ]


@hookimpl
def balai_document_types(app):
    from plugins.tracer_survey import paper
    return paper.document_types(app)


@hookimpl
def balai_startup(app):
    # A warning, not a refusal: a clerk on a laptop may rightly run without base_url.
    problem = service.base_url_problem(app)
    if problem:
        log.warning("tracer_survey: %s", problem)


@hookimpl
def balai_record_link(object_type, object_id):
    if object_type == service.SUBJECT:
        return (lazy("Buka survei angkatan"), f"/tracer/surveys/{object_id}")
    if object_type == models.Wave.audit_type():      # runs of the former per-wave model, and audit rows
        return (lazy("Buka gelombang survei"), f"/tracer/waves/{object_id}")
    if object_type == "tracer_vacancy":
        return (lazy("Buka lowongan"), f"/tracer/vacancies/{object_id}")
    return None


@hookimpl
def balai_jobs():
    return [Job("tracer_survey.waves", service.tend_waves, every_minutes=60)]


@hookimpl
def balai_event(name, data):
    if name == "training.batch_ended":
        with db.connection():
            service.on_batch_ended(data)


@hookimpl
def balai_demo_data(app):
    from plugins.tracer_survey import demo
    return demo.load(app)


@hookimpl
def balai_step_action(run, no):
    # Each step is recorded with the waves' data (roster, vacancies, contacts, answers, recap).
    if run.subject_type == service.SUBJECT:
        return (lazy("Kerjakan di halaman survei angkatan"), f"/tracer/surveys/{run.subject_id}")
    return None


@hookimpl
def balai_step_anchor(app, run, step):
    # Step 6 (alumni answer) counts its 3 days from the close of the batch's last wave.
    if run.code == service.CODE and run.subject_type == service.SUBJECT and step.anchor == "penutupan_gelombang":
        survey = models.Survey.get_or_none(models.Survey.id == int(run.subject_id))
        return service.last_close(survey.batch_id) if survey is not None else None
    return None


@hookimpl
def balai_step_guards(app, run, step):
    # Step 9 records the report into SMILe: it needs the report's reference there.
    if run.code != service.CODE or run.subject_type != service.SUBJECT or step.no != 9:
        return []
    survey = models.Survey.get_or_none(models.Survey.id == int(run.subject_id))
    if survey is None or not survey.smile_ref.strip():
        return [_("Nomor/referensi laporan SMILe belum dicatat.")]
    return []
