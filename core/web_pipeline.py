"""The request pipeline: session and language before each request, the permission
check, CSRF and the write transaction around each route, error pages, security
headers, and the WSGI middleware (the thread's connection, static files).

Imported by ``core.web`` at its end and re-exported there (``core.web.Middleware``,
``core.web.build_bottle``…): import these names from ``core.web``.
"""
import logging
import mimetypes
import os
import re
import secrets
import time
from urllib.parse import urlsplit

import bottle
import peewee

from core import context, db, i18n, identity
from core.i18n import _
from core.web import (CSRF_COOKIE, CSP, LANG_COOKIE, SESSION_COOKIE, WRITE_METHODS, BadRequest, Forbidden, NotFound,
                      client_address, redirect, render, request, response, session, url, user)

log = logging.getLogger("balai.web")


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
                raise Forbidden(_("Ganti kata sandi Anda terlebih dahulu."))     # no write before the change either
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


_M_MMAP_THRESHOLD = -3


def release_large_blocks():
    """On glibc, blocks of 1 MiB and more always come from mmap and go back to the system
    when freed. By default the threshold rises to the largest block freed so far, so after
    the first login each server thread's heap kept a password hash's 19 MiB (argon2id)
    resident: +76 MB with four threads."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").mallopt(_M_MMAP_THRESHOLD, 1 << 20)
    except (OSError, AttributeError):        # not glibc: nothing to tune
        pass


class Middleware:
    """The thread's database connection (kept across requests); static files served from the chain."""

    def __init__(self, a, inner):
        self.a, self.inner = a, inner
        release_large_blocks()

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
