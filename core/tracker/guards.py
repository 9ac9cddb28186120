"""Guards and anchors: what must be true before a step may be completed, and when its clock starts.

A step that records a real-world moment names it in SOP data (``"anchor":
"hari_uji"``); the plugin that knows the date answers ``balai_step_anchor(app,
run, step)``. With ``"not_before": True`` completion before that moment is
refused; the step's due time counts from the moment (§11 of docs/step-tracker.md).

Conditions come from the ``balai_step_guards(app, run, step)`` hook of every
plugin, or from a callable registered for one SOP step::

    guards.register("TOY-1", 2, lambda app, run, step: [] if filled(run) else ["Nomor surat belum diisi."])

Each answers a list whose items are a reason (text: the condition fails) or
``(ok, reason)`` pairs. ``blockers(app, run, rs)`` lists every failing reason;
the run page shows them before anyone clicks, and ``complete`` refuses with them.
"""
import datetime

from core import db
from core.i18n import _, format_date, format_datetime
from core.tracker.base import local_zone, moment_utc

_registry = {}     # (SOP code, step no) → [callable(app, run, step)]


def register(code, no, check):
    """Add a condition for step ``no`` of SOP ``code``: ``check(app, run, step)`` → list of reasons / (ok, reason)."""
    _registry.setdefault((code, int(no)), []).append(check)


def unregister(code, no, check):
    items = _registry.get((code, int(no)), [])
    if check in items:
        items.remove(check)


def anchor_of(app, run, step):
    """The moment (naive UTC) the step records, from the plugins; None when not (yet) known."""
    if not step.anchor:
        return None
    value = app.plugins.first("balai_step_anchor", app=app, run=run, step=step)
    return moment_utc(app, value)


def _reasons(answer):
    out = []
    for item in answer or ():
        if isinstance(item, (tuple, list)):
            ok, reason = item
            if not ok:
                out.append(str(reason))
        elif item:
            out.append(str(item))
    return out


def conditions(app, run, step):
    """Failing conditions of a step: every plugin's ``balai_step_guards`` and the registered callables."""
    out = []
    for _plugin, answer in app.plugins.each("balai_step_guards", app=app, run=run, step=step):
        out += _reasons(answer)
    for check in _registry.get((run.code, step.no), ()):
        out += _reasons(check(app, run, step))
    return out


def show_moment(app, value):
    local = value.replace(tzinfo=datetime.timezone.utc).astimezone(local_zone(app))
    if (local.hour, local.minute) == (0, 0):
        return format_date(local.date())
    return format_datetime(value, local_zone(app))


def blockers(app, run, rs, now=None):
    """Every reason the open step ``rs`` cannot be completed now (empty: it can)."""
    now = now or db.utcnow()
    out = []
    step = rs.step
    if step.anchor and step.not_before:
        moment = anchor_of(app, run, step)
        if moment is None:
            out.append(_("Tanggal kejadian langkah ini ({anchor}) belum ditetapkan.", anchor=step.anchor))
        elif now < moment:
            out.append(_("Langkah ini mencatat kejadian pada {when}; belum dapat diselesaikan sebelum itu.",
                         when=show_moment(app, moment)))
    out += conditions(app, run, step)
    return out
