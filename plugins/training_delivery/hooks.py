"""Hook implementations of the ``training_delivery`` plugin."""
import os

from core.toolkit import Job, MenuItem, Option, Permission, db, hookimpl, lazy, numbering, roles_of
from plugins.training_delivery import models
from plugins.training_delivery.sop import ROLE_TITLES_EN, SOP

HERE = os.path.dirname(os.path.abspath(__file__))
STAFF, HEAD, SECTION, COMMITTEE = "staf_blk", "kepala_dinas", "kepala_bidang", "panitia"


@hookimpl
def balai_config_options():
    return [
        Option("letter_number", "str", "{n:03d}/BLK-PA/{roman_month}/{year}",
               "Pattern of letter numbers (running number, month in Roman numerals, year)",
               check=numbering.check_pattern),
        Option("place", "str", "Pagar Alam", "Place written before the date of letters"),
        Option("signer_position", "str", "Kepala Bidang Balai Latihan Kerja",
               "Position under the signature of letters"),
        Option("signer_on_behalf", "str",
               "a.n. Kepala Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja Kota Pagar Alam",
               "Line above the signer's position (a.n. ...); empty for none"),
    ]


@hookimpl
def balai_document_types(app):
    from plugins.training_delivery import letters
    return letters.document_types(app)


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
    p = "training_delivery."
    return [
        Permission(p + "view", lazy("Melihat rencana kerja, surat dan laporan penyelenggaraan pelatihan"),
                   (STAFF, HEAD, SECTION, COMMITTEE)),
        Permission(p + "plan", lazy("Membuat dan mengubah rencana kerja kegiatan"), (STAFF,)),
        Permission(p + "approve", lazy("Menyetujui rencana kerja dan menerima laporan"), (HEAD,)),
        Permission(p + "instruct", lazy("Menginstruksikan penyusunan surat"), (SECTION,)),
        Permission(p + "letters", lazy("Menyusun konsep surat dan susunan panitia"), (STAFF,)),
        Permission(p + "sign", lazy("Memaraf konsep dan menandatangani surat pengantar"), (SECTION,)),
        Permission(p + "distribute", lazy("Mencatat pengiriman surat undangan"), (STAFF,)),
        Permission(p + "replies", lazy("Mencatat jawaban dan calon peserta dari Kabupaten/Kota"), (STAFF,)),
        Permission(p + "meeting", lazy("Mencatat rapat internal dan pelaksanaan pelatihan"), (COMMITTEE,)),
        Permission(p + "report", lazy("Menyusun laporan pelaksanaan pelatihan"), (STAFF, COMMITTEE)),
        Permission(p + "templates", lazy("Mengelola templat surat"), ()),
    ]


@hookimpl
def balai_permission_grants():
    both = (STAFF, COMMITTEE)
    # Staff prepare programmes and batches for their work plans; the committee ends the batch (step 9).
    return {"training.view": both, "training.register": both, "training.attendance": both, "training.manage": both}


@hookimpl
def balai_routes(router):
    from plugins.training_delivery import routes
    routes.register(router)


@hookimpl
def balai_menu():
    section = lazy("Penyelenggaraan Pelatihan")
    return [
        MenuItem(lazy("Rencana kerja"), "/delivery", "training_delivery.view", section, 30),
        MenuItem(lazy("Jawaban terlambat"), "/delivery/overdue", "training_delivery.view", section, 31),
        MenuItem(lazy("Templat surat"), "/delivery/templates", "training_delivery.templates", section, 32),
    ]


@hookimpl
def balai_sops():
    return [SOP]


@hookimpl
def balai_startup(app):
    from plugins.training_delivery import service
    with db.connection():
        service.seed_templates()


@hookimpl
def balai_record_link(object_type, object_id):
    if object_type == models.WorkPlan._meta.table_name:
        return (lazy("Buka rencana kerja"), f"/delivery/plans/{object_id}")
    if object_type == models.Letter._meta.table_name:
        return (lazy("Buka surat"), f"/delivery/letters/{object_id}")
    return None


@hookimpl
def balai_event(name, data):
    if name == "training.batch_ended":
        from plugins.training_delivery import service
        service.on_batch_ended(data["batch_id"])


@hookimpl
def balai_jobs():
    from plugins.training_delivery import service
    return [Job("training_delivery.reply_reminders", service.remind_replies, every_minutes=60)]


@hookimpl
def balai_demo_data(app):
    from plugins.training_delivery import demo
    return demo.load(app)


@hookimpl
def balai_step_action(run, no):
    # Every step of a work plan is done on its page: approving, numbering letters and
    # registering nominees happen there with the step.
    if run.subject_type == models.WorkPlan._meta.table_name:
        return (lazy("Kerjakan di halaman rencana kerja"), f"/delivery/plans/{run.subject_id}")
    return None
