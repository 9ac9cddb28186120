"""Hook implementations of the ``certification`` plugin (thin: logic in service.py)."""
import os

from core.toolkit import Job, MenuItem, Option, Permission, hookimpl, lazy, numbering, roles_of
from plugins.certification import models
from plugins.certification.sop import ROLE_TITLES_EN, SOP

HERE = os.path.dirname(os.path.abspath(__file__))
ADM, TEK, ASR, MUTU, TUK = "bagian_administrasi", "teknis_operasional", "asesor", "manajemen_mutu", "kepala_tuk"
ALL = (ADM, TEK, ASR, MUTU, TUK)


@hookimpl
def balai_config_options():
    return [
        Option("candidates_per_assessor", "int", 10, "Most candidates one assessor may assess in one test"),
        Option("certificate_number", "str", "{n:04d}/SKK/{code}/{roman_month}/{year}",
               "Pattern of competency certificate numbers ({code} = the scheme's short code)",
               check=numbering.check_pattern),
        Option("lsp_name", "str", "LSP Disnaker Kota Tangerang", "The certification body (LSP) receiving the recommendation"),
        Option("lsp_licence", "str", "", "The LSP's BNSP licence number"),
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
        Permission("certification.view", lazy("Melihat jadwal uji kompetensi, skema, TUK, asesor"), ALL),
        Permission("certification.manage", lazy("Mengelola skema, TUK dan asesor"), (ADM, TEK)),
        Permission("certification.schedule", lazy("Menyusun jadwal uji kompetensi dan peserta"), (ADM,)),
        Permission("certification.confirm", lazy("Mencatat konfirmasi asesor dan peserta"), (ADM,)),
        Permission("certification.readiness", lazy("Mengisi kesiapan sarana dan prasarana TUK"), (TUK,)),
        Permission("certification.assess", lazy("Mengisi kehadiran dan hasil uji kompetensi"), (ASR, TEK)),
        Permission("certification.sign", lazy("Menandatangani berita acara uji kompetensi"), (ASR, TUK)),
        Permission("certification.review", lazy("Mengkaji ulang hasil uji (manajemen mutu)"), (MUTU,)),
        Permission("certification.archive", lazy("Mengarsipkan berkas uji kompetensi"), (ADM,)),
        Permission("certification.certificates", lazy("Mencatat sertifikat kompetensi"), (ADM,)),
    ]


@hookimpl
def balai_permission_grants():
    return {"training.view": ALL, "training.nik": (ADM,)}


@hookimpl
def balai_sops():
    return [SOP]


@hookimpl
def balai_routes(router):
    from plugins.certification import routes
    routes.register(router)


@hookimpl
def balai_menu():
    section = lazy("Sertifikasi")
    return [
        MenuItem(lazy("Jadwal uji kompetensi"), "/certification/events", "certification.view", section, 40),
        MenuItem(lazy("Belum konfirmasi"), "/certification/unconfirmed", "certification.view", section, 41),
        MenuItem(lazy("Sertifikat kompetensi"), "/certification/certificates", "certification.view", section, 42),
        MenuItem(lazy("Sertifikat segera habis"), "/certification/certificates/expiring", "certification.view", section, 43),
        MenuItem(lazy("Skema sertifikasi"), "/certification/schemes", "certification.view", section, 44),
        MenuItem(lazy("TUK"), "/certification/tuks", "certification.view", section, 45),
        MenuItem(lazy("Asesor"), "/certification/assessors", "certification.view", section, 46),
    ]


@hookimpl
def balai_record_link(object_type, object_id):
    paths = {"certification_test_event": "/certification/events/", "certification_scheme": "/certification/schemes/",
             "certification_tuk": "/certification/tuks/", "certification_assessor": "/certification/assessors/"}
    if object_type in paths:
        return (lazy("Buka data"), f"{paths[object_type]}{object_id}")
    return None


@hookimpl
def balai_event(name, data):
    if name.startswith("tracker.") and data.get("subject_type") == models.TestEvent.audit_type():
        from plugins.certification import service
        service.follow_run(data.get("subject_id"))


@hookimpl
def balai_jobs():
    from plugins.certification import service
    return [Job("certification.unconfirmed", service.remind_unconfirmed, every_minutes=60)]


@hookimpl
def balai_demo_data(app):
    from plugins.certification import demo
    return demo.load(app)


@hookimpl
def balai_step_action(run, no):
    # Every step but 3 (readiness information: no data of its own) is done on the event's page.
    if run.subject_type == models.TestEvent.audit_type() and no != 3:
        return (lazy("Kerjakan di halaman jadwal uji"), f"/certification/events/{run.subject_id}")
    return None
