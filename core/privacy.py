"""Private data (NIK and the like): declared once on the model, masked the same
way everywhere it is shown — pages, record history (chatter), exports and the
audit viewer — to a user without the permission that shows it in full.

    class Person(BaseModel):
        nik = peewee.CharField(max_length=16, unique=True)
        sensitive = {"nik": "training.nik"}      # field → permission to see it in full

``shown(model, field, value)`` gives the value or its mask for the user of
this request; ``masked_diff(object_type, diff)`` does the same to an audit
row's changes. Outside a request (CLI, jobs) values are shown: the console
belongs to the administrator.
"""
import json

from core.db import BaseModel


def mask(value):
    """``7471011234567890`` → ``7471********7890``; short values keep their last two characters."""
    if value is None or value == "":
        return value
    text = str(value)
    if len(text) >= 12:
        return text[:4] + "*" * (len(text) - 8) + text[-4:]
    return "*" * max(len(text) - 2, 1) + text[-2:] if len(text) > 2 else "*" * len(text)


def _models():
    seen, stack = [], [BaseModel]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            seen.append(sub)
            stack.append(sub)
    return seen


def declared():
    """audit type (table name) → {field: permission} of every model that declares ``sensitive``."""
    out = {}
    for model in _models():
        fields = getattr(model, "sensitive", None)
        if fields and hasattr(model, "_meta"):
            out.setdefault(model.audit_type(), {}).update(fields)
    return out


def _user():
    """The request's user (None: anonymous), or False outside a web request."""
    try:
        from core import web
        environ = web.request.environ
    except (RuntimeError, KeyError, AttributeError):
        return False
    if "balai.started" not in environ:     # set by the request pipeline (core/web.py)
        return False
    return environ.get("balai.user")


def can_see(permission, user=False):
    """True if the user (default: of this request) may see a field guarded by ``permission``."""
    user = _user() if user is False else user
    if user is False:                     # not in a web request: the CLI or a job
        return True
    return user is not None and user.can(permission)


def shown(model, field, value, user=False):
    """``value`` as this user may see it: in full, or masked."""
    permission = (getattr(model, "sensitive", None) or {}).get(field)
    if permission is None or can_see(permission, user):
        return value
    return mask(value)


def masked_diff(object_type, diff, user=False):
    """An audit row's changes (a dict, or its JSON) with the guarded fields masked."""
    if isinstance(diff, str):
        try:
            diff = json.loads(diff)
        except ValueError:
            return {}
    guarded = declared().get(object_type)
    if not guarded or not isinstance(diff, dict):
        return diff
    out = dict(diff)
    for field, permission in guarded.items():
        if field in out and not can_see(permission, user):
            value = out[field]
            out[field] = [mask(v) for v in value] if isinstance(value, list) else mask(value)
    return out


def masked_diff_json(row, user=False):
    """The ``diff`` JSON of an AuditLog row as this user may see it."""
    return json.dumps(masked_diff(row.object_type, row.diff, user), ensure_ascii=False, sort_keys=True)
