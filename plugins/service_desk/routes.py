"""Screens of the service desk, one module per concern: the guest book and the visit
page with registration, the batch hand-over, the competency test and the papers
(``routes_visits``); selection per batch (``routes_selection``); cooperations with
minutes, RAB, PKS, ID Billing and the head's approvals (``routes_cooperation``); the
public-service duties — SKM kiosk, IKM, complaints — and the daily recap
(``routes_public``). The rules and writes they call are in the service modules."""
import bottle

from core.toolkit import _, current_app, run_action, tracker, web
from plugins.service_desk import service
from plugins.service_desk.models import (CATEGORIES, COMPLAINT_CHANNELS, COOPERATION_KINDS, DOC_STATUS, PURPOSES,
                                         RESULTS, TRAINING_BATCH_STATUS, TRAINING_ENROLMENT_STATUS)
from plugins.training import service as training

REFUSALS = (service.ServiceDeskError, tracker.StepError, training.TrainingError)
LABELS = {"category": CATEGORIES, "purpose": PURPOSES, "kind": COOPERATION_KINDS, "doc": DOC_STATUS,
          "result": RESULTS, "enrolment": TRAINING_ENROLMENT_STATUS, "batch": TRAINING_BATCH_STATUS,
          "channel": COMPLAINT_CHANNELS}


def label(kind, value):
    """The words people read for a stored code (``label("doc", coop.rab_status)`` → "Disetujui")."""
    return LABELS[kind].label(value) if value else ""


G = dict(label=label)


def attempt(fn, back, success=None):
    return run_action(fn, back, success, REFUSALS)


def safe_back(path):
    """Back to a page of this plugin only (never an address from outside)."""
    return path if isinstance(path, str) and path.startswith("/service-desk/") and "//" not in path else "/service-desk"


def send_file(sha, name, content_type):
    app = current_app()
    if not sha:
        raise web.NotFound()
    return bottle.static_file(sha, root=app.config["upload_dir"] + "/" + sha[:2], mimetype=content_type or "auto",
                              download=name)


def upload_of(field, required=True):
    upload = bottle.request.files.get(field)
    if upload is None or not (upload.raw_filename or "").strip():
        if required:
            raise service.ServiceDeskError(_("Unggah berkasnya."))
        return None
    return tracker.store_upload(current_app(), upload)


def register(router):
    from plugins.service_desk import routes_cooperation, routes_public, routes_selection, routes_visits
    for module in (routes_visits, routes_selection, routes_cooperation, routes_public):
        module.register(router)
