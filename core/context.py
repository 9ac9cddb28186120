"""Who is acting, for this thread: the logged-in user in a request, the system in a CLI."""
import threading

_local = threading.local()


class SystemActor:
    """The actor of CLI commands and scheduled jobs."""
    id = None
    username = "system"
    full_name = "Sistem"
    roles = frozenset({"admin"})

    def can(self, permission):
        return True


SYSTEM = SystemActor()


def set_actor(user):
    _local.actor = user


def actor():
    """The acting user (or SYSTEM when none is set)."""
    return getattr(_local, "actor", None) or SYSTEM


def set_client(address):
    _local.client = address


def client():
    return getattr(_local, "client", None)
