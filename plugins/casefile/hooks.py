"""Hook implementations of the ``casefile`` plugin (thin: the work is in service.py and routes.py)."""
import os

from core.toolkit import MenuItem, Permission, hookimpl, lazy

from plugins.casefile import models

HERE = os.path.dirname(os.path.abspath(__file__))


@hookimpl
def balai_models():
    return models.MODELS


@hookimpl
def balai_migrations_dir():
    return os.path.join(HERE, "migrations")


@hookimpl
def balai_permissions():
    # Every staff role: who may act on a step is decided by the SOP's roles, as for every SOP.
    return [Permission("casefile.view", lazy("Melihat berkas SOP"), ("*",)),
            Permission("casefile.create", lazy("Membuat berkas SOP (memulai SOP tanpa plugin)"), ("*",))]


@hookimpl
def balai_routes(router):
    from plugins.casefile import routes
    routes.register(router)


@hookimpl
def balai_menu():
    return [MenuItem(lazy("Berkas SOP"), "/berkas", "casefile.view", lazy("Kerja"), 20)]


@hookimpl
def balai_startup(app):
    from plugins.casefile import service
    service.startup(app)


@hookimpl
def balai_event(name, data):
    if name == "tracker.step_completed" and data.get("subject_type") == models.CaseFile.audit_type():
        from plugins.casefile import service
        service.step_completed(data)


@hookimpl
def balai_record_link(object_type, object_id):
    if object_type != models.CaseFile.audit_type() or not str(object_id).isdigit():
        return None
    case = models.CaseFile.get_or_none(models.CaseFile.id == int(object_id))
    return (case.title, f"/berkas/{case.id}") if case else None
