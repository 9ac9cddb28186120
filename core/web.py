"""The web shell: routes with declared permissions, the request pipeline,
templates with a theme → plugins → core chain, flash messages and errors.

Every route declares the permission it needs (or ``public=True``); a route
without one refuses to register. Each request: one database connection,
the session and user, the language, the permission check, CSRF on every
state change, a write transaction around non-GET handlers, security headers.
"""
import base64
import datetime
import json
import logging
import mimetypes
import os
import re
import secrets
import time
from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode, urlsplit

import bottle
import jinja2
import peewee
from markupsafe import Markup

from core import context, db, i18n, identity
from core.i18n import _

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


# ---------------------------------------------------------------- routes

@dataclass
class RouteSpec:
    method: str
    path: str
    callback: Callable
    permission: str | None
    public: bool
    plugin: str
    name: str


class Router:
    """Collects routes; ``router.get(path, permission=...)`` is the decorator plugins use."""

    def __init__(self):
        self.routes = []
        self.plugin = "core"
        self.record_links = {}          # subject type → (label, base url) of a Screen with a workflow

    def for_plugin(self, name):
        bound = Router()
        bound.routes, bound.record_links = self.routes, self.record_links
        bound.plugin = name
        return bound

    def route(self, path, method="GET", permission=None, public=False, name=None):
        def decorator(callback):
            for m in ([method] if isinstance(method, str) else method):
                self.routes.append(RouteSpec(m.upper(), path, callback, permission, public, self.plugin,
                                             name or f"{self.plugin}.{callback.__name__}"))
            return callback
        return decorator

    def get(self, path, **kwargs):
        return self.route(path, "GET", **kwargs)

    def post(self, path, **kwargs):
        return self.route(path, "POST", **kwargs)

    def check(self, declared_permissions):
        """Problems: routes without a permission (and not public), or with an undeclared one."""
        problems = []
        for r in self.routes:
            if not r.public and not r.permission:
                problems.append(f"route {r.method} {r.path} of plugin {r.plugin!r} declares no permission "
                                f"(give permission=... or public=True)")
            elif r.permission and r.permission not in declared_permissions:
                problems.append(f"route {r.method} {r.path} of plugin {r.plugin!r} needs undeclared "
                                f"permission {r.permission!r}")
        return problems


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


# ---------------------------------------------------------------- templates

class ChainLoader(jinja2.BaseLoader):
    """Search template folders in order (theme, plugins later-first, core).

    ``{% extends_next %}`` at the top of a template extends the template of the
    same name further down the chain, so an override replaces one block only.
    """
    MARK = re.compile(r"\{%-?\s*extends_next\s*-?%\}")

    def __init__(self, layers):
        self.layers = layers          # [(label, folder)]

    def get_source(self, environment, template):
        start = 0
        if template.startswith("@"):
            index, _sep, template = template[1:].partition("/")
            start = int(index)
        for i in range(start, len(self.layers)):
            label, folder = self.layers[i]
            path = os.path.join(folder, *template.split("/"))
            if os.path.isfile(path):
                with open(path, encoding="utf-8") as fh:
                    source = fh.read()
                source = self.MARK.sub('{%% extends "@%d/%s" %%}' % (i + 1, template), source)
                mtime = os.path.getmtime(path)
                return source, path, lambda p=path, m=mtime: os.path.getmtime(p) == m
        raise jinja2.TemplateNotFound(template)

    def list_templates(self):
        found = set()
        for _label, folder in self.layers:
            for root, _dirs, files in os.walk(folder):
                for f in files:
                    found.add(os.path.relpath(os.path.join(root, f), folder).replace(os.sep, "/"))
        return sorted(found)


def make_environment(layers, globals_, filters):
    # Tests (core/testing.py) set BALAI_STRICT_TEMPLATES=1: a misspelt variable raises there
    # instead of printing nothing.
    strict = os.environ.get("BALAI_STRICT_TEMPLATES") == "1"
    env = jinja2.Environment(loader=ChainLoader(layers), autoescape=True,
                             trim_blocks=True, lstrip_blocks=True, auto_reload=True,
                             undefined=jinja2.StrictUndefined if strict else jinja2.ChainableUndefined)
    env.globals.update(globals_)
    env.filters.update(filters)
    return env


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
        "task_count": a.task_count(u) if u and u.can("tracker.tasks") else 0,
    }
    ctx.update(values)
    tpl = env.get_or_select_template(template)
    return tpl.render(**ctx)


def csrf_field():
    return Markup('<input type="hidden" name="csrf_token" value="%s">' % csrf_token())


def url(path, **params):
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return path + ("?" + urlencode(params) if params else "")


# ---------------------------------------------------------------- the pipeline

def check_csrf():
    """Refuse a state change without the form token or from another origin."""
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    if origin and origin != "null":
        if _host(urlsplit(origin)) != _host(request.urlparts):
            raise Forbidden(_("Permintaan ditolak: berasal dari situs lain."))
    sent = request.forms.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    expected = session().csrf_token if session() is not None else request.get_cookie(CSRF_COOKIE)
    if not expected or not secrets.compare_digest(sent, expected):
        raise Forbidden(_("Formulir kedaluwarsa atau tidak sah (token CSRF). Muat ulang halaman lalu coba lagi."))


def _host(parts):
    """host:port with the scheme's default port left out."""
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = parts.port if parts.port not in (None, default) else None
    return f"{(parts.hostname or '').lower()}{':' + str(port) if port else ''}"


def load_session(a):
    key = request.get_cookie(SESSION_COOKIE)
    if not key:
        return
    s = identity.find_session(key, a.config["session_idle_minutes"], a.config["session_max_hours"],
                              counts=a.session_counts())
    if s is None:
        return
    # Touch at most once a minute: keeps GETs read-only almost always.
    if (db.utcnow() - s.last_seen).total_seconds() > 60:
        identity.Session.update(last_seen=db.utcnow()).where(identity.Session.key_hash == s.key_hash).execute()
    request.environ["balai.session"] = s
    request.environ["balai.user"] = s.user


def choose_language(a):
    u = user()
    lang = (u.language if u is not None and u.language else None) or request.get_cookie(LANG_COOKIE)
    i18n.set_language(lang or a.config["language"])


def wrap(a, spec):
    """The bottle callback for one route: auth, permission, CSRF, transaction.
    Refusals (403) and missing records (404) become friendly pages here, not
    exceptions bottle would log as crashes."""
    def handler(**kwargs):
        try:
            return guarded(**kwargs)
        except Forbidden as exc:
            return forbidden_page(exc)
        except NotFound as exc:
            return error_page(404, _("Halaman tidak ditemukan"), str(exc) or _("Data yang Anda cari tidak ada."))
        except BadRequest as exc:
            return error_page(400, _("Permintaan tidak sah"), str(exc))
        except (OverflowError, peewee.DataError) as exc:
            # A number the database cannot hold (an id or page beyond 64 bits, in a path,
            # query string or form): the request is wrong, not the server.
            log.warning("bad input on %s %s: %s", request.method, request.path, exc)
            return error_page(400, _("Permintaan tidak sah"), _("Ada nilai yang terlalu besar atau tidak sah."))

    def guarded(**kwargs):
        u = user()
        if not spec.public:
            if u is None:
                if request.method == "GET":
                    redirect(url("/login", next=request.fullpath + ("?" + request.query_string if request.query_string else "")))
                raise Forbidden(_("Silakan masuk terlebih dahulu."))
            if u.must_change_password and spec.name not in ("core.password_form", "core.password_save", "core.logout"):
                if request.method == "GET":
                    redirect("/account/password")
            if not u.can(spec.permission):
                raise Forbidden(None, permission=spec.permission)
        if request.method in WRITE_METHODS:
            check_csrf()
            return in_transaction(spec.callback, kwargs)
        return spec.callback(**kwargs)
    handler.__name__ = spec.name
    return handler


class _Rollback(Exception):
    pass


def in_transaction(callback, kwargs):
    """Run a write handler in one transaction: a redirect or page commits; a form
    returned with errors (status 422) or an exception rolls everything back."""
    outcome = {}
    try:
        with db.write():
            try:
                outcome["result"] = callback(**kwargs)
            except bottle.HTTPResponse as resp:
                if resp.status_code >= 400:
                    raise
                outcome["raise"] = resp
            if response.status_code == 422 and "raise" not in outcome:
                raise _Rollback()
    except _Rollback:
        pass
    if "raise" in outcome:
        raise outcome["raise"]
    return outcome.get("result")


def security_headers():
    response.set_header("Content-Security-Policy", CSP)
    response.set_header("X-Content-Type-Options", "nosniff")
    response.set_header("X-Frame-Options", "DENY")
    response.set_header("Referrer-Policy", "same-origin")
    if "Cache-Control" not in response.headers:
        response.set_header("Cache-Control", "no-store")


def error_page(status, title, message, **extra):
    response.status = status
    try:
        return render("error.html", status=status, page_title=title, message=message, **extra)
    except Exception:
        log.exception("error page failed")
        return f"<h1>{status} {title}</h1>"


def forbidden_page(exc):
    """403 with the reason, and for a missing permission which roles would grant it."""
    u = user()
    explanation = None
    if exc.permission and u is not None:
        explanation = {"permission": exc.permission, "roles": sorted(u.roles),
                       "granting": identity.roles_granting(exc.permission)}
    return error_page(403, _("Akses ditolak"), exc.reason or _("Anda tidak memiliki izin untuk membuka halaman ini."),
                      explanation=explanation)


def build_bottle(a):
    """Assemble the bottle app from the router's routes."""
    b = bottle.Bottle(catchall=True)
    b.config["json.enable"] = False
    # ``<id:int>`` matches 1 to 18 digits (always within a 64-bit column); a longer
    # number, or a sign, is an address that does not exist (404), not a crash.
    b.router.add_filter("int", lambda conf: (r"\d{1,18}", int, lambda x: str(int(x))))

    # bottle recompiles its combined route pattern at every route added (quadratic in
    # the number of routes: ~1 s at start-up with all plugins); compile once at the end.
    compile_method = b.router._compile
    b.router._compile = lambda method: None
    try:
        for spec in a.router.routes:
            b.route(spec.path, spec.method, wrap(a, spec), name=spec.name)
    finally:
        b.router._compile = compile_method
    for method in list(b.router.dyna_routes):
        compile_method(method)

    @b.hook("before_request")
    def _before():
        request.environ["balai.started"] = time.perf_counter()
        context.set_actor(None)
        context.set_client(client_address())
        i18n.set_language(a.config["language"])
        load_session(a)
        context.set_actor(user())
        choose_language(a)

    @b.hook("after_request")
    def _after():
        security_headers()

    b.error(404)(lambda err: error_page(404, _("Halaman tidak ditemukan"), _("Alamat yang Anda buka tidak ada.")))
    b.error(405)(lambda err: error_page(405, _("Metode tidak diizinkan"), _("Permintaan ini tidak didukung di alamat tersebut.")))

    def on_500(err):
        exc = getattr(err, "exception", None)
        if isinstance(exc, Forbidden):
            return forbidden_page(exc)
        if isinstance(exc, NotFound):
            return error_page(404, _("Halaman tidak ditemukan"), str(exc) or _("Data yang Anda cari tidak ada."))
        log.error("unhandled error on %s %s\n%s", request.method, request.path, getattr(err, "traceback", ""))
        return error_page(500, _("Terjadi kesalahan"), _("Maaf, terjadi kesalahan di server. Kejadian ini sudah dicatat."))
    b.error(500)(on_500)
    return b


_STATIC_NAME = re.compile(r"[A-Za-z0-9_.\-]+")


def static_path(folder, rel, pathmod=os.path):
    """The file ``rel`` (a URL path below /static/) inside ``folder``, or None.

    Holds on both separators: each segment is a plain file name (letters,
    digits, ``. _ -``; so no ``\\``, ``:`` or drive letter as Windows would
    read them), never ``.`` or ``..``, and the joined path must still lie
    inside the folder after normalising (``pathmod`` is ntpath on Windows)."""
    segments = rel.split("/")
    if not rel or any(s in ("", ".", "..") or not _STATIC_NAME.fullmatch(s) for s in segments):
        return None
    root = pathmod.normpath(pathmod.abspath(folder)) if pathmod is os.path else pathmod.normpath(folder)
    path = pathmod.normpath(pathmod.join(root, *segments))
    if pathmod.commonpath([root, path]) != root:
        return None
    return path


class Middleware:
    """The thread's database connection (kept across requests); static files served from the chain."""

    def __init__(self, a, inner):
        self.a, self.inner = a, inner

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/static/"):
            return self.static(path[len("/static/"):], environ, start_response)
        # The app, the actor and the client are bound for this request only; the
        # database connection is the thread's, kept open for its next request.
        db.thread_connection()
        with context.bind_app(self.a):
            try:
                return [b"".join(self.inner(environ, start_response))]
            finally:
                context.set_actor(None)

    def static(self, rel, environ, start_response):
        rel = rel.split("?", 1)[0]
        for folder in self.a.static_folders:
            path = static_path(folder, rel)
            if path is not None and os.path.isfile(path):
                with open(path, "rb") as fh:
                    body = fh.read()
                ctype = mimetypes.guess_type(path)[0] or "application/octet-stream"
                if ctype.startswith("text/") or ctype in ("application/javascript", "image/svg+xml"):
                    ctype += "; charset=utf-8"
                start_response("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body))),
                                          ("Cache-Control", "public, max-age=86400"),
                                          ("X-Content-Type-Options", "nosniff")])
                return [body]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
