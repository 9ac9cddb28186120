"""Errors of the JSON API as problem details (RFC 9457, ``application/problem+json``).

    raise ApiError(422, _("Data tidak valid."), errors={"quota": "Minimal 1."})

gives ``{"type": "about:blank", "title": "Unprocessable Content", "status": 422,
"detail": "Data tidak valid.", "errors": {"quota": "Minimal 1."}}``. ``title`` is
the HTTP reason phrase (stable, English, for programs); ``detail`` and the field
``errors`` are for people, in the request's language.
"""
import http
import json

PROBLEM_TYPE = "application/problem+json"


class ApiError(Exception):
    """Answer the API request with a problem document."""

    def __init__(self, status, detail, errors=None, headers=None, reason=None):
        super().__init__(detail)
        self.status = status
        self.detail = str(detail)
        self.errors = {k: str(v) for k, v in (errors or {}).items()}
        self.headers = headers or {}
        self.reason = reason            # a machine-readable code, e.g. "missing_permission"


def field_errors(messages, prefix=""):
    """marshmallow's nested messages as ``{"links.0.url": "Wajib diisi."}`` (first message, translated)."""
    from core.i18n import _
    out = {}
    for key, value in messages.items():
        name = prefix.rstrip(".") if key == "_schema" else f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(field_errors(value, f"{name}."))
        else:
            out[name or "_form"] = _(str(value[0] if isinstance(value, list) and value else value))
    return out


def problem(status, detail, errors=None, reason=None, instance=None):
    """The problem document as a dict."""
    try:
        title = http.HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body = {"type": "about:blank", "title": title, "status": status, "detail": str(detail)}
    if instance:
        body["instance"] = instance
    if reason:
        body["reason"] = reason
    if errors:
        body["errors"] = {k: str(v) for k, v in errors.items()}
    return body


def render(response, error, instance=None):
    """Set ``response`` (bottle's) for ``error`` and return the JSON body."""
    response.status = error.status
    response.content_type = PROBLEM_TYPE
    for name, value in error.headers.items():
        response.set_header(name, value)
    return json.dumps(problem(error.status, error.detail, error.errors, error.reason, instance), ensure_ascii=False)
