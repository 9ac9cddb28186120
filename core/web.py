"""The web shell: routes with declared permissions, the request pipeline,
templates with a theme → plugins → core chain, flash messages and errors.
Split by concern: ``web_routes`` (the router), ``web_templates`` (the chain),
``web_pipeline`` (what runs around each request); every name stays importable
from ``core.web``.

Every route declares the permission it needs (or ``public=True``); a route
without one refuses to register. Each request: one database connection,
the session and user, the language, the permission check, CSRF on every
state change, a write transaction around non-GET handlers, security headers.
"""
import base64
import datetime
import json
import logging
import re
import secrets
from urllib.parse import urlencode, urlsplit

import bottle
from markupsafe import Markup

from core import context, i18n
from core.i18n import _
from core.web_routes import RouteSpec, Router  # noqa: F401  (core.web.Router is the public name)
from core.web_templates import ChainLoader, make_environment  # noqa: F401  (public names of core.web)

log = logging.getLogger("balai.web")
request, response = bottle.request, bottle.response
SESSION_COOKIE = "balai_session"
CSRF_COOKIE = "balai_csrf"
FLASH_COOKIE = "balai_flash"
LANG_COOKIE = "balai_lang"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
       "object-src 'none'; frame-ancestors 'none'")


class Forbidden(Exception):
    """Refuse the request with 403 and a reason the user can read."""
    def __init__(self, reason=None, permission=None):
        super().__init__(reason)
        self.reason = reason
        self.permission = permission


class NotFound(Exception):
    pass


class BadRequest(Exception):
    """Refuse malformed input (a body that is not UTF-8, a number beyond 64 bits) with 400."""


# ---------------------------------------------------------------- request state

def user():
    """The logged-in user of this request, or None."""
    return request.environ.get("balai.user")


def session():
    return request.environ.get("balai.session")


def app():
    """The app serving this request (kept for the core's routes; plugins use toolkit.current_app())."""
    return context.current_app()


def client_address():
    return (request.environ.get("REMOTE_ADDR") or "")[:64]


def is_https():
    return app().config["https"] or request.urlparts.scheme == "https"


def csrf_token():
    s = session()
    if s is not None:
        return s.csrf_token
    token = request.environ.get("balai.csrf")
    if not token:
        token = request.get_cookie(CSRF_COOKIE) or ""
        if not re.fullmatch(r"[A-Za-z0-9_\-]{20,100}", token):
            token = secrets.token_urlsafe(32)
            set_cookie(CSRF_COOKIE, token, max_age=None)
        request.environ["balai.csrf"] = token
    return token


def set_cookie(name, value, max_age=None, http_only=True):
    response.set_cookie(name, value, path="/", httponly=http_only, samesite="lax",
                        secure=is_https(), **({"max_age": max_age} if max_age else {}))


def _decoded_forms():
    """The form fields decoded as UTF-8; a body that is not UTF-8 is a 400, not a crash."""
    decoded = request.environ.get("balai.forms")
    if decoded is None:
        try:
            decoded = request.forms.decode("utf-8")
        except UnicodeError:
            raise BadRequest(_("Isian formulir bukan teks UTF-8 yang sah."))
        request.environ["balai.forms"] = decoded
    return decoded


def form():
    """The submitted form as a plain dict of str (UTF-8 decoded). A key sent twice
    keeps its last value, so every field is one string; a field that really holds
    several values (checkboxes) is read with ``form_list``."""
    forms = _decoded_forms()
    return {key: forms.getall(key)[-1] for key in forms.keys()}


def form_list(key):
    """Every value sent for ``key`` (ticked checkboxes, a multi-select)."""
    return _decoded_forms().getall(key)


def query(name, default=""):
    """One query-string value as text (``default`` when absent)."""
    value = request.query.getunicode(name)
    return default if value is None else value


def query_int(name, default=None, minimum=None):
    """A whole number from the query string; ``default`` when absent, not a number, or below ``minimum``."""
    text = query(name).strip()
    if not text.isdigit():
        return default
    number = int(text)
    return default if minimum is not None and number < minimum else number


def query_page(name="page"):
    """The page number of a list (1 when absent or not a positive number)."""
    return query_int(name, 1, minimum=1)


def query_date(name, default=None):
    """A date written ``YYYY-MM-DD`` (the date input's format) from the query string, else ``default``."""
    return parse_date(query(name), default)


def parse_date(text, default=None):
    """``YYYY-MM-DD`` text (a date input's value) as a date, else ``default``: one rule for query and form."""
    try:
        return datetime.date.fromisoformat(text.strip()) if text and text.strip() else default
    except ValueError:
        return default


def flash(message, kind="success"):
    """Show a message on the next page."""
    items = request.environ.setdefault("balai.flash_out", [])
    items.append([kind, str(message)])
    raw = base64.urlsafe_b64encode(json.dumps(items).encode()).decode()
    set_cookie(FLASH_COOKIE, raw)


def pop_flashes():
    raw = request.get_cookie(FLASH_COOKIE)
    if not raw:
        return []
    response.delete_cookie(FLASH_COOKIE, path="/")
    try:
        items = json.loads(base64.urlsafe_b64decode(raw.encode()).decode())
        return [(str(k), str(m)) for k, m in items if k in ("success", "error", "info")][:5]
    except Exception:
        return []


def redirect(path):
    """Redirect (303) to a local path, keeping cookies set on this response."""
    res = response.copy(cls=bottle.HTTPResponse)
    res.status = 303
    res.body = ""
    res.set_header("Location", path)
    raise res


_CONTROL = re.compile(r"[\x00-\x20\x7f]")


def safe_next(path, default="/"):
    """Only a same-origin relative path: never redirect to another site (after login,
    after the language switch).

    A browser drops tabs and newlines anywhere in a URL and reads ``\\`` as ``/``,
    so ``/<TAB>/evil.example`` is ``//evil.example`` to it: refuse every control
    character, space and backslash, then accept only a path with no scheme and
    no host that starts with one ``/``.
    """
    if not isinstance(path, str) or not path or len(path) > 2000:
        return default
    if _CONTROL.search(path) or "\\" in path:
        return default
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith("//"):
        return default
    return path


def render(template, **values):
    """Render a template (or the first existing of a list) with the request's context."""
    a = app()
    env = a.templates
    u = user()
    values.setdefault("page_title", "")
    ctx = {
        "user": u,
        "menu": a.menu_for(u),
        "flashes": pop_flashes(),
        "csrf_token": csrf_token(),
        "request_path": request.path,
        "lang": i18n.language(),
        "notifications": a.notification_count(u) if u else 0,
        "task_count": _badge(a.task_count(u)) if u and u.can("tracker.tasks") else 0,
    }
    ctx.update(values)
    tpl = env.get_or_select_template(template)
    return tpl.render(**ctx)


def _badge(n):
    return "99+" if n > 99 else n       # the count stops at 100 (tracker.tasks.pending_count)


def csrf_field():
    return Markup('<input type="hidden" name="csrf_token" value="%s">' % csrf_token())


def url(path, **params):
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(params) if params else "")


# The pipeline's names, re-exported here; imported last because it imports this module.
from core.web_pipeline import (Middleware, build_bottle, check_csrf, choose_language, error_page,  # noqa: E402,F401
                               forbidden_page, in_transaction, load_session, security_headers, static_path, wrap)  # noqa: F401
