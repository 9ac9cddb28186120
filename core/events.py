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
_subscribers = []     # the current app's PluginSet, set at startup


def set_plugins(plugin_set):
    _subscribers[:] = [plugin_set]


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
    queue = _queue()
    while queue:
        name, data = queue.pop(0)
        for plugin_set in _subscribers:
            hook = plugin_set.pm.hook.balai_event
            for impl in reversed(hook.get_hookimpls()):   # precedence order
                try:
                    impl.function(name=name, data=data)
                except Exception:
                    log.exception("subscriber %s failed on event %s", impl.plugin_name, name)
