"""Events between plugins, delivered after the emitting transaction commits.

``emit("training.batch_ended", batch_id=3)`` queues the event; when the
outermost ``core.db.write()`` block commits, each subscriber's
``balai_event(name, data)`` is called one by one. A subscriber that raises is
logged and the others still run; a rolled-back transaction delivers nothing.
"""
import logging
import threading

log = logging.getLogger("balai.events")
_local = threading.local()


def _queue():
    if not hasattr(_local, "queue"):
        _local.queue = []
    return _local.queue


def emit(name, **data):
    """Queue an event; delivered after commit (at once when no transaction is open)."""
    from core.db import database
    _queue().append((name, data))
    if not database.obj.in_transaction():
        deliver()


def discard():
    _queue().clear()


def deliver():
    """Deliver queued events to every subscriber; failures are logged, not raised."""
    from core.context import current_app
    queue = _queue()
    if not queue:
        return
    app = current_app()
    hook = app.plugins.pm.hook.balai_event
    while queue:
        name, data = queue.pop(0)
        offered = {"name": name, "data": data, "app": app}
        for impl in reversed(hook.get_hookimpls()):   # precedence order
            try:
                # Like pluggy, each subscriber gets only the arguments it names.
                impl.function(**{arg: offered[arg] for arg in impl.argnames})
            except Exception:
                log.exception("subscriber %s failed on event %s", impl.plugin_name, name)
