"""Hook implementations of the ``training`` plugin."""
import os

from core.toolkit import MenuItem, Option, Permission, Role, hookimpl, lazy, numbering
from plugins.training import models

HERE = os.path.dirname(os.path.abspath(__file__))
STAFF = "staf_pelatihan"
INSTRUCTOR = "instruktur"


@hookimpl
def balai_config_options():
    return [
        Option("certificate_number", "str", "{n:04d}/SERT-PEL/{code}/{roman_month}/{year}",
               "Pattern of training certificate numbers", check=numbering.check_pattern),
        Option("paper_number", "str", "{seq:03d}/{classification}/PEL/{month_roman}/{year}",
               "Pattern of the numbers of attendance sheets and participant lists", check=numbering.check_pattern),
        Option("attendance_pass_percent", "int", 80, "Minimum attendance (%) to graduate"),
    ]


@hookimpl
def balai_document_types(app):
    from plugins.training import papers
    return papers.document_types(app)


@hookimpl
def balai_models():
    return models.MODELS


@hookimpl
def balai_migrations_dir():
    return os.path.join(HERE, "migrations")


@hookimpl
def balai_roles():
    return [Role(STAFF, "Staf Pelatihan", "Training staff"), Role(INSTRUCTOR, "Instruktur", "Instructor")]


@hookimpl
def balai_permissions():
    return [
        Permission("training.view", lazy("Melihat program, angkatan, peserta (NIK disamarkan)"), ("*",)),
        Permission("training.manage", lazy("Mengelola program pelatihan dan angkatan"), (STAFF,)),
        Permission("training.register", lazy("Mendaftarkan peserta dan mengimpor pendaftar"), (STAFF,)),
        Permission("training.attendance", lazy("Mengisi daftar hadir"), (STAFF, INSTRUCTOR)),
        Permission("training.certificates", lazy("Menerbitkan sertifikat pelatihan"), (STAFF,)),
        Permission("training.nik", lazy("Melihat NIK lengkap"), (STAFF,)),
    ]


@hookimpl
def balai_routes(router):
    from plugins.training import routes
    routes.register(router)


@hookimpl
def balai_menu():
    section = lazy("Pelatihan")
    return [
        MenuItem(lazy("Program"), "/training/programmes", "training.view", section, 20),
        MenuItem(lazy("Angkatan"), "/training/batches", "training.view", section, 21),
        MenuItem(lazy("Peserta"), "/training/people", "training.view", section, 22),
    ]


@hookimpl
def balai_record_link(object_type, object_id):
    paths = {"training_batch": "/training/batches/", "training_person": "/training/people/",
             "training_programme": "/training/programmes/"}
    if object_type in paths:
        return (lazy("Buka data"), f"{paths[object_type]}{object_id}")
    return None


@hookimpl
def balai_template_filters():
    return {"nik_mask": models.mask_nik}


@hookimpl
def balai_demo_data(app):
    from plugins.training import demo
    return demo.load(app)
