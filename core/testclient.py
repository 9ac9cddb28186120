"""The test kit's apps, users and clients; ``core.testing`` (the pytest plugin) re-exports every
name, and tests import them from there.

A config file and a started app (``write_config``, ``start_app``), a user holding roles
(``make_user``), a WebTest client that logs in and sends the CSRF token (``Client``; a screen's
record in one line with ``Client.create`` and ``Client.edit``), the number
of queries a page runs (``count_queries``), and an SOP run driven through its page
(``complete_steps``, ``run_steps``, ``find_run``).
"""
import itertools
import logging
import os
import re
from urllib.parse import urljoin, urlsplit

from core import testdb

TEST_PASSWORD = "Uji-Coba-Balai-2026"
RUN_LINK = re.compile(r'href="/runs/(\d+)"')
_counter = itertools.count(1)


def institution_today(timezone="WIB"):
    """Today as the app counts it: the date in the institution's time zone (``[balai] timezone``, WIB
    unless the test's config says otherwise), not the server's — they differ for hours every day
    (after 17:00 UTC it is already tomorrow in WIB)."""
    import datetime
    import zoneinfo

    from core.tracker.workcal import TIMEZONES
    return datetime.datetime.now(zoneinfo.ZoneInfo(TIMEZONES[timezone])).date()


def write_config(folder, plugins=(), database=None, options=None, **balai):
    """Write a config.ini for a test; returns its path."""
    lines = ["[balai]", f"plugins = {' '.join(plugins)}", f"database = {database or 'sqlite:///balai.db'}",
             "upload_dir = uploads"]
    lines += [f"{k} = {v}" for k, v in balai.items()]
    for plugin, values in (options or {}).items():
        lines.append(f"[plugin:{plugin}]")
        lines += [f"{k} = {v}" for k, v in values.items()]
    path = os.path.join(folder, "config.ini")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


def start_app(config_path):
    """Build, migrate and start an app from a config file (what ``balai init`` does)."""
    from core import app as app_mod, audit, audit_anchor, context, db
    app = app_mod.build(config_path)
    audit_anchor.use_key_of(app, create=True)
    app.templates.bytecode_cache = testdb.TEMPLATE_BYTECODE    # each template compiled once per process
    testdb.copy_template_if_empty(app)       # an empty database becomes a copy of the migrated template
    with db.connection():
        db.migrate(app.plugins)
        audit.install_triggers(db.database.obj)
    app.startup()
    # The test (like a CLI command) runs in this app from here on;
    # the autouse fixture below drops the binding when the test ends.
    context.use_app(app)
    return app


def make_user(app, username=None, roles=(), password=TEST_PASSWORD, **fields):
    """Create an active user with roles (through the audit path); returns the User."""
    from core import audit, db, identity
    from core.admin import set_roles
    username = username or f"user{next(_counter)}"
    with db.connection(), db.write():
        user = audit.create(identity.User, username=username, full_name=fields.pop("full_name", username.title()),
                            password_hash=identity.hash_password(password), **fields)
        set_roles(user, set(roles))
    return user


class Client:
    """A WebTest client that logs in and adds the CSRF token to form posts."""

    TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')

    def __init__(self, app, user=None):
        import webtest
        self.app = app
        self.user = user
        self.web = webtest.TestApp(app.wsgi, extra_environ={"REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "localhost:80"})
        self.token = None

    def login(self, username, password=TEST_PASSWORD):
        page = self.web.get("/login")
        form = page.forms[0]
        form["username"], form["password"] = username, password
        res = form.submit(expect_errors=True)
        self.token = None
        return res

    def csrf(self):
        if self.token is None:
            # Every HTML page carries the token (the language form); logged out, this redirects to /login.
            page = self.web.get("/account/password", expect_errors=True)
            if page.status_int == 303:
                page = self.web.get("/login")
            match = self.TOKEN.search(page.text)
            self.token = match.group(1) if match else ""
        return self.token

    @staticmethod
    def _expect_errors(status):
        return status == "*" or (isinstance(status, int) and status >= 400)

    def get(self, url, status=None, **kwargs):
        return self.web.get(url, status=status, expect_errors=self._expect_errors(status), **kwargs)

    def post(self, url, data=None, status=None, csrf=True, upload_files=None, **kwargs):
        """POST ``data`` (a dict, or a list of (name, value) pairs for a name sent more than once)."""
        if isinstance(data, (list, tuple)):
            data = list(data)
            if csrf and not any(name == "csrf_token" for name, _v in data):
                data.append(("csrf_token", self.csrf()))
        else:
            data = dict(data or {})
            if csrf:
                data.setdefault("csrf_token", self.csrf())
        return self.web.post(url, data, status=status, upload_files=upload_files,
                             expect_errors=self._expect_errors(status), **kwargs)

    def follow(self, res):
        while res.status_int in (301, 302, 303):
            res = res.follow()
        return res

    # ------------------------------------------------ a screen's forms in one line

    def create(self, base, values, status=303, **kwargs):
        """POST ``values`` to ``<base>/new`` and expect ``status``. On 303 the new record's detail page is
        returned, with ``record_id`` (from the redirect to ``<base>/<id>``) and ``run_id`` (the first
        ``/runs/<id>`` link on the page, None without one); otherwise the response (a 422 form with its
        messages). Values may be ints or dates; True sends a checkbox as checked ("1"), False/None omit it."""
        base = base.rstrip("/")
        res = self.post(base + "/new", _pairs(values), status=status, **kwargs)
        if res.status_int != 303:
            return res
        location = urlsplit(res.headers["Location"]).path
        match = re.fullmatch(re.escape(base) + r"/(\d+)", location)
        if match is None:
            raise AssertionError(f"create: {base}/new redirected to {location}, not to the new record's {base}/<id>")
        page = self.follow(res)
        page.record_id = int(match.group(1))
        run = RUN_LINK.search(page.text)
        page.run_id = int(run.group(1)) if run else None
        return page

    def form_values(self, path):
        """What the edit form of a record (its detail or edit path) would send now, as (name, value)
        pairs: every input, select and textarea (hidden ones such as ``_version`` too), a select's
        selected option, checked checkboxes only, no disabled field (as a browser sends it)."""
        return _fields(self._edit_form(path)[2])

    def edit(self, path, changes, status=303, **kwargs):
        """Change some fields of a record through its edit form and expect ``status``: GET the form
        (``path`` is the record's detail or edit path), keep what it holds, set ``changes`` (a dict; a
        checkbox takes True/False, a multiple choice a list), POST it. On 303 the page it leads to is
        returned (the detail page), otherwise the response (422 or 409 with the form and its message).
        ``{"_version": old}`` submits as an editor who opened the record at that version."""
        url, form, fields = self._edit_form(path)
        pairs = _fields(fields)
        for name, value in changes.items():
            if name not in form.fields:
                known = ", ".join(sorted({n for n in form.fields if n}))
                raise AssertionError(f"edit: the form of {url} has no field {name!r} (its fields: {known})")
            new = _values(value, form.fields[name][0])
            at = next((i for i, (n, _v) in enumerate(pairs) if n == name), len(pairs))
            pairs = pairs[:at] + [(name, v) for v in new] + [(n, v) for n, v in pairs[at:] if n != name]
        res = self.post(url, pairs, status=status, **kwargs)
        return self.follow(res) if res.status_int == 303 else res

    def _edit_form(self, path):
        """(url the form posts to, the webtest Form, its fields in order) of a record's edit form."""
        path = path.split("?")[0].split("#")[0].rstrip("/")
        edit_path = path if path.endswith("/edit") else path + "/edit"
        page = self.get(edit_path, status=200)
        for _i, form in sorted((key, f) for key, f in page.forms.items() if isinstance(key, int)):
            action = urlsplit(urljoin(page.request.url, form.action or "")).path
            if (form.method or "get").lower() == "post" and action == edit_path:
                return action, form, form.field_order
        raise AssertionError(f"edit: {edit_path} shows no form that posts to {edit_path}")


def _pairs(values):
    """A create's values as (name, value) pairs, as a browser sends them (see ``Client.create``)."""
    pairs = []
    for name, value in values.items():
        if value is True:
            pairs.append((name, "1"))
        elif value is not None and value is not False:
            pairs += [(name, str(v)) for v in (value if isinstance(value, (list, tuple)) else [value])]
    return pairs


def _fields(fields):
    """What a webtest form sends now: checked boxes, selected options, no disabled or file field."""
    import webtest.forms
    pairs = []
    for name, field in fields:
        if not name or "disabled" in field.attrs or isinstance(field, (webtest.forms.File, webtest.forms.Submit)):
            continue
        value = field.value
        if isinstance(field, webtest.forms.Checkbox) and not field.checked:
            continue
        if value is None:
            continue
        pairs += [(name, str(v)) for v in (value if isinstance(value, list) else [value])]
    return pairs


def _values(value, field):
    """A change of ``Client.edit`` as the values to send for a field (a checkbox: True/False)."""
    import webtest.forms
    if isinstance(field, webtest.forms.Checkbox) and isinstance(value, bool):
        return [field._value or "on"] if value else []
    if value is None:
        return [""]
    return [str(v) for v in (value if isinstance(value, (list, tuple)) else [value])]


# ---------------------------------------------------------------- query counting


class _Counter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.count += 1


def count_queries(fn):
    """The number of SQL statements ``fn()`` runs (for \"constant number of queries\" tests)."""
    logger = logging.getLogger("peewee")
    handler, level = _Counter(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        fn()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return handler.count


# ---------------------------------------------------------------- driving an SOP run

FLASH_ERROR = re.compile(r'<div class="flash flash-error"[^>]*>(.*?)</div>', re.S)


def complete_steps(client, run_id, *numbers, branch=None, notes=""):
    """Complete steps of a run through its page, as ``client``'s user; fail naming the refusal.

        complete_steps(clerk, run_id, 1, 2)                  # steps 1 then 2
        complete_steps(clerk, run_id, 1, branch="Daftar")    # a decision step
    Returns the run page after the last step.
    """
    page = None
    for no in numbers:
        data = {"no": str(no), "notes": notes}
        if branch:
            data["branch"] = branch
        page = client.follow(client.post(f"/runs/{run_id}/complete", data))
        refused = FLASH_ERROR.findall(page.text)
        if refused:
            raise AssertionError(f"step {no} of run {run_id} was refused: {refused[0].strip()}")
    return page


def run_steps(run_id):
    """The activations of a run so far: [(step no, status, branch)] in order."""
    from core import db
    from core.tracker.models import RunStep
    with db.connection():
        return [(rs.no, rs.status, rs.branch)
                for rs in RunStep.select().where(RunStep.run == run_id).order_by(RunStep.id)]


def find_run(subject_type, subject_id, code=None):
    """The latest run of a subject record (``service.run_for`` in a connection), or None."""
    from core import db
    from core.tracker import service
    with db.connection():
        return service.run_for(subject_type, subject_id, code)
