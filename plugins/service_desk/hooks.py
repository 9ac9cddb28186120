"""Hook implementations of the ``service_desk`` plugin (thin: logic in service.py)."""
import os

from core.toolkit import MenuItem, Option, Permission, Role, hookimpl, lazy, roles_of
from plugins.service_desk import models
from plugins.service_desk.sop import ROLE_TITLES_EN, SOP

HERE = os.path.dirname(os.path.abspath(__file__))
KIOSK = "petugas_kios"
EMPOWER = "sub_koordinator_pemberdayaan"
DELIVERY = "sub_koordinator_penyelenggaraan"
HEAD = "kepala_bpvp"
STAFF = (KIOSK, EMPOWER, DELIVERY, HEAD)


MAKLUMAT = ("Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang telah "
            "ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai peraturan "
            "perundang-undangan yang berlaku.")


@hookimpl
def balai_config_options():
    return [
        Option("maklumat", "str", MAKLUMAT, "The service pledge (maklumat pelayanan) shown on the kiosk screen"),
        Option("complaint_days", "int", 5, "Time standard for answering a complaint, in working days"),
    ]


@hookimpl
def balai_models():
    return models.MODELS


@hookimpl
def balai_migrations_dir():
    return os.path.join(HERE, "migrations")


@hookimpl
def balai_roles():
    return roles_of(SOP, ROLE_TITLES_EN) + [Role(HEAD, "Kepala BPVP", "Head of BPVP")]


@hookimpl
def balai_permissions():
    return [
        Permission("service_desk.view", lazy("Melihat buku tamu, kunjungan dan kerja sama"), STAFF),
        Permission("service_desk.guestbook", lazy("Mencatat tamu di buku tamu"), (KIOSK,)),
        Permission("service_desk.register", lazy("Mendaftarkan tamu ke pelatihan (bukti SIAPkerja)"), (KIOSK,)),
        Permission("service_desk.selection", lazy("Menyelenggarakan seleksi dan daftar ulang"), (DELIVERY,)),
        Permission("service_desk.partnership", lazy("Mengelola kerja sama: notulen, RAB, PKS, ID Billing"), (EMPOWER,)),
        Permission("service_desk.approve", lazy("Menyetujui atau mengembalikan RAB dan PKS"), (HEAD,)),
        Permission("service_desk.delivery", lazy("Menautkan angkatan pelatihan dan mencatat uji kompetensi"),
                   (DELIVERY, EMPOWER)),
        Permission("service_desk.recap", lazy("Melihat rekap tamu harian dan grafik kunjungan"), STAFF),
        Permission("service_desk.complaints", lazy("Mencatat dan menjawab pengaduan"), (KIOSK, EMPOWER, HEAD)),
    ]


@hookimpl
def balai_permission_grants():
    return {
        # The front desk and the delivery section use the training screens;
        "training.register": (KIOSK, DELIVERY),
        "training.view": (KIOSK, DELIVERY),
        # the delivery sub-coordinator runs the training of step 6: programmes, batches, attendance.
        "training.manage": (DELIVERY,),
        "training.attendance": (DELIVERY,),
    }


@hookimpl
def balai_sops():
    return [SOP]


@hookimpl
def balai_routes(router):
    from plugins.service_desk import routes
    routes.register(router)


@hookimpl
def balai_api_routes(router, app):
    from plugins.service_desk import api
    api.register(router, app)


@hookimpl
def balai_menu():
    section = lazy("Layanan Tamu")
    return [
        MenuItem(lazy("Buku tamu"), "/service-desk/visits/new", "service_desk.guestbook", section, 10),
        MenuItem(lazy("Kunjungan"), "/service-desk/visits", "service_desk.view", section, 11),
        MenuItem(lazy("Rekap tamu"), "/service-desk/recap", "service_desk.recap", section, 12),
        MenuItem(lazy("Seleksi peserta"), "/service-desk/selection", "service_desk.selection", section, 13),
        MenuItem(lazy("Kerja sama"), "/service-desk/cooperations", "service_desk.view", section, 14),
        MenuItem(lazy("Persetujuan RAB & PKS"), "/service-desk/approvals", "service_desk.approve", section, 15),
        MenuItem(lazy("Pengaduan"), "/service-desk/complaints", "service_desk.complaints", section, 16),
        MenuItem(lazy("Indeks kepuasan (IKM)"), "/service-desk/skm", "service_desk.recap", section, 17),
    ]


@hookimpl
def balai_record_link(object_type, object_id):
    paths = {"service_desk_visit": (lazy("Buka data kunjungan"), "/service-desk/visits/"),
             "service_desk_cooperation": (lazy("Buka kerja sama"), "/service-desk/cooperations/"),
             "service_desk_complaint": (lazy("Buka pengaduan"), "/service-desk/complaints/")}
    if object_type in paths:
        text, path = paths[object_type]
        return (text, f"{path}{object_id}")
    return None


@hookimpl
def balai_template_filters():
    from plugins.service_desk.selection import fmt_score
    from plugins.service_desk.skm import fmt_ikm
    return {"score": fmt_score, "ikm": fmt_ikm}


@hookimpl
def balai_event(name, data):
    if name == "training.batch_ended":
        from plugins.service_desk import service
        service.on_batch_ended(data.get("batch_id"))


@hookimpl
def balai_demo_data(app):
    from plugins.service_desk import demo
    return demo.load(app)


@hookimpl
def balai_document_types(app):
    from plugins.service_desk import papers
    return papers.document_types(app)


@hookimpl
def balai_step_anchor(app, run, step):
    from plugins.service_desk import service
    return service.step_anchor(run, step)


@hookimpl
def balai_step_guards(app, run, step):
    from plugins.service_desk import service
    return service.step_guards(run, step)


@hookimpl
def balai_step_action(run, no):
    # Registration, selection, minutes, RAB/PKS approval and the test record change
    # this plugin's data with the step: they are done from the visit's page.
    if run.subject_type == "service_desk_visit" and no in (2, 3, 4, 5, 7):
        return (lazy("Kerjakan di halaman kunjungan"), f"/service-desk/visits/{run.subject_id}")
    return None
