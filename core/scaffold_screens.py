"""The files ``balai new-plugin`` writes, part 2: screens, hooks, demo data, the detail template,
catalogs and tests (part 1: ``core/scaffold_files.py``). ``string.Template``: ${name} is
replaced; $$ is a literal dollar sign."""

FILES = {}

FILES["NAME/routes.py"] = '''\
"""Screens of the ``${name}`` plugin: list, detail and form of submissions.

``workflow=FLOW``: saving a new submission starts its run of SOP ${code}, the
detail page shows the run (its steps are done on the run page ``/runs/<id>``),
and the run page links back to the submission.
"""
from core.toolkit import Screen, lazy, tracker

from ${name}.models import Submission
from ${name}.sop import CODE

BASE = "/${slug}/submissions"
FLOW = tracker.Workflow(CODE, Submission)


# The form is the model's fields with a verbose_name (forms.of(Submission)); columns are field names,
# labelled and shown as the form shows them; the first opens the record.
SCREEN = Screen(
    Submission, base=BASE, view="${name}.view", edit="${name}.manage", title=lazy("Permohonan"),
    columns=["subject", "applicant", "request_date"],
    search=[Submission.subject, Submission.applicant],
    order=[Submission.id.desc()],
    workflow=FLOW,
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
    return [Permission("${name}.view", lazy("Melihat data ${title}"), (CLERK, HEAD)),
            Permission("${name}.manage", lazy("Mencatat data ${title}"), (CLERK,))]


@hookimpl
def balai_document_types(app):
    """The papers the SOP's steps issue (toolkit ``documents.DocumentType``, docs/documents.md)."""
    return []


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

'''

FILES["NAME/demo.py"] = '''\
"""Demo data of the ``${name}`` plugin for ``balai demo``: one submission with its run. Idempotent."""
import datetime

from ${name}.models import Submission
from ${name}.routes import SCREEN


def load(app):
    if Submission.select().exists():
        return []
    SCREEN.persist(None, {"applicant": "Budi Santoso", "subject": "Contoh permohonan",   # starts its run
                          "request_date": datetime.date.today()})
    return ["1 permohonan contoh dengan run SOP"]
'''

FILES["NAME/templates/NAME/README.txt"] = '''\
Templates of the ${name} plugin (one folder per screen, so screens never collide).
The submissions screen uses the generic pages; to change one block of its detail page, write
templates/${name}/submission/detail.html starting with {% extends "crud/detail.html" %} and pass
template="${name}/submission" to its Screen (docs/forms-and-screens.md).
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
             ("Melihat data ${title}", "View ${title} records"),
             ("Mencatat data ${title}", "Record ${title} data"), ("${title}", "${title}")]


def _po(lang):
    head = _PO_HEAD.replace("${lang}", lang)
    body = "".join(f'msgid "{msgid}"\nmsgstr "{msgid if lang == "id" else msgstr}"\n\n' for msgid, msgstr in _MESSAGES)
    note = ("# Indonesian: msgstr = msgid. Change a msgstr to reword a label without touching the code.\n"
            if lang == "id" else "")
    return head + note + body


FILES["NAME/locale/id/LC_MESSAGES/messages.po"] = _po("id")
FILES["NAME/locale/en/LC_MESSAGES/messages.po"] = _po("en")

FILES["tests/test_NAME.py"] = '''\
"""Tests of the ``${name}`` plugin, with Balai's pytest plugin (module ``core.testing``, pytest plugin ``balai``):
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
    assert "Langkah 1 hanya dapat dikerjakan oleh: ${clerk_title}." in refused.text
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
