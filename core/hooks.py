"""The core's own hook implementations: the core is loaded as the first plugin."""
import os

from core import account, admin, api, audit, context, identity, numbering, public_links, views
from core.api import account as api_account, tokens as api_tokens
from core.hookspecs import hookimpl
from core.i18n import lazy
from core.plugins import MenuItem, Permission, Role
from core.documents import models as document_models, routes as document_routes
from core.tracker import jobs as tracker_jobs, models as tracker_models, routes as tracker_routes

HERE = os.path.dirname(os.path.abspath(__file__))


@hookimpl
def balai_models():
    return (identity.MODELS + [audit.AuditLog, numbering.NumberCounter, api_tokens.ApiToken] + tracker_models.MODELS
            + document_models.MODELS + public_links.MODELS)


@hookimpl
def balai_migrations_dir():
    return os.path.join(HERE, "migrations")


@hookimpl
def balai_roles():
    return [Role(identity.ADMIN, "Administrator", "Administrator")]


@hookimpl
def balai_permissions():
    everyone = ("*",)
    return [
        Permission("core.account", lazy("Mengelola akun sendiri (kata sandi, bahasa)"), everyone),
        Permission("core.api_tokens", lazy("Membuat token API pribadi (akses dari program lain)"), everyone),
        Permission("core.users", lazy("Mengelola pengguna dan peran"), (identity.ADMIN,)),
        Permission("core.permissions", lazy("Mengubah matriks peran → izin"), (identity.ADMIN,)),
        Permission("core.audit", lazy("Melihat dan memeriksa log audit"), (identity.ADMIN,)),
        Permission("tracker.tasks", lazy("Melihat tugas saya dan menjalankan langkah SOP"), everyone),
        Permission("tracker.view", lazy("Melihat SOP, jalannya (run) dan riwayatnya"), everyone),
        Permission("tracker.report", lazy("Melihat laporan kepatuhan SOP"), everyone),
        Permission("tracker.admin", lazy("Mengelola revisi SOP, kalender kerja dan pejabat pelaksana"), (identity.ADMIN,)),
        # Also granted by default to each SOP's owner roles (core.tracker.sop.owner_roles).
        Permission("tracker.cancel_run", lazy("Membatalkan run SOP (dengan alasan)"), (identity.ADMIN,)),
        Permission("tracker.assign", lazy("Menugaskan langkah SOP kepada orang tertentu"), (identity.ADMIN,)),
        Permission("documents.view", lazy("Melihat arsip dokumen dan mengunduh PDF-nya"), everyone),
        Permission("documents.revoke", lazy("Mencabut dan mengoreksi dokumen yang sudah terbit"), (identity.ADMIN,)),
        Permission("documents.templates", lazy("Mengubah templat dokumen lembaga"), (identity.ADMIN,)),
    ]


@hookimpl
def balai_routes(router):
    account.register(router)
    admin.register(router)
    tracker_routes.register(router)
    document_routes.register(router)
    api_account.register(router)


@hookimpl
def balai_api_routes(router, app):
    api.register_core(router, app)


@hookimpl
def balai_cli_commands():
    return [api_account.COMMAND]


@hookimpl
def balai_menu():
    work, admin_section = lazy("Kerja"), lazy("Administrasi")
    return [
        MenuItem(lazy("Tugas saya"), "/tasks", "tracker.tasks", work, 1),
        MenuItem(lazy("SOP"), "/sop", "tracker.view", work, 90),
        MenuItem(lazy("Kepatuhan SOP"), "/compliance", "tracker.report", work, 91),
        MenuItem(lazy("Pengguna"), "/admin/users", "core.users", admin_section, 100),
        MenuItem(lazy("Peran & izin"), "/admin/permissions", "core.permissions", admin_section, 101),
        MenuItem(lazy("Log audit"), "/admin/audit", "core.audit", admin_section, 102),
        MenuItem(lazy("Kalender kerja"), "/admin/calendar", "tracker.admin", admin_section, 103),
        MenuItem(lazy("Arsip dokumen"), "/documents", "documents.view", work, 92),
        MenuItem(lazy("Templat dokumen"), "/documents/templates", "documents.templates", admin_section, 104),
        MenuItem(lazy("Pejabat pelaksana"), "/admin/tracker/acting", "tracker.admin", admin_section, 105),
    ]


@hookimpl
def balai_jobs():
    from core import audit_anchor
    return list(tracker_jobs.JOBS) + [audit_anchor.JOB]


@hookimpl
def balai_startup(app):
    from core.tracker import service
    service.load_definitions(app)
    from core.documents import types as document_types
    document_types.collect(app)        # a bad document type stops startup


@hookimpl
def balai_record_link(object_type, object_id):
    paths = {"user": "/admin/users/", "run": "/runs/"}
    if object_type in paths and str(object_id).isdigit():
        return (object_type, f"{paths[object_type]}{object_id}")
    try:                                 # a plugin's Screen(..., workflow=)
        return views.record_link(context.current_app(), object_type, object_id)
    except context.NoAppBound:
        return None
