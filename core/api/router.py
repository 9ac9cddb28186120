"""The API's routes and request pipeline (a bottle app of its own under ``/api/v1``).

    @router.get("/service-desk/visits", permission="service_desk.view", scope="read",
                summary="Buku tamu", response="GuestVisitPage", query=[Param("day", "string", "…")])
    def visits():
        return {"items": [...], "next_after": None}

Paths are written the OpenAPI way (``/runs/{id}``); a path parameter is a
positive 64-bit integer unless ``path_types`` says ``"string"``. A handler
returns a JSON-able dict (status ``status``, 200 by default), or ``File``.

Each request: a bearer token (never a cookie — so no CSRF: a browser cannot
be tricked into sending the token), the per-token rate limit, the token's
scope, the user's permission, then the handler — writes (POST/PATCH) in one
transaction that an ``ApiError`` rolls back. Every refusal is a problem
document (core/api/problems.py); an unexpected error is a logged 500 problem.
"""
import datetime
import decimal
import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import bottle

from core import context, db, i18n, identity
from core.api import tokens
from core.api.problems import ApiError, render as render_problem
from core.i18n import _

log = logging.getLogger("balai.api")
PREFIX = "/api/v1"
request, response = bottle.request, bottle.response
MAX_ID = 2 ** 63 - 1
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class later:
    """A message with values, translated when shown: the OpenAPI document is built per language."""
    __slots__ = ("message", "values")

    def __init__(self, message, **values):
        self.message, self.values = message, values

    def __str__(self):
        return _(self.message, **{k: str(v) for k, v in self.values.items()})


@dataclass
class Param:
    """A query parameter, for validation notes and the OpenAPI document."""
    name: str
    type: str = "string"            # string | integer
    description: str = ""
    enum: list | None = None
    minimum: int | None = None
    maximum: int | None = None


@dataclass
class File:
    """A file answer (download)."""
    body: bytes
    content_type: str
    filename: str


@dataclass
class ApiRoute:
    method: str
    path: str
    handler: Callable
    permission: str | None
    scope: str | None
    public: bool
    plugin: str
    summary: str = ""
    description: str = ""
    tags: tuple = ()
    query: list = field(default_factory=list)
    body: Any = None                # marshmallow schema (class or instance) of the JSON body
    response: str | None = None     # component name of the answer's schema
    status: int = 200
    path_types: dict = field(default_factory=dict)
    produces: str = "application/json"   # another type for file downloads
    html: bool = False              # a page (the reference), not JSON

    @property
    def params(self):
        return re.findall(r"\{(\w+)\}", self.path)


class ApiRouter:
    """Collects API routes and the schemas they name; ``for_plugin`` shares both."""

    def __init__(self):
        self.routes = []
        self.schemas = {}          # component name → marshmallow schema class or instance
        self.plugin = "core"

    def for_plugin(self, name):
        bound = ApiRouter()
        bound.routes, bound.schemas, bound.plugin = self.routes, self.schemas, name
        return bound

    def schema(self, name, schema):
        """Name a marshmallow schema as an OpenAPI component (returns the name)."""
        self.schemas[name] = schema
        return name

    def route(self, method, path, *, permission=None, scope="read", public=False, **options):
        def decorator(handler):
            self.routes.append(ApiRoute(method.upper(), path, handler, permission, None if public else scope,
                                        public, self.plugin, **options))
            return handler
        return decorator

    def get(self, path, **kwargs):
        return self.route("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.route("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.route("PATCH", path, **kwargs)

    def check(self, declared_permissions):
        """Problems: API routes without permission (and not public), undeclared permissions or scopes."""
        problems = []
        for r in self.routes:
            where = f"API route {r.method} {PREFIX}{r.path} of plugin {r.plugin!r}"
            if not r.public and not r.permission:
                problems.append(f"{where} declares no permission (give permission=... or public=True)")
            elif r.permission and r.permission not in declared_permissions:
                problems.append(f"{where} needs undeclared permission {r.permission!r}")
            if not r.public and r.scope not in tokens.SCOPES:
                problems.append(f"{where} has unknown scope {r.scope!r} (known: {', '.join(tokens.SCOPES)})")
        return problems


# ---------------------------------------------------------------- request helpers

def user():
    return request.environ.get("balai.user")


def token():
    return request.environ.get("balai.api_token")


def query(name, default=""):
    value = request.query.getunicode(name)
    return default if value is None else value


def request_header(name):
    return request.headers.get(name)


def int_query(name, default, minimum=0, maximum=MAX_ID):
    """An integer query parameter in [minimum, maximum]; else 400 naming it."""
    raw = query(name)
    if raw == "":
        return default
    if not re.fullmatch(r"-?\d{1,19}", raw) or not minimum <= int(raw) <= maximum:
        raise ApiError(400, _("Parameter tidak valid."), errors={name: _("Harus bilangan bulat {a}–{b}.", a=minimum, b=maximum)})
    return int(raw)


def body(required=True):
    """The JSON object sent with the request ({} when none and not required)."""
    cached = request.environ.get("balai.api_body")
    if cached is not None:
        return cached
    raw = request.body.read(request.environ["balai.app"].config["upload_max_mb"] * 1024 * 1024 * 2)
    if not raw.strip():
        if required:
            raise ApiError(400, _("Isi permintaan (JSON) kosong."))
        data = {}
    else:
        try:
            data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise ApiError(400, _("Isi permintaan bukan JSON yang sah (UTF-8)."))
        if not isinstance(data, dict):
            raise ApiError(400, _("Isi permintaan harus berupa objek JSON."))
        bad = _nul_fields(data)
        if bad:
            raise ApiError(422, _("Data tidak valid."), errors={k: _("Tidak boleh berisi karakter NUL.") for k in bad})
    request.environ["balai.api_body"] = data
    return data


def _no_constant(name):
    raise ValueError(name)


def _nul_fields(data, prefix=""):
    """Keys whose text holds NUL (PostgreSQL refuses it in text columns)."""
    out = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else []
    for key, value in items:
        name = f"{prefix}{key}"
        if isinstance(value, str) and "\x00" in value or "\x00" in str(key):
            out.append(name)
        elif isinstance(value, (dict, list)):
            out += _nul_fields(value, name + ".")
    return out


def jsonable(value):
    """A value as JSON: dates ISO, UTC times with Z, Decimal as text (money is exact)."""
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat() + ("Z" if value.tzinfo is None else "")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def forbidden_reason(permission):
    roles = identity.roles_granting(permission)
    return _("Anda tidak memiliki izin {p}. Peran yang memberinya: {r}.", p=permission,
             r=", ".join(sorted(roles)) or "-")


# ---------------------------------------------------------------- the pipeline

def _authenticate(route):
    header = request.headers.get("Authorization", "")
    if not header:
        if route.public:
            return
        raise ApiError(401, _("Token API diperlukan: kirim header Authorization: Bearer <token>."),
                       headers={"WWW-Authenticate": 'Bearer realm="balai"'}, reason="missing_token")
    scheme, _sep, secret = header.partition(" ")
    found = tokens.find(secret.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        raise ApiError(401, _("Token API tidak dikenal, sudah dicabut, atau kedaluwarsa."),
                       headers={"WWW-Authenticate": 'Bearer realm="balai", error="invalid_token"'}, reason="invalid_token")
    wait = request.environ["balai.api"].buckets.take(found.id)
    if wait:
        raise ApiError(429, _("Terlalu banyak permintaan dengan token ini. Coba lagi dalam {n} detik.", n=wait),
                       headers={"Retry-After": str(wait)}, reason="rate_limited")
    request.environ["balai.user"] = found.user
    request.environ["balai.api_token"] = found
    context.set_actor(found.user)


def _authorise(route):
    u, t = user(), token()
    if route.public or u is None:
        return
    if route.scope not in t.scope_list:
        raise ApiError(403, _("Token ini tidak memiliki cakupan {s} yang diperlukan (cakupan token: {have}).",
                              s=route.scope, have=", ".join(t.scope_list)), reason="missing_scope")
    if not u.can(route.permission):
        raise ApiError(403, forbidden_reason(route.permission), reason="missing_permission")


def _path_args(route, kwargs):
    out = {}
    for name, value in kwargs.items():
        if route.path_types.get(name, "integer") == "integer":
            if not re.fullmatch(r"\d{1,19}", value) or not 0 < int(value) <= MAX_ID:
                raise ApiError(404, _("Data yang Anda cari tidak ada."))
            value = int(value)
        out[name] = value
    return out


def _answer(route, result):
    if isinstance(result, File):
        response.content_type = result.content_type
        safe = re.sub(r'[^A-Za-z0-9._-]+', "-", result.filename).strip("-") or "berkas"
        response.set_header("Content-Disposition", f'attachment; filename="{safe}"')
        return result.body
    if route.html:
        response.content_type = "text/html; charset=utf-8"
        return result
    status, payload = result if isinstance(result, tuple) else (route.status, result)
    response.status = status
    response.content_type = "application/json"
    return json.dumps(jsonable(payload), ensure_ascii=False)


def _handler(api, route):
    def handle(**kwargs):
        try:
            _authenticate(route)
            _authorise(route)
            args = _path_args(route, kwargs)
            if request.method in WRITE_METHODS:
                with db.write():
                    result = route.handler(**args)
            else:
                result = route.handler(**args)
            return _answer(route, result)
        except ApiError as exc:
            return render_problem(response, exc, request.path)
    handle.__name__ = f"api.{route.plugin}.{route.handler.__name__}"
    return handle


def _security_headers():
    response.set_header("X-Content-Type-Options", "nosniff")
    response.set_header("Cache-Control", "no-store")
    response.set_header("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


class Api:
    """The API of one app: its router, rate-limit buckets and WSGI application."""

    def __init__(self, app, router):
        self.app, self.router = app, router
        self.buckets = tokens.Buckets()
        self.spec_cache = {}
        self.bottle = self._build()

    def _build(self):
        b = bottle.Bottle(catchall=True)
        b.config["json.enable"] = False
        for route in self.router.routes:
            path = PREFIX + re.sub(r"\{(\w+)\}", r"<\1>", route.path)
            b.route(path, route.method, _handler(self, route))

        @b.hook("before_request")
        def _before():
            request.environ["balai.app"] = self.app
            request.environ["balai.api"] = self
            request.environ["balai.started"] = time.perf_counter()
            context.set_actor(None)
            context.set_client((request.environ.get("REMOTE_ADDR") or "")[:64])
            wanted = (request.headers.get("Accept-Language") or "")[:2].lower()
            i18n.set_language(wanted if wanted in dict(i18n.LANGUAGES) else self.app.config["language"])

        b.hook("after_request")(_security_headers)

        def error(status, message):
            def handler(err):
                exc = getattr(err, "exception", None)
                if status == 500 and exc is not None:
                    log.error("API error on %s %s\n%s", request.method, request.path, getattr(err, "traceback", ""))
                _security_headers()
                return render_problem(response, ApiError(status, message()), request.path)
            return handler
        b.error(400)(error(400, lambda: _("Permintaan tidak valid.")))
        b.error(404)(error(404, lambda: _("Alamat API ini tidak ada.")))
        b.error(405)(error(405, lambda: _("Metode ini tidak didukung di alamat tersebut.")))
        b.error(413)(error(413, lambda: _("Isi permintaan terlalu besar.")))
        b.error(500)(error(500, lambda: _("Maaf, terjadi kesalahan di server. Kejadian ini sudah dicatat.")))
        return b

    def __call__(self, environ, start_response):
        # As core.web.Middleware: the app, actor and client are bound for this request only.
        with context.bind_app(self.app), db.connection():
            try:
                return [b"".join(self.bottle(environ, start_response))]
            finally:
                context.set_actor(None)


class Dispatcher:
    """The app's WSGI entry: ``/api/`` goes to the API, everything else to the web shell."""

    def __init__(self, api, web_app):
        self.api, self.web_app = api, web_app

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/api" or path.startswith("/api/"):
            return self.api(environ, start_response)
        return self.web_app(environ, start_response)
