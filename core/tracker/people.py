"""People on steps: acting officials (Plt./Plh.), who holds a role on a day, signer titles.

    people.roles_on(user, day)              # the user's roles plus the positions they act for that day
    people.acting_for(user, "kepala_bpvp", day)   # the Acting record, or None
    people.signer_title(user, "kepala_bpvp", day) # "Plt. Kepala BPVP" while acting, else "Kepala BPVP"

An administrator records acting officials at *Administrasi → Pejabat pelaksana*
(``/admin/tracker/acting``). The inbox, who may perform a step and the title
printed under a signature all follow them.
"""
import datetime

from core import db, identity
from core.tracker.base import app_of, local_today
from core.tracker.models import Acting

KINDS = ("Plt.", "Plh.")


def _day(on):
    if on is None:
        try:                                    # "today" is the institution's day, not the server's
            return local_today(app_of())
        except (IndexError, RuntimeError, KeyError):
            return datetime.date.today()
    return on.date() if isinstance(on, datetime.datetime) else on


def acting_on(on=None, user=None, role=None):
    """Acting records in force on a day (optionally of a user / for a role)."""
    day = _day(on)
    q = Acting.select().where((Acting.date_from <= day) & (Acting.date_to >= day))
    if user is not None:
        q = q.where(Acting.user == getattr(user, "id", user))
    if role is not None:
        q = q.where(Acting.role == role)
    return q


# Read at every step transition (may the user act?): SQL built once (core/db.py Prepared).
_ACTING_ROLES = db.Prepared(lambda: Acting.select(Acting.role).where(
    (Acting.user == db.param("user")) & (Acting.date_from <= db.param("day")) & (Acting.date_to >= db.param("day"))).tuples())


def roles_on(user, on=None):
    """The role codes a user may act in on a day: their own and those they act for (cached per user object)."""
    if user is None or getattr(user, "id", None) is None:
        return frozenset()
    day = _day(on)
    cache = user.__dict__.setdefault("_roles_on", {})
    if day not in cache:
        cache[day] = frozenset(user.roles) | {role for (role,) in _ACTING_ROLES.rows(user=user.id, day=day)}
    return cache[day]


def acting_for(user, role, on=None):
    """The Acting record by which ``user`` holds ``role`` on that day, or None (also when they hold it themselves)."""
    if user is None or role in user.roles:
        return None
    return acting_on(on, user=user, role=role).order_by(Acting.id.desc()).first()


def signer_title(user, role_code, on_date=None, app=None):
    """The title printed under a signature: "Plt. Kepala BPVP" while acting, else the role's title."""
    title = app_of(app).role_title(role_code)
    acting = acting_for(user, role_code, on_date)
    return f"{acting.kind} {title}" if acting else title


def role_set_sql(user_id, on=None):
    """SQL of the role codes a user holds on a day (own + acting), for one-query counts."""
    day = _day(on)
    own = identity.UserRole.select(identity.UserRole.role).where(identity.UserRole.user == user_id)
    acting = Acting.select(Acting.role).where((Acting.user == user_id) & (Acting.date_from <= day)
                                              & (Acting.date_to >= day))
    return own | acting


def holders(roles, on=None):
    """role → set of active user ids holding it that day (own or acting): two queries."""
    roles = list(roles)
    out = {r: set() for r in roles}
    if not roles:
        return out
    for user_id, role in (identity.UserRole.select(identity.UserRole.user, identity.UserRole.role)
                          .join(identity.User).where(identity.UserRole.role.in_(roles)
                                                     & (identity.User.active == True)).tuples()):  # noqa: E712
        out[role].add(user_id)
    for user_id, role in (acting_on(on).select(Acting.user, Acting.role).join(identity.User)
                          .where(Acting.role.in_(roles) & (identity.User.active == True)).tuples()):  # noqa: E712
        out[role].add(user_id)
    return out


def users_by_id(ids):
    ids = list(ids)
    if not ids:
        return {}
    return {u.id: u for u in identity.User.select().where(identity.User.id.in_(ids))}


def overlapping(user_id, role, date_from, date_to, exclude_id=None):
    q = Acting.select().where((Acting.user == user_id) & (Acting.role == role) & (Acting.date_from <= date_to)
                              & (Acting.date_to >= date_from))
    if exclude_id:
        q = q.where(Acting.id != exclude_id)
    return q.exists()


__all__ = ["KINDS", "acting_on", "roles_on", "acting_for", "signer_title", "holders", "role_set_sql"]
