"""What the screens of ``training`` share."""
from core.toolkit import current_app, format_date, get_or_404, privacy, web
from plugins.training.models import Batch, Person, Programme


# ---------------------------------------------------------------- helpers

def can(permission):
    u = web.user()
    return bool(u and u.can(permission))


def show_nik(nik):
    return privacy.shown(Person, "nik", nik)


def get_batch(batch_id):
    return get_or_404(Batch, batch_id, Batch.select(Batch, Programme).join(Programme))


def site_base():
    base = current_app().config["base_url"]
    if base:
        return base.rstrip("/")
    parts = web.request.urlparts
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = f":{parts.port}" if parts.port and parts.port != default else ""
    return f"{parts.scheme}://{parts.hostname}{port}"


def download(body, filename, content_type):
    web.response.content_type = content_type
    web.response.set_header("Content-Disposition", f'attachment; filename="{filename}"')
    return body


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def fmt_date(value):
    return format_date(value)
