"""Hook implementations of the ``placement`` plugin (thin: the work is in routes.py)."""
import os

from core.toolkit import MenuItem, Permission, documents, hookimpl, lazy, roles_of

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
    return [Permission("placement.view", lazy("Melihat data Penempatan Tenaga Kerja"), (CLERK, HEAD)),
            Permission("placement.manage", lazy("Mencatat data Penempatan Tenaga Kerja"), (CLERK,))]


@hookimpl
def balai_document_types(app):
    """The papers the SOP's steps issue (toolkit ``documents.DocumentType``, docs/documents.md)."""
    return [documents.DocumentType(code="placement.letter", title="Surat Pengantar Kandidat", signer_role=CLERK,
                                   template="placement/documents/letter.html", number_format="{seq:03d}/PTK/{year}",
                                   view_permission="placement.view")]


@hookimpl
def balai_sops():
    return [SOP]


@hookimpl
def balai_routes(router):
    from placement import routes
    routes.register(router)


@hookimpl
def balai_menu():
    return [MenuItem(lazy("Lowongan"), "/placement/vacancies", "placement.view", lazy("Penempatan Tenaga Kerja"), 50),
            MenuItem(lazy("Penempatan"), "/placement/placements", "placement.view", lazy("Penempatan Tenaga Kerja"), 51)]


@hookimpl
def balai_demo_data(app):
    from placement import demo
    return demo.load(app)

