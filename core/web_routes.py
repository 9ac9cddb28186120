"""Routes with declared permissions: the ``Router`` plugins decorate their handlers with
(``router.get(path, permission=...)``), re-exported as ``core.web.Router``."""
from dataclasses import dataclass
from typing import Callable


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
