"""``balai new-plugin NAME [--dir PATH]``: generate a plugin package that can live
in its own repository and be ``pip install``ed.

    balai-NAME/
      pyproject.toml          setuptools, depends on balai, entry point in ``balai.plugins``
      README.md
      NAME/__init__.py        the manifest
      NAME/hooks.py           hook implementations (thin)
      NAME/sop.py             the SOP as data: a stub with two steps
      NAME/models.py          one table; NAME/migrations/0001_initial.py matches it
      NAME/schemas.py         the form (toolkit.forms)
      NAME/routes.py          list / detail / form (toolkit.Screen); a new record starts its SOP run
      NAME/demo.py            demo data for ``balai demo``
      NAME/templates/NAME/    an override of the generic detail page (shows the run)
      NAME/locale/{id,en}/LC_MESSAGES/messages.po
      tests/test_NAME.py      tests that pass as generated (before and after pip install)

The generated plugin imports the core only through ``core.toolkit`` and passes the
contract test (``core.testing.check_plugin_contract``) unchanged. The tutorial is ``docs/writing-plugins.md``.
"""
import datetime
import importlib.util
import keyword
import os
import re
from string import Template

from core.errors import Fail

RESERVED = {"core", "plugins", "tests", "test", "balai", "themes", "docs", "examples", "migrations",
            "templates", "static", "locale"}
NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def check_name(name):
    """The problem with a plugin name as one sentence, or None when it is usable."""
    from core.plugins import available
    if not NAME_RE.match(name or "") or name.endswith("_") or "__" in name:
        return (f"invalid plugin name {name!r}: use 2-40 lowercase letters, digits and single underscores, "
                f"starting with a letter (a Python package name, e.g. room_loan)")
    if keyword.iskeyword(name) or name in RESERVED:
        return f"invalid plugin name {name!r}: it is a reserved word"
    if name in available():
        return f"a plugin named {name!r} already exists; choose another name"
    if importlib.util.find_spec(name) is not None:
        return f"plugin name {name!r} clashes with the installed Python module {name!r}; choose another name"
    return None


def generate(name, directory="."):
    """Write the package ``<directory>/balai-<name>/``; return its path.

    Raises ``core.errors.Fail`` with a one-line reason for a bad name or an existing folder.
    """
    problem = check_name(name)
    if problem:
        raise Fail(problem)
    directory = os.path.abspath(directory or ".")
    if not os.path.isdir(directory):
        raise Fail(f"folder {directory} does not exist")
    root = os.path.join(directory, f"balai-{name}")
    if os.path.exists(root):
        raise Fail(f"{root} already exists; not overwriting it")
    values = names_for(name)
    files = {path.replace("NAME", name): Template(text).substitute(values) for path, text in FILES.items()}
    os.makedirs(root)
    for rel, text in files.items():
        path = os.path.join(root, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    return root


def names_for(name):
    words = name.replace("_", " ").strip()
    today = datetime.date.today().isoformat()
    return {
        "name": name,
        "slug": name.replace("_", "-"),
        "title": words.title(),
        "code": name.upper().replace("_", "-") + "-01",
        "table": f"{name}_submission",
        "clerk": f"petugas_{name}",
        "head": f"kepala_{name}",
        "today": today,
        "year": today[:4],
    }


# ---------------------------------------------------------------- the files
# string.Template: ${name} is replaced; $$ is a literal dollar sign.

FILES = {}

FILES["pyproject.toml"] = '''\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "balai-${slug}"
version = "0.1.0"
description = "Balai plugin: ${title} (SOP ${code})"
readme = "README.md"
license = {text = "Apache-2.0"}
requires-python = ">=3.11"
dependencies = ["balai"]

[project.optional-dependencies]
test = ["pytest>=8", "webtest>=3.0"]

# Balai finds the plugin through this entry point: the value names the package.
[project.entry-points."balai.plugins"]
${name} = "${name}"

[tool.setuptools.packages.find]
include = ["${name}", "${name}.*"]

[tool.setuptools.package-data]
${name} = ["templates/**/*", "static/**/*", "locale/**/*.po", "migrations/*.py"]

[tool.pytest.ini_options]
testpaths = ["tests"]
'''

FILES["README.md"] = '''\
# balai-${slug}

A Balai plugin: **${title}**, the SOP ${code} as software.

| file | what it holds |
|---|---|
| `${name}/__init__.py` | the manifest (name, version, title, SOP codes) |
| `${name}/sop.py` | the SOP as data: header, roles, step table |
| `${name}/models.py` | the tables; `migrations/` builds them |
| `${name}/schemas.py` | the forms |
| `${name}/routes.py` | the screens |
| `${name}/hooks.py` | what the plugin gives Balai (models, roles, permissions, routes, menu, SOP) |
| `${name}/templates/${name}/` | templates that override Balai's generic pages |
| `${name}/locale/` | catalogs: `id` (wording) and `en` (English) |
| `tests/` | tests (pytest with Balai's fixtures `balai_app`, `balai_client`) |

## Use it

In the Balai virtual environment:

```sh
pip install -e .
```

then add `${name}` to `plugins` in Balai's `config.ini` and run `balai init`
(applies this plugin's migrations). Without installing, point
`plugin_dirs` in `config.ini` to this folder instead.

## Test it

```sh
python -m pytest
```

## Change the tables

Edit `${name}/models.py`, then, with `${name}` enabled in a config:

```sh
balai --config CONFIG makemigration ${name} LABEL
```

Writing a plugin step by step: Balai's `docs/writing-plugins.md`.
'''

FILES["NAME/__init__.py"] = '''\
"""Plugin ``${name}``: ${title} (SOP ${code})."""
from core.toolkit import Manifest

manifest = Manifest(
    name="${name}",
    version="0.1.0",
    title="${title}",
    summary="SOP ${code}",
    depends=(),
    sop_codes=("${code}",),
)
'''

FILES["NAME/sop.py"] = '''\
"""SOP ${code} — ${title}, as data (the format: Balai's docs/step-tracker.md).

Copy the header and the step table of the paper SOP here: one dict per row of
the table, roles as codes (one per swimlane). The core stores it as a
published revision at startup and runs it.
"""
CODE = "${code}"
CLERK = "${clerk}"
HEAD = "${head}"

# English titles of the roles (the SOP itself is Indonesian).
ROLE_TITLES_EN = {CLERK: "Officer", HEAD: "Head of unit"}

SOP = {
    "code": CODE,
    "number": CODE,
    "title": "${title}",
    "unit": "Balai Pelatihan",
    "created": "${today}",
    "revision": "1",
    "effective": "${today}",
    "approved_by": {"name": "", "nip": ""},
    "roles": [
        {"code": CLERK, "title": "Petugas"},
        {"code": HEAD, "title": "Kepala Seksi"},
    ],
    "steps": [
        {
            "no": 1,
            "activity": "Menerima dan memeriksa kelengkapan permohonan",
            "roles": [CLERK],
            "requirements": "Formulir permohonan",
            "time": "1 hari",
            "output": "Permohonan lengkap",
        },
        {
            "no": 2,
            "activity": "Menyetujui permohonan",
            "roles": [HEAD],
            "requirements": "Permohonan lengkap",
            "time": "2 hari",
            "output": "Permohonan disetujui",
            "approval": True,
            "return_to": 1,
            "next": None,
        },
    ],
}
'''

FILES["NAME/models.py"] = '''\
"""Tables of the ``${name}`` plugin. After a change: ``balai makemigration ${name} LABEL``."""
import peewee

from core.toolkit import BaseModel, utcnow


class Submission(BaseModel):
    """One request handled by the SOP: each owns one run of it."""
    applicant = peewee.CharField(max_length=150)
    subject = peewee.CharField(max_length=200, index=True)
    request_date = peewee.DateField()
    notes = peewee.TextField(null=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "${table}"

    def __str__(self):
        return self.subject


MODELS = [Submission]
'''

FILES["NAME/migrations/0001_initial.py"] = '''\
# Generated from a schema diff (balai new-plugin ${name}).
from peewee import *


def up(migrator, db):
    class Submission(Model):
        applicant = CharField(max_length=150)
        subject = CharField(index=True, max_length=200)
        request_date = DateField()
        notes = TextField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = '${table}'
    db.create_tables([Submission])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('${table}'))
'''

FILES["NAME/schemas.py"] = '''\
"""Forms of the ``${name}`` plugin (labels in Indonesian; translated in locale/en)."""
from core.toolkit import forms


class SubmissionForm(forms.Schema):
    applicant = forms.String(required=True, max_length=150, label="Nama pemohon")
    subject = forms.String(required=True, max_length=200, label="Perihal")
    request_date = forms.Date(required=True, label="Tanggal permohonan")
    notes = forms.Text(label="Keterangan")
'''

FILES["NAME/routes.py"] = '''\
"""Screens of the ``${name}`` plugin: list, detail and form of submissions.

Saving a new submission starts its run of SOP ${code}; the detail page
shows the run, whose steps are done on the run page ``/runs/<id>``.
"""
from core.toolkit import Column, Screen, format_date, lazy, tracker

from ${name}.models import Submission
from ${name}.schemas import SubmissionForm
from ${name}.sop import CODE

BASE = "/${slug}/submissions"


def start_run(obj, created):
    """A new submission starts its SOP run (step 1 waits in the officer's inbox)."""
    if created:
        tracker.start_run(CODE, Submission.audit_type(), obj.id, f"${title}: {obj.subject}")


def run_of(obj):
    """Extra values for the detail page: the submission's run and its steps."""
    run = tracker.run_for(Submission.audit_type(), obj.id, CODE)
    return {"run": run, "items": tracker.timeline(run) if run else []}


SCREEN = Screen(
    Submission, SubmissionForm, base=BASE, view="${name}.view", edit="${name}.manage",
    title=lazy("Permohonan"),
    columns=[Column("subject", lazy("Perihal"), link=True), Column("applicant", lazy("Nama pemohon")),
             Column("request_date", lazy("Tanggal permohonan"), format=format_date)],
    search=[Submission.subject, Submission.applicant],
    order=[Submission.id.desc()],
    template="${name}",            # templates/${name}/detail.html overrides the generic page
    label=str, after_save=start_run, detail_extra=run_of,
)


def register(router):
    SCREEN.register(router)
'''

FILES["NAME/hooks.py"] = '''\
"""Hook implementations of the ``${name}`` plugin (thin: the work is in routes.py)."""
import os

from core.toolkit import MenuItem, Permission, hookimpl, lazy, roles_of

from ${name} import models
from ${name}.sop import CLERK, HEAD, ROLE_TITLES_EN, SOP

HERE = os.path.dirname(os.path.abspath(__file__))


@hookimpl
def balai_models():
    return models.MODELS


@hookimpl
def balai_migrations_dir():
    return os.path.join(HERE, "migrations")


@hookimpl
def balai_roles():
    return roles_of(SOP, ROLE_TITLES_EN)


@hookimpl
def balai_permissions():
    return [Permission("${name}.view", lazy("Melihat permohonan ${title}"), (CLERK, HEAD)),
            Permission("${name}.manage", lazy("Mencatat permohonan ${title}"), (CLERK,))]


@hookimpl
def balai_sops():
    return [SOP]


@hookimpl
def balai_routes(router):
    from ${name} import routes
    routes.register(router)


@hookimpl
def balai_menu():
    from ${name}.routes import BASE
    return [MenuItem(lazy("Permohonan"), BASE, "${name}.view", lazy("${title}"), 50)]


@hookimpl
def balai_demo_data(app):
    from ${name} import demo
    return demo.load(app)


@hookimpl
def balai_record_link(object_type, object_id):
    if object_type != models.Submission.audit_type():
        return None
    obj = models.Submission.get_or_none(models.Submission.id == int(object_id))
    return (obj.subject, f"/${slug}/submissions/{obj.id}") if obj else None
'''

FILES["NAME/demo.py"] = '''\
"""Demo data of the ``${name}`` plugin for ``balai demo``: one submission with its run. Idempotent."""
import datetime

from core.toolkit import audit, db

from ${name}.models import Submission
from ${name}.routes import start_run


def load(app):
    if Submission.select().exists():
        return []
    with db.write():
        obj = audit.create(Submission, applicant="Budi Santoso", subject="Contoh permohonan",
                           request_date=datetime.date.today())
        start_run(obj, True)
    return ["1 permohonan contoh dengan run SOP"]
'''

FILES["NAME/templates/NAME/detail.html"] = '''\
{#- Overrides the generic detail page (crud/detail.html) of submissions: adds the SOP run. -#}
{% extends "crud/detail.html" %}
{% block detail_extra %}
{% from "tracker/_panel.html" import run_panel %}
{% if run %}{{ run_panel(run, items) }}{% endif %}
{% endblock %}
'''

_PO_HEAD = '''\
# ${title}: ${lang} catalog. msgid = the Indonesian text in the code and templates.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: ${lang}\\n"

'''
_MESSAGES = [("Permohonan", "Requests"), ("Perihal", "Subject"), ("Nama pemohon", "Applicant"),
             ("Tanggal permohonan", "Request date"), ("Keterangan", "Notes"),
             ("Melihat permohonan ${title}", "View ${title} requests"),
             ("Mencatat permohonan ${title}", "Record ${title} requests"), ("${title}", "${title}")]


def _po(lang):
    head = _PO_HEAD.replace("${lang}", lang)
    body = "".join(f'msgid "{msgid}"\nmsgstr "{msgid if lang == "id" else msgstr}"\n\n' for msgid, msgstr in _MESSAGES)
    note = ("# Indonesian: msgstr = msgid. Change a msgstr to reword a label without touching the code.\n"
            if lang == "id" else "")
    return head + note + body


FILES["NAME/locale/id/LC_MESSAGES/messages.po"] = _po("id")
FILES["NAME/locale/en/LC_MESSAGES/messages.po"] = _po("en")

FILES["tests/test_NAME.py"] = '''\
"""Tests of the ``${name}`` plugin, with Balai's pytest plugin (``balai.testing``):
``balai_app(...)`` is an app on a fresh database, ``balai_client(app, role)`` a
logged-in user with that role.

``plugin_dirs`` points at this repository, so the tests pass before and after
``pip install -e .``.
"""
import os
import re

from core.testing import check_plugin_contract, complete_steps

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_a_submission_runs_through_its_sop(balai_app, balai_client):
    app = balai_app("${name}", plugin_dirs=REPO)
    clerk = balai_client(app, "${clerk}")
    head = balai_client(app, "${head}")

    res = clerk.post("/${slug}/submissions/new", {"applicant": "Siti Rahmawati", "subject": "Permohonan pertama",
                                                 "request_date": "2026-03-17"})
    assert res.status_int == 303
    page = clerk.follow(res)
    assert "Permohonan pertama" in page.text and "Siti Rahmawati" in page.text
    run_id = int(re.search(r'href="/runs/(\\d+)"', page.text).group(1))

    # Step 1 is the officer's; the head cannot do it.
    assert f"/runs/{run_id}" in clerk.get("/tasks").text
    refused = head.follow(head.post(f"/runs/{run_id}/complete", {"no": "1"}))
    assert "Langkah 1 hanya dapat dikerjakan oleh: Petugas." in refused.text
    complete_steps(clerk, run_id, 1)
    # Step 2 is an approval: sent back with a reason, then done again and approved.
    head.post(f"/runs/{run_id}/return", {"to": "1", "reason": "Lampiran belum ada"})
    complete_steps(clerk, run_id, 1)
    complete_steps(head, run_id, 2)
    page = clerk.get(page.request.path)
    assert "Lampiran belum ada" in page.text and 'class="tag ok">Selesai' in page.text


def test_form_errors_and_refusals(balai_app, balai_client):
    app = balai_app("${name}", plugin_dirs=REPO)
    clerk = balai_client(app, "${clerk}")
    res = clerk.post("/${slug}/submissions/new", {"applicant": "", "subject": "Tanpa nama",
                                                 "request_date": "17-03-2026"}, status=422)
    assert "Wajib diisi." in res.text and "Tanggal tidak valid" in res.text
    assert "Tanpa nama" not in clerk.get("/${slug}/submissions").text     # nothing saved
    head = balai_client(app, "${head}")
    head.get("/${slug}/submissions/new", status=403)                     # only the officer records
    assert head.get("/${slug}/submissions").status_int == 200
    balai_client(app, "admin").get("/${slug}/submissions").mustcontain("Permohonan")


def test_contract(tmp_path):
    """Enable, migrate, use, disable (data kept, UI gone), enable again; permissions; hook names."""
    check_plugin_contract("${name}", tmp_path, plugin_dirs=[REPO])
'''
