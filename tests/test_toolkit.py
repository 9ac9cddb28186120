"""The plugin toolkit: every stable name is documented and exists; the app is bound per
context (request, CLI command, test), never a process-wide "latest app"."""
import os
import re
import threading
import types
import warnings

import pytest

from core import context, toolkit
from core.testing import write_config

DOC = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "toolkit.md")
NAMESPACES = tuple(n for n in toolkit.__all__ if isinstance(getattr(toolkit, n), types.ModuleType))


def documented_names():
    """Every `name` or `ns.name` written in backticks at the start of a table cell of docs/toolkit.md."""
    text = open(DOC, encoding="utf-8").read()
    return set(re.findall(r"`((?:[a-z]+\.)?[A-Za-z_][A-Za-z0-9_]*)(?:\(|`)", text))


def stable_names():
    names = set(toolkit.__all__) - set(NAMESPACES)
    for ns in NAMESPACES:
        names |= {f"{ns}.{member}" for member in getattr(toolkit, ns).__all__}
    return names


def test_every_toolkit_name_is_documented():
    """docs/toolkit.md lists each name of toolkit.__all__ and of each namespace's __all__."""
    missing = sorted(stable_names() - documented_names())
    assert missing == [], f"toolkit names missing from docs/toolkit.md: {missing}"


def test_every_documented_toolkit_name_exists():
    """A `ns.name` in docs/toolkit.md that the toolkit does not have is a stale doc."""
    stale = [n for n in documented_names()
             if n.partition(".")[0] in NAMESPACES and "." in n and not hasattr(getattr(toolkit, n.partition(".")[0]),
                                                                               n.partition(".")[2])]
    assert stale == []


def test_namespaces_list_exactly_their_members():
    """A namespace's __all__ is its whole public surface (nothing reachable that is not listed)."""
    for ns in NAMESPACES:
        module = getattr(toolkit, ns)
        public = {k for k in vars(module) if not k.startswith("__")}
        assert public == set(module.__all__), ns


def test_deprecated_web_app_still_works_and_warns(balai_app):
    """The one-minor-version shim: web.app() returns the current app with a DeprecationWarning."""
    app = balai_app()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert toolkit.web.app() is app
    assert any(issubclass(w.category, DeprecationWarning) and "current_app" in str(w.message) for w in caught)


def test_no_app_outside_a_bound_context():
    """Without a request, command, job or test binding one, current_app() refuses clearly."""
    with pytest.raises(toolkit.NoAppBound):
        toolkit.current_app()


def test_binding_nests_and_restores(balai_app, tmp_path):
    """bind_app / app.activated() nest; leaving the block restores the outer app; other threads
    do not see it; building an app does not make it current."""
    from core import app as app_mod
    first = balai_app()
    assert toolkit.current_app() is first
    folder = tmp_path / "second"
    folder.mkdir()
    second = app_mod.build(write_config(str(folder), [], f"sqlite:///{folder}/second.db"))
    assert toolkit.current_app() is first, "building an app must not make it current"
    with second.activated():
        assert toolkit.current_app() is second
        seen = []
        thread = threading.Thread(target=lambda: seen.append(context._app.get()))
        thread.start()
        thread.join()
        assert seen == [None], "a new thread starts with no app"
    assert toolkit.current_app() is first


def test_each_request_binds_its_app_and_leaves_nothing_behind(balai_app, balai_client):
    """The request pipeline binds the app serving it; after the request the binding is gone."""
    app = balai_app()
    client = balai_client(app, "admin")
    token = context.use_app(None)
    try:
        assert client.get("/tasks").status_int == 200      # rendering needs current_app()
        with pytest.raises(toolkit.NoAppBound):
            toolkit.current_app()
    finally:
        context.release_app(token)


def test_local_today_follows_the_institution_timezone(balai_app):
    """local_today() is the date in the configured zone (WIT is UTC+9), not the server's."""
    import datetime
    app = balai_app(timezone="WIT")
    assert str(toolkit.institution_timezone(app)) == "Asia/Jayapura"
    now_wit = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).date()
    assert toolkit.local_today() in (now_wit, now_wit - datetime.timedelta(days=1))  # midnight race


def test_users_with_role_lists_active_holders_only(balai_app):
    """users_with_role is the one query for "who holds role X"; inactive accounts are left out."""
    from core.testing import make_user
    app = balai_app()
    a = make_user(app, "kasi1", roles=["admin"])
    b = make_user(app, "kasi2", roles=["admin"], active=False)
    assert [u.id for u in toolkit.users_with_role("admin")] == [a.id]
    assert {u.id for u in toolkit.users_with_role("admin", active=False)} == {a.id, b.id}
