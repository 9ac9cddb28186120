"""Hook implementations of the ``placement`` plugin (thin: the work is in routes.py)."""
import os

from core.toolkit import MenuItem, Permission, hookimpl, lazy, roles_of

from placement import models
from placement.sop import CLERK, HEAD, ROLE_TITLES_EN, SOP

HERE = os.path.dirname(os.path.abspath(__file__))


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
    return [Permission("placement.view", lazy("Melihat permohonan Penempatan Tenaga Kerja"), (CLERK, HEAD)),
            Permission("placement.manage", lazy("Mencatat permohonan Penempatan Tenaga Kerja"), (CLERK,))]


@hookimpl
def balai_sops():
    return [SOP]


@hookimpl
def balai_routes(router):
    from placement import routes
    routes.register(router)


@hookimpl
def balai_menu():
    from placement.routes import BASE
    return [MenuItem(lazy("Permohonan"), BASE, "placement.view", lazy("Penempatan Tenaga Kerja"), 50)]


@hookimpl
def balai_demo_data(app):
    from placement import demo
    return demo.load(app)


@hookimpl
def balai_record_link(object_type, object_id):
    if object_type != models.Submission.audit_type():
        return None
    obj = models.Submission.get_or_none(models.Submission.id == int(object_id))
    return (obj.subject, f"/placement/submissions/{obj.id}") if obj else None
