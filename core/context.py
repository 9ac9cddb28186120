"""What this request (or CLI command, or job) is working in: the app, the acting user, the client.

All three live in ``contextvars.ContextVar`` so that each request, thread and
CLI command sees its own values, and nothing survives past the scope that set
it. There is no process-wide "current app": the request pipeline
(``core.web.Middleware``) binds the app for each request, the CLI for each
command, the scheduler for each round of jobs, and the test kit for each test.

    with bind_app(app):          # everything inside sees current_app() is app
        ...

Code that has the app at hand (a hook that takes ``app``, a job's ``run(app,
now)``) should pass it on rather than call ``current_app()``.
"""
import contextlib
import contextvars

_app = contextvars.ContextVar("balai_app", default=None)
_actor = contextvars.ContextVar("balai_actor", default=None)
_client = contextvars.ContextVar("balai_client", default=None)


class NoAppBound(RuntimeError):
    """``current_app()`` was called outside a request, CLI command, job or test that bound one."""


# ---------------------------------------------------------------- the app

def current_app():
    """The app this request / command / job runs in (raises NoAppBound outside one)."""
    app = _app.get()
    if app is None:
        raise NoAppBound("no Balai app is bound here: run inside a request, a CLI command, "
                         "a job, or `with core.context.bind_app(app):`")
    return app


@contextlib.contextmanager
def bind_app(app):
    """Make ``app`` the current app inside the block; the previous binding comes back after."""
    token = _app.set(app)
    try:
        yield app
    finally:
        _app.reset(token)


def use_app(app):
    """Bind ``app`` for the rest of the current context; returns the token to ``release_app``.

    For scopes that cannot wrap a ``with`` block: a CLI command (run in its own
    copied context) and a test (reset by the test kit at teardown)."""
    return _app.set(app)


def release_app(token):
    _app.reset(token)


# ---------------------------------------------------------------- who is acting

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
    _actor.set(user)


def actor():
    """The acting user (or SYSTEM when none is set)."""
    return _actor.get() or SYSTEM


def set_client(address):
    _client.set(address)


def client():
    return _client.get()
