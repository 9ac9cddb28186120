"""Hook implementations of the ``room_booking`` plugin (thin: the work is in routes.py)."""
import os

from core.toolkit import MenuItem, Permission, hookimpl, lazy, roles_of

from room_booking import models
from room_booking.sop import CLERK, HEAD, ROLE_TITLES_EN, SOP

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
    return [Permission("room_booking.view", lazy("Melihat peminjaman ruang"), (CLERK, HEAD)),
            Permission("room_booking.manage", lazy("Mencatat peminjaman dan serah terima ruang"), (CLERK,))]


@hookimpl
def balai_sops():
    return [SOP]


@hookimpl
def balai_routes(router):
    from room_booking import routes
    routes.register(router)


@hookimpl
def balai_menu():
    from room_booking.routes import BASE
    return [MenuItem(lazy("Peminjaman ruang"), BASE, "room_booking.view", lazy("Sarana dan prasarana"), 60)]


@hookimpl
def balai_demo_data(app):
    from room_booking import demo
    return demo.load(app)


@hookimpl
def balai_record_link(object_type, object_id):
    if object_type != models.Booking.audit_type():
        return None
    obj = models.Booking.get_or_none(models.Booking.id == int(object_id))
    return (obj.purpose, f"/room-booking/bookings/{obj.id}") if obj else None
